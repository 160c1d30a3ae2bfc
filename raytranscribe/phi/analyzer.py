"""Builds the Presidio analyzer: a lean spaCy pipeline plus only this package's recognizers.

Everything loads from installed packages; nothing here may touch the network. Presidio's default
recognizers are not registered (its e-mail and URL ones call tldextract, which downloads a suffix list,
and its DATE_TIME/ORGANIZATION/NRP results flag "today", "Tylenol" and "Bell's").
"""

from __future__ import annotations

import logging

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from raytranscribe.errors import UserError
from raytranscribe.phi.context import CuedIdentifierRecognizer, NameRecognizer, PlaceRecognizer
from raytranscribe.phi.lexicon import Lexicon
from raytranscribe.phi.patterns import pattern_recognizers

# spaCy NER labels kept, as Presidio entity types; DATE/CARDINAL/ORG etc. are ours to find or not PHI.
NER_MAPPING = {"PERSON": "NAME", "GPE": "CITY", "FAC": "ADDRESS"}


class _LeanSpacyEngine(SpacyNlpEngine):
    """Loads the installed model without the parser (unused, and the slowest component)."""

    def load(self) -> None:
        name = self.models[0]["model_name"]
        if not spacy.util.is_package(name):
            # Presidio would try to download it; we never do.
            raise UserError(f"spaCy model '{name}' is not installed (pip install {name.replace('_', '-')})")
        self.nlp = {"en": spacy.load(name, exclude=["parser", "senter"])}


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
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        *pattern_recognizers(lex),
        SpacyRecognizer(supported_entities=sorted(set(NER_MAPPING.values())), ner_strength=0.6),
        NameRecognizer(lex),
        PlaceRecognizer(lex),
        CuedIdentifierRecognizer(lex),
    ):
        registry.add_recognizer(recognizer)
    enhancer = LemmaContextAwareEnhancer(context_prefix_count=6, context_matching_mode="whole_word")
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"],
                          context_aware_enhancer=enhancer)
