"""The naive 10 s / 50% overlap baseline policy: its schedule, with a fake decoder."""

import numpy as np
from raytranscribe.asr.naive import NaiveTranscriber
from raytranscribe.asr.whisper import DecodedPass
from raytranscribe.asr.words import Word
from raytranscribe.settings import StreamingSettings

RATE = 16000


class WordPerSecond:
    """Hears one word per second of audio, starting at each whole second of the request."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0,
               prefix: str = "") -> DecodedPass:
        seconds = audio.size / RATE
        self.calls.append(seconds)
        words = [Word(f" w{i}", i + 0.1, i + 0.6) for i in range(int(seconds))]
        return DecodedPass(words, 0.0, 0.0, 1.0)


def test_every_five_seconds_it_decodes_the_last_ten_and_commits_the_new_half():
    model = WordPerSecond()
    policy = NaiveTranscriber(model, StreamingSettings(), None)
    updates = [policy.feed(np.zeros(RATE // 2, dtype=np.float32)) for _ in range(44)]  # 22 s, 0.5 s reads
    updates.append(policy.finish())
    assert model.calls == [5.0, 10.0, 10.0, 10.0, 7.0], "passes at 5, 10, 15, 20 s and the 2 s tail"
    words = [w for u in updates for w in u.committed]
    starts = [round(w.start - 0.1) for w in words]
    assert starts == list(range(22)), "each second's word committed once, in order"
    assert all(not u.interim for u in updates)
