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
    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.out, self.err = out, err
        self.tty = out.isatty()
        self.partial = ""

    def show(self, event: Event) -> None:
        if isinstance(event, StatusEvent):
            self._clear_partial()
            print(f"[{event.message}]", file=self.err, flush=True)
        elif event.kind == "final":
            self._clear_partial()
            print(event.text, file=self.out, flush=True)
        else:
            self.partial = event.text
        self._draw_partial()

    def close(self) -> None:
        self._clear_partial()
        self.partial = ""

    def _draw_partial(self) -> None:
        if self.tty and self.partial:
            width = shutil.get_terminal_size().columns - 1
            tail = self.partial[-width:]
            self.out.write(f"{CLEAR_LINE}{DIM}{tail}{RESET}")
            self.out.flush()

    def _clear_partial(self) -> None:
        if self.tty:
            self.out.write(CLEAR_LINE)


class JsonlView:
    """One event per line: {"kind", "text", "t", "audio_start", "audio_end"}; status lines on stderr."""

    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self.out, self.err = out, err

    def show(self, event: Event) -> None:
        target = self.err if isinstance(event, StatusEvent) else self.out
        print(event.to_json(), file=target, flush=True)

    def close(self) -> None:
        pass
