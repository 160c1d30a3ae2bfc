"""The streaming policy with the real tiny.en model on real speech (no Ray)."""

import numpy as np
import pytest
from engine_helpers import SPEECH, wer

from raytranscribe.asr import guards
from raytranscribe.asr.streaming import StreamingTranscriber
from raytranscribe.asr.vad import SpeechDetector
from raytranscribe.asr.whisper import DecodedPass, WhisperDecoder
from raytranscribe.asr.words import Word, join
from raytranscribe.audio.decode import load_audio

pytestmark = pytest.mark.slow  # real model, Ray cluster or subprocess

CHUNK = 8000  # 0.5 s blocks, like a microphone read


def stream(model, settings, audio, chunk=CHUNK):
    policy = StreamingTranscriber(WhisperDecoder(model, settings.streaming), settings.streaming,
                                  SpeechDetector(settings.streaming.vad_threshold))
    updates = [policy.feed(audio[i : i + chunk]) for i in range(0, audio.size, chunk)]
    updates.append(policy.finish())
    return updates


@pytest.fixture(scope="module")
def jfk_updates(whisper_model, settings):
    return stream(whisper_model, settings, load_audio(SPEECH / "jfk.wav"))


def committed(updates):
    return [w for u in updates for w in u.committed]


def test_jfk_committed_text_is_close_to_the_reference(jfk_updates, references):
    assert wer(references["jfk.wav"], join(committed(jfk_updates))) <= 0.15


def test_commits_are_append_only_and_in_time_order(jfk_updates):
    words = committed(jfk_updates)
    assert words and all(a.start <= b.start + 0.05 for a, b in zip(words, words[1:]))
    assert all(0 <= w.start <= w.end <= 11.05 for w in words)
    # Text shown as interim and later committed appears once: no duplicated phrases at buffer seams.
    keys = [w.key for w in words]
    assert not any(keys[i : i + 3] == keys[i + 3 : i + 6] for i in range(len(keys) - 5))
    # Interim words are never earlier than what is already committed.
    seen_end = 0.0
    for u in jfk_updates:
        if u.committed:
            seen_end = u.committed[-1].end
        assert all(w.start >= seen_end - 0.1 for w in u.interim)


@pytest.mark.parametrize("name", ["ls_test-clean_1089-134686-0002.wav", "ls_dev-clean_1272-128104-0004_8k.wav"])
def test_librispeech_committed_text(whisper_model, settings, references, name):
    # 1 s blocks (a reader that fell behind) keep this test short; jfk covers 0.5 s blocks.
    text = join(committed(stream(whisper_model, settings, load_audio(SPEECH / name), chunk=16000)))
    assert wer(references[name], text) <= 0.3


def test_silence_and_noise_commit_nothing(whisper_model, settings):
    rng = np.random.default_rng(0)
    quiet = np.concatenate([np.zeros(16000 * 3), rng.normal(0, 0.003, 16000 * 3)]).astype(np.float32)
    updates = stream(whisper_model, settings, quiet)
    assert committed(updates) == [] and all(u.interim == [] for u in updates)


def test_interim_shows_words_before_they_commit(jfk_updates):
    assert any(u.interim for u in jfk_updates)


def _w(text, start):
    return Word(f" {text}", start, start + 0.3)


def test_guards_cut_loops_and_seam_repeats():
    words = [_w(t, i) for i, t in enumerate("thank you thank you thank you thank you so".split())]
    assert [w.key for w in guards.cut_loop(words)] == ["thank", "you"]
    honest = [_w(t, i) for i, t in enumerate("no no no nothing like that".split())]
    assert guards.cut_loop(honest) == honest
    committed_words = [_w("for", 0), _w("your", 1), _w("country", 2)]
    head = [_w("country", 2.1), _w("thank", 3)]
    assert [w.key for w in guards.drop_repeated_head(head, committed_words, 2.3)] == ["thank"]
    answer = [_w("problems?", 0), _w("no.", 1)]
    again = [Word(" No.", 2.0, 2.2), _w("do", 2.5)]  # said twice: new audio, not the committed word again
    assert guards.drop_repeated_head(again, answer, 1.3) == again


