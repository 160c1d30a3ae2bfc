"""``StreamRedactor``: redacts committed ASR text piece by piece without releasing half an identifier.

Each push redacts the held tail plus the new piece *together with recently released text* (so a cue
such as "my name is" in an earlier piece still counts), then releases everything except a tail that
may still be growing (``raytranscribe.phi.hold``: trailing number words or digits, spelled letters, a month,
a word that may be a name, or a detected entity that touches the end). The tail goes out once later text shows it is complete, or after
``hold_timeout_s``. The object holds only strings and numbers (picklable, a few hundred bytes) and no
scrubber, so any scrubber replica can serve any stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from raytranscribe.phi.hold import (CUE_LOOKBACK_CHARS, NUMBER_WORDS, TOKEN, cue_before, held_from, name_tail_start,
                                    numeric, spoken_address_start)
from raytranscribe.phi.lexicon import load as load_lexicon
from raytranscribe.phi.numbers import ORDINAL_TEENS, ORDINAL_UNITS, normalize
from raytranscribe.phi.scrubber import Scrubber, apply, digit_groups_end, merge_spans
from raytranscribe.phi.types import Span, placeholder
from raytranscribe.settings import PhiSettings

# Placeholders of identifiers that are numbers, and the span type that shows each.
_NUMBER_PLACEHOLDERS = {placeholder(kind): kind for kind in ("ID", "PHONE", "DATE", "AGE")}
_ADDRESS_PLACEHOLDERS = {placeholder(kind): kind for kind in ("EMAIL", "URL")}
# The rest of a spoken e-mail or web address: an optional joining word, then words joined by them.
_ADDRESS_GOES_ON = re.compile(r"\s*((?:dot|at|underscore|dash|slash)\s+)?([\w-]+(?:\s+(?:dot|at|underscore|dash|slash)\s+[\w-]+)*)",
                              re.IGNORECASE)
_PLACEHOLDER_AT_END = re.compile(r"(\[[A-Z]+\])\s*$")
# Words after which a held month is a date even if it is also a word ("given march", not "you may").
_DATE_CUE = re.compile(r"(?<![\w'])(?:born|birth|birthday|dob|admitted|discharged|seen|given|due|on|since|until|date|dated)"
                       r"(?:\W+(?:is|was|on|of))?\W*$",
                       re.IGNORECASE)
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
        (``name_tail_start``)."""
        if not self.pending or self.held_since is None or now - self.held_since < self.hold_timeout_s:
            return ""
        if now - self.held_since < self.name_hold_timeout_s:
            full = self.context + self.pending
            if name_tail_start(scrubber, full, list(TOKEN.finditer(full, len(self.context)))) is not None:
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
        held = self._held_from(scrubber, full, spans, start)
        spans = merge_spans(spans + self._unfinished_numbers(scrubber, full, spans, held) + self._continued_number(full, start))
        return _redact_region(full, spans, start, len(full))

    def _release(self, scrubber: Scrubber, final: bool, timed_out: bool = False) -> str:
        full = self.context + self.pending
        start = len(self.context)
        spans = scrubber.redact(full).spans  # raises on failure: nothing released, nothing lost
        if timed_out:
            spans = merge_spans(spans + self._unfinished_numbers(scrubber, full, spans, self._held_from(scrubber, full, spans, start)))
        spans = merge_spans(spans + self._continued_number(full, start))
        cut = len(full) if final else self._held_from(scrubber, full, spans, start)
        released = self._merge_placeholders(_redact_region(full, spans, start, cut))
        self.context = _tail(full[:cut], self.context_chars)
        self.pending = full[cut:]
        self.held_since = None if not self.pending else self.held_since
        return released

    def _held_from(self, scrubber: Scrubber, full: str, spans: list[Span], start: int) -> int:
        return held_from(scrubber, full, spans, start, self.max_hold_chars)

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
        if not kind or not (before[-1:].isdigit() or _last_word(before) in NUMBER_WORDS):
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

    def _unfinished_numbers(self, scrubber: Scrubber, full: str, spans: list[Span], tail_start: int) -> list[Span]:
        """Spans over a held tail that a pause may have cut short, the rest of it coming after the pause:
        all of it after an identifier label when it has a digit or a code in it ("serial number is S"), a
        spoken address ("www dot"), a month after a date word ("born march"), else each run of number
        words once it is three digits long or an age from 90 ("she's ninety"). Doses, measurements, times
        and years stay ("i take 500", "heart rate 104", "at two thirty", "since 2012")."""
        tokens = list(TOKEN.finditer(full, tail_start))
        # The label may end inside the held tail: "i live | at eleven".
        labelled = next((k for k in range(min(3, len(tokens))) if cue_before(full[: tokens[k].start()])), 0)
        tokens = tokens[labelled:]
        if not tokens or all(any(s.start <= m.start() < s.end for s in spans) for m in tokens):
            return []
        first, last = tokens[0].start(), tokens[-1].end()
        if (kind := cue_before(full[:first])) is not None:
            return [Span(first, last, kind, 0.5)] if _labelled_value(scrubber, kind, tokens) else []
        if spoken_address_start(scrubber, full, first) == first:
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



