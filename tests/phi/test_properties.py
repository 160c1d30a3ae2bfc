"""Property: however an identifier is read out, no run of four or more of its digits survives."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raytranscribe.phi import StreamRedactor
from raytranscribe.phi.numbers import normalize

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
CUES = [
    "my phone number is {}",
    "you can reach me at {}, that's my cell",
    "my social security number is {}",
    "the medical record number is {} please double check it",
    "my insurance member id is {}",
    "the account number is {}",
    "the last four are {}",
    "the pacemaker serial number is {}",
    "{} is my number",
]


def spoken(digits: str, draw) -> str:
    """Digits as a speaker might say them: grouped, with "oh" or "zero", "double"."""
    words, i = [], 0
    while i < len(digits):
        d = digits[i]
        if i + 1 < len(digits) and digits[i + 1] == d and draw(st.booleans()):
            words.append(f"double {WORDS[int(d)] if d != '0' else 'oh'}")
            i += 2
            continue
        words.append(draw(st.sampled_from(["oh", "zero"])) if d == "0" else WORDS[int(d)])
        i += 1
    sep = draw(st.sampled_from([" ", " ", ", "]))
    cut = draw(st.integers(min_value=1, max_value=max(1, len(words) - 1)))
    return " ".join(words[:cut]) + sep + " ".join(words[cut:]) if len(words) > 1 else words[0]


@st.composite
def utterances(draw):
    digits = draw(st.text(alphabet="0123456789", min_size=4, max_size=11))
    form = draw(st.sampled_from(["digits", "grouped", "spoken"]))
    if form == "digits":
        value = digits
    elif form == "grouped":
        cut = draw(st.integers(min_value=1, max_value=len(digits) - 1))
        value = digits[:cut] + draw(st.sampled_from([" ", "-", "."])) + digits[cut:]
    else:
        value = spoken(digits, draw)
    cue = draw(st.sampled_from(CUES if len(digits) > 4 else [c for c in CUES if "last four" in c or "id" in c]))
    return cue.format(value), digits


def surviving_runs(redacted: str, digits: str) -> list[str]:
    return [run for run in re.findall(r"\d{4,}", normalize(redacted).text) if run in digits]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=utterances())
def test_no_four_digit_run_survives_redaction(scrubber, case):
    text, digits = case
    assert surviving_runs(scrubber.redact(text).text, digits) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=utterances(), split=st.floats(min_value=0.05, max_value=0.95))
def test_no_four_digit_run_survives_streaming(scrubber, phi_settings, case, split):
    text, digits = case
    words = text.split(" ")
    cut = max(1, int(len(words) * split))
    stream = StreamRedactor(phi_settings)
    released = stream.push(scrubber, " ".join(words[:cut]), 0.0) + stream.push(scrubber, " ".join(words[cut:]), 0.1)
    released += stream.flush(scrubber)
    assert surviving_runs(released, digits) == []
