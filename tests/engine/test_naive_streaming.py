"""The naive baseline policy (the load harness's comparison) with the real tiny.en model."""

import pytest
from engine_helpers import SPEECH, wer

from raytranscribe.asr.naive import NaiveTranscriber
from raytranscribe.asr.whisper import WhisperDecoder
from raytranscribe.asr.words import join
from raytranscribe.audio.decode import load_audio

pytestmark = pytest.mark.slow  # real model


def test_naive_policy_transcribes_real_speech(whisper_model, settings, references):
    audio = load_audio(SPEECH / "jfk.wav")
    policy = NaiveTranscriber(WhisperDecoder(whisper_model, settings.streaming), settings.streaming, None)
    words = [w for i in range(0, audio.size, 8000) for w in policy.feed(audio[i : i + 8000]).committed]
    words += policy.finish().committed
    assert wer(references["jfk.wav"], join(words)) <= 0.35
