"""A reader that fell more than the capture's ring behind: both policies close what they hold at the gap and go
on at the true stream time (fake decoders that hear where words are; no model, no Ray)."""

from itertools import pairwise

import numpy as np
import pytest
from engine_helpers import SPEECH

from raytranscribe.asr.naive import NaiveTranscriber
from raytranscribe.asr.streaming import StreamingTranscriber
from raytranscribe.asr.vad import SpeechDetector
from raytranscribe.asr.whisper import DecodedPass
from raytranscribe.asr.words import Word
from raytranscribe.audio.decode import load_audio
from raytranscribe.settings import StreamingSettings

RATE = 16000


def spoken(ids: list[int]) -> np.ndarray:
    """One second per word: word ``w<id>`` is 0.4 s of the constant id/100, from 0.2 s into its second."""
    audio = np.zeros(len(ids) * RATE, dtype=np.float32)
    for i, word in enumerate(ids):
        audio[i * RATE + RATE // 5 : i * RATE + 3 * RATE // 5] = word / 100
    return audio


def blocks(audio: np.ndarray, seconds: float = 0.5) -> list[np.ndarray]:
    n = int(seconds * RATE)
    return [audio[i : i + n] for i in range(0, audio.size, n)]


class HearsMarkedWords:
    """Hears a word wherever ``spoken`` put one, at its time in the request's audio."""

    def __init__(self) -> None:
        self.heard: list[set[str]] = []  # the words each pass heard

    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0,
               prefix: str = "") -> DecodedPass:
        edges = np.flatnonzero(np.diff(np.concatenate([[0.0], audio, [0.0]])))
        words = [Word(f" w{round(float(audio[a]) * 100)}", a / RATE, b / RATE)
                 for a, b in pairwise(edges) if audio[a] and b - a >= RATE // 10]
        self.heard.append({w.key for w in words})
        return DecodedPass(words, 0.0, -0.1, 1.0)


def never_mixed(heard: list[set[str]], before: set[str], after: set[str]) -> bool:
    return not any(keys & before and keys & after for keys in heard)


def test_streaming_policy_commits_what_it_holds_at_a_gap_and_goes_on_at_the_true_time():
    decoder = HearsMarkedWords()
    policy = StreamingTranscriber(decoder, StreamingSettings(), None)
    first = policy.feed(spoken([1, 2, 3, 4]))  # one pass: w1, w2 settled, w3, w4 still interim
    assert [w.key for w in first.committed] == ["w1", "w2"]
    held = policy.buf
    gap = policy.skip_to(40.0)
    assert [(w.key, round(w.start, 2)) for w in gap.committed] == [("w3", 2.2), ("w4", 3.2)]
    assert gap.interim == [] and gap.audio_end == 40.0
    assert not held.any(), "the audio before the gap is zeroed"
    later = [policy.feed(spoken([5, 6, 7, 8])), policy.finish()]
    words = [w for u in later for w in u.committed]
    assert [(w.key, round(w.start, 2)) for w in words] == [("w5", 40.2), ("w6", 41.2), ("w7", 42.2), ("w8", 43.2)]
    assert all(w.start >= 40.0 for w in later[0].interim) and later[0].audio_end == 44.0
    assert never_mixed(decoder.heard, {"w1", "w2", "w3", "w4"}, {"w5", "w6", "w7", "w8"})


def test_a_gap_restarts_the_speech_detector_on_the_stream_clock():
    speech = load_audio(SPEECH / "jfk.wav")[: 3 * RATE]
    alone = SpeechDetector()
    alone.update(speech)
    assert alone.last_speech_end > 1.0
    policy = StreamingTranscriber(HearsMarkedWords(), StreamingSettings(), SpeechDetector())
    policy.feed(speech)
    policy.skip_to(40.0)
    policy.feed(speech)
    assert policy.vad.processed == pytest.approx(40.0 + alone.processed)
    assert policy.vad.last_speech_end == pytest.approx(40.0 + alone.last_speech_end)


def test_naive_policy_commits_its_segment_at_a_gap_and_goes_on_at_the_true_time():
    decoder = HearsMarkedWords()
    policy = NaiveTranscriber(decoder, StreamingSettings(), None)
    before = [policy.feed(b) for b in blocks(spoken([1, 2, 3, 4, 5, 6, 7]))]  # a pass at 5 s: w1..w5
    gap = policy.skip_to(40.0)
    assert [w.key for u in before for w in u.committed] == ["w1", "w2", "w3", "w4", "w5"]
    assert [(w.key, round(w.start, 2)) for w in gap.committed] == [("w6", 5.2), ("w7", 6.2)]
    assert gap.audio_end == 40.0 and policy.buf.size == 0
    later = [policy.feed(b) for b in blocks(spoken([11, 12, 13, 14, 15, 16, 17]))] + [policy.finish()]
    words = [(w.key, round(w.start, 2)) for u in later for w in u.committed]
    assert words == [(f"w{11 + i}", 40.2 + i) for i in range(7)]
    assert never_mixed(decoder.heard, {f"w{i}" for i in range(1, 8)}, {f"w{i}" for i in range(11, 18)})