def test_the_new_words_follow_the_last_committed_word_decoded_again():
    have_you_twice = [Word(" have", 0.2, 0.5), Word(" you", 0.5, 0.8), Word(" have", 0.85, 1.1), Word(" you", 1.1, 1.4)]
    assert guards.after_last_committed(have_you_twice, [Word(" you", 0.5, 0.8)]) == have_you_twice[2:]
    no_no = [Word(" No,", 0.3, 0.5), Word(" no,", 0.5, 0.9), Word(" although", 1.2, 1.5)]
    stretched = Word(" No,", 0.3, 0.9)  # committed with its end stretched over the second "no"
    assert guards.after_last_committed(no_no, [stretched]) == no_no[1:]
    changed = [Word(" I", 0.3, 0.4), Word(" need.", 0.4, 0.6)]  # the pass heard "pardon" as "I need"
    assert guards.after_last_committed(changed, [Word(" Pardon", 0.3, 0.5)]) is None


def test_a_squeezed_last_word_is_found_again_where_the_next_pass_puts_it():
    # Seen on a clinical interview: "Okay." committed squeezed into 160.10 s, the next pass put it at 160.22 s;
    # matched by time alone it was taken for a new word and shown twice.
    committed_words = [Word(" No.", 156.7, 157.44), Word(" No.", 159.02, 159.32), Word(" Okay.", 160.1, 160.1)]
    again = [Word(" No.", 156.7, 157.42), Word(" No.", 159.04, 159.34), Word(" Okay.", 160.22, 160.22),
             Word(" Any", 160.8, 161.0)]
    assert guards.after_last_committed(again, committed_words) == again[3:]
    # "Okay, okay", the first committed squeezed to its pass's end, nearer the second copy than the first: the
    # committed one is the copy the pass precedes with the committed words before it.
    squeezed_late = [*committed_words[:2], Word(" Okay.", 160.6, 160.6)]
    twice = [Word(" No.", 159.04, 159.34), Word(" Okay.", 160.2, 160.5), Word(" Okay.", 160.55, 160.8)]
    assert guards.after_last_committed(twice, squeezed_late) == twice[2:]


class _SaysItTwice:
    """Hears "have you, have you smoked?" up to the end of each pass's audio."""

    SAID = [("have", 0.2, 0.5), ("you", 0.5, 0.8), ("have", 0.85, 1.1), ("you", 1.1, 1.4), ("smoked?", 1.5, 2.0)]

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        seconds = audio.size / 16000
        return DecodedPass([Word(f" {t}", a, b) for t, a, b in self.SAID if b <= seconds], 0.0, -0.2, 1.0)


def test_a_phrase_said_again_right_after_its_commit_is_committed_again(settings):
    policy = StreamingTranscriber(_SaysItTwice(), settings.streaming, None)
    updates = [policy.feed(np.full(8000, 0.1, dtype=np.float32)) for _ in range(6)] + [policy.finish()]
    assert [w.key for w in committed(updates)] == ["have", "you", "have", "you", "smoked"]


def test_guard_cuts_a_phrase_the_alignment_crammed_into_an_instant():
    # Seen on a clinical interview: a pass wrote "and do you drink alcohol" a second time, all at 349.1 s.
    said = [_w("do", 348.0), _w("you", 348.2), Word(" drink", 348.3, 348.7), Word(" alcohol?", 348.7, 349.1)]
    copy = [Word(f" {t}", 349.1, 349.1) for t in "and do you drink alcohol".split()]
    assert guards.cut_crammed(said + copy) == said
    quick = [Word(" I", 1.0, 1.0), Word(" don't", 1.0, 1.2), Word(" know", 1.2, 1.5)]  # a word may be 0 s long
    assert guards.cut_crammed(quick) == quick


