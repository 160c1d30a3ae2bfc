"""The single-pass decoder with the real tiny.en model: batching changes nothing but the cost."""

import numpy as np
import pytest
from engine_helpers import SPEECH, wer

from raytranscribe.asr.whisper import DecodeRequest, WhisperDecoder
from raytranscribe.asr.words import join
from raytranscribe.audio.decode import load_audio

pytestmark = pytest.mark.slow  # real model

RATE = 16000


@pytest.fixture(scope="module")
def decoder(whisper_model, settings):
    return WhisperDecoder(whisper_model, settings.streaming)


def test_a_pass_transcribes_a_clip_with_word_times(decoder, references):
    audio = load_audio(SPEECH / "jfk.wav")
    result = decoder.decode(audio)
    assert wer(references["jfk.wav"], join(result.words)) <= 0.15
    assert all(0 <= w.start <= w.end <= audio.size / RATE + 0.05 for w in result.words)
    assert all(a.start <= b.start for a, b in zip(result.words, result.words[1:]))
    assert result.no_speech_prob < 0.5 and result.compression_ratio < 2.4


def test_a_batch_gives_each_request_its_own_result(decoder):
    jfk = load_audio(SPEECH / "jfk.wav")
    other = load_audio(SPEECH / "ls_test-clean_1089-134686-0002.wav")
    requests = [DecodeRequest(jfk[: 5 * RATE], ""), DecodeRequest(other, "He said that"),
                DecodeRequest(jfk[5 * RATE :], "And so, my fellow Americans,", beam_size=1)]  # a cheap pass
    batched = decoder.decode_batch(requests)
    alone = [decoder.decode(r.audio, r.prompt, beam_size=r.beam_size) for r in requests]
    # Padding to a common encoder window may move a word's time slightly but not change what was heard.
    for b, a in zip(batched, alone):
        assert wer(join(a.words), join(b.words)) <= 0.1
    assert wer(join(alone[0].words), join(alone[2].words)) > 0.5  # the requests were not mixed up


def test_silence_gives_no_words_or_a_rejected_pass(decoder):
    from raytranscribe.asr import guards

    result = decoder.decode(np.zeros(3 * RATE, dtype=np.float32))
    spoken = [w for w in result.words if w.key]  # a lone punctuation mark is no word
    assert not spoken or not guards.accept_pass(result)


def test_prompts_of_different_lengths_share_one_model_call(decoder, monkeypatch):
    jfk = load_audio(SPEECH / "jfk.wav")
    calls, decode_group = [], decoder._decode_group
    monkeypatch.setattr(decoder, "_decode_group",
                        lambda reqs, *rest: calls.append(len(reqs)) or decode_group(reqs, *rest))
    decoder.decode_batch([DecodeRequest(jfk[: 5 * RATE], "He said that"), DecodeRequest(jfk[5 * RATE :], ""),
                          DecodeRequest(jfk[5 * RATE :], "And so, my fellow Americans, ask not what")])
    assert sorted(calls) == [1, 2]  # the prompted pair in one call, the unprompted request in another


def test_hesitation_sounds_are_left_out_unless_kept(whisper_model, settings, references):
    """A clinician's "um"s are no part of the note (clean verbatim); the rest of the text is unchanged."""
    clip = "osce_RES0201_180-190.flac"
    audio = load_audio(SPEECH / clip)
    prompt = "Um, well, uh, I have been, um, coughing."  # a verbatim prompt makes Whisper verbatim
    verbatim = WhisperDecoder(whisper_model, settings.streaming.model_copy(update={"keep_fillers": True}))
    kept = verbatim.decode(audio, prompt).words
    clean = WhisperDecoder(whisper_model, settings.streaming).decode(audio, prompt).words
    assert any(w.key in ("um", "uh") for w in kept)
    assert not any(w.is_filler for w in clean)
    assert [w.key for w in clean] == [w.key for w in kept if not w.is_filler]
    assert wer(references[clip], join(clean)) <= 0.2


def test_a_forced_prefix_is_taken_as_said_and_only_new_words_return(decoder, references):
    jfk = load_audio(SPEECH / "jfk.wav")
    free = decoder.decode(jfk).words
    said = [w for w in free if w.end < 4.0]  # "And so, my fellow Americans,"
    prefixed, alone = decoder.decode_batch([DecodeRequest(jfk, prefix=join(said)), DecodeRequest(jfk)])
    # The words after the prefix, timed by one alignment of the whole text: the rest of the sentence.
    assert wer(references["jfk.wav"], join(said + prefixed.words)) <= 0.15
    assert prefixed.words and prefixed.words[0].start >= said[-1].end - 0.1
    assert wer(join(free[len(said) :]), join(prefixed.words)) <= 0.2
    assert alone.words == free  # a request without a prefix in the same batch is unaffected
