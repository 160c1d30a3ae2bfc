"""What a stream emits. Every ``text`` is redacted; status events never carry transcript text."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(frozen=True)
class RedactedText:
    """Redacted text from the scrubber stage, before the driver stamps it with display time."""

    kind: Literal["partial", "final"]
    text: str
    audio_start: float
    audio_end: float


@dataclass(frozen=True)
class TranscriptEvent:
    """``final``: newly committed text, in order, never revised. ``partial``: the current uncommitted tail
    (replaces the previous partial; "" clears it). ``t``: seconds since the stream's first sample was fed;
    ``audio_start``/``audio_end``: the stream audio (seconds) the text comes from."""

    kind: Literal["partial", "final"]
    text: str
    t: float
    audio_start: float
    audio_end: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass(frozen=True)
class StatusEvent:
    """Pipeline state for the user, e.g. ``redaction unavailable`` (then nothing else is shown)."""

    message: str
    t: float
    kind: Literal["status"] = "status"

    def to_json(self) -> str:
        return json.dumps(asdict(self))


Event = TranscriptEvent | StatusEvent