def test_guard_drops_an_unsure_stock_tail():
    words = [_w("country.", 0), Word(" Thank", 1, 1.2, 0.08), Word(" you.", 1.2, 1.4, 0.99)]
    assert [w.key for w in guards.drop_stock_tail(words)] == ["country"]
    sure = [_w("country.", 0), Word(" Thank", 1, 1.2, 0.9), Word(" you.", 1.2, 1.4, 0.99)]
    assert guards.drop_stock_tail(sure) == sure


def test_guards_drop_failed_segments_and_unheard_words():
    seg = DecodedPass([_w("hi", 0)], no_speech_prob=0.9, avg_logprob=-1.5, compression_ratio=1.0)
    assert not guards.accept_pass(seg)
    assert not guards.accept_pass(DecodedPass([], 0.0, -0.1, 3.0))
    assert guards.accept_pass(DecodedPass([], 0.1, -0.3, 1.2))
    speech = lambda a, b: 1.0 if a < 2 else 0.0  # noqa: E731 - speech only in the first 2 s
    assert [w.key for w in guards.heard([_w("yes", 1), _w("thanks", 5)], speech)] == ["yes"]


class _StopsEarly:
    """Closes its first segment at 1.5 s of 4 s of speech and stops, as Whisper may; decodes the rest after."""

    def __init__(self):
        self.calls = []

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        self.calls.append((audio.size / 16000, prompt))
        if len(self.calls) == 1:
            return DecodedPass([_w("one", 0.2), _w("two", 0.8)], 0.0, -0.2, 1.0, text_end=1.5)
        return DecodedPass([_w("three", 0.3), _w("four", 1.2)], 0.0, -0.2, 1.0)


def test_a_pass_whose_text_stops_early_goes_on_from_there(settings):
    decoder = _StopsEarly()
    policy = StreamingTranscriber(decoder, settings.streaming, None)
    update = policy.feed(np.full(4 * 16000, 0.1, dtype=np.float32))
    words = update.committed + update.interim
    assert [w.key for w in words] == ["one", "two", "three", "four"]
    assert [round(w.start, 2) for w in words] == [0.2, 0.8, 1.8, 2.7]  # the rest's times follow its offset
    assert decoder.calls[1] == (2.5, "one two")  # the audio after the text, prompted with it


class _WritesTwice:
    """Every pass writes its phrase twice, the copy crammed into the last instant, as Whisper did."""

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        said = [_w("do", 0.2), _w("you", 0.6), _w("smoke?", 1.0)]
        return DecodedPass(said + [Word(f" {t}", 1.3, 1.3) for t in ("do", "you", "smoke?")], 0.0, -0.2, 1.0)


def test_a_crammed_copy_is_never_committed(settings):
    policy = StreamingTranscriber(_WritesTwice(), settings.streaming, None)
    updates = [policy.feed(np.full(8000, 0.1, dtype=np.float32)) for _ in range(6)] + [policy.finish()]
    assert [w.key for w in committed(updates)] == ["do", "you", "smoke"]


class _ScriptedSpeech:
    """A speech detector that hears speech over fixed stretches of the stream clock (the policy's VAD interface)."""

    def __init__(self, stretches):
        self.stretches = stretches
        self.processed = self.last_speech_end = 0.0

    def restart_at(self, start_s):
        self.processed = self.last_speech_end = start_s

    def update(self, audio):
        self.processed += audio.size / 16000
        ends = [min(b, self.processed) for a, b in self.stretches if a < self.processed]
        self.last_speech_end = max(ends, default=self.last_speech_end)

    def speech_fraction(self, start, end):
        heard = sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.stretches)
        return heard / (end - start) if end > start else 0.0

    def forget_before(self, seconds):
        pass


class _RecordsWindows:
    def __init__(self):
        self.windows = []

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        self.windows.append(window_s)
        return DecodedPass([_w("word", 0.2)], 0.0, -0.2, 1.0)


