"""Shared machinery of the context recognizers: cue phrase matching, coarse parts of speech."""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.tokens import Token

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.lexicon import Lexicon
from raytranscribe.phi.numbers import normalize
from raytranscribe.phi.types import BY_GRAMMAR

# Coarse parts of speech from the tagger's Penn tags (the attribute ruler that would set ``pos_`` is
# skipped for speed).
_POS = {"NNP": "PROPN", "NNPS": "PROPN", "MD": "AUX", "IN": "ADP", "DT": "DET", "PDT": "DET", "WDT": "DET",
        "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "EX": "PRON", "CC": "CCONJ", "CD": "NUM",
        "RP": "PART", "TO": "PART", "POS": "PART", "_SP": "SPACE"}
_POS.update({tag: "VERB" for tag in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")})
_POS.update({tag: "PUNCT" for tag in (".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP", "$", "#")})
# Parts of speech that never start a name or a place, whatever the gazetteer says.
FUNCTION_POS = {"ADP", "AUX", "CCONJ", "DET", "NUM", "PART", "PRON", "PUNCT", "SPACE"}


def pos_of(tok: Token) -> str:
    return _POS.get(tok.tag_, "X")
# A span the grammar names outranks the same span from the NER model (whose score is 0.85): Presidio keeps one of
# two equal spans, the higher-scored, and only the grammar's may stand against a clinical look-alike ("wife Mercy
# Saintil" is no hospital).
GRAMMAR_SCORE = 0.9
# Any script's letters: names arrive with accents ("Ramón", "Wójcik").
_LETTER = r"[^\W\d_]"
_WORDLIKE = re.compile(rf"{_LETTER}(?:(?:{_LETTER}|['.-])*{_LETTER})?\.?")


class PhraseIndex:
    """Finds where cue phrases end. Matched on the text, not on spaCy tokens, because the tokenizer
    splits some cue words differently by case ("ID" stays whole, "id" becomes "i" + "d")."""

    def __init__(self, lex: Lexicon, phrases: Iterable[str], first: Iterable[str] = (), then: Iterable[str] = ()) -> None:
        """``phrases``, each after one of the ``first`` words if given, with one of the ``then`` words
        allowed in between ("my" "best" "friend")."""
        # Recognizers see number-normalized text: "first name" arrives as "1st name", "last four" as "last 4".
        phrases = {p for phrase in phrases for p in (phrase, normalize(phrase).text)}
        pattern = lex.phrase_regex(list(phrases))
        if first:
            between = rf"(?:{lex.phrase_regex(list(then))}[\s,]+)?" if then else ""
            pattern = rf"{lex.phrase_regex(list(first))}[\s,]+{between}{pattern}"
        # A lookahead, so that overlapping cues all count: "patient's name" and "name is" in "patient's name is".
        # A hesitation after a cue belongs to it: "his name is uh rafael".
        fillers = "|".join(sorted(FILLERS))
        self.regex = re.compile(rf"(?<![\w'])(?=((?:{pattern})(?:,?\s+(?:{fillers})\b,?)*)(?![\w']))", re.IGNORECASE)

    def ends(self, text: str) -> set[int]:
        return {m.end(1) for m in self.regex.finditer(text)}

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span(1) for m in self.regex.finditer(text)]


def dictionary_word(low: str, english: frozenset[str]) -> bool:
    """True for a dictionary word or a regular inflection of one ("going", "referred", "records")."""
    if low in english:
        return True
    for suffix, endings in (("ing", ("", "e")), ("ed", ("", "e")), ("ied", ("y",)), ("ies", ("y",)), ("es", ("",)),
                            ("s", ("",)), ("er", ("", "e")), ("est", ("", "e")), ("ly", ("", "le"))):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            if any(stem + e in english for e in endings) or stem[-1:] == stem[-2:-1] and stem[:-1] in english:
                return True
    return False


def words_of(tokens: list[Token]) -> str:
    return " ".join(t.lower_ for t in tokens)


def taken(tok: Token, results: list[RecognizerResult]) -> bool:
    """Whether a result found so far already covers ``tok``."""
    return any(r.start <= tok.idx < r.end for r in results)


def ends_at(doc: list[Token], i: int, ends: set[int]) -> bool:
    end = doc[i].idx + len(doc[i].text)
    # ("Mrs." and "ms ." end the cue "mrs"; a full stop after a whole word ends the sentence: "her husband. work")
    abbreviation = len(doc[i].text) > 1 or i > 0 and len(doc[i - 1].text) <= 4
    return end in ends or abbreviation and doc[i].text.endswith(".") and end - 1 in ends


class ContextRecognizer(EntityRecognizer):
    def __init__(self, entities: list[str], lex: Lexicon) -> None:
        self.lex = lex
        super().__init__(supported_entities=entities, name=type(self).__name__)

    def load(self) -> None:  # everything is built in __init__
        pass

    def _is_word(self, tok: Token) -> bool:
        return bool(_WORDLIKE.fullmatch(tok.text)) and tok.lower_ not in self.lex.stop

    @staticmethod
    def _result(entity: str, doc: list[Token], first: int, last: int, score: float,
                by_grammar: bool = False) -> RecognizerResult:
        """``by_grammar``: the sentence's grammar says it, which outranks a look-alike (see GRAMMAR_SCORE)."""
        result = RecognizerResult(entity, doc[first].idx, doc[last].idx + len(doc[last].text.rstrip(".")),
                                  GRAMMAR_SCORE if by_grammar else score)
        if by_grammar:
            result.recognition_metadata = {BY_GRAMMAR: True}
        return result
