"""The Whisper wrapper: one decoding pass over a short buffer, returning words and segment statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faster_whisper import WhisperModel

from raytranscribe.asr.words import Word
from raytranscribe.settings import StreamingSettings

FRAMES_PER_S = 100  # Whisper's mel frames per second of audio


class WindowedWhisperModel(WhisperModel):
    """faster-whisper with a shorter encoder window.

    Whisper pads every input to 30 s and the encoder cost follows the window, not the speech. Cropping the
    padded features to a window a few seconds past the speech (``window_frames``) cuts the encoder's time
    roughly in proportion; measured on the dev interviews, 20 s keeps the text close to the 30 s pass while
    shorter windows start repetition loops.
    """

    window_frames: int = 3000

    def encode(self, features: np.ndarray):  # type: ignore[override]
        if features.shape[-1] > self.window_frames:
            features = np.ascontiguousarray(features[..., : self.window_frames])
        return super().encode(features)


@dataclass(frozen=True)
class DecodedSegment:
    words: list[Word]  # times relative to the decoded buffer
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


class WhisperDecoder:
    def __init__(self, model: WindowedWhisperModel, settings: StreamingSettings) -> None:
        self.model = model
        self.settings = settings

    def decode(self, audio: np.ndarray, prompt: str = "", beam_size: int | None = None) -> list[DecodedSegment]:
        seconds = audio.size / 16000
        # Keep a few seconds of padding past the speech; never below the configured window.
        window = min(30.0, max(self.settings.window_s, seconds + 4.0))
        self.model.window_frames = int(window * FRAMES_PER_S) // 2 * 2
        segments, _ = self.model.transcribe(
            audio,
            language=self.settings.language or "en",
            beam_size=beam_size or self.settings.beam_size,
            temperature=0.0,  # no fallback re-decodes: the streaming guards drop bad output instead
            initial_prompt=prompt or None,
            condition_on_previous_text=False,
            word_timestamps=True,
            without_timestamps=True,
            vad_filter=False,
        )
        return [
            DecodedSegment(
                words=[Word(w.word, float(w.start), float(w.end), float(w.probability)) for w in seg.words or []],
                no_speech_prob=float(seg.no_speech_prob),
                avg_logprob=float(seg.avg_logprob),
                compression_ratio=float(seg.compression_ratio),
            )
            for seg in segments
        ]
