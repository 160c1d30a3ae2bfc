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
from dataclasses import dataclass
from functools import cache

from raytranscribe.phi.lexicon import load as load_lexicon
from raytranscribe.phi.numbers import ORDINAL_TEENS, ORDINAL_UNITS, REPEATS, TEENS, TENS, UNITS, ZERO_LETTERS
from raytranscribe.phi.numbers import normalize
from raytranscribe.phi.scrubber import Scrubber, apply, digit_groups_end, merge_spans
from raytranscribe.phi.types import Span, placeholder
from raytranscribe.settings import PhiSettings

_TOKEN = re.compile(r"[\w'@.+-]+")
# Words a trailing label may take after the number it names ("... is my cell number").
_LABEL_WORDS = 4
# Words between a label and its value ("member id number is ..."), and how far back a label is looked for.
_CUE_GAP_WORDS = 4
_CUE_LOOKBACK_CHARS = 80
# Placeholders of identifiers that are numbers, and the span type that shows each.
_NUMBER_PLACEHOLDERS = {placeholder(kind): kind for kind in ("ID", "PHONE", "DATE")}
_PLACEHOLDER_AT_END = re.compile(r"(\[[A-Z]+\])\s*$")
_NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS)
_NUMBERISH = set(UNITS) | set(TEENS) | set(TENS) | set(ORDINAL_UNITS) | set(ORDINAL_TEENS) | set(REPEATS) | ZERO_LETTERS | {
    "hundred", "thousand", "million", "and", "dash", "dot", "slash", "at", "point", "plus", "-", "#"}


