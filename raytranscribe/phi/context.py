"""Context recognizers: names, places and identifiers found by the words around them.

Capital letters cannot be trusted in ASR text, so these look for cues instead: a title ("mister",
"doctor"), an introduction ("my name is"), a relation ("my daughter"), a place phrase ("moved here
from"), or an identifier's label ("member id is"). The census name gazetteer extends a name past its
first word and supplies the only context-free evidence (a first name followed by a surname).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

from raytranscribe.phi.lexicon import Lexicon

# Coarse parts of speech from the tagger's Penn tags (the attribute ruler that would set ``pos_`` is
# skipped for speed).
_POS = {"NNP": "PROPN", "NNPS": "PROPN", "MD": "AUX", "IN": "ADP", "DT": "DET", "PDT": "DET", "WDT": "DET",
        "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "EX": "PRON", "CC": "CCONJ", "CD": "NUM",
        "RP": "PART", "TO": "PART", "POS": "PART", "_SP": "SPACE"}
_POS.update({tag: "VERB" for tag in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")})
_POS.update({tag: "PUNCT" for tag in (".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP", "$", "#")})
# Parts of speech that never start a name or a place, whatever the gazetteer says.
_FUNCTION_POS = {"ADP", "AUX", "CCONJ", "DET", "NUM", "PART", "PRON", "PUNCT", "SPACE"}


def _pos(tok: Token) -> str:
    return _POS.get(tok.tag_, "X")
_WORDLIKE = re.compile(r"[a-z][a-z'.-]*[a-z]\.?|[a-z]\.?", re.IGNORECASE)


class _PhraseIndex:
    """Finds where cue phrases end. Matched on the text, not on spaCy tokens, because the tokenizer
    splits some cue words differently by case ("ID" stays whole, "id" becomes "i" + "d")."""

    def __init__(self, lex: Lexicon, phrases: Iterable[str]) -> None:
        self.regex = re.compile(rf"(?<![\w']){lex.phrase_regex(list(phrases))}(?![\w'])", re.IGNORECASE)

    def ends(self, text: str) -> set[int]:
        return {m.end() for m in self.regex.finditer(text)}

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.regex.finditer(text)]


def _words(tokens: list[Token]) -> str:
    return " ".join(t.lower_ for t in tokens)


def _ends_at(doc: list[Token], i: int, ends: set[int]) -> bool:
    end = doc[i].idx + len(doc[i].text)
    return end in ends or doc[i].text.endswith(".") and end - 1 in ends  # "Mrs." ends the cue "mrs"


class _ContextRecognizer(EntityRecognizer):
    def __init__(self, entities: list[str], lex: Lexicon) -> None:
        self.lex = lex
        super().__init__(supported_entities=entities, name=type(self).__name__)

    def load(self) -> None:  # everything is built in __init__
        pass

    def _is_word(self, tok: Token) -> bool:
        return bool(_WORDLIKE.fullmatch(tok.text)) and tok.lower_ not in self.lex.stop

    @staticmethod
    def _result(entity: str, doc: list[Token], first: int, last: int, score: float) -> RecognizerResult:
        return RecognizerResult(entity, doc[first].idx, doc[last].idx + len(doc[last].text.rstrip(".")), score)


class NameRecognizer(_ContextRecognizer):
    def __init__(self, lex: Lexicon, english: frozenset[str]) -> None:
        super().__init__(["NAME"], lex)
        # Dictionary words (WordNet, via spaCy's lemmatizer tables): a word that is not one, right after a
        # name, is taken as part of the name ("olumide bakare").
        self.english = english
        names = lex.raw["names"]
        self.titles = _PhraseIndex(lex, names["titles"])
        self.strong = _PhraseIndex(lex, [f"{p} {r}" for p in ("my", "his", "her", "our", "your", "their", "the") for r in names["relations"]]
                                   + [i for i in names["intros"] if i not in names["weak_intros"]])
        self.weak = _PhraseIndex(lex, names["weak_intros"])
        self.relations = lex.words("names", "relations") | lex.words("names", "titles")

    def _dictionary_word(self, low: str) -> bool:
        """True for a dictionary word or a regular inflection of one ("going", "referred", "tired")."""
        if low in self.english:
            return True
        for suffix, endings in (("ing", ("", "e")), ("ed", ("", "e")), ("ied", ("y",)), ("ies", ("y",)), ("es", ("",)),
                                ("s", ("",)), ("er", ("", "e")), ("est", ("", "e")), ("ly", ("", "le"))):
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                stem = low[: -len(suffix)]
                if any(stem + e in self.english for e in endings) or stem[-1:] == stem[-2:-1] and stem[:-1] in self.english:
                    return True
        return False

    def _candidate(self, tok: Token) -> bool:
        low = tok.lower_.rstrip(".")
        return self._is_word(tok) and low not in self.relations and not self.lex.is_drug(low) and _pos(tok) not in _FUNCTION_POS

    def _extend(self, doc: list[Token], i: int) -> int:
        """Last index of a name starting at i: following gazetteer names, initials or proper nouns."""
        last = i
        for j in range(i + 1, min(i + 3, len(doc))):
            tok = doc[j]
            low = tok.lower_.rstrip(".")
            initial = len(low) == 1 and j + 1 < len(doc) and self.lex.is_name(doc[j + 1].lower_)
            if not self._candidate(tok) and not initial:
                break
            unknown = not self._dictionary_word(low)
            trusted = low in self.lex.first_names or low in self.lex.common_last_names  # "smith", "young"
            if not (initial or trusted or unknown or _pos(tok) == "PROPN" and tok.text[:1].isupper()):
                break
            last = j
        return last

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        doc = list(nlp_artifacts.tokens)  # indexing a list is far cheaper than a Doc
        titles, strong, weak = self.titles.ends(text), self.strong.ends(text), self.weak.ends(text)
        results, found = [], set()
        for i in range(len(doc) - 1):
            nxt = doc[i + 1]
            strong_cue = _ends_at(doc, i, titles) or _ends_at(doc, i, strong)
            # After "my name is" / "Dr." a capitalized word is the name even if it is also a word ("Beyond").
            capitalized = strong_cue and nxt.is_alpha and nxt.text[:1].isupper() and nxt.text[1:].islower()
            if not (self._candidate(nxt) or capitalized):
                continue
            low = nxt.lower_.rstrip(".")
            if capitalized:
                ok, score = True, 0.8
            elif strong_cue:
                ok, score = _pos(nxt) != "VERB" or self.lex.is_name(low) or not self._dictionary_word(low), 0.8
            elif _ends_at(doc, i, weak):
                ok = low in self.lex.first_names or _pos(nxt) == "PROPN" and nxt.text[:1].isupper() or not self._dictionary_word(low)
                score = 0.6
            elif low in self.lex.first_names and i + 2 < len(doc) and doc[i + 2].lower_ in self.lex.last_names and self._candidate(doc[i + 2]):
                ok, score = True, 0.5  # "john smith" with no cue: first name + surname
            else:
                continue
            if ok:
                last = self._extend(doc, i + 1)
                results.append(self._result("NAME", doc, i + 1, last, score))
                found.update(t.lower_ for t in doc[i + 1 : last + 1] if len(t) > 2)
        # "jose is my son": a word introduced as someone's relation is a name.
        for i in range(len(doc) - 3):
            low = doc[i].lower_
            if (doc[i + 1].lower_ in ("is", "was") and doc[i + 2].lower_ in ("my", "his", "her", "our", "their", "your")
                    and doc[i + 3].lower_ in self.relations and self._candidate(doc[i])
                    and (self.lex.is_name(low) or not self._dictionary_word(low))):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(low)
        # "Hiroshi's wife", "tom's daughter": a word owning a relation is a name.
        for i in range(len(doc) - 2):
            if doc[i + 1].lower_ == "'s" and doc[i + 2].lower_ in self.relations and self._candidate(doc[i]) \
                    and not any(r.start <= doc[i].idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(doc[i].lower_)
        # A name said once with a cue is a name everywhere else in the same text.
        for tok in doc:
            if tok.lower_ in found and not any(r.start <= tok.idx < r.end for r in results):
                results.append(self._result("NAME", doc, tok.i, tok.i, 0.6))
        return results


class PlaceRecognizer(_ContextRecognizer):
    def __init__(self, lex: Lexicon, verbs: frozenset[str], english: frozenset[str]) -> None:
        super().__init__(["CITY"], lex)
        self.english = english
        # Known English verbs: after "moved to", the tagger calls any unknown word a verb ("tacoma").
        self.verbs = verbs
        places = lex.raw["places"]
        # "moved here from", "moved up here from", "came down from", ...: every particle combination.
        movement = [f"{verb} {particle} {prep}".replace("  ", " ") for verb in ("moved", "moving", "move", "came", "come",
                    "drove", "flew", "relocated", "transferred", "commute", "commuted") for particle in ("", "up",
                    "down", "over", "back", "out", "here", "up here", "down here", "over here", "back here", "out here",
                    "all the way") for prep in ("from", "to")]
        residence = [f"{verb} {particle} {prep}".replace("  ", " ") for verb in places["residence"]
                     for particle in ("", "over", "out", "down", "up", "back", "right", "just outside of", "near")
                     for prep in ("in", "near", "by", "outside")]
        self.intros = _PhraseIndex(lex, [*places["intros"], *movement, *residence])
        self.loose_intros = _PhraseIndex(lex, places["loose_intros"])
        self.prefixes = lex.words("places", "prefixes")
        self.suffixes = lex.words("places", "suffixes")
        self.street_ends = lex.words("address", "strong_suffixes") | lex.words("address", "weak_suffixes")
        self.units = lex.words("address", "units")
        self.states = lex.words("places", "states")
        self.state_codes = lex.words("places", "state_codes")
        self.large = self.states | self.state_codes | lex.words("places", "regions")

    def _name_tokens(self, doc: list[Token], i: int) -> int:
        """Last index of a place name starting at i, or i - 1 when none starts there."""
        j, last, core = i, i - 1, False
        while j < len(doc) and j < i + 4:
            tok, low = doc[j], doc[j].lower_
            if low in self.prefixes and not core and j + 1 < len(doc) and self._is_word(doc[j + 1]):
                j += 1
                continue
            if core and low in self.suffixes:
                last = j
                break
            # An inflected verb ("moved", "lives") or a known base form; "tacoma" tagged VB is neither.
            verb = tok.tag_ in ("VBD", "VBG", "VBN", "VBZ") or tok.tag_ in ("VB", "VBP") and low in self.verbs
            if not self._is_word(tok) or _pos(tok) in _FUNCTION_POS or verb or self.lex.is_drug(low):
                break
            core, last = True, j
            j += 1
            if j - i >= 2 and not (j < len(doc) and _pos(doc[j]) == "PROPN" and doc[j].text[:1].isupper()):
                break  # two words ("baton rouge"), more only when capitalized
        if core and _words(doc[i : last + 1]) in self.large:
            return i - 1
        if core and last + 1 < len(doc) and doc[last + 1].lower_ in self.suffixes:
            last += 1
        return last if core else i - 1

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        doc = list(nlp_artifacts.tokens)  # indexing a list is far cheaper than a Doc
        intros, loose_intros = self.intros.ends(text), self.loose_intros.ends(text)
        results = []
        for i in range(len(doc) - 1):
            cue = _ends_at(doc, i, intros)
            # "... 12 Oak Street in Springfield", "... Oak Street, Springfield", "... Apt 4 in Springfield"
            house_number = any(t.like_num for t in doc[max(0, i - 7) : i])
            after_street = i > 0 and house_number and (
                doc[i].lower_ in ("in", ",") and doc[i - 1].lower_.rstrip(".") in self.street_ends
                or doc[i].lower_ == "in" and doc[i - 1].like_num and any(t.lower_.rstrip(".#") in self.units for t in doc[max(0, i - 4) : i - 1]))
            loose = not cue and not after_street and _ends_at(doc, i, loose_intros) and i + 1 < len(doc) and (
                doc[i + 1].text[:1].isupper() and _pos(doc[i + 1]) == "PROPN" or doc[i + 1].lower_ not in self.english)
            if not cue and not after_street and not loose:
                continue
            start = i + 1 + (doc[i + 1].lower_ == "the" and i + 2 < len(doc) and doc[i + 2].lower_ in ("city", "town", "village"))
            last = self._name_tokens(doc, start)
            while last >= start:
                results.append(self._result("CITY", doc, start, last, 0.7))
                # "from chattanooga to knoxville", "in dayton or kettering": the next place in the list.
                if not (last + 2 < len(doc) and doc[last + 1].lower_ in ("to", "and", "or", "then")):
                    break
                start = last + 2
                last = self._name_tokens(doc, start)
        # "<place>, zip code ..." / "<place> <state>": the words just before are the city.
        for i, tok in enumerate(doc):
            # A postal code counts only as written after a city: "Evanston, IL" (not "member ID", "OK").
            code = tok.text.isupper() and tok.lower_ in self.state_codes and i > 0 and doc[i - 1].text == ","
            state = tok.lower_ in self.states or code
            if tok.lower_ not in ("zip", "zipcode", "postcode") and not state:
                continue
            j = i - 1 - (i > 0 and doc[i - 1].text == ",")
            first = j
            while first >= 0 and j - first < 3 and self._is_word(doc[first]) and _pos(doc[first]) not in _FUNCTION_POS:
                first -= 1
            first += 1
            if first > 0 and doc[first - 1].lower_ in self.prefixes:
                first -= 1
            if first <= j and _words(doc[first : j + 1]) not in self.large:
                results.append(self._result("CITY", doc, first, j, 0.55))
        return results


class CuedIdentifierRecognizer(_ContextRecognizer):
    """An identifier read out after its label: "member id is c u 9 6 9...", "the last four are 1234"."""

    FILLERS = {"number", "numbers", "no", "#", "is", "was", "are", "were", ":", "it", "it's", "its", "of", "my",
               "the", "your", "his", "her", "id", "code", "digits", "reads", "that", "'s", "be", "should", "social",
               "security", "card", "a", "an", "-", "=", "on", "says", "read", "like", "um", "uh", "so", ",", "me",
               "at", "us", "him", "them", "to", "by", "or", "ends", "ending", "in", "with", "starts", "starting"}

    def __init__(self, lex: Lexicon) -> None:
        kinds = lex.raw["identifiers"]
        super().__init__(sorted(kinds), lex)
        self.cues = {kind: _PhraseIndex(lex, phrases) for kind, phrases in kinds.items()}

    @staticmethod
    def _id_part(tok: Token) -> bool:
        t = tok.text
        return any(c.isdigit() for c in t) or (len(t) == 1 and t.isalpha()) or (t.isalnum() and any(c.isdigit() for c in t)) or t == "-"

    def _value_after(self, doc: list[Token], i: int, kind: str) -> tuple[int, int]:
        """Token range [first, j) of an identifier read out after a cue ending at token i."""
        j = i + 1
        while j < len(doc) and j < i + 8 and doc[j].lower_ in self.FILLERS and not doc[j].like_num:
            j += 1
        # "the serial on the cpap is X9 44721 B": other words between label and value, up to a copula.
        # Not for phone cues: "call", "cell" and "text" are everyday words.
        if j < len(doc) and not self._id_part(doc[j]) and kind != "PHONE":
            copula = next((k for k in range(j, min(j + 5, len(doc))) if doc[k].lower_ in ("is", "are", "was", ":", "'s")), None)
            if copula is not None:
                j = copula + 1
        first = j
        # A short letter prefix counts when digits follow: "WKP 449102773", ASR's "up 901,960,954".
        if j + 1 < len(doc) and doc[j].is_alpha and len(doc[j]) <= 3 and any(c.isdigit() for c in doc[j + 1].text):
            j += 1
        while j < len(doc):
            if self._id_part(doc[j]):
                j += 1
            elif doc[j].text in (",", ".", "-") and j + 1 < len(doc) and doc[j + 1].like_num:
                j += 1  # a pause between digit groups: "four one two, six six, nine oh three one"
            elif doc[j].lower_ in ("dash", "hyphen") and j + 1 < len(doc) and self._id_part(doc[j + 1]):
                j += 1  # "h m o dash four four one"
            else:
                break
        while j > first and doc[j - 1].lower_ in ("i", "a"):  # "... 08292 i'm 65": a pronoun ends the ID
            j -= 1
        return first, j

    def _value_before(self, doc: list[Token], i: int) -> tuple[int, int]:
        """Token range of an identifier said before its cue, which starts at token i: "5551212 is my cell"."""
        k = i - 1
        while k >= 0 and i - k < 4 and doc[k].lower_ in ("is", "was", "'s", "my", "the", "that", "his", "her", "your"):
            k -= 1
        if not any(t.lower_ in ("is", "was", "'s") for t in doc[k + 1 : i]):
            return i, i  # the value must be joined to the cue by "is my" or the like
        last = k
        while k >= 0 and (self._id_part(doc[k]) or doc[k].text in (",", "-") and k > 0 and doc[k - 1].like_num):
            k -= 1
        return k + 1, last + 1

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        doc = list(nlp_artifacts.tokens)  # indexing a list is far cheaper than a Doc
        cues = {kind: idx.spans(text) for kind, idx in self.cues.items()}
        starts = {start: kind for kind, spans in cues.items() for start, _ in spans}
        ends = {end: kind for kind, spans in cues.items() for _, end in spans}
        results = []
        for i, tok in enumerate(doc):
            found = []
            if (kind := ends.get(tok.idx + len(tok.text))) is not None:
                found.append((kind, *self._value_after(doc, i, kind)))
            if (kind := starts.get(tok.idx)) is not None:
                found.append((kind, *self._value_before(doc, i)))
            for kind, first, j in found:
                chars = "".join(t.text for t in doc[first:j] if t.text not in ",-.")
                if j > first and any(c.isdigit() for c in chars) and len(chars) >= 2:
                    results.append(self._result(kind, doc, first, j - 1, 0.7))
        return results