def _labelled_value(scrubber: Scrubber, kind: str, tokens: list[re.Match[str]]) -> bool:
    """Whether words held after a label may be the start of its value: a street or e-mail address has a
    number, a name or "dot" in it ("i live on | a fixed income" has not); a phone number has a number;
    other identifiers a number or a code ("S", "JG", "yrb"; not "card next" after "medicare")."""
    if kind in load_lexicon().raw["held_after"]:
        return any(_address_part(scrubber, m.group()) for m in tokens)
    words = [m.group().strip(".,") for m in tokens]
    numbers = any(any(c.isdigit() for c in w) or w.lower() in NUMBER_WORDS for w in words)
    codes = any(w.isalpha() and (len(w) == 1 or len(w) <= 3 and (w.isupper() or not scrubber.ordinary_word(w))) for w in words)
    return numbers or kind != "PHONE" and codes


def _number_runs(tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Runs of adjacent number tokens, each starting with a digit or a number word ("seven", not "dash")."""
    runs: list[list[re.Match[str]]] = [[]]
    for m in tokens:
        w = m.group().lower().strip(".,")
        if not numeric(w):
            runs.append([])
        elif runs[-1] or any(c.isdigit() for c in w) or any(p in NUMBER_WORDS for p in w.split("-")):
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
    if scrubber.ends_with_state(before):
        return Span(first, last, "ID", 0.5)  # a ZIP code begun: "in yankton south dakota five | seven oh ..."
    if len(digits) < 3:
        return Span(first, last, "AGE", 0.5) if 90 <= int(digits) < 150 and _AGE_CUE.search(before) else None
    return Span(first, last, "ID", 0.5)


def _address_part(scrubber: Scrubber, word: str) -> bool:
    """A word only a street or e-mail address would have: a number, a name-like word, "dot", "at"."""
    w = word.lower().strip(".,")
    return any(c.isdigit() for c in w) or w in NUMBER_WORDS or w in ("dot", "at", "underscore") or scrubber.name_like(w)


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower().strip(".,") if words else ""


def _number_words_end(text: str, pos: int) -> int:
    """End of a run of number words starting at ``pos``, with the separators between them ("slash slash" too)."""
    end = previous = pos
    for m in TOKEN.finditer(text, pos):
        if text[previous : m.start()].strip(" ,.-"):
            break
        previous = m.end()
        w = m.group().lower().strip(".,")
        if any(part in NUMBER_WORDS for part in w.split("-")) or any(c.isdigit() for c in w):
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
    if _measure_regex(lex.words("clinical", "measure_cues")).search(text[-CUE_LOOKBACK_CHARS:]):
        return True
    return any(lex.is_drug(w.lower()) for w in re.findall(r"[A-Za-z]+", text)[-2:])


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
