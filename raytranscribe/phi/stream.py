"""``StreamRedactor``: redacts committed ASR text piece by piece without releasing half an identifier.

Each push redacts the held tail plus the new piece *together with recently released text* (so a cue
such as "my name is" in an earlier piece still counts), then releases everything except a tail that
may still be growing: trailing number words or digits, spelled letters, a month, a place prefix, or a
detected entity that touches the end. The tail goes out once later text shows it is complete, or after
``hold_timeout_s``. The object holds only strings and numbers (picklable, a few hundred bytes) and no
scrubber, so any scrubber replica can serve any stream.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.lexicon import load as load_lexicon
from raytranscribe.phi.numbers import ORDINAL_TEENS, ORDINAL_UNITS, REPEATS, TEENS, TENS, UNITS, ZERO_LETTERS
from raytranscribe.phi.numbers import normalize
from raytranscribe.phi.patterns import NATO_WORDS
from raytranscribe.phi.scrubber import Scrubber, apply, digit_groups_end, merge_spans
from raytranscribe.phi.types import Span, placeholder
from raytranscribe.settings import PhiSettings

_TOKEN = re.compile(r"[\w'@.+-]+")
# A name-like word this near the end (hesitations not counted) is held for the piece that shows if it is one.
_NAME_TAIL_WORDS = 3
# Words a trailing label may take after the number it names ("... is my cell number").
_LABEL_WORDS = 4
# Words between a label and its value ("member id number is ..."), and how far back a label is looked for.
_CUE_GAP_WORDS = 6
_CUE_LOOKBACK_CHARS = 80
# Placeholders of identifiers that are numbers, and the span type that shows each.
_NUMBER_PLACEHOLDERS = {placeholder(kind): kind for kind in ("ID", "PHONE", "DATE", "AGE")}
_ADDRESS_PLACEHOLDERS = {placeholder(kind): kind for kind in ("EMAIL", "URL")}
# The rest of a spoken e-mail or web address: an optional joining word, then words joined by them.
_ADDRESS_GOES_ON = re.compile(r"\s*((?:dot|at|underscore|dash|slash)\s+)?([\w-]+(?:\s+(?:dot|at|underscore|dash|slash)\s+[\w-]+)*)",
                              re.IGNORECASE)
_PLACEHOLDER_AT_END = re.compile(r"(\[[A-Z]+\])\s*$")
_NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | {"oh", "hundred", "double", "triple"}
_NUMBERISH = set(UNITS) | set(TEENS) | set(TENS) | set(ORDINAL_UNITS) | set(ORDINAL_TEENS) | set(REPEATS) | ZERO_LETTERS | {
    "hundred", "thousand", "million", "and", "dash", "dot", "slash", "at", "point", "plus", "-", "#"}
# A spoken e-mail or web address still being read: "www", "hopewell dot", "pat dot oconnor at verizon", with
# numbers read out in it ("j dot nguyen eighty four", "nguyen eighty four at").
_SPOKEN_DIGITS = rf"(?:{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))}|\d+)"
_SPOKEN_ADDRESS_TAIL = re.compile(rf"(?<![\w'])(?:[\w-]+\s+(?:[\w-]+\s+)?(?:{_SPOKEN_DIGITS}\s+)*"
                                  rf"(?:dot|underscore|dash|hyphen|at)\b\s*)+(?:[\w-]+\s*){{0,2}}(?:{_SPOKEN_DIGITS}\s*)*$"
                                  r"|(?<![\w'])(?:www|https?)\s*$", re.IGNORECASE)
# Words after which a held month is a date even if it is also a word ("given march", not "you may").
_DATE_CUE = re.compile(r"(?<![\w'])(?:born|birth|birthday|dob|admitted|discharged|seen|given|due|on|since|until|date|dated)"
                       r"(?:\W+(?:is|was|on|of))?\W*$",
                       re.IGNORECASE)
# Words between a label and its value ("member id number is ..."): never the start of the value.
_LABEL_FILLERS = {"is", "was", "are", "were", "number", "no", "my", "the", "his", "her", "your", "its", "it", "of",
                  "a", "an", "on", "at", "to", "be", "for", "and", "um", "uh", "so", "me", "us"}
# Introductions: the word after one may be a name the next piece shows ("this is autumn | speaking").
# Place phrases likewise: "drives in from fond | du lac", "lives out in kern | county".
_INTRO_AT_END = re.compile(r"(?<![\w'])(?:this\s+is|it's|i'm|i\s+am|name\s+is|name's|call\s+me|from|near"
                           r"|(?:live[sd]?|living|moved|moving|grew\s+up|raised|born|staying|stays|works?|working|located"
                           r"|based)(?:\s+\w+)?\s+(?:in|to|near|by|outside))\s+$", re.IGNORECASE)
# Words after which four digits from 1900 are a year, which is no identifier ("since 2012").
_YEAR_CUE = re.compile(r"(?<![\w'])(?:in|since|until|by|from|of|year|back|around|before|after)\s*$", re.IGNORECASE)
# Words after which a held number from 90 up is an age ("she's ninety", "a ninety").
_AGE_CUE = re.compile(r"(?<![\w'])(?:i'm|i\s+am|she's|she\s+is|he's|he\s+is|is|aged|age|turned|turns|turning|a|be)\s*$",
                      re.IGNORECASE)


@dataclass
class StreamRedactor:
    hold_timeout_s: float
    name_hold_timeout_s: float
    context_chars: int
    max_hold_chars: int
    context: str = ""  # recently released raw text: detection context for what follows
    pending: str = ""  # committed but not yet released raw text
    held_since: float | None = None  # when the newest piece of the held tail came
    last_placeholder: str = ""  # the placeholder the released text ended with, if it did

    def __init__(self, settings: PhiSettings) -> None:
        self.hold_timeout_s = settings.hold_timeout_s
        self.name_hold_timeout_s = settings.name_hold_timeout_s
        self.context_chars = settings.context_chars
        self.max_hold_chars = settings.max_hold_chars
        self.context, self.pending, self.held_since, self.last_placeholder = "", "", None, ""

    def push(self, scrubber: Scrubber, committed_text: str, now: float) -> str:
        """Add committed text; return redacted text now safe to show ("" if all of it is held)."""
        self.pending = _join(self.pending, committed_text) if self.pending else _join(self.context, committed_text)[len(self.context):]
        released = self._release(scrubber, final=False)
        # The held tail ends with this piece: its own timeout starts now, or a number that has just begun
        # ("... went up to one" | "twenty") would time out on the clock of an earlier piece held with it.
        self.held_since = now if self.pending else None
        return released

    def poll(self, scrubber: Scrubber, now: float) -> str:
        """Release the held tail once ``hold_timeout_s`` has passed since its newest piece. The speaker may have paused inside
        a number, so a held number that could begin an identifier goes out as a placeholder, never raw.
        A name-like word at the end waits up to ``name_hold_timeout_s`` after the newest piece for the piece
        that shows whether it is a name ("bill | is my | brother", "the bill | was paid"), and the tail with
        it: released in two parts, its rest would lose the context that tells a number or an address from a
        word. Pieces that leave it undecided can only be stop words, at most two besides hesitations
        (``_name_tail_start``)."""
        if not self.pending or self.held_since is None or now - self.held_since < self.hold_timeout_s:
            return ""
        if now - self.held_since < self.name_hold_timeout_s:
            full = self.context + self.pending
            if _name_tail_start(scrubber, full, list(_TOKEN.finditer(full, len(self.context)))) is not None:
                return ""
        return self._release(scrubber, final=True, timed_out=True)

    def flush(self, scrubber: Scrubber) -> str:
        """End of stream: release everything, redacted, and forget the context."""
        released = self._release(scrubber, final=True) if self.pending else ""
        self.context, self.last_placeholder = "", ""
        return released

    def interim(self, scrubber: Scrubber, uncommitted_text: str) -> str:
        """Redacted preview of the held tail plus uncommitted text (nothing is released or stored)."""
        tail = _join(self.pending, uncommitted_text) if self.pending else uncommitted_text
        full = _join(self.context, tail)
        start = len(full) - len(tail)
        spans = scrubber.redact(full).spans
        # Uncommitted text may stop inside a number: its visible start gets the same care as a timeout.
        spans = merge_spans(spans + self._unfinished_numbers(scrubber, full, spans, self._cut(scrubber, full, spans, start))
                            + self._continued_number(full, start))
        return _redact_region(full, spans, start, len(full))

    def _release(self, scrubber: Scrubber, final: bool, timed_out: bool = False) -> str:
        full = self.context + self.pending
        start = len(self.context)
        spans = scrubber.redact(full).spans  # raises on failure: nothing released, nothing lost
        if timed_out:
            spans = merge_spans(spans + self._unfinished_numbers(scrubber, full, spans, self._cut(scrubber, full, spans, start)))
        spans = merge_spans(spans + self._continued_number(full, start))
        cut = len(full) if final else self._cut(scrubber, full, spans, start)
        released = self._merge_placeholders(_redact_region(full, spans, start, cut))
        self.context = _tail(full[:cut], self.context_chars)
        self.pending = full[cut:]
        self.held_since = None if not self.pending else self.held_since
        return released

    def _continued_number(self, full: str, start: int) -> list[Span]:
        """Digit groups or number words that go on with a number already released as a placeholder ("[ID]"
        then ", 975"; "[PHONE]" then "five five, ..."), and the rest of a spoken address ("[EMAIL]" after
        "... at", then "yahoo dot com")."""
        if self.last_placeholder in _ADDRESS_PLACEHOLDERS:
            m = _ADDRESS_GOES_ON.match(full, start)
            joined = m and (m.group(1) or _last_word(full[:start]) in ("at", "dot", "underscore", "dash", "slash"))
            return [Span(m.start(2), m.end(), _ADDRESS_PLACEHOLDERS[self.last_placeholder], 0.5)] if joined else []
        kind = _NUMBER_PLACEHOLDERS.get(self.last_placeholder)
        before = full[:start].rstrip(" ,.-")
        if not kind or not (before[-1:].isdigit() or _last_word(before) in _NUMBER_WORDS):
            return []
        end = max(digit_groups_end(full, start), _number_words_end(full, start))
        return [Span(start, end, kind, 0.5)] if end > start else []

    def _merge_placeholders(self, released: str) -> str:
        """One entity released in two parts (a pause inside it) shows one placeholder, not two."""
        if self.last_placeholder and released.lstrip().startswith(self.last_placeholder):
            released = released.lstrip()[len(self.last_placeholder) :]
        if released.strip(" ,.-"):  # a lone comma between two parts of a number keeps them one entity
            end = _PLACEHOLDER_AT_END.search(released)
            self.last_placeholder = end.group(1) if end else ""
        return released

    def _unfinished_numbers(self, scrubber: Scrubber, full: str, spans: list[Span], held_from: int) -> list[Span]:
        """Spans over a held tail that a pause may have cut short, the rest of it coming after the pause:
        all of it after an identifier label when it has a digit or a code in it ("serial number is S"), a
        spoken address ("www dot"), a month after a date word ("born march"), else each run of number
        words once it is three digits long or an age from 90 ("she's ninety"). Doses, measurements, times
        and years stay ("i take 500", "heart rate 104", "at two thirty", "since 2012")."""
        tokens = list(_TOKEN.finditer(full, held_from))
        # The label may end inside the held tail: "i live | at eleven".
        labelled = next((k for k in range(min(3, len(tokens))) if _cue_before(full[: tokens[k].start()])), 0)
        tokens = tokens[labelled:]
        if not tokens or all(any(s.start <= m.start() < s.end for s in spans) for m in tokens):
            return []
        first, last = tokens[0].start(), tokens[-1].end()
        if (kind := _cue_before(full[:first])) is not None:
            return [Span(first, last, kind, 0.5)] if _labelled_value(scrubber, kind, tokens) else []
        if _spoken_address_start(scrubber, full, first) == first:
            return [Span(first, last, "URL", 0.5)]  # "www dot", "pat dot oconnor"
        if month := self._held_month(full, tokens):
            return [month]
        return [span for run in _number_runs(tokens) if (span := _unlabelled_number(scrubber, full, run))]

    @staticmethod
    def _held_month(full: str, tokens: list[re.Match[str]]) -> Span | None:
        """A held month ("born march") or "the fourth of" goes out as [DATE]: the rest may follow the pause."""
        lex = load_lexicon()
        for k, m in enumerate(tokens):
            month = m.group().lower().strip(".,")
            if month in ORDINAL_UNITS | ORDINAL_TEENS and k + 1 < len(tokens) and tokens[k + 1].group().lower() == "of":
                return Span(m.start(), tokens[-1].end(), "DATE", 0.5)  # "the fourth of | july"
            if month not in lex.words("dates", "months"):
                continue
            if month in lex.words("dates", "ambiguous_months") and not _DATE_CUE.search(full, 0, m.start()):
                return None
            return Span(m.start(), tokens[-1].end(), "DATE", 0.5)
        return None

    def _cut(self, scrubber: Scrubber, full: str, spans: list[Span], start: int) -> int:
        """Where released text ends: before a tail that may still be part of an identifier: number words,
        codes, a month or title, a word that may be a name (the last two), a short code after a label, a
        spoken e-mail address, an address after "i live at"."""
        holdable = _holdable_words()
        end = len(full.rstrip(" .,?!"))
        tokens = list(_TOKEN.finditer(full, start))
        words = [m.group().lower().strip(".,") for m in tokens]

        def hidden(k: int) -> bool:
            return any(s.start <= tokens[k].start() < s.end for s in spans)

        def number(k: int) -> bool:  # "ninety-one" too
            return any(c.isdigit() for c in words[k]) or any(part in _NUMBER_WORDS for part in words[k].split("-"))

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
                and _cue_before(full[: tokens[k - 1].start()]) is not None
            # "tuesday the | 14th", "the second of | january"
            date_word = w in ("the", "of") and k > 1 and (words[k - 2] in holdable or words[k - 2] in _NUMBERISH or number(k - 2))
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
        if (spoken := _spoken_address_start(scrubber, full, start)) is not None:
            cut = min(cut, spoken)
        if (name := _name_tail_start(scrubber, full, tokens, spans)) is not None:
            cut = min(cut, name)
        if (address := _held_address_start(full, start)) is not None:
            cut = min(cut, address)
        # Never cut inside a span, and never hold more than max_hold_chars.
        for s in spans:
            if s.start < cut < s.end:
                cut = s.start
        if len(full) - cut > self.max_hold_chars:
            cut = len(full)
        return max(cut, start)


def _name_tail_start(scrubber: Scrubber, full: str, tokens: list[re.Match[str]],
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
        if redacted or not all(w in stop or w.split("'")[0] in stop for w in words[t + 1 :]):  # "that's" too
            continue
        if _after_relation(full, tokens[t]):  # "my husband will | at ..."
            return tokens[t].start()
        if scrubber.name_like(words[t]) or _initials(tokens[t].group()):  # "J.T. is | my stepson"
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


def _spoken_address_start(scrubber: Scrubber, text: str, start: int) -> int | None:
    """Where a spoken e-mail or web address at the end of ``text`` starts, if one may still be being read:
    words joined by "dot", "underscore" or "at" ("at" only after a name-like word: not "live at")."""
    m = _SPOKEN_ADDRESS_TAIL.search(text, start)
    if m is None:
        return None
    first = m.group().split()[0]
    joined = re.search(r"\b(?:dot|underscore|dash|hyphen|www|https?)\b", m.group(), re.IGNORECASE)
    return m.start() if joined or scrubber.name_like(first) else None


def _labelled_value(scrubber: Scrubber, kind: str, tokens: list[re.Match[str]]) -> bool:
    """Whether words held after a label may be the start of its value: a street or e-mail address has a
    number, a name or "dot" in it ("i live on | a fixed income" has not); a phone number has a number;
    other identifiers a number or a code ("S", "JG", "yrb"; not "card next" after "medicare")."""
    if kind in load_lexicon().raw["held_after"]:
        return any(_address_part(scrubber, m.group()) for m in tokens)
    words = [m.group().strip(".,") for m in tokens]
    numbers = any(any(c.isdigit() for c in w) or w.lower() in _NUMBER_WORDS for w in words)
    codes = any(w.isalpha() and (len(w) == 1 or len(w) <= 3 and (w.isupper() or not scrubber.ordinary_word(w))) for w in words)
    return numbers or kind != "PHONE" and codes


def _number_runs(tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Runs of adjacent number tokens, each starting with a digit or a number word ("seven", not "dash")."""
    runs: list[list[re.Match[str]]] = [[]]
    for m in tokens:
        w = m.group().lower().strip(".,")
        if not _numeric(w):
            runs.append([])
        elif runs[-1] or any(c.isdigit() for c in w) or any(p in _NUMBER_WORDS for p in w.split("-")):
            runs[-1].append(m)
    return [run for run in runs if run]


