"""Helpers shared by the engine tests (speech clips, WER)."""

from __future__ import annotations

import re
from pathlib import Path

import jiwer

SPEECH = Path(__file__).resolve().parent.parent / "data" / "speech"


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split())


def wer(reference: str, hypothesis: str) -> float:
    return jiwer.wer(normalize(reference), normalize(hypothesis) or "<empty>")
