"""Pause simulation over the held-out sets: every utterance split at every word boundary into two committed
pieces with a long pause between them (the redactor is polled every 0.1 s through the pause).

Prints, over PHI utterances, the streams and the identifier words shown in the clear; over trap utterances,
the words not shown as said (false positives); and how long the end of the first piece waited to be shown.
Counts only, never the text. Run: ``python3 -m tests.phi.split_streams [pause_s [delays.json]]`` (default hold_timeout_s + 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from raytranscribe.phi import Scrubber, StreamRedactor
from raytranscribe.settings import Settings

from .test_heldout import PHI_ITEMS, TRAP_ITEMS, secrets, visible

_TICK_S = 0.1


def split_stream(scrubber: Scrubber, redactor: StreamRedactor, first: str, second: str, pause: float) -> tuple[str, float]:
    """The released text, and when all of ``first`` had been released (seconds after it was pushed)."""
    out, now, shown_at = [redactor.push(scrubber, first, 0.0)], 0.0, None
    while now + _TICK_S < pause:
        if shown_at is None and not redactor.pending:
            shown_at = now
        now += _TICK_S
        out.append(redactor.poll(scrubber, now))
    if shown_at is None and not redactor.pending:
        shown_at = now
    out.append(redactor.push(scrubber, second, pause))
    if shown_at is None:  # the second piece decided the held end of the first
        shown_at = pause
    out.append(redactor.flush(scrubber))
    return "".join(out), shown_at


def main() -> None:
    settings = Settings.load().phi
    pause = float(sys.argv[1]) if len(sys.argv) > 1 else settings.hold_timeout_s + 1.0
    scrubber = Scrubber(settings)
    leaky_streams = leaked_words = streams = 0
    delays: list[float] = []
    for item in PHI_ITEMS:
        words, hidden = item["text"].split(" "), secrets(item)
        for k in range(1, len(words)):
            released, shown_at = split_stream(scrubber, StreamRedactor(settings), " ".join(words[:k]), " ".join(words[k:]), pause)
            shown = hidden & visible(released)
            streams += 1
            leaky_streams += bool(shown)
            leaked_words += len(shown)
            delays.append(shown_at)
    trap_words = trap_missing = trap_streams = 0
    for item in TRAP_ITEMS:
        words, said = item["text"].split(" "), visible(item["text"])
        for k in range(1, len(words)):
            released, shown_at = split_stream(scrubber, StreamRedactor(settings), " ".join(words[:k]), " ".join(words[k:]), pause)
            trap_streams += 1
            trap_words += len(said)
            trap_missing += len(said - visible(released))
            delays.append(shown_at)
    if len(sys.argv) > 2:  # per-stream delays (numbers only), to compare two runs stream by stream
        Path(sys.argv[2]).write_text(json.dumps(delays))
    delays.sort()
    print(f"pause {pause:.1f} s, hold_timeout_s {settings.hold_timeout_s}, "
          f"name_hold_timeout_s {getattr(settings, 'name_hold_timeout_s', None)}")
    print(f"phi streams {streams}: {leaky_streams} show an identifier word ({leaked_words} words)")
    print(f"trap streams {trap_streams}: {trap_missing}/{trap_words} distinct words not shown as said "
          f"({trap_missing / max(1, trap_words):.4%})")
    print(f"first piece fully shown after: p50 {delays[len(delays) // 2]:.1f} s, p90 {delays[int(0.9 * len(delays))]:.1f} s, "
          f"mean {sum(delays) / len(delays):.2f} s")


if __name__ == "__main__":
    main()