def _unlabelled_number(scrubber: Scrubber, full: str, run: list[re.Match[str]]) -> Span | None:
    first, last = run[0].start(), run[-1].end()
    digits = "".join(c for c in normalize(full[first:last]).text if c.isdigit())
    before = full[:first]
    if not digits or _measured(scrubber, before) or len(run) <= 2 and re.search(r"\bat\s*$", before, re.IGNORECASE):
        return None  # a dose, a measurement, a time of day ("at two thirty"; "at five five five" is no time)
    if len(digits) == 4 and 1900 <= int(digits) < 2100 and _YEAR_CUE.search(before):
        return None
    if len(digits) < 3:
        return Span(first, last, "AGE", 0.5) if 90 <= int(digits) < 150 and _AGE_CUE.search(before) else None
    return Span(first, last, "ID", 0.5)


def _address_part(scrubber: Scrubber, word: str) -> bool:
    """A word only a street or e-mail address would have: a number, a name-like word, "dot", "at"."""
    w = word.lower().strip(".,")
    return any(c.isdigit() for c in w) or w in _NUMBER_WORDS or w in ("dot", "at", "underscore") or scrubber.name_like(w)


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower().strip(".,") if words else ""


def _number_words_end(text: str, pos: int) -> int:
    """End of a run of number words starting at ``pos``, with the separators between them ("slash slash" too)."""
    end = previous = pos
    for m in _TOKEN.finditer(text, pos):
        if text[previous : m.start()].strip(" ,.-"):
            break
        previous = m.end()
        w = m.group().lower().strip(".,")
        if any(part in _NUMBER_WORDS for part in w.split("-")) or any(c.isdigit() for c in w):
            end = m.end()
        elif w not in ("dash", "slash", "dot", "and"):
            break
    return end


