"""Guards against Whisper's known failure modes on streaming input.

Whisper invents text on silence ("Thank you.", "Thanks for watching") and can loop on a phrase. These
checks drop such output before it can be committed, using the decoder's own statistics and the VAD.
"""

from __future__ import annotations

from collections.abc import Callable

from raytranscribe.asr.whisper import DecodedPass
from raytranscribe.asr.words import Word

# Whisper's own thresholds for a failed decode (openai/whisper transcribe defaults).
MAX_COMPRESSION_RATIO = 2.4
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
# Words are kept only when the VAD heard speech within this margin of them (alignment is approximate).
SPEECH_MARGIN_S = 0.25
# Consecutive repeats that mark a loop: a single word may honestly repeat ("no, no, no"), a phrase less so.
MAX_REPEATS = {1: 4, 2: 3, 3: 3, 4: 3}
# Phrases Whisper is known to invent on silence, noise or applause (from its subtitle training data).
SILENCE_PHRASES = ("thank you", "thanks for watching", "thank you for watching", "bye", "you",
                   "subtitles by the amara org community", "please subscribe")
UNSURE = 0.3  # word probability below which a trailing stock phrase is taken as invented
# How far two passes' times for the same word may differ at the seam with the committed text.
SEAM_JITTER_S = 0.1
# How far apart two passes may place the same committed word when matching it by text: a short word ("Okay.")
# is often squeezed into an instant, at a different place in each pass.
SAME_WORD_SHIFT_S = 0.5
# Words the alignment crammed into an instant had no audio of their own: no one says three words in 0.1 s.
CRAMMED_WORDS = 3
CRAMMED_SPAN_S = 0.1


def accept_pass(result: DecodedPass) -> bool:
    if result.compression_ratio > MAX_COMPRESSION_RATIO:
        return False
    return not (result.no_speech_prob > NO_SPEECH_PROB and result.avg_logprob < LOW_LOGPROB)


def heard(words: list[Word], speech_fraction: Callable[[float, float], float]) -> list[Word]:
    """Words that overlap speech the VAD detected."""
    return [w for w in words if speech_fraction(w.start - SPEECH_MARGIN_S, w.end + SPEECH_MARGIN_S) > 0]


def cut_loop(words: list[Word]) -> list[Word]:
    """Truncate at the first repetition loop, keeping its first occurrence."""
    keys = [w.key for w in words]
    for i in range(len(keys)):
        for n, limit in MAX_REPEATS.items():
            gram = keys[i : i + n]
            if len(gram) < n or not all(gram):
                continue
            repeats = 1
            while keys[i + repeats * n : i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats >= limit:
                return words[: i + n]
    return words


def cut_crammed(words: list[Word]) -> list[Word]:
    """Truncate at the first run of words crammed into an instant. Whisper sometimes writes a phrase of the
    buffer a second time; the alignment finds no audio for the copy and squeezes it into the pass's last
    moment, past the committed text, where nothing else would stop it from being committed again."""
    for i in range(len(words) - CRAMMED_WORDS + 1):
        if words[i + CRAMMED_WORDS - 1].end - words[i].start < CRAMMED_SPAN_S:
            return words[:i]
    return words


def drop_repeated_head(words: list[Word], committed: list[Word], committed_end: float) -> list[Word]:
    """Drop a hypothesis head that repeats the last committed words and starts within the alignment's jitter
    of their end: the same audio decoded again. A repeat that starts later is new speech, said twice ("No,
    no."; "I've never had, I've never had"): on a clinical interview a 1 s margin here deleted such words."""
    if not words or not committed or words[0].start > committed_end + SEAM_JITTER_S:
        return words
    for n in range(min(5, len(committed), len(words)), 0, -1):
        if [w.key for w in committed[-n:]] == [w.key for w in words[:n]]:
            return words[n:]
    return words


def after_last_committed(words: list[Word], committed: list[Word]) -> list[Word] | None:
    """The words after the one that decodes the last committed word again: the same word, placed within
    ``SAME_WORD_SHIFT_S`` of it. Of several (a phrase said twice; a stretched end overlapping the next word's
    audio), the one the pass precedes with most of the committed words before it, then the one that starts
    nearest. None when the pass changed or lost that word."""
    last = committed[-1]

    def agreeing_before(i: int) -> int:
        n = 0
        while n < min(i, len(committed) - 1) and words[i - 1 - n].key == committed[-2 - n].key:
            n += 1
        return n

    same = [(-agreeing_before(i), abs(w.start - last.start), i) for i, w in enumerate(words)
            if w.key == last.key and w.start < last.end + SAME_WORD_SHIFT_S and w.end > last.start - SAME_WORD_SHIFT_S]
    return words[min(same)[2] + 1 :] if same else None


def drop_stock_tail(words: list[Word]) -> list[Word]:
    """Drop a trailing stock phrase ("Thank you.") whose first word the decoder was unsure of."""
    keys = [w.key for w in words]
    for phrase in SILENCE_PHRASES:
        n = len(phrase.split())
        if len(words) >= n and " ".join(keys[-n:]) == phrase and words[-n].probability < UNSURE:
            return words[:-n]
    return words
