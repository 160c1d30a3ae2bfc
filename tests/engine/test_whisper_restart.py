"""A Whisper replica killed mid-stream: Ray restarts it, the stream recovers from the capture's ring buffer."""

import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import ray
from engine_helpers import SPEECH, wer

from raytranscribe.audio.decode import load_audio
from raytranscribe.engine import PushSource, StatusEvent, TranscriptEvent

pytestmark = pytest.mark.slow  # real model, Ray cluster

PHI_CLIP = Path(__file__).resolve().parent.parent / "data" / "privacy" / "dev-a003.wav"
SECRETS = ("Steven", "Walsh", "592192587", "1986")  # spoken in the PHI clip (invented; see clips.jsonl)
RATE = 16000
BLOCK = RATE // 10


def push_in_real_time(stream, audio: np.ndarray) -> threading.Thread:
    """A microphone stand-in: 100 ms blocks at the pace they are spoken."""

    def run() -> None:
        started = time.monotonic()
        for i in range(0, audio.size, BLOCK):
            time.sleep(max(0.0, started + i / RATE - time.monotonic()))
            stream.push_audio(audio[i : i + BLOCK])
        stream.end_input()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_killed_whisper_restarts_and_the_stream_recovers_from_the_ring_buffer(engine, references):
    jfk = load_audio(SPEECH / "jfk.wav")
    audio = np.concatenate([jfk, np.zeros(RATE // 2, dtype=np.float32), load_audio(PHI_CLIP)])
    stream = engine.open_stream(PushSource())
    pusher = push_in_real_time(stream, audio)
    events = stream.events()
    before = [next(e for e in events if isinstance(e, TranscriptEvent) and e.kind == "final")]
    ray.kill(stream.whisper, no_restart=False)  # mid-sentence: the replica's policy state is gone
    after = list(events)
    pusher.join(timeout=10)

    statuses = [e.message for e in after if isinstance(e, StatusEvent)]
    lost = [float(m) for s in statuses for m in re.findall(r"restarted: ([0-9.]+) s of audio lost", s)]
    assert lost == [0.0], statuses  # the ring buffer still held the audio the lost state had not committed
    finals = [e for e in before + after if isinstance(e, TranscriptEvent) and e.kind == "final"]
    ends = [e.audio_end for e in finals]
    assert ends == sorted(ends), "finals stay in stream order on the stream clock"
    speech_end = jfk.size / RATE
    jfk_text = " ".join(e.text for e in finals if e.audio_start < speech_end)
    assert wer(references["jfk.wav"], jfk_text) <= 0.25, "no words lost or repeated across the restart"
    shown = " ".join(e.text for e in before + after if isinstance(e, TranscriptEvent))
    assert "[NAME]" in shown, "the PHI clip after the restart was transcribed and redacted"
    for secret in SECRETS:
        assert secret not in shown
