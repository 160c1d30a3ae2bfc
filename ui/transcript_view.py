"""What the screen shows: redacted lines that expire, plus one greyed interim line. Plain object, no UI."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


SENTENCE_END = (".", "?", "!")


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
        """Committed text arrives a few words at a time: it joins the last line until a sentence ends, or
        until that line is a third of its time old, so joined words still stay up most of the TTL.
        Returns the new or grown line (same id when grown; its clock still runs from when it appeared)."""
        self.interim = ""  # the committed text supersedes the interim guess
        text = text.strip()
        if not text:
            return None
        last = self.lines[-1] if self.lines else None
        if last is not None and not last.text.endswith(SENTENCE_END) and now - last.shown_at < self.ttl_s / 3:
            joined = last.text + ("" if text[0] in ",.;:?!" else " ") + text
            self.lines[-1] = line = Line(last.id, joined, last.shown_at)
        else:
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
