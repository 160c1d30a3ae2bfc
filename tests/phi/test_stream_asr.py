"""Real tiny.en transcripts of the spoken PHI clips, streamed in random pieces with pauses: nothing leaks.

``tests/data/phi/clip_transcripts_tiny_en.jsonl`` holds what tiny.en wrote for the 30 synthetic clips
(invented PHI) and their gold identifiers; it is shipped so the test needs no model and stays fast.
"""

import json
import random
import re

import pytest

from raytranscribe.phi import StreamRedactor
from tests.phi.conftest import PHI_DATA

CLIPS = [json.loads(line) for line in (PHI_DATA / "clip_transcripts_tiny_en.jsonl").read_text().splitlines()]
_DIGITS = re.compile(r"\d+")


def leaks(released: str, gold: list[dict]) -> list[str]:
    """Gold name words and 3+ digit parts of gold identifiers that are visible in the released text."""
    gold_digits = ["".join(_DIGITS.findall(s["text"])) for s in gold if s["type"] not in ("NAME", "CITY", "ADDRESS")]
    found = [run for run in re.findall(r"\d(?:[\s,.-]?\d){2,}", released)
             if any(re.sub(r"\D", "", run) in g for g in gold_digits if g)]
    names = {w.lower() for s in gold if s["type"] == "NAME" for w in re.findall(r"[A-Za-z]{3,}", s["text"])}
    found += [w for w in re.findall(r"[A-Za-z]+", released) if w.lower() in names]
    return found


def stream_in_pieces(scrubber, settings, text: str, rng: random.Random, pause: float) -> str:
    """Cut ``text`` at random word boundaries and stream it, with a pause of ``pause`` s between pieces."""
    words = text.split(" ")
    cuts = sorted(rng.sample(range(1, len(words)), k=min(len(words) - 1, len(words) // 3)))
    pieces = [" ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)])]
    stream, out, now = StreamRedactor(settings), [], 0.0
    for piece in pieces:
        out.append(stream.push(scrubber, piece, now))
        now += pause
        out.append(stream.poll(scrubber, now))
    out.append(stream.flush(scrubber))
    return "".join(out)


def test_batch_redaction_of_real_transcripts_leaks_nothing(scrubber):
    leaked = {c["id"]: leaks(scrubber.redact(c["text"]).text, c["spans"]) for c in CLIPS}
    assert not {k: v for k, v in leaked.items() if v}


@pytest.mark.parametrize("pause", [0.2, 5.0])  # pieces that join in time, and a timeout after every piece
def test_streamed_real_transcripts_leak_nothing(scrubber, phi_settings, pause):
    rng = random.Random(7)
    leaked = {}
    for clip in CLIPS:
        for trial in range(2):
            released = stream_in_pieces(scrubber, phi_settings, clip["text"], rng, pause)
            if found := leaks(released, clip["spans"]):
                leaked[f"{clip['id']}#{trial}"] = found
    assert not leaked
