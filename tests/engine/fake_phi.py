"""A stand-in with the ``raytranscribe.phi`` contract, for pipeline tests that must not depend on it.

It redacts digit runs and holds nothing back, so tests can check that text flows through the scrubber
stage and that a failing scrubber fails closed.
"""

from __future__ import annotations

import os
import re

DIGITS = re.compile(r"\d+")
FAIL_FLAG = "RAYTRANSCRIBE_TEST_SCRUBBER_FAIL"  # a file path: while it exists, redaction raises


class Redaction:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list = []


class Scrubber:
    def __init__(self, settings: object) -> None:
        self.settings = settings

    def redact(self, text: str) -> Redaction:
        flag = os.environ.get(FAIL_FLAG)
        if flag and os.path.exists(flag):
            raise RuntimeError("scrubber down")
        return Redaction(DIGITS.sub("[NUMBER]", text))


class StreamRedactor:
    def __init__(self, settings: object) -> None:
        self.settings = settings

    def push(self, scrubber: Scrubber, committed_text: str, now: float) -> str:
        return scrubber.redact(committed_text).text

    def poll(self, scrubber: Scrubber, now: float) -> str:
        scrubber.redact("")  # a real redactor consults the scrubber here too
        return ""

    def flush(self, scrubber: Scrubber) -> str:
        return ""

    def interim(self, scrubber: Scrubber, uncommitted_text: str) -> str:
        return scrubber.redact(uncommitted_text).text