@dataclass
class StreamRedactor:
    hold_timeout_s: float
    context_chars: int
    max_hold_chars: int
    context: str = ""  # recently released raw text: detection context for what follows
    pending: str = ""  # committed but not yet released raw text
    held_since: float | None = None
    last_placeholder: str = ""  # the placeholder the released text ended with, if it did

    def __init__(self, settings: PhiSettings) -> None:
        self.hold_timeout_s = settings.hold_timeout_s
        self.context_chars = settings.context_chars
        self.max_hold_chars = settings.max_hold_chars
        self.context, self.pending, self.held_since, self.last_placeholder = "", "", None, ""

    def push(self, scrubber: Scrubber, committed_text: str, now: float) -> str:
        """Add committed text; return redacted text now safe to show ("" if all of it is held)."""
        self.pending = _join(self.pending, committed_text) if self.pending else _join(self.context, committed_text)[len(self.context):]
        if self.held_since is None:
            self.held_since = now
        return self._release(scrubber, final=False)

    def poll(self, scrubber: Scrubber, now: float) -> str:
        """Release the held tail once it has waited ``hold_timeout_s``. The speaker may have paused inside
        a number, so a held number that could begin an identifier goes out as a placeholder, never raw."""
        if not self.pending or self.held_since is None or now - self.held_since < self.hold_timeout_s:
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
        spans = merge_spans(spans + self._unfinished_numbers(full, spans, self._cut(full, spans, start))
                            + self._continued_number(full, start))
        return _redact_region(full, spans, start, len(full))

    def _release(self, scrubber: Scrubber, final: bool, timed_out: bool = False) -> str:
        full = self.context + self.pending
        start = len(self.context)
        spans = scrubber.redact(full).spans  # raises on failure: nothing released, nothing lost
        if timed_out:
            spans = merge_spans(spans + self._unfinished_numbers(full, spans, self._cut(full, spans, start)))
        spans = merge_spans(spans + self._continued_number(full, start))
        cut = len(full) if final else self._cut(full, spans, start)
        released = self._merge_placeholders(_redact_region(full, spans, start, cut))
        self.context = _tail(full[:cut], self.context_chars)
        self.pending = full[cut:]
        self.held_since = None if not self.pending else self.held_since
        return released

    def _continued_number(self, full: str, start: int) -> list[Span]:
        """Digit groups that go on with a number already released as a placeholder ("[ID]" then ", 975")."""
        kind = _NUMBER_PLACEHOLDERS.get(self.last_placeholder)
        end = digit_groups_end(full, start) if kind and full[:start].rstrip(" ,.-")[-1:].isdigit() else start
        return [Span(start, end, kind, 0.5)] if end > start else []

    def _merge_placeholders(self, released: str) -> str:
        """One entity released in two parts (a pause inside it) shows one placeholder, not two."""
        if self.last_placeholder and released.lstrip().startswith(self.last_placeholder):
            released = released.lstrip()[len(self.last_placeholder) :]
        if released.strip(" ,.-"):  # a lone comma between two parts of a number keeps them one entity
            end = _PLACEHOLDER_AT_END.search(released)
            self.last_placeholder = end.group(1) if end else ""
        return released

    def _unfinished_numbers(self, full: str, spans: list[Span], held_from: int) -> list[Span]:
        """A span over the held tail when it may be the first part of an identifier: all of it after an
        identifier label ("serial number is S"), else its number words once they are three digits long.
        The rest of the identifier would come after the pause."""
        tokens = list(_TOKEN.finditer(full, held_from))
        kind = _cue_before(full[: tokens[0].start()]) if tokens else None
        if kind is None:
            tokens = [m for m in tokens if _numeric(m.group().lower().strip(".,"))]
            while tokens and not any(c.isdigit() for c in tokens[0].group()) and tokens[0].group().lower() not in _NUMBER_WORDS:
                tokens.pop(0)  # a run starts with a digit or a number word, not with "dash" or "and"
        if not tokens or all(any(s.start <= m.start() < s.end for s in spans) for m in tokens):
            return []
        first, last = tokens[0].start(), tokens[-1].end()
        if kind is None and sum(c.isdigit() for c in normalize(full[first:last]).text) < 3:
            return []
        return [Span(first, last, kind or "ID", 0.5)]

    def _cut(self, full: str, spans: list[Span], start: int) -> int:
        """Where released text ends: before a tail that may still be part of an identifier."""
        holdable = _holdable_words()
        end = len(full.rstrip(" .,?!"))
        tokens = list(_TOKEN.finditer(full, start))
        words = [m.group().lower().strip(".,") for m in tokens]

        def hidden(k: int) -> bool:
            return any(s.start <= tokens[k].start() < s.end for s in spans)

        def number(k: int) -> bool:
            return any(c.isdigit() for c in words[k]) or words[k] in _NUMBER_WORDS

        k = len(tokens)
        while k > 0:  # trailing words an identifier may still be growing from
            touching = any(s.start <= tokens[k - 1].start() < s.end and s.end >= end for s in spans)
            w = words[k - 1]
            # A letter or a short capitalized code ("JG", "PM") may be the prefix of an ID still being read.
            code = len(w) == 1 or len(w) <= 3 and tokens[k - 1].group().isupper()
            if not (number(k - 1) or w in _NUMBERISH or code or w in holdable or touching):
                break
            k -= 1
        # A visible number just before may still get its label after it: "5551212 is my cell".
        for j in range(k - 1, max(-1, k - 1 - _LABEL_WORDS), -1):
            if number(j) and not hidden(j):
                k = j
                while k > 0 and (number(k - 1) or words[k - 1] in _NUMBERISH) and not hidden(k - 1):
                    k -= 1
                break
        cut = tokens[k].start() if k < len(tokens) else len(full)
        # Never cut inside a span, and never hold more than max_hold_chars.
        for s in spans:
            if s.start < cut < s.end:
                cut = s.start
        if len(full) - cut > self.max_hold_chars:
            cut = len(full)
        return max(cut, start)


def _numeric(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in _NUMBERISH


@cache
def _cue_regex() -> re.Pattern[str]:
    """Identifier labels ("member id", "date of birth") followed by at most a few filler words."""
    lex = load_lexicon()
    cues = {phrase: kind for kind, phrases in lex.raw["identifiers"].items() for phrase in phrases}
    return re.compile(rf"(?<![\w'])({lex.phrase_regex(list(cues))})(?:\W+\w+){{0,{_CUE_GAP_WORDS}}}\W*$", re.IGNORECASE)


def _cue_before(text: str) -> str | None:
    """The identifier kind whose label ends a few words before the end of ``text``, if any."""
    match = _cue_regex().search(text[-_CUE_LOOKBACK_CHARS:])
    if match is None:
        return None
    lex = load_lexicon()
    phrase = " ".join(match.group(1).lower().split())
    return next((kind for kind, phrases in lex.raw["identifiers"].items() if phrase in phrases), "ID")


@cache
def _holdable_words() -> frozenset[str]:
    """Words that may begin an identifier the next piece completes (a month, "north", "mister")."""
    lex = load_lexicon()
    return lex.words("dates", "months") | lex.words("places", "prefixes") | lex.words("names", "titles")


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
