"""Where a stream's audio comes from. Plain, picklable descriptions; the capture core opens them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileSource:
    """An audio file, replayed at real-time pace (``realtime``) or as fast as the recogniser takes it."""

    path: Path
    realtime: bool = False
    seconds: float | None = None  # replay only the first this many seconds (None: all of it)


@dataclass(frozen=True)
class MicSource:
    """A local microphone through PortAudio; ``device`` is a sounddevice index or name (None = default)."""

    device: int | str | None = None


@dataclass(frozen=True)
class PushSource:
    """Audio pushed by the caller (e.g. a browser microphone) as 16 kHz mono float32 blocks."""


Source = FileSource | MicSource | PushSource
