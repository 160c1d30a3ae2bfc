"""A decoding pass over a buffer, for both streaming policies.

In timestamp mode Whisper may close a segment and stop before its audio ends; its own transcribe() then seeks
to where the text stopped and decodes on. A pass does the same, prompted with what it decoded so far.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from raytranscribe.asr import guards
from raytranscribe.asr.whisper import DecodedPass
from raytranscribe.asr.words import Word

RATE = 16000
# A decode whose text stops this far before its audio's end, with speech after it, goes on from there, at most
# this many times (1-2% of passes on clinical interviews need it).
CONTINUE_AFTER_S = 1.0
MAX_CONTINUATIONS = 2


class Decoder(Protocol):
    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0) -> DecodedPass: ...


def decode_pass(decoder: Decoder, audio: np.ndarray, start_s: float, prompt: Callable[[Sequence[Word]], str],
                window_s: float = 0.0, beam_size: int = 0,
                speech: Callable[[float, float], float] | None = None) -> list[Word]:
    """The words of ``audio`` (which starts at stream time ``start_s``), on the stream clock.

    ``prompt`` gives the prompt for a decode from the words decoded so far; ``speech`` is the VAD's speech
    fraction between two stream times (None: no VAD, so any early stop goes on)."""
    words: list[Word] = []
    offset = 0.0  # seconds into ``audio`` where this decode starts
    audio_s = audio.size / RATE
    for _ in range(1 + MAX_CONTINUATIONS):
        result = decoder.decode(audio[int(offset * RATE) :], prompt(words), window_s, beam_size)
        if not guards.accept_pass(result):
            break
        words += [w.shifted(start_s + offset) for w in result.words if w.key]  # a lone mark is no word
        text_end = offset + result.text_end
        if text_end - offset < 0.5 or audio_s - text_end < CONTINUE_AFTER_S:
            break  # no progress to build on, or nothing much left
        if speech is not None and speech(start_s + text_end, start_s + audio_s) == 0:
            break  # only silence after the text
        offset = text_end
    return words
