"""One Whisper decoding pass per request: encode, generate, align words; several streams' requests batched.

faster-whisper's ``transcribe()`` is built for long files. On a streaming buffer of a few seconds it does
needless work: it pads every input to a 30 s encoder window, and with word timestamps it seeks back to the
last word and decodes the remaining silence again as a second window (a second encoder pass whose output is
typically an invented "Thank you."). A pass here uses the same model parts (CTranslate2 ``encode``,
``generate``, ``align``; faster-whisper's feature extractor, tokenizer and word alignment) once: the encoder
window is the buffer plus a little padding, and requests from several streams share one batched call.

What it keeps from ``transcribe()`` is how the text is searched for: a beam search (``streaming.beam_size``)
that also predicts Whisper's timestamp tokens, as in training and in the offline pass, although only the
words are used (times come from the alignment). On the first 120 s of four clinical interviews (tiny.en,
0.6 s chunks) greedy search without timestamp tokens had 22.2% WER, beam 5 with them 18.9% (offline 16.6%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import accumulate

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_compression_ratio, merge_punctuations

from raytranscribe.asr.words import Word
from raytranscribe.settings import StreamingSettings

RATE = 16000
FRAMES_PER_S = 100  # Whisper's mel frames per second of audio
TIMESTAMP_STEP_S = 0.02  # seconds per timestamp token
ALIGN_SLACK_S = 0.5  # audio past the last timestamp the word alignment may still use (timestamps are coarse)
MAX_WINDOW_S = 30.0  # Whisper's positional embedding covers 30 s
MAX_PROMPT_TOKENS = 223  # Whisper's limit for previous-text tokens (max_length // 2 - 1)
# Speech rarely exceeds ~5 tokens/s, plus a pair of timestamp tokens every few seconds; a decode running far
# past that is a repetition loop, so the token budget bounds the cost of a bad pass instead of letting it run
# to 448 tokens.
TOKENS_PER_S = 9
MIN_TOKENS = 16
# faster-whisper's defaults for attaching punctuation to the neighbouring word.
PREPEND_PUNCTUATIONS = "\"'“¿([{-"
APPEND_PUNCTUATIONS = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True)
class DecodeRequest:
    audio: np.ndarray  # 16 kHz mono float32
    prompt: str = ""  # previous text, to keep spelling and style consistent across passes
    window_s: float = 0.0  # shortest encoder window for this request (0: the configured one)
    beam_size: int = 0  # beams to search (0: the configured number; 1 is greedy, the cheapest)
    # The committed text of the audio's first seconds, forced as what the decoder has already said in this
    # window: it goes on from there, as inside one offline window, instead of deciding those words again.
    prefix: str = ""


@dataclass(frozen=True)
class DecodedPass:
    words: list[Word]  # times relative to the request's audio
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float
    # Where the text ends in the audio: its last timestamp token (inf: the audio's end). Whisper may close a
    # segment and stop before the audio does (offline it then seeks there and decodes on): the words after
    # it are still to be decoded.
    text_end: float = math.inf
    prefix_dropped: bool = False  # the request's prefix did not fit (see _decode_group): its words came back


class WhisperDecoder:
    def __init__(self, model: WhisperModel, settings: StreamingSettings) -> None:
        self.model = model
        self.settings = settings
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                   language=settings.language or "en")

    def decode(self, audio: np.ndarray, prompt: str = "", window_s: float = 0.0, beam_size: int = 0,
               prefix: str = "") -> DecodedPass:
        return self.decode_batch([DecodeRequest(audio, prompt, window_s, beam_size, prefix)])[0]

    def warm_up(self, max_batch: int) -> None:
        """Decode faint noise at the shortest and longest windows, one request and a full batch, prompted
        and not, with full and cheap (greedy) passes: on a GPU the first call of each shape loads kernels
        and picks algorithms (seconds, on the CPU), which must not land on the first streams' passes."""
        noise = np.random.default_rng(0).normal(0, 1e-3, int(self.settings.window_s * RATE)).astype(np.float32)
        for window in (self.settings.window_s, self.settings.close_window_s):
            for batch in {1, max_batch}:
                for prompt in ("", "Warm up."):
                    for beams in {1, self.settings.beam_size}:
                        self.decode_batch([DecodeRequest(noise, prompt, window, beams)] * batch)

    def decode_batch(self, requests: list[DecodeRequest]) -> list[DecodedPass]:
        """One encode/generate/align call per kind of request: with a previous-text prompt or not (CTranslate2
        needs the start-of-transcript token at one position across a batch, so the prompts of a batch are cut
        to its shortest, their newest tokens kept; a longer prompt barely helps), and per beam size. Forced
        prefixes may differ in length within a batch."""
        previous = [self._previous_tokens(r.prompt) for r in requests]
        prefixes = [self._text_tokens(r.prefix) for r in requests]
        keep = min((len(p) for p in previous if p), default=0)
        groups: dict[tuple[bool, int], list[int]] = {}
        for i, (p, r) in enumerate(zip(previous, requests)):
            groups.setdefault((bool(p), r.beam_size or self.settings.beam_size), []).append(i)
        results: list[DecodedPass | None] = [None] * len(requests)
        for members in groups.values():
            prompts = [self._prompt_tokens(previous[i][len(previous[i]) - keep :]) for i in members]
            group = [requests[i] for i in members]
            for i, result in zip(members, self._decode_group(group, prompts, [prefixes[i] for i in members])):
                results[i] = result
        return results  # type: ignore[return-value]

    def _decode_group(self, requests: list[DecodeRequest], prompts: list[list[int]],
                      prefixes: list[list[int]]) -> list[DecodedPass]:
        features = [self.model.feature_extractor(r.audio) for r in requests]
        content = [min(f.shape[-1] - 1, int(MAX_WINDOW_S * FRAMES_PER_S)) for f in features]
        longest = max(r.audio.size for r in requests) / RATE
        # The encoder's cost follows its window; a little silence past the speech keeps Whisper from
        # running on into invented words (it was trained on padded windows).
        shortest = max([self.settings.window_s] + [r.window_s for r in requests])
        window_s = min(MAX_WINDOW_S, max(shortest, longest + self.settings.window_pad_s))
        window = int(window_s * FRAMES_PER_S) // 2 * 2
        batch = np.zeros((len(requests), features[0].shape[0], window), dtype=np.float32)
        for i, f in enumerate(features):
            batch[i, :, : min(window, f.shape[-1])] = f[:, :window]
        encoded = self.model.model.encode(ctranslate2.StorageView.from_array(batch), to_cpu=False)

        budget = int(longest * TOKENS_PER_S) + MIN_TOKENS
        # A prefix that would leave too few of Whisper's 448 positions for new text is not forced: those
        # words are then decoded again, and decode_pass keeps only what follows them.
        room = self.model.max_length - budget
        fits = [len(q) + 1 + len(p) <= room for q, p in zip(prompts, prefixes)]
        dropped = [bool(p) and not f for p, f in zip(prefixes, fits)]
        prefixes = [p if f else [] for p, f in zip(prefixes, fits)]
        starts = [[*q, self.tokenizer.timestamp_begin, *p] if p else q for q, p in zip(prompts, prefixes)]
        results = self.model.model.generate(
            encoded, starts,
            beam_size=requests[0].beam_size or self.settings.beam_size,
            max_length=min(self.model.max_length, max(map(len, starts)) + budget),
            return_scores=True, return_no_speech_prob=True,
            suppress_blank=True, suppress_tokens=[-1],
        )
        # The result repeats the forced prefix (and the timestamp before it): what follows is new.
        new = [r.sequences_ids[0][len(p) + 1 if p else 0 :] for r, p in zip(results, prefixes)]
        tokens = [[t for t in ids if t < self.tokenizer.eot] for ids in new]
        ends = [self._text_end(ids, n / FRAMES_PER_S) for ids, n in zip(new, content)]
        # Aligned over all of its audio, a text that stops early gets its last word stretched to the end.
        frames = [min(n, int((end + ALIGN_SLACK_S) * FRAMES_PER_S)) for n, end in zip(content, ends)]
        # The prefix is aligned too: the new words' times then come from one alignment of the whole text.
        alignments = self.model.find_alignment(self.tokenizer, [p + t for p, t in zip(prefixes, tokens)], encoded,
                                               frames)
        return [self._pass(r, t, a, e, len(p), d)
                for r, t, a, e, p, d in zip(results, tokens, alignments, ends, prefixes, dropped)]

    def _text_end(self, ids: list[int], audio_s: float) -> float:
        if ids and ids[-1] >= self.tokenizer.timestamp_begin:
            return min(audio_s, (ids[-1] - self.tokenizer.timestamp_begin) * TIMESTAMP_STEP_S)
        return audio_s

    def _text_tokens(self, text: str) -> list[int]:
        return self.tokenizer.encode(" " + text.strip()) if text.strip() else []

    def _previous_tokens(self, prompt: str) -> list[int]:
        tokens = self._text_tokens(prompt)
        return tokens[max(0, len(tokens) - MAX_PROMPT_TOKENS) :]

    def _prompt_tokens(self, previous: list[int]) -> list[int]:
        head = [self.tokenizer.sot_prev, *previous] if previous else []
        return [*head, *self.tokenizer.sot_sequence]

    def _pass(self, result, tokens: list[int], alignment: list[dict], text_end: float, forced: int,
              prefix_dropped: bool) -> DecodedPass:
        """``alignment`` covers the ``forced`` prefix tokens and then ``tokens``; only the latter's words count."""
        first_new = next((i for i, n in enumerate(accumulate(len(a["tokens"]) for a in alignment)) if n > forced),
                         len(alignment))
        merge_punctuations(alignment, PREPEND_PUNCTUATIONS, APPEND_PUNCTUATIONS)  # keeps the list's length
        words = [Word(a["word"], float(a["start"]), float(a["end"]), float(a["probability"]))
                 for a in alignment[first_new:] if a["word"]]
        # Short windows make Whisper more verbatim than offline: on clinical interviews the stream wrote three
        # times the "um"s and "uh"s the human transcript has, and each one in the prompt invites more.
        if not self.settings.keep_fillers:
            words = [w for w in words if not w.is_filler]
        # generate() returns the log probability normalised by the length (timestamp tokens included);
        # Whisper's avg_logprob divides by n + 1.
        n = len(result.sequences_ids[0])
        avg_logprob = result.scores[0] * n / (n + 1) if result.scores else 0.0
        return DecodedPass(words, float(result.no_speech_prob), float(avg_logprob),
                           get_compression_ratio(self.tokenizer.decode(tokens).strip()), text_end, prefix_dropped)
