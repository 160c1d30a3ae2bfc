"""Spoken-number normalizer: number words -> digits, with a map back to the original offsets.

ASR text reads identifiers out as words ("five five five, two three four", "double oh seven",
"march third nineteen sixty two"). Recognizers run on a normalized copy where each run of number words
becomes digits; every normalized character remembers which original characters it came from, so spans
found on the copy redact the original words. A run is read the way people dictate numbers: compound
numbers ("twenty three", "nine hundred twelve", "two thousand six") are evaluated and consecutive
groups are concatenated ("nineteen sixty two" -> 1962, "five five five" -> 555).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}
ORDINAL_TEENS = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}
ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}
# Spanish digits, read out by bilingual patients and interpreters ("tres dos tres cinco ..."). Read only in
# runs of three or more digits: alone, "dos" is also a label (date of service) and "uno" a word in English talk.
SPANISH_DIGITS = {"cero": "zero", "uno": "one", "dos": "two", "tres": "three", "cuatro": "four", "cinco": "five",
                  "seis": "six", "siete": "seven", "ocho": "eight", "nueve": "nine"}
_SPANISH_RUN = 3
ZERO_LETTERS = {"oh", "o"}  # "oh" means zero only next to other number words
REPEATS = {"double": 2, "triple": 3}
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
# Separator words read out between digit groups in a row: ASR may say one again where two passes meet
# ("08 slash 02 slash | slash 1986").
SEPARATOR_REPEATS = 3

_WORD = re.compile(r"[A-Za-z]+|\d+")
# Characters allowed between two words of one run: spaces and hyphens ("twenty-three"); a comma or a
# period ends the run, so "five five five, two three four" keeps its grouping.
_JOINER = re.compile(r"[ \t-]+")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else _SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def _is_number_word(w: str) -> bool:
    # Digits already written as digits keep their own spacing, so they never join a run.
    return w in UNITS or w in TEENS or w in TENS or w in ORDINAL_UNITS or w in ORDINAL_TEENS or w in ORDINAL_TENS or w in ("hundred", "thousand")


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per normalized character, the original [start, end) it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering normalized [start, end) (non-empty)."""
        return self.starts[start], self.ends[end - 1]


class _Chunk:
    """One number group being read: its value so far and what kind of word came last."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.state = "start"  # start | unit | tens | hundred | thousand
        self.ordinal = False

    def accepts(self, w: str) -> bool:
        if self.ordinal:
            return False
        s = self.state
        if w in UNITS or w in ORDINAL_UNITS:
            return s in ("start", "tens", "hundred", "thousand")
        if w in TEENS or w in TENS or w in ORDINAL_TEENS or w in ORDINAL_TENS:
            return s in ("start", "hundred", "thousand")
        if w == "hundred":
            return s in ("unit", "tens") and self.current < 100
        if w == "thousand":
            return s in ("unit", "tens", "hundred")
        return False

    def add(self, w: str) -> None:
        if w in UNITS or w in ORDINAL_UNITS:
            self.current += UNITS.get(w, ORDINAL_UNITS.get(w, 0))
            self.state = "unit"
        elif w in TEENS or w in ORDINAL_TEENS:
            self.current += TEENS.get(w, ORDINAL_TEENS.get(w, 0))
            self.state = "unit"
        elif w in TENS or w in ORDINAL_TENS:
            self.current += TENS.get(w, ORDINAL_TENS.get(w, 0))
            self.state = "tens"
        elif w == "hundred":
            self.current *= 100
            self.state = "hundred"
        elif w == "thousand":
            self.total += self.current * 1000
            self.current = 0
            self.state = "thousand"
        self.ordinal = w in ORDINAL_UNITS or w in ORDINAL_TEENS or w in ORDINAL_TENS

    def digits(self) -> str:
        value = self.total + self.current
        return _ordinal(value) if self.ordinal else str(value)


def _read_run(words: list[str]) -> list[tuple[str, int, int]]:
    """Digits for a run of number words: [(digits, first word index, last word index)] per group."""
    groups: list[tuple[str, int, int]] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in REPEATS and i + 1 < len(words) and (words[i + 1] in UNITS or words[i + 1] in ZERO_LETTERS):
            digit = "0" if words[i + 1] in ZERO_LETTERS else str(UNITS[words[i + 1]])
            groups.append((digit * REPEATS[w], i, i + 1))
            i += 2
            continue
        if w in ZERO_LETTERS or w == "zero":
            groups.append(("0", i, i))
            i += 1
            continue
        chunk, start = _Chunk(), i
        while i < len(words) and words[i] not in ZERO_LETTERS and words[i] != "zero":
            # "one hundred and five": "and" belongs to the compound only when the compound goes on.
            if words[i] == "and" and chunk.state in ("hundred", "thousand") and i + 1 < len(words) and chunk.accepts(words[i + 1]):
                i += 1
            if not chunk.accepts(words[i]):
                break
            chunk.add(words[i])
            i += 1
        if i == start:  # a word that cannot start a group (a stray "hundred"): keep it as it was
            groups.append((words[i], i, i))
            i += 1
            continue
        groups.append((chunk.digits(), start, i - 1))
    return groups


def _read_spanish_digits(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spanish digit words in a run of at least three digits, read as the English ones."""
    out = list(tokens)
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and (tokens[j][2] in SPANISH_DIGITS or tokens[j][2] in UNITS) \
                and (j == i or _joined(text, tokens[j - 1], tokens[j])):
            j += 1
        if j - i >= _SPANISH_RUN:
            out[i:j] = [(a, b, SPANISH_DIGITS.get(w, w)) for a, b, w in tokens[i:j]]
        i = max(j, i + 1)
    return out


