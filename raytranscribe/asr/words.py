"""Words with absolute timestamps, and the text helpers the streaming policy compares them with."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_WORD = re.compile(r"[^\w']+")
# Hesitation sounds. Not "mm-hmm", "uh-huh", "uh-uh" (answers: yes, no) nor "er" (the ER).
FILLERS = frozenset({"um", "umm", "uh", "uhm", "erm", "hmm", "hm"})


@dataclass(frozen=True)
class Word:
    text: str  # as Whisper wrote it, with its leading space and punctuation
    start: float  # seconds since the first sample of the stream
    end: float
    probability: float = 1.0

    @property
    def key(self) -> str:
        """Comparison form: lowercase, punctuation stripped, so 'Okay,' agrees with 'okay'."""
        return normalize(self.text)

    @property
    def is_filler(self) -> bool:
        return self.key in FILLERS

    def shifted(self, seconds: float) -> Word:
        return Word(self.text, self.start + seconds, self.end + seconds, self.probability)

    def not_before(self, t: float) -> Word:
        return self if self.start >= t else Word(self.text, t, max(self.end, t), self.probability)


def normalize(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def join(words: list[Word]) -> str:
    return "".join(w.text for w in words).strip()


def ends_sentence(word: Word) -> bool:
    return word.text.rstrip().endswith((".", "?", "!"))
