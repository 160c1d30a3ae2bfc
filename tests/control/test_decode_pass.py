"""A decoding pass goes on where Whisper stopped early (both policies use it), with a scripted decoder."""

import numpy as np
import pytest
from raytranscribe.asr.passes import MAX_CONTINUATIONS, decode_pass
from raytranscribe.asr.whisper import DecodedPass
from raytranscribe.asr.words import Word

RATE = 16000


class Scripted:
    """Returns one scripted result per call and records (seconds of audio, prompt) for each."""

    def __init__(self, *results: DecodedPass) -> None:
        self.results = list(results)
        self.calls: list[tuple[float, str]] = []

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        self.calls.append((audio.size / RATE, prompt))
        return self.results[min(len(self.calls), len(self.results)) - 1]


def said(text: str, start: float, text_end: float = float("inf"), compression: float = 1.0) -> DecodedPass:
    words = [Word(f" {w}", start + i * 0.4, start + i * 0.4 + 0.3) for i, w in enumerate(text.split())]
    return DecodedPass(words, 0.0, -0.2, compression, text_end=text_end)


def keys(words: list[Word]) -> list[str]:
    return [w.key for w in words]


def prompt_after(words) -> str:
    return " ".join(w.key for w in words)


AUDIO = np.full(6 * RATE, 0.1, dtype=np.float32)


def test_an_early_stop_with_speech_after_goes_on_on_the_stream_clock():
    decoder = Scripted(said("one two", 0.2, text_end=1.5), said("three", 0.3))
    words = decode_pass(decoder, AUDIO, 10.0, prompt_after, speech=lambda a, b: 1.0)
    assert keys(words) == ["one", "two", "three"]
    assert round(words[-1].start, 2) == 11.8  # stream start + where the second decode began + its word time
    assert decoder.calls == [(6.0, ""), (4.5, "one two")]


def test_no_going_on_into_silence_or_a_short_tail():
    silence = Scripted(said("one two", 0.2, text_end=1.5), said("invented", 0.3))
    assert keys(decode_pass(silence, AUDIO, 0.0, prompt_after, speech=lambda a, b: 0.0)) == ["one", "two"]
    short = Scripted(said("one two", 0.2, text_end=5.5), said("invented", 0.3))
    assert keys(decode_pass(short, AUDIO, 0.0, prompt_after)) == ["one", "two"]
    assert len(silence.calls) == len(short.calls) == 1


def test_continuations_are_bounded_and_a_failed_decode_ends_the_pass():
    stuck = Scripted(said("again", 0.1, text_end=1.0))  # always stops early
    decode_pass(stuck, AUDIO, 0.0, prompt_after)
    assert len(stuck.calls) == 1 + MAX_CONTINUATIONS
    looping = Scripted(said("one two", 0.2, text_end=1.5), said("la la la", 0.3, compression=3.0))
    assert keys(decode_pass(looping, AUDIO, 0.0, prompt_after)) == ["one", "two"]


def test_the_naive_baseline_goes_on_too():
    from raytranscribe.asr.naive import NaiveTranscriber
    from raytranscribe.settings import StreamingSettings

    decoder = Scripted(said("one two", 0.2, text_end=1.5), said("three four", 0.3))
    policy = NaiveTranscriber(decoder, StreamingSettings(), None)
    words = policy.feed(np.full(5 * RATE, 0.1, dtype=np.float32)).committed
    assert keys(words) == ["one", "two", "three", "four"]
    assert decoder.calls[1] == (3.5, "one two")


def test_audio_too_short_to_hold_a_word_is_not_decoded():
    decoder = Scripted(said("you", 0.0))  # what Whisper invents for a few milliseconds of audio
    assert decode_pass(decoder, AUDIO[:800], 0.0, prompt_after) == [] and decoder.calls == []


def test_with_nothing_new_after_the_prefix_the_pass_goes_on_from_the_prefixs_end_without_it():
    prefix = [Word(" hello", 10.1, 10.6), Word(" there.", 10.6, 11.2)]
    decoder = Scripted(said("", 0.0, text_end=0.4), said("again", 0.3))
    words = decode_pass(decoder, AUDIO, 10.0, prompt_after, speech=lambda a, b: 1.0, prefix=prefix)
    assert keys(words) == ["again"] and round(words[0].start, 2) == 11.5
    assert decoder.calls[0] == (6.0, "")
    assert decoder.calls[1] == (pytest.approx(4.8, abs=1e-3), "hello there")  # the prefix's text is the prompt


def test_a_prefix_that_did_not_fit_is_decoded_again_and_only_what_follows_it_returns():
    prefix = [Word(" hello", 10.1, 10.5), Word(" there.", 10.5, 10.9)]
    decoded_again = DecodedPass(said("hello there again", 0.1).words, 0.0, -0.2, 1.0, prefix_dropped=True)
    assert keys(decode_pass(Scripted(decoded_again), AUDIO, 10.0, prompt_after, prefix=prefix)) == ["again"]