def normalize(text: str) -> Normalized:
    """Replace every run of number words in ``text`` by digits; see module docstring."""
    tokens = _read_spanish_digits(text, [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)])
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0

    def copy_to(limit: int) -> None:
        nonlocal pos
        for k in range(pos, limit):
            out.append(text[k])
            starts.append(k)
            ends.append(k + 1)
        pos = limit

    i = 0
    while i < len(tokens):
        j = _run_end(text, tokens, i)
        # "a hundred and one": "a" before hundred/thousand is "one".
        if j == i and tokens[i][2] == "a" and i + 1 < len(tokens) and tokens[i + 1][2] in ("hundred", "thousand"):
            k = _run_end(text, tokens, i + 1)
            if k > i + 1:
                j = k
        if j == i:
            i += 1
            continue
        run = tokens[i:j]
        words = ["one" if w == "a" else w for _, _, w in run]
        copy_to(run[0][0])
        previous_ordinal = False
        for digits, first, last in _read_run(words):
            a, b = run[first][0], run[last][1]
            # Groups are concatenated as dictated, but an ordinal ends a number ("march 3rd 1962").
            ordinal = not digits[-1].isdigit()
            if previous_ordinal or (ordinal and out and out[-1].isdigit() and first > 0):
                out.append(" ")
                starts.append(a)
                ends.append(a)
            previous_ordinal = ordinal
            for ch in digits:
                out.append(ch)
                starts.append(a)
                ends.append(b)
        pos = run[-1][1]
        i = j
    copy_to(len(text))
    return Normalized("".join(out), tuple(starts), tuple(ends))


def _run_end(text: str, tokens: list[tuple[int, int, str]], i: int) -> int:
    """Index past the run of number tokens starting at ``i`` (== i when no run starts there)."""
    j = i
    while j < len(tokens):
        w = tokens[j][2]
        # Inside a run "oh"/"o" mean zero and "and" joins compounds; neither starts or ends a run.
        if w in ZERO_LETTERS or w == "and" or w in REPEATS:
            if j == i and w == "and":
                break
            if j + 1 < len(tokens) and _joined(text, tokens[j], tokens[j + 1]) and (
                _is_number_word(tokens[j + 1][2]) or tokens[j + 1][2] in ZERO_LETTERS or tokens[j + 1][2] in REPEATS
            ) and (w != "and" or j > i):
                if w in ZERO_LETTERS and j == i and not _leads_to_number(text, tokens, j + 1):
                    break  # "oh I see", "oh oh": an exclamation, not a zero
                j += 1
                continue
            if w in ZERO_LETTERS and j > i:  # trailing "oh" after number words: "nine oh"
                j += 1
            elif w in ZERO_LETTERS and j + 1 < len(tokens) and text[tokens[j][1] : tokens[j + 1][0]] == ", " \
                    and _is_number_word(tokens[j + 1][2]) and j > 0 and tokens[j - 1][2] in ("is", "number"):
                j += 1  # "my number is oh, one oh one two": a zero read out with a pause after it
            break
        if not _is_number_word(w):
            break
        j += 1
        if j < len(tokens) and not _joined(text, tokens[j - 1], tokens[j]):
            break
    if j > i and tokens[j - 1][2] == "and":
        j -= 1
    return j


def _leads_to_number(text: str, tokens: list[tuple[int, int, str]], k: int) -> bool:
    while k < len(tokens) and (tokens[k][2] in ZERO_LETTERS or tokens[k][2] in REPEATS):
        if k + 1 >= len(tokens) or not _joined(text, tokens[k], tokens[k + 1]):
            return False
        k += 1
    return k < len(tokens) and _is_number_word(tokens[k][2])


def _joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    return bool(_JOINER.fullmatch(text[left[1] : right[0]]))
