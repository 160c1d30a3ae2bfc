"""Incremental voice activity detection with faster-whisper's bundled Silero model.

Speech probabilities are computed once per 32 ms window as audio arrives (not re-run over the whole
buffer on every decoding pass), and kept for the part of the stream the policy still looks at.
"""

from __future__ import annotations

import numpy as np

WINDOW = 512  # samples per Silero window at 16 kHz
RATE = 16000


class SpeechDetector:
    def __init__(self, threshold: float = 0.5, start_s: float = 0.0) -> None:
        from faster_whisper.vad import get_vad_model

        self._model = get_vad_model()
        self.threshold = threshold
        self._pending = np.zeros(0, dtype=np.float32)
        self._last_window = np.zeros(WINDOW, dtype=np.float32)
        self.restart_at(start_s)

    def restart_at(self, start_s: float) -> None:
        """Forget the audio and scores so far: the next audio fed starts at stream time ``start_s`` (a stream
        re-opened after a restart, or audio after a gap the reader skipped)."""
        self._pending.fill(0.0)  # audio is zeroed, not just dropped
        self._pending = np.zeros(0, dtype=np.float32)
        self._last_window.fill(0.0)  # no context across the gap: as at the start of a stream
        self._probs = np.zeros(0, dtype=np.float32)
        # Absolute index of the window _probs[0] describes: the stream clock, to within half a window.
        self._first_window = round(start_s * RATE / WINDOW)
        self.last_speech_end = start_s  # seconds; end of the newest window above threshold
        self.processed = start_s  # stream time up to which audio was scored

    def update(self, audio: np.ndarray) -> None:
        audio = np.concatenate([self._pending, audio])
        n = audio.size // WINDOW * WINDOW
        self._pending = audio[n:].copy()
        if n == 0:
            return
        # The model takes each window's 64-sample context from the previous window; prepending the last
        # window we scored keeps that context continuous across calls (its own score is dropped).
        probs = np.ravel(self._model(np.concatenate([self._last_window, audio[:n]])))[1:]
        self._last_window = audio[n - WINDOW : n].copy()
        first_new = self._first_window + self._probs.size
        self._probs = np.concatenate([self._probs, probs.astype(np.float32)])
        speech = np.flatnonzero(probs >= self.threshold)
        if speech.size:
            self.last_speech_end = (first_new + speech[-1] + 1) * WINDOW / RATE
        self.processed = (first_new + probs.size) * WINDOW / RATE

    def speech_fraction(self, start: float, end: float) -> float:
        """Share of the windows in [start, end) seconds scored as speech (0 when none were scored)."""
        a = max(int(start * RATE) // WINDOW - self._first_window, 0)
        b = max(int(np.ceil(end * RATE / WINDOW)) - self._first_window, a)
        window = self._probs[a:b]
        return float((window >= self.threshold).mean()) if window.size else 0.0

    def forget_before(self, seconds: float) -> None:
        """Drop scores older than ``seconds``; the policy never looks before its buffer start."""
        drop = int(seconds * RATE) // WINDOW - self._first_window
        if drop > 0:
            self._probs = self._probs[drop:]
            self._first_window += drop