@pytest.mark.parametrize("pause_s, closes", [(None, False), (0.5, True)])
def test_a_short_pause_inside_speech_does_not_close_the_utterance(settings, pause_s, closes):
    """By default (1 s) a 0.7 s pause mid-sentence is not an utterance's end: Whisper decodes whole thoughts
    better than their pieces. The closing pass is the one with the longer encoder window."""
    s = settings.streaming if pause_s is None else settings.streaming.model_copy(update={"pause_s": pause_s})
    decoder = _RecordsWindows()
    policy = StreamingTranscriber(decoder, s, _ScriptedSpeech([(0.0, 2.0), (2.7, 4.0)]))
    for _ in range(8):  # up to 4 s: speech, a 0.7 s pause, speech again
        policy.feed(np.full(8000, 0.1, dtype=np.float32))
    assert (s.close_window_s in decoder.windows) == closes


class _HearsMarkedSpeech:
    """Hears one word per stretch of marked audio (the mark is the sample value), as Whisper would, and takes
    a forced prefix as already said: only the words after it return."""

    WORDS = {1: "hello", 2: "again"}

    def __init__(self):
        self.calls = []  # (audio seconds, prompt, prefix)

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        self.calls.append((audio.size / 16000, prompt, prefix))
        marks = np.round(audio * 10).astype(int)
        words = []
        for mark, text in self.WORDS.items():
            at = np.flatnonzero(marks == mark)
            if at.size:
                words.append(Word(f" {text}", at[0] / 16000 + 0.1, at[-1] / 16000 - 0.1))
        said = len(prefix.split())
        assert [w.key for w in words[:said]] == prefix.lower().split()  # a prefix is what the audio starts with
        return DecodedPass(words[said:], 0.0, -0.2, 1.0)


@pytest.mark.parametrize("context_s", [None, 0.0])
def test_the_next_utterance_is_decoded_after_the_last_ones_audio_and_text(settings, context_s):
    """After a pause the buffer keeps the audio of the utterance before (``context_s``), and its committed text
    is the decoder's prefix: the pass goes on after it, and nothing is committed twice. Without context the
    next utterance is decoded alone."""
    s = settings.streaming if context_s is None else settings.streaming.model_copy(update={"context_s": context_s})
    decoder = _HearsMarkedSpeech()
    policy = StreamingTranscriber(decoder, s, _ScriptedSpeech([(0.0, 2.0), (3.5, 5.5)]))
    audio = np.zeros(7 * 16000, dtype=np.float32)
    audio[: 2 * 16000], audio[int(3.5 * 16000) : int(5.5 * 16000)] = 0.1, 0.2
    updates = [policy.feed(audio[i : i + 8000]) for i in range(0, audio.size, 8000)] + [policy.finish()]
    assert [w.key for w in committed(updates)] == ["hello", "again"]
    second = decoder.calls[-1]  # the pass that closed the second utterance; none after it (no new speech)
    if context_s is None:
        assert second[2] == "hello" and second[0] > 5.0  # both utterances' audio, the first one's text forced
    else:
        assert second[2] == "" and second[0] < 3.0 and second[1] == "hello"  # alone, the text before as prompt


class _StretchesTheLastWord:
    """Whisper's alignment stretches a pass's last word over the silence after it ("hello" to the end of its
    audio), and the next pass may start the next word inside that stretch. A forced prefix is taken as said."""

    def decode(self, audio, prompt="", window_s=0.0, beam_size=0, prefix=""):
        seconds = audio.size / 16000
        if prefix:
            return DecodedPass([Word(" again", 2.0, seconds - 0.1)] if seconds > 4.0 else [], 0.0, -0.2, 1.0)
        return DecodedPass([Word(" hello", 0.1, seconds)] if seconds > 2.2 else [], 0.0, -0.2, 1.0)


def test_a_word_after_the_forced_prefix_is_new_wherever_the_alignment_starts_it(settings):
    """The committed text before the pass was forced as said, so all the pass returns is new: dropping words by
    the committed text's end time would lose a first word that starts inside the stretched one before it."""
    policy = StreamingTranscriber(_StretchesTheLastWord(), settings.streaming,
                                  _ScriptedSpeech([(0.0, 2.0), (3.5, 5.5)]))
    updates = [policy.feed(np.full(8000, 0.1, dtype=np.float32)) for _ in range(14)] + [policy.finish()]
    assert [w.key for w in committed(updates)] == ["hello", "again"]
