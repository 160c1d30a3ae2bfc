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
from raytranscribe.asr.words import Word, join

RATE = 16000
# A decode whose text stops this far before its audio's end, with speech after it, goes on from there, at most
# this many times (1-2% of passes on clinical interviews need it).
CONTINUE_AFTER_S = 1.0
MAX_CONTINUATIONS = 2
MIN_AUDIO_S = 0.1  # shorter audio holds no word; Whisper would invent text for it that cannot be aligned


class Decoder(Protocol):
    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0,
               prefix: str = "") -> DecodedPass: ...


def decode_pass(decoder: Decoder, audio: np.ndarray, start_s: float, prompt: Callable[[Sequence[Word]], str],
                window_s: float = 0.0, beam_size: int = 0,
                speech: Callable[[float, float], float] | None = None, prefix: Sequence[Word] = ()) -> list[Word]:
    """The words of ``audio`` (which starts at stream time ``start_s``), on the stream clock.

    ``prompt`` gives the prompt for a decode from the words decoded so far; ``speech`` is the VAD's speech
    fraction between two stream times (None: no VAD, so any early stop goes on); ``prefix``, the committed
    words the audio starts with, is forced as already said (see DecodeRequest)."""
    words: list[Word] = []
    offset = 0.0  # seconds into ``audio`` where this decode starts
    audio_s = audio.size / RATE
    if audio_s < MIN_AUDIO_S:
        return words
    for _ in range(1 + MAX_CONTINUATIONS):
        if offset:  # a decode that goes on has the prefix's audio behind it: its text joins the prompt
            result = decoder.decode(audio[int(offset * RATE) :], prompt([*prefix, *words]), window_s, beam_size)
        else:
            result = decoder.decode(audio, prompt(words), window_s, beam_size, join(prefix))
        if not guards.accept_pass(result):
            break
        new = [w.shifted(start_s + offset) for w in result.words if w.key]  # a lone mark is no word
        if result.prefix_dropped:  # the prefix's words were decoded again: only what follows them is new
            new = [w for w in new if w.start > prefix[-1].end - guards.SEAM_JITTER_S]
        words += new
        text_end = offset + result.text_end
        if prefix and not words:  # nothing new after the prefix: go on from its end without it
            text_end = prefix[-1].end - start_s
        if text_end - offset < 0.5 or audio_s - text_end < CONTINUE_AFTER_S:
            break  # no progress to build on, or nothing much left
        if speech is not None and speech(start_s + text_end, start_s + audio_s) == 0:
            break  # only silence after the text
        offset = text_end
    return words
