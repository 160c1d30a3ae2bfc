"""Pause simulation over the held-out sets: each utterance is cut into committed pieces with the same long
pause after every piece (the redactor is polled every 0.1 s through each pause).

Cuts: ``two`` splits it at every word boundary into two pieces; ``asr`` cuts it 6 times at random (seeded)
into 1-5 word pieces, as the README's streamed numbers do. Prints, over PHI utterances, the streams and the
identifier words shown in the clear; over trap utterances, the words not shown as said (false positives);
and how long each piece waited to be shown in full. Counts only, never the text.
Run: ``python3 -m tests.phi.split_streams two|asr [pause_s [delays.json]]`` (pause default hold_timeout_s + 1).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from raytranscribe.phi import Scrubber, StreamRedactor
from raytranscribe.settings import Settings

from .test_heldout import PHI_ITEMS, TRAP_ITEMS, secrets, visible

_TICK_S = 0.1
_ASR_CUTS = 6


def cuts(text: str, how: str, seed: int) -> Iterator[list[str]]:
    words = text.split(" ")
    if how == "two":
        yield from ([" ".join(words[:k]), " ".join(words[k:])] for k in range(1, len(words)))
        return
    rng = random.Random(seed)
    for _ in range(_ASR_CUTS):
        pieces, rest = [], words
        while rest:
            size = rng.randint(1, 5)
            pieces.append(" ".join(rest[:size]))
            rest = rest[size:]
        yield pieces


def paused_stream(scrubber: Scrubber, redactor: StreamRedactor, pieces: list[str], pause: float) -> tuple[str, list[float]]:
    """The released text, and for each piece shown in full before the flush how long it waited for that."""
    ends = [len(" ".join(pieces[: k + 1])) for k in range(len(pieces))]  # where each piece ends in the text
    out: list[str] = []
    waits: list[float] = []
    pushed_at: list[float] = []

    def settle(now: float) -> None:  # a piece is shown in full once the held raw text no longer reaches into it
        while len(waits) < len(pushed_at) and len(redactor.pending) <= ends[len(pushed_at) - 1] - ends[len(waits)]:
            waits.append(now - pushed_at[len(waits)])

    for k, piece in enumerate(pieces):
        now = k * pause
        out.append(redactor.push(scrubber, piece, now))
        pushed_at.append(now)
        settle(now)
        tick = now
        while k < len(pieces) - 1 and tick + _TICK_S < now + pause:
            tick += _TICK_S
            out.append(redactor.poll(scrubber, tick))
            settle(tick)
    out.append(redactor.flush(scrubber))
    return "".join(out), waits


def main() -> None:
    how = sys.argv[1] if len(sys.argv) > 1 else "two"
    settings = Settings.load().phi
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else settings.hold_timeout_s + 1.0
    scrubber = Scrubber(settings)
    leaky_streams = leaked_words = streams = 0
    waits: list[float] = []
    for n, item in enumerate(PHI_ITEMS):
        hidden = secrets(item)
        for pieces in cuts(item["text"], how, n):
            released, piece_waits = paused_stream(scrubber, StreamRedactor(settings), pieces, pause)
            shown = hidden & visible(released)
            streams += 1
            leaky_streams += bool(shown)
            leaked_words += len(shown)
            waits += piece_waits
    trap_words = trap_missing = trap_streams = 0
    for n, item in enumerate(TRAP_ITEMS):
        said = visible(item["text"])
        for pieces in cuts(item["text"], how, n):
            released, piece_waits = paused_stream(scrubber, StreamRedactor(settings), pieces, pause)
            trap_streams += 1
            trap_words += len(said)
            trap_missing += len(said - visible(released))
            waits += piece_waits
    if len(sys.argv) > 3:  # per-piece waits (numbers only), to compare two runs piece by piece
        Path(sys.argv[3]).write_text(json.dumps(waits))
    waits.sort()
    print(f"cuts {how}, pause {pause:.1f} s after every piece, hold_timeout_s {settings.hold_timeout_s}, "
          f"name_hold_timeout_s {settings.name_hold_timeout_s}")
    print(f"phi streams {streams}: {leaky_streams} show an identifier word ({leaked_words} words)")
    print(f"trap streams {trap_streams}: {trap_missing}/{trap_words} distinct words not shown as said "
          f"({trap_missing / max(1, trap_words):.4%})")
    print(f"a piece is shown in full after: p50 {waits[len(waits) // 2]:.1f} s, p90 {waits[int(0.9 * len(waits))]:.1f} s, "
          f"mean {sum(waits) / len(waits):.2f} s")


if __name__ == "__main__":
    main()
