"""The spoken-number normalizer turns number words into digits and maps every digit back."""

import pytest

from raytranscribe.phi.numbers import normalize


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("six six four seven seven three eight six two nine", "6647738629"),
        ("nine six four six nine oh eight", "9646908"),
        ("double five two three", "5523"),
        ("triple oh seven", "0007"),
        ("march third nineteen sixty two", "march 3rd 1962"),
        ("november fourteenth, twenty twenty six", "november 14th, 2026"),
        ("one hundred and five years old", "105 years old"),
        ("two thousand six", "2006"),
        ("twenty-three", "23"),
        ("five five five, two three four", "555, 234"),
        ("the 5th of June 2006", "the 5th of June 2006"),
        ("april 14 2008", "april 14 2008"),
        ("oh I see", "oh I see"),
        ("my number is oh, one oh one two", "my number is 0, 1012"),  # a zero, then a pause
        ("oh, one more thing", "oh, 1 more thing"),  # an exclamation
        ("es tres dos tres cinco cinco cinco cero uno", "es 32355501"),  # Spanish digits read out
        ("DOS 4/17, tengo dos hijos y uno tiene fiebre", "DOS 4/17, tengo dos hijos y uno tiene fiebre"),  # alone: words
    ],
)
def test_number_words_become_digits(spoken, digits):
    assert normalize(spoken).text == digits


def test_offsets_point_back_to_the_words():
    text = "call five five five, one two one two now"
    norm = normalize(text)
    start = norm.text.index("1212")
    a, b = norm.to_original(start, start + 4)
    assert text[a:b] == "one two one two"
    a, b = norm.to_original(norm.text.index("now"), len(norm.text))
    assert text[a:b] == "now"
