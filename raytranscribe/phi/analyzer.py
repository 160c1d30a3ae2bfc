"""Builds the Presidio analyzer: a lean spaCy pipeline plus only this package's recognizers.

Everything loads from installed packages; nothing here may touch the network. Presidio's default
recognizers are not registered (its e-mail and URL ones call tldextract, which downloads a suffix list,
and its DATE_TIME/ORGANIZATION/NRP results flag "today", "Tylenol" and "Bell's").
"""

from __future__ import annotations

import logging
import re

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.tokens import Doc

from raytranscribe.errors import UserError
from raytranscribe.phi.context import CuedIdentifierRecognizer, NameRecognizer, PlaceRecognizer
from raytranscribe.phi.lexicon import Lexicon
from raytranscribe.phi.patterns import pattern_recognizers

# spaCy NER labels kept, as Presidio entity types; DATE/CARDINAL/ORG etc. are ours to find or not PHI.
NER_MAPPING = {"PERSON": "NAME", "GPE": "CITY", "FAC": "ADDRESS"}


class _LeanSpacyEngine(SpacyNlpEngine):
    """Runs only tok2vec, tagger and NER. The parser is not loaded; the attribute ruler and lemmatizer
    are loaded (their word tables are used) but not run, and lowercase words stand in for lemmas."""

    ordinary_words: frozenset[str] = frozenset()  # dictionary and stop words, set once the model is loaded
    non_nouns: frozenset[str] = frozenset()  # dictionary verbs, adjectives and adverbs

    def load(self) -> None:
        name = self.models[0]["model_name"]
        if not spacy.util.is_package(name):
            # Presidio would try to download it; we never do.
            raise UserError(f"spaCy model '{name}' is not installed (pip install {name.replace('_', '-')})")
        nlp = spacy.load(name, exclude=["parser", "senter"], disable=["attribute_ruler", "lemmatizer"])
        # spaCy splits a bare "id" into "i" + "d" (for "I'd"); in a clinic "member id" is far likelier.
        nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k.lower() != "id"}
        self.nlp = {"en": nlp}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        nlp = self.nlp[language]
        doc = nlp.make_doc(text)
        run_ner = _has_proper_capitals(doc, self.ordinary_words)
        for name, component in nlp.pipeline:
            if name != "ner" or run_ner:
                doc = component(doc)
        return self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self, language=language, scores=scores)


class _NerRecognizer(SpacyRecognizer):
    """spaCy NER, trusted only where it can be: on lowercase ASR text the small model calls phrases like
    "zip code" a PERSON, so a lowercase entity needs a gazetteer name (NAME) or is dropped (CITY)."""

    def __init__(self, lex: Lexicon, english: frozenset[str]) -> None:
        super().__init__(supported_entities=sorted(set(NER_MAPPING.values())), ner_strength=0.6)
        self.lex = lex
        self.english = english
        self.cues = lex.stop | lex.words("names", "relations") | lex.words("names", "titles")

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: ANN001 - Presidio's signature
        kept = []
        tags = {t.idx: t.tag_ for t in nlp_artifacts.tokens}
        for r in super().analyze(text, entities, nlp_artifacts):
            r.start, r.end = self._trim(text, r.start, r.end, r.entity_type)
            if r.end > r.start and self._plausible(text, r.start, r.end, r.entity_type) \
                    and not self._modifier_at_start(text, r.start, r.end, tags):
                kept.append(r)
        return kept

    def _modifier_at_start(self, text: str, start: int, end: int, tags: dict[int, str]) -> bool:
        """"Frank blood in the stool", "Rusty nail went in", "Pat the area dry": a sentence's first word, an
        ordinary word, before a common noun describes the noun, and before an article or "it" is a verb
        telling someone what to do; a name would be followed by a verb or a surname."""
        surface = text[start:end]
        if " " in surface or surface.lower() not in self.english or text[:start].strip() and text[:start].rstrip()[-1] not in ".?!":
            return False
        if re.match(r"\s+\d", text[end:]):
            return True  # "Hemoglobin 6.8 this morning": a measurement's label
        after = re.match(r"\s+([a-z]+)\b", text[end:])
        return bool(after) and (tags.get(end + after.start(1)) in ("NN", "NNS") or after.group(1) in ("the", "a", "an", "it"))

    def _trim(self, text: str, start: int, end: int, entity: str) -> tuple[int, int]:
        """Drop cue words NER pulls into an entity ("daughter Charles" -> "Charles"), and what follows a number
        in a name ("Lasix 40 IV twice" -> "Lasix": no name holds a dose; "Ray 2 Bulls" is "Ray Two Bulls")."""
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        digit = next((k for k, (a, b) in enumerate(words) if any(c.isdigit() for c in text[a:b])
                      and not (k + 1 < len(words) and text[words[k + 1][0] : words[k + 1][1]].istitle())), None)
        if digit is not None and entity == "NAME":
            words = words[:digit]
        while words and text[words[0][0] : words[0][1]].lower() in self.cues:
            words.pop(0)
        while words and text[words[-1][0] : words[-1][1]].lower().strip(".,") in self.cues:
            words.pop()
        return (words[0][0], words[-1][1]) if words else (start, start)

    def _plausible(self, text: str, start: int, end: int, entity: str) -> bool:
        surface = text[start:end]
        if entity != "NAME" and " " not in surface and surface.lower() in self.english:
            # A capitalized ordinary word ("date of Birth") is a place only after a place preposition.
            return bool(re.search(r"\b(?:in|from|to|at|near|of the town of)\s*$", text[:start], re.IGNORECASE))
        if " " not in surface and re.search(r"\b(?:the|a|an)\s+$" if entity == "NAME" else r"\b(?:a|an)\s+$", text[:start], re.IGNORECASE):
            return False  # "leave the Foley in", "cover it with a Tegaderm": a thing, not a person or a place
        if any(c.isupper() for c in surface):
            return True
        return entity == "NAME" and any(self.lex.is_name(w) for w in surface.split())