@cache
def _measure_regex(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'])(?:{'|'.join(sorted(map(re.escape, words)))})(?:\W+\w+){{0,2}}\W*$", re.IGNORECASE)


def _measured(scrubber: Scrubber, text: str) -> bool:
    """Whether a number after ``text`` is a dose or a measurement: "i take", "heart rate", "metformin"."""
    lex = load_lexicon()
    if _measure_regex(lex.words("clinical", "measure_cues")).search(text[-_CUE_LOOKBACK_CHARS:]):
        return True
    return any(lex.is_drug(w.lower()) for w in re.findall(r"[A-Za-z]+", text)[-2:])


@cache
def _held_after_regex() -> re.Pattern[str]:
    lex = load_lexicon()
    cues = [phrase for phrases in lex.raw["held_after"].values() for phrase in phrases]
    return re.compile(rf"(?<![\w']){lex.phrase_regex(cues)}\s+((?:\S+\s+){{0,9}}\S*)$", re.IGNORECASE)


def _held_address_start(text: str, start: int) -> int | None:
    """Where the words after "i live at", "my email is" begin when there are at most ten of them: a
    street or e-mail address may still be being read."""
    offset = max(0, len(text) - _CUE_LOOKBACK_CHARS)
    m = _held_after_regex().search(text, offset)
    return max(start, m.start(1)) if m and m.group(1) else None


def _numeric(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in _NUMBERISH


@cache
def _cue_regex() -> re.Pattern[str]:
    """Identifier labels ("member id", "date of birth") followed by at most a few filler words."""
    lex = load_lexicon()
    cues = [phrase for phrases in _cue_kinds().values() for phrase in phrases]
    return re.compile(rf"(?<![\w'])({lex.phrase_regex(cues)})(?:\W+\w+){{0,{_CUE_GAP_WORDS}}}\W*$", re.IGNORECASE)


def _cue_before(text: str) -> str | None:
    """The identifier kind whose label ends a few words before the end of ``text``, if any."""
    match = _cue_regex().search(text[-_CUE_LOOKBACK_CHARS:])
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
    """Words that may begin an identifier the next piece completes (a month, "tuesday", "north", "mister")."""
    lex = load_lexicon()
    return lex.words("dates", "months") | lex.words("dates", "weekdays") | lex.words("places", "prefixes") \
        | lex.words("names", "titles")


def _join(left: str, right: str) -> str:
    if left and right and not left[-1].isspace() and not right[0].isspace():
        return f"{left} {right}"
    return left + right


def _tail(text: str, limit: int) -> str:
    """The last ``limit`` characters of ``text``, starting at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.find(" ", len(text) - limit)
    return text[cut:] if cut >= 0 else ""


def _redact_region(full: str, spans: list[Span], start: int, end: int) -> str:
    """Redacted full[start:end]; a span reaching into the region from either side is shown as its placeholder."""
    inside = [Span(max(s.start, start) - start, min(s.end, end) - start, s.type, s.score) for s in spans if s.start < end and s.end > start]
    return apply(full[start:end], inside)
