"""What the screen shows: redacted lines that expire, plus one greyed interim line. Plain object, no UI."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    id: int
    text: str
    shown_at: float


class TranscriptView:
    """Holds only already-redacted text, and only until it expires or is cleared."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self.lines: list[Line] = []
        self.interim = ""
        self.interim_at = 0.0
        self._ids = itertools.count(1)

    def add_final(self, text: str, now: float) -> Line | None:
        self.interim = ""  # the committed text supersedes the interim guess
        text = text.strip()
        if not text:
            return None
        line = Line(next(self._ids), text, now)
        self.lines.append(line)
        return line

    def set_interim(self, text: str, now: float) -> None:
        self.interim, self.interim_at = text.strip(), now

    def expire(self, now: float) -> list[Line]:
        """Drop lines older than the TTL (a stale interim too); returns the dropped lines."""
        gone = [ln for ln in self.lines if now - ln.shown_at >= self.ttl_s]
        self.lines = [ln for ln in self.lines if now - ln.shown_at < self.ttl_s]
        if self.interim and now - self.interim_at >= self.ttl_s:
            self.interim = ""
        return gone

    def clear(self) -> list[Line]:
        gone, self.lines, self.interim = self.lines, [], ""
        return gone

    def is_empty(self) -> bool:
        return not self.lines and not self.interim