def _has_proper_capitals(doc: Doc, ordinary: frozenset[str]) -> bool:
    """Whether a word looks like a proper noun: capitalized mid-sentence, or capitalized at a sentence start
    and no ordinary word ("Sarah's here"). Without one (lowercase ASR text, or cased text naming nobody)
    the small NER model has nothing it can find reliably, so it is skipped: it is the costliest step.
    Names and places in lowercase text come from the context recognizers."""
    previous = "."
    for tok in doc:
        word = tok.text
        if len(word) > 1 and word[0].isupper() and word[1:].islower() and word != "I'm":
            if previous not in ".?!\"'" or word.lower() not in ordinary:
                return True
        previous = word
    return False


def quiet_presidio() -> None:
    """Presidio warns per call about unmapped labels and logs decision details; keep its logger silent."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


def build_analyzer(spacy_model: str, lex: Lexicon) -> AnalyzerEngine:
    quiet_presidio()
    ner = NerModelConfiguration(
        model_to_presidio_entity_mapping=NER_MAPPING,
        labels_to_ignore=["DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "ORG", "NORP",
                          "EVENT", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "LOC"],
        low_score_entity_names=[],
    )
    nlp_engine = _LeanSpacyEngine(models=[{"lang_code": "en", "model_name": spacy_model}], ner_model_configuration=ner)
    nlp_engine.load()
    lookups = nlp_engine.get_nlp("en").get_pipe("lemmatizer").lookups
    word_index = lookups.get_table("lemma_index")
    # Irregular inflected verb forms ("drove", "took"): never the base form a modal takes.
    inflected = frozenset(w for w, lemmas in lookups.get_table("lemma_exc")["verb"].items() if w not in lemmas)
    verbs = frozenset(word_index["verb"])
    descriptive = frozenset(word_index["adj"]) | frozenset(word_index["adv"])
    non_nouns = verbs | descriptive
    english = non_nouns | frozenset(word_index["noun"])
    nlp_engine.ordinary_words = english | lex.stop | inflected  # ("met", "drove": no names either)
    nlp_engine.non_nouns = non_nouns
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        *pattern_recognizers(lex),
        _NerRecognizer(lex, english),
        NameRecognizer(lex, english, non_nouns, descriptive, inflected),
        PlaceRecognizer(lex, verbs, english, frozenset(word_index["adj"]), frozenset(word_index["adv"])),
        CuedIdentifierRecognizer(lex),
    ):
        registry.add_recognizer(recognizer)
    enhancer = LemmaContextAwareEnhancer(context_prefix_count=6, context_matching_mode="whole_word")
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"],
                          context_aware_enhancer=enhancer)
