"""Terminal output: a live view (committed lines plus the current interim line) or JSON lines.

The redacted text shown here is the product's output, not logging; status lines go to stderr.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from raytranscribe.engine.events import Event, StatusEvent

CLEAR_LINE = "\r\x1b[K"
DIM, RESET = "\x1b[2m", "\x1b[0m"


class LiveView:
    """On a terminal: committed text flows as wrapped lines, the interim tail dimmed after it on the
    current line. Piped: one line per final, partials skipped."""

    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.out, self.err = out, err
        self.tty = out.isatty()
        self.line = ""  # committed text on the current terminal line
        self.partial = ""

    def show(self, event: Event) -> None:
        if isinstance(event, StatusEvent):
            self._write(CLEAR_LINE if self.tty else "")
            print(f"[{event.message}]", file=self.err, flush=True)
        elif not self.tty:
            if event.kind == "final":
                print(event.text, file=self.out, flush=True)
            return
        elif event.kind == "final":
            self._commit(event.text)
        else:
            self.partial = event.text
        self._redraw()

    def close(self) -> None:
        if self.tty:
            self.partial = ""
            self._redraw()
            if self.line:
                self._write("\n")

    def _commit(self, text: str) -> None:
        width = _width()
        for word in text.split():
            if self.line and len(self.line) + 1 + len(word) > width:
                self._write(f"{CLEAR_LINE}{self.line}\n")
                self.line = word
            else:
                self.line = f"{self.line} {word}" if self.line else word

    def _redraw(self) -> None:
        room = _width() - len(self.line) - 1
        tail = self.partial[-room:] if self.partial and room > 0 else ""
        self._write(f"{CLEAR_LINE}{self.line}" + (f" {DIM}{tail}{RESET}" if tail else ""))

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


def _width() -> int:
    return max(20, shutil.get_terminal_size().columns - 1)


class JsonlView:
    """One event per line: {"kind", "text", "t", "audio_start", "audio_end"}; status lines on stderr."""

    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.out, self.err = out, err

    def show(self, event: Event) -> None:
        target = self.err if isinstance(event, StatusEvent) else self.out
        print(event.to_json(), file=target, flush=True)

    def close(self) -> None:
        pass
