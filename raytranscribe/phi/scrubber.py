"""``Scrubber``: finds PHI spans in a piece of text and replaces them with typed placeholders.

Pipeline: normalize spoken numbers -> Presidio analyzer (spaCy NER + pattern + context recognizers) on
the normalized copy -> map spans back to the input -> drop clinical look-alikes (eponyms, drugs, states)
-> widen to whole words -> merge overlaps -> replace. Any failure raises ``RedactionError`` without
input text, so callers can fail closed.
"""

from __future__ import annotations

import re
import unicodedata

from presidio_analyzer import RecognizerResult

from raytranscribe.phi import lexicon
from raytranscribe.phi.context import CuedIdentifierRecognizer
from raytranscribe.phi.context.base import dictionary_word
from raytranscribe.phi.numbers import SEPARATOR_REPEATS, normalize
from raytranscribe.phi.types import BY_GRAMMAR, Redaction, RedactionError, Span, placeholder
from raytranscribe.settings import PhiSettings

_PEOPLE_AND_PLACES = {"NAME", "CITY", "ADDRESS"}
_NOT_NUMBERS = _PEOPLE_AND_PLACES | {"AGE", "EMAIL", "URL"}
# Digit groups (2+ digits) that ASR splits off a number with stray commas, dashes or spaces: "4,911 , 975".
_GROUP_AFTER = re.compile(rf"(?:\s*[,.-]\s*|\s+)(?:(?:dash|slash|dot)\s+){{0,{SEPARATOR_REPEATS}}}\d{{2,}}\b", re.IGNORECASE)
_LETTER_PREFIX = re.compile(r"(?<![\w'/])([A-Za-z]{1,3})[\s-]+$")  # not the "N" of "S/N 5521"
# A single letter that ends a code read out ("it ends in 47721 x, i think"): not "a" or "i".
_LETTER_SUFFIX = re.compile(r"[\s-]+(?![AaIi]\b)[A-Za-z]\b(?=\s*(?:[,.;?!]|$))")
# An animal's name is nobody's identifier: "the dog's name is Biscuit", "her cat, Oliver,", "a parrot named Kiwi".
_ANIMAL = r"(?:dog|cat|pet|puppy|kitten|kitty|parrot|bird|horse|pony|rabbit|bunny|hamster)s?"
_PET_NAME = re.compile(rf"\b(?:(?:my|our|his|her|their)\s+{_ANIMAL}\s+(?!(?:is|was|named|called|and|has|had)\b)([^\W\d_][\w'-]*)"  # "our parrot charlie"
                       rf"|{_ANIMAL}(?:'s\s+name\s+is|\s*,|\s+(?:is\s+)?(?:named|called))\s+([^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?))",
                       re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_FIRST_WORD = re.compile(r"([^\W\d_]+)\.?\s+")
_SAINT = re.compile(r"(?:st\.?|saint)\s")
_NAME_WORD = re.compile(r"(?<![\w'-])[^\W\d_][\w'-]*(?<!['’]s)(?![\w'-])")
_WORD_BEFORE = re.compile(r"(?<![\w'])([^\W\d_][^\W\d_-]*)[ \t]+$")
_PLUS_BEFORE = re.compile(r"(?:\bplus\s+|\+\s*)$", re.IGNORECASE)
_AMOUNT = re.compile(r"\b(?:thousand|million|billion)\b", re.IGNORECASE)
_GROUP_BEFORE = re.compile(rf"\b\d{{2,}}(?:\s*[,.-]\s*|\s+)(?:(?:dash|slash|dot)\s+){{0,{SEPARATOR_REPEATS}}}$", re.IGNORECASE)


class Scrubber:
    def __init__(self, settings: PhiSettings) -> None:
        from raytranscribe.phi.analyzer import build_analyzer  # Presidio/spaCy load only when a scrubber is built

        self.settings = settings
        self.lex = lexicon.load()
        self.analyzer = build_analyzer(settings.spacy_model, self.lex)
        clinical = self.lex.raw["clinical"]
        eponym = self.lex.phrase_regex(clinical["eponyms"])
        heads = self.lex.phrase_regex(clinical["eponym_heads"])
        self._clinical = re.compile(
            rf"(?<![\w'])(?:{eponym}(?:'s|s'|')?(?:\s*(?:-|and)\s*{eponym}(?:'s|s'|')?)*(?:\s+(?:i|ii|iii|iv|v)\b)?\s+{heads}\b"
            rf"|{self.lex.phrase_regex(clinical['standalone_eponyms'] + clinical['clinical_terms'] + clinical['institutions'])}(?![\w'])"
            rf"|\b(?:st\.?|saint)\s+[a-z]+'s\b"  # "St. Vincent's": a hospital, church or school named for a saint
            rf"|{self.lex.phrase_regex(clinical['exam_tests'])}(?:\s+(?:sign|test|maneuver))?(?:\s+(?:is|was))?\s+(?:positive|negative)\b"
            rf"|{eponym}(?:\s+test)?\s+(?:midline|lateraliz\w*))",  # "Weber midline"
            re.IGNORECASE,
        )
        places = ("states", "state_codes", "regions")
        # (and days and languages: "chairs moved to Saturday", "interprets in Dari")
        self._large_places = frozenset().union(*(self.lex.words("places", key) for key in places)) \
            | self.lex.words("dates", "weekdays") | self.lex.words("places", "languages")
        self._labels = self.lex.words("labels", "abbreviations")
        self._not_prefix = self.lex.stop | self._labels  # words that are no letter prefix of a number
        self._state_codes = self.lex.words("places", "state_codes")
        self._institution_heads = self.lex.words("clinical", "institution_heads")
        self._people_words = self.lex.words("names", "titles") | self.lex.words("names", "relations") | self.lex.stop
        self._languages = self.lex.words("places", "languages")
        self._measures = self.lex.words("clinical", "measure_cues")  # "Creatinine came back 1.9"
        # A name followed by at most three capitalized words and an institution's head ("Bascom Palmer | Eye
        # Institute", "Lincoln | High"), not "medical" ("for beatrix holm | medical record number").
        heads = self.lex.phrase_regex(self._institution_heads - {"medical"})
        self._institution_after = re.compile(rf"(?:\s+[A-Z][\w'&-]*){{0,3}}?\s+(?i:{heads})\b")
        self._title_words = frozenset(w for title in self.lex.raw["names"]["titles"] for w in title.split())
        self._spelled = frozenset(clinical["spelled_abbreviations"])
        spelled = self.lex.spelled_regex(clinical["spelled_abbreviations"])
        self._spelled_label = re.compile(rf"(?<![\w']){spelled}[\s-]+$", re.IGNORECASE)  # "d o b | 1 1 slash ..."
        # A state next to a town ("Tempe, Arizona", "mobile alabama", NER's "Arizona 85282") is not part of it.
        states = self.lex.phrase_regex(self.lex.raw["places"]["states"])
        self._state_after = re.compile(rf"(?:\s*,\s*|\s+){states}\W*$", re.IGNORECASE)
        self._state_before = re.compile(rf"{states}(?:\s*,\s*|\s+)", re.IGNORECASE)

    def name_like(self, word: str) -> bool:
        """Whether a word may be (part of) a name: a census name, or a word no dictionary knows. The stream
        holds such a word back at the end of a piece: the next piece may show it is one ("bill | is my brother").
        An inflected form counts as unknown here ("danas | mom"): holding errs on the safe side."""
        low = word.lower().removesuffix("'s")
        return low.isalpha() and low not in self.lex.stop and not self.lex.is_drug(low) and (
            self.lex.is_name(low) or low not in self.analyzer.nlp_engine.ordinary_words)

    def ends_with_state(self, text: str) -> bool:
        """Whether ``text`` ends with a state's name ("... in yankton south dakota ")."""
        return bool(self._state_after.search(text))

    def ordinary_word(self, word: str) -> bool:
        """A dictionary or stop word, or a regular inflection of one ("started"; WordNet via spaCy's
        lemmatizer tables)."""
        return dictionary_word(word.lower(), self.analyzer.nlp_engine.ordinary_words)

    def redact(self, text: str) -> Redaction:
        try:
            spans = self.detect(text)
        except Exception as exc:  # fail closed, and keep the input out of the error
            raise RedactionError(f"PHI detection failed ({type(exc).__name__})") from None
        return Redaction(apply(text, spans), spans)

    def detect(self, text: str) -> list[Span]:
        if not text.strip():
            return []
        norm = normalize(text)
        results = self.analyzer.analyze(norm.text, language="en", score_threshold=self.settings.score_threshold)
        protected = [m.span() for m in self._clinical.finditer(_without_accents(text))]
        pets = [m.span(m.lastindex) for m in _PET_NAME.finditer(text)]
        spans = []
        for r in results:
            if r.end <= r.start:
                continue
            start, end = _widen(text, *norm.to_original(r.start, r.end))
            labelled = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == CuedIdentifierRecognizer.__name__
            if r.entity_type == "ID" and not labelled and _AMOUNT.search(text, start, end):
                continue  # "the offer was like forty thousand": unlabelled, an amount is no identifier ("member ID is
                # G five hundred ninety two million ..." is one)
            if r.entity_type not in _NOT_NUMBERS:
                start, end = self._join_number_parts(text, start, end)
            elif r.entity_type == "CITY":
                start, end = self._without_states(text, start, end)
            # (a house number is as sure a sign: "22 Willow Bend Ct" is no CT scan, "eighteen forty south king street
            # unit" no hospital unit)
            by_grammar = bool((r.recognition_metadata or {}).get(BY_GRAMMAR)) \
                or r.entity_type == "ADDRESS" and any(c.isdigit() for c in norm.text[r.start : r.end])
            head = bool(self._institution_after.match(text, end))
            if not self._keep(text[start:end], r.entity_type, start, end, protected, pets, by_grammar, head):
                continue
            if r.entity_type == "NAME":
                while (m := _FIRST_WORD.match(text, start, end)) and m.group(1).lower() in self._title_words and m.end() < end:
                    start = m.end()  # "Baby [Girl Okonkwo]": NER takes the title in
                start = self._name_start(text, start, protected)
                end -= bool(_POSSESSIVE.search(text, start, end)) * 2  # "[NAME]'s daughter"
            spans.append(Span(start, end, r.entity_type, round(float(r.score), 3)))
        return merge_spans(spans + self._named_again(text, spans))

    def _named_again(self, text: str, spans: list[Span]) -> list[Span]:
        """"dad is kwame um kwame asante": a word no dictionary knows, found in a name, is that name wherever
        else the text says it."""
        words = {w.lower() for s in spans if s.type == "NAME" for w in _NAME_WORD.findall(text, s.start, s.end)
                 if len(w) > 2 and not self.ordinary_word(w) and w.lower() not in self._people_words}
        return [Span(m.start(), m.end(), "NAME", 0.5) for m in _NAME_WORD.finditer(text) if m.group().lower() in words]

    def _name_start(self, text: str, start: int, protected: list[tuple[int, int]]) -> int:
        """"Sunny [Al-Khatib]", "Pádraig [Mac Giolla]", "tran [van minh]", "kwame [asante]", "fatima [al hassan]":
        capitalized first names or words no dictionary knows, and in any case words of three letters or more no
        dictionary knows and first names that are no verb, adjective or adverb, right before a name, are part of
        it (a detector may find only part of the name)."""
        for _ in range(2):
            m = _WORD_BEFORE.search(text, 0, start)
            word = m.group(1) if m else ""
            low = word.lower()
            unknown = not self.ordinary_word(low) and low not in self._not_prefix and low not in self._spelled
            plain_first = low in self.lex.first_names and low not in self.analyzer.nlp_engine.non_nouns  # "fatima"
            if not (word[:1].isupper() and (low in self.lex.first_names or unknown) or unknown and len(low) > 2 or plain_first) \
                    or low in self._people_words or self.lex.is_drug(low) or any(a <= m.start(1) < b for a, b in protected):
                break
            start = m.start(1)
        return start

    def _join_number_parts(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Grow a number-like span over digit groups right next to it (more of the same number) and over a
        letter prefix ASR split off it ("JG 272-943", "PM 62664"); a common word ("at", "is") is no prefix."""
        end = digit_groups_end(text, end)
        if m := _PLUS_BEFORE.search(text, 0, start):
            start = m.start()  # a country code's sign: "plus four four seven seven ..."
        if m := _LETTER_SUFFIX.match(text, end):
            end = m.end()
        while m := _GROUP_BEFORE.search(text, 0, start):
            start = m.start()
        # (a three-letter dictionary word is no prefix either: "Cord blood kit CB-7730152")
        # (nor a state's code after a town: "Cass Lake, MN 56633")
        if (m := _LETTER_PREFIX.search(text, 0, start)) and m.group(1).lower() not in self._not_prefix \
                and not (m.group(1).lower() in self._state_codes and text[: m.start(1)].rstrip().endswith(",")) \
                and not (len(m.group(1)) == 3 and not m.group(1).isupper() and self.ordinary_word(m.group(1))) \
                and not self._spelled_label.search(text, 0, start):
            start = m.start(1)
        return start, end

    def _without_states(self, text: str, start: int, end: int) -> tuple[int, int]:
        if (m := self._state_after.search(text, start, end)) and m.start() > start:
            end = m.start()
        if (m := self._state_before.match(text, start, end)) and m.end() < end:
            start = m.end()
        return start, end

    def _keep(self, surface: str, kind: str, start: int, end: int, protected: list[tuple[int, int]],
              pets: list[tuple[int, int]], by_grammar: bool, before_head: bool = False) -> bool:
        """Whether a person or place span is one: not a label, a pet, a clinical look-alike, an institution
        (``before_head``: the word after it ends an institution's name, "Lincoln | High"), a country or a
        language."""
        def overlaps(spans: list[tuple[int, int]]) -> bool:
            return any(a < end and start < b for a, b in spans)

        if kind not in _PEOPLE_AND_PLACES:
            return True
        if all(w in self._labels for w in surface.lower().strip(" .,").split()):
            return False  # "Temp 98.6", "from IP address 98.207.33.14"
        if overlaps(pets):
            return False
        if before_head and kind != "ADDRESS":  # even after a cue: "Referred to Cleveland | Clinic" (not "Elm Street | Unit 6")
            return False
        if by_grammar:  # the grammar outranks a clinical look-alike: "my daughter, Mercy, handles ..."
            return True
        if overlaps(protected) or surface.split()[-1:] and surface.split()[-1].lower().strip(".,") in self._institution_heads:
            return False  # a place of care named after someone or something: "Shepherd Center"
        low = surface.lower().strip(" .,'")
        if kind == "CITY" and low in self._large_places or kind == "NAME" and low in self._languages or low in self._measures:
            return False  # ("Seen with interpreter Aminata (Wolof)")
        if kind == "NAME" and _SAINT.match(low):
            return False  # "St. Vincent de Paul", "Saint Luke's": a charity, church or hospital
        words = re.findall(r"[a-z']+", low)
        # (nor a drug or dressing with ordinary words: "Apply Silvadene", "Mepilex Border")
        return not (words and all(self.lex.is_drug(w) or w in self.lex.stop for w in words)
                    or any(self.lex.is_drug(w) for w in words) and all(self.lex.is_drug(w) or self.ordinary_word(w) for w in words))


def _without_accents(text: str) -> str:
    """The text with accents dropped, letter for letter (spans stay where they were): "Ménière's" is an eponym
    the lexicon writes "meniere's"."""
    if text.isascii():  # the common case: nothing to drop
        return text
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole alphanumeric words so no fragment of an identifier is left visible."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def digit_groups_end(text: str, pos: int) -> int:
    """End of the digit groups that continue a number ending at ``pos`` (``pos`` itself when none do)."""
    while m := _GROUP_AFTER.match(text, pos):
        pos = m.end()
    return pos


def merge_spans(spans: list[Span]) -> list[Span]:
    """Union overlapping spans; the merged span keeps the type of its most confident part."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = max(last, span, key=_specificity)
            merged[-1] = Span(last.start, max(last.end, span.end), best.type, max(last.score, span.score))
        else:
            merged.append(span)
    return merged


def _specificity(span: Span) -> tuple[float, bool]:
    # On a tie the named kind (PHONE, MRN) beats the generic ID.
    return span.score, span.type != "ID"


def apply(text: str, spans: list[Span]) -> str:
    """Replace each span (sorted, non-overlapping) with its placeholder."""
    out, pos = [], 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(placeholder(span.type))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
