"""Where a stream's released text ends: the tail of committed text that may still be part of an identifier
(number words, a code being spelled, a month, a word that may be a name, a spoken address) is held back
for the piece that completes it. Pure functions of the text; ``StreamRedactor`` keeps the state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.lexicon import load as load_lexicon
from raytranscribe.phi.numbers import ORDINAL_TEENS, ORDINAL_UNITS, REPEATS, SPANISH_DIGITS, TEENS, TENS, UNITS, ZERO_LETTERS
from raytranscribe.phi.patterns import NATO_WORDS
from raytranscribe.phi.scrubber import Scrubber
from raytranscribe.phi.types import Span

TOKEN = re.compile(r"[\w'@.+-]+")


# A name-like word this near the end (hesitations not counted) is held for the piece that shows if it is one.
_NAME_TAIL_WORDS = 3


# Words a trailing label may take after the number it names ("... is my cell number").
_LABEL_WORDS = 4


# Words between a label and its value ("member id number is ..."), and how far back a label is looked for.
_CUE_GAP_WORDS = 6


CUE_LOOKBACK_CHARS = 80


NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | set(SPANISH_DIGITS) | {"oh", "hundred", "double", "triple"}


_NUMBERISH = set(UNITS) | set(TEENS) | set(TENS) | set(ORDINAL_UNITS) | set(ORDINAL_TEENS) | set(REPEATS) | ZERO_LETTERS | {
    "hundred", "thousand", "million", "and", "dash", "dot", "slash", "at", "point", "plus", "-", "#"}


# A spoken e-mail or web address still being read: "www", "hopewell dot", "pat dot oconnor at verizon", with
# numbers read out in it ("j dot nguyen eighty four", "nguyen eighty four at").
_SPOKEN_DIGITS = rf"(?:{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))}|\d+)"


_SPOKEN_ADDRESS_TAIL = re.compile(rf"(?<![\w'])(?:[\w-]+\s+(?:[\w-]+\s+)?(?:{_SPOKEN_DIGITS}\s+)*"
                                  rf"(?:dot|underscore|dash|hyphen|at)\b\s*)+(?:[\w-]+\s*){{0,2}}(?:{_SPOKEN_DIGITS}\s*)*$"
                                  r"|(?<![\w'])(?:www|https?)\s*$", re.IGNORECASE)


# Words between a label and its value ("member id number is ..."): never the start of the value.
_LABEL_FILLERS = {"is", "was", "are", "were", "number", "no", "my", "the", "his", "her", "your", "its", "it", "of",
                  "a", "an", "on", "at", "to", "be", "for", "and", "um", "uh", "so", "me", "us"}


# Introductions: the word after one may be a name the next piece shows ("this is autumn | speaking", "calling
# for sky | tupou"). Place phrases likewise: "drives in from fond | du lac", "lives out in kern | county".
_INTRO_AT_END = re.compile(r"(?<![\w'])(?:this\s+is|it's|i'm|i\s+am|name\s+is|name's|call\s+me|from|near"
                           r"|(?:calling|message|this\s+is|it'?s)\s+for"
                           r"|(?:live[sd]?|living|moved|moving|grew\s+up|raised|born|staying|stays|works?|working|located"
                           r"|based)(?:\s+\w+)?\s+(?:in|to|near|by|outside))\s+$", re.IGNORECASE)


def held_from(scrubber: Scrubber, full: str, spans: list[Span], start: int, max_hold_chars: int) -> int:
    """Where released text ends: before a tail that may still be part of an identifier: number words,
    codes, a month or title, a word that may be a name (the last two), a short code after a label, a
    spoken e-mail address, an address after "i live at"."""
    holdable = _holdable_words()
    end = len(full.rstrip(" .,?!"))
    tokens = list(TOKEN.finditer(full, start))
    words = [m.group().lower().strip(".,") for m in tokens]

    def hidden(k: int) -> bool:
        return any(s.start <= tokens[k].start() < s.end for s in spans)

    def number(k: int) -> bool:  # "ninety-one" too
        return any(c.isdigit() for c in words[k]) or any(part in NUMBER_WORDS for part in words[k].split("-"))

    k = len(tokens)
    after_code = False  # the words after the current one are held as a number or a code
    while k > 0:  # trailing words an identifier may still be growing from
        if (spelled := _spelled_letter_start(words, k)) is not None:  # "s as | in sam", "s as in sugar"
            k, after_code = spelled, True
            continue
        touching = any(s.start <= tokens[k - 1].start() < s.end and s.end >= end for s in spans)
        w = words[k - 1]
        # A letter, a short capitalized code ("JG", "PM") or a spelling word ("kilo | alpha tango") may be
        # the prefix of an ID still being read.
        code = len(w) == 1 or len(w) <= 3 and tokens[k - 1].group().isupper() or w in NATO_WORDS
        # "... maribel" may be followed by "santos", "bill" by "is my brother", and a name may begin the
        # code read after it ("chase w ninety | one at gmail").
        name = (k >= len(tokens) - 1 or after_code) and scrubber.name_like(w)
        # A capitalized word inside a sentence may begin a name the next piece ends ("in Back | Bay").
        proper = k == len(tokens) and _capitalized_inside_sentence(full, tokens[k - 1])
        # After a label a short word may be a code, or ASR's word for one: "id is yrb | 7720", "is up | 4522917".
        label_code = w.isalpha() and len(w) <= 3 and w not in _LABEL_FILLERS \
            and cue_before(full[: tokens[k - 1].start()]) is not None
        # "tuesday the | 14th", "the second of | january"
        date_word = w in ("the", "of", "de", "del") and k > 1 and (words[k - 2] in holdable or words[k - 2] in _NUMBERISH or number(k - 2))
        if not (number(k - 1) or w in _NUMBERISH or code or w in holdable or touching or name or label_code or date_word
                or proper):
            break
        after_code = number(k - 1) or w in _NUMBERISH or code
        k -= 1
    # A visible number just before may still get its label after it: "5551212 is my cell".
    for j in range(k - 1, max(-1, k - 1 - _LABEL_WORDS), -1):
        if number(j) and not hidden(j):
            k = j
            while k > 0 and (number(k - 1) or words[k - 1] in _NUMBERISH) and not hidden(k - 1):
                k -= 1
            break
    cut = tokens[k].start() if k < len(tokens) else len(full)
    if (spoken := spoken_address_start(scrubber, full, start)) is not None:
        cut = min(cut, spoken)
    if (name := name_tail_start(scrubber, full, tokens, spans)) is not None:
        cut = min(cut, name)
    if (address := _held_address_start(full, start)) is not None:
        cut = min(cut, address)
    # Never cut inside a span, and never hold more than max_hold_chars.
    for s in spans:
        if s.start < cut < s.end:
            cut = s.start
    if len(full) - cut > max_hold_chars:
        cut = len(full)
    return max(cut, start)


def name_tail_start(scrubber: Scrubber, full: str, tokens: list[re.Match[str]],
                     spans: Sequence[Span] = ()) -> int | None:
    """Where a word that may be a name starts at the end of ``full``: the last word after an introduction
    or a relation, even an ordinary word ("this is autumn | speaking", "my grandson ace | is eleven", or a
    place: "from fond | du lac"), or a name-like word or initials among the last three (not counting
    hesitations) with only stop words after it ("tran van minh um that's my | father", "J.T. is | my
    stepson"). The next piece may show it is a name ("bill | is my brother", "teodoro is my | uncle") or not
    ("the bill | was paid"). A word redacted (in ``spans``) is no longer in doubt; poll() passes none:
    detecting again on every tick would cost more than the short wait it saves."""
    stop = load_lexicon().stop
    words = [m.group().lower().strip(".,") for m in tokens]
    if tokens and (_INTRO_AT_END.search(full, 0, tokens[-1].start()) or _after_relation(full, tokens[-1])):
        return tokens[-1].start()
    spoken = [t for t, w in enumerate(words) if w not in FILLERS]
    for t in spoken[-_NAME_TAIL_WORDS:]:
        # Redacted, the word is decided (at the very end _cut holds a span anyway: the next piece may still
        # undo it, "to Johns | Hopkins").
        redacted = any(s.start <= tokens[t].start() < s.end for s in spans)
        # ("that's" too, and ASR's "thats", "hes": "asking for king thats | my uncle")
        if redacted or not all(w in stop or w.split("'")[0] in stop or w[-1:] == "s" and w[:-1] in stop for w in words[t + 1 :]):
            continue
        if _after_relation(full, tokens[t]):  # "my husband will | at ..."
            return tokens[t].start()
        # ("will is the | dad": a sentence that starts with the one modal that is a first name)
        will = words[t] == "will" and not full[: tokens[t].start()].rstrip(" ,")[-1:].isalnum()
        if scrubber.name_like(words[t]) or _initials(tokens[t].group()) or will:  # "J.T. is | my stepson"
            while t > 0 and (scrubber.name_like(words[t - 1]) or _initials(tokens[t - 1].group())):
                t -= 1  # "tran van minh", not only "minh"
            return tokens[t].start()
    return None


def _after_relation(full: str, token: re.Match[str]) -> bool:
    """Whether a relation ends just before ``token``: "my grandson", "her older sister"."""
    return bool(_relation_regex().search(full, 0, token.start()))


def _initials(word: str) -> bool:
    """A name said as initials: "J.T.", or a letter of "j t" (not the words "a" and "I")."""
    letters = word.replace(".", "")
    return letters.isalpha() and (len(letters) == 1 and letters.lower() not in ("a", "i")
                                  or "." in word and len(letters) <= 3 and letters.isupper())


def _spelled_letter_start(words: list[str], k: int) -> int | None:
    """Where a letter spelled with an example word ends ``words[:k]``, or its start: "s as in sam", "s as in",
    "s as". The next piece may go on with the code or name being spelled."""
    for size, joiner in ((4, ["as", "in"]), (3, ["as", "in"]), (2, ["as"])):
        start = k - size
        letter = start >= 0 and len(words[start]) == 1 and words[start].isalpha()
        if letter and words[start + 1 : start + 1 + len(joiner)] == joiner:
            return start
    return None


def _capitalized_inside_sentence(full: str, token: re.Match[str]) -> bool:
    """A capitalized word that does not start a sentence, other than "I" ("I'm")."""
    word = token.group()
    before = full[: token.start()].rstrip()
    return word[:1].isupper() and word.split("'")[0] != "I" and bool(before) and before[-1] not in ".?!"


@cache
def _relation_regex() -> re.Pattern[str]:
    """"my grandson ", "her older sister " at the end of a text: a name may come next."""
    lex = load_lexicon()
    relation = lex.phrase_regex(lex.words("names", "relations"))
    modifier = lex.phrase_regex(lex.words("names", "relation_modifiers"))
    return re.compile(rf"(?<![\w'])(?:my|his|her|their|our|your)\s+(?:{modifier}\s+)?{relation}\s+$", re.IGNORECASE)


def spoken_address_start(scrubber: Scrubber, text: str, start: int) -> int | None:
    """Where a spoken e-mail or web address at the end of ``text`` starts, if one may still be being read:
    words joined by "dot", "underscore" or "at" ("at" only after a name-like word: not "live at")."""
    m = _SPOKEN_ADDRESS_TAIL.search(text, start)
    if m is None:
        return None
    first = m.group().split()[0]
    joined = re.search(r"\b(?:dot|underscore|dash|hyphen|www|https?)\b", m.group(), re.IGNORECASE)
    return m.start() if joined or scrubber.name_like(first) else None


# Words between a residence verb and its preposition: "lives over on | dogwood | street".
_PARTICLES = ("over", "out", "down", "up", "right", "back", "just")


@cache
def _held_after_regex() -> re.Pattern[str]:
    lex = load_lexicon()
    cues = [phrase for phrases in lex.raw["held_after"].values() for phrase in phrases]
    cues += [f"{verb} {particle} {prep}" for verb, _, prep in (c.partition(" ") for c in lex.raw["held_after"]["ADDRESS"])
             if prep in ("on", "at") for particle in _PARTICLES]
    return re.compile(rf"(?<![\w']){lex.phrase_regex(cues)}\s+((?:\S+\s+){{0,9}}\S*)$", re.IGNORECASE)


def _held_address_start(text: str, start: int) -> int | None:
    """Where the words after "i live at", "my email is" begin when there are at most ten of them: a
    street or e-mail address may still be being read."""
    offset = max(0, len(text) - CUE_LOOKBACK_CHARS)
    m = _held_after_regex().search(text, offset)
    return max(start, m.start(1)) if m and m.group(1) else None


def numeric(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in _NUMBERISH


@cache
def _cue_regex() -> re.Pattern[str]:
    """Identifier labels ("member id", "date of birth") followed by at most a few filler words."""
    lex = load_lexicon()
    cues = [phrase for phrases in _cue_kinds().values() for phrase in phrases]
    return re.compile(rf"(?<![\w'])({lex.phrase_regex(cues)})(?:\W+\w+){{0,{_CUE_GAP_WORDS}}}\W*$", re.IGNORECASE)


def cue_before(text: str) -> str | None:
    """The identifier kind whose label ends a few words before the end of ``text``, if any."""
    match = _cue_regex().search(text[-CUE_LOOKBACK_CHARS:])
    if match is None:
        return None
    phrase = " ".join(match.group(1).lower().split())
    return next((kind for kind, phrases in _cue_kinds().items() if phrase in phrases), "ID")


@cache
def _cue_kinds() -> dict[str, list[str]]:
    """Label phrases per kind: identifier labels, and the phrases a street or e-mail address follows."""
    lex = load_lexicon()
    return {**lex.raw["identifiers"], **lex.raw["held_after"]}


@cache
def _holdable_words() -> frozenset[str]:
    """Words that may begin an identifier the next piece completes (a month, "tuesday", "north", "mister",
    "rural route")."""
    lex = load_lexicon()
    return lex.words("dates", "months") | lex.words("dates", "weekdays") | lex.words("places", "prefixes") \
        | lex.words("names", "titles") | {"rural", "route", "rr", "northeast", "northwest", "southeast", "southwest"}
