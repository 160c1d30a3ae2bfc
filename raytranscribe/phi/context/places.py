"""Cities, towns and counties after place phrases, before a state or a ZIP code."""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

from raytranscribe.phi.context.base import ContextRecognizer, FUNCTION_POS, PhraseIndex, dictionary_word, ends_at, pos_of, words_of
from raytranscribe.phi.lexicon import Lexicon


# Words inside a place name ("fond du lac") and suffixes that make any word before them a place.
_CONNECTORS = {"du", "de", "del", "des", "la", "le", "d'"}
_ADMINISTRATIVE = {"county", "parish", "township", "borough"}
# Place prefixes that start nothing else after "in" ("in fort wayne"; not "in new pain", nor "saint" hospitals).
_TRAVEL = {"from", "went", "go", "goes", "going", "gone", "moved", "move", "moving", "drove", "drive", "driving", "flew",
           "fly", "came", "come", "coming", "headed", "heading", "back", "home", "trip", "travel", "traveled", "travelled",
           "relocated", "returned", "returning", "way", "flying", "flight", "leaving", "departing", "visiting"}
_TOWN_PREFIXES = {"lake", "fort", "ft", "mount", "mt", "port", "san", "santa", "los", "las"}


class PlaceRecognizer(ContextRecognizer):
    def __init__(self, lex: Lexicon, verbs: frozenset[str], english: frozenset[str], adjectives: frozenset[str],
                 adverbs: frozenset[str]) -> None:
        super().__init__(["CITY"], lex)
        self.english = english
        self.adjectives = adjectives  # "came from urgent care": an adjective starts no place name unless it names one
        self.adverbs = adverbs  # "from yonkers overnight": an adverb ends a place name
        # Known English verbs: after "moved to", the tagger calls any unknown word a verb ("tacoma").
        self.verbs = verbs
        places = lex.raw["places"]
        # "moved here from", "moved up here from", "came down from", ...: every particle combination.
        movement = [f"{verb} {particle} {prep}".replace("  ", " ") for verb in ("moved", "moving", "move", "moves", "came", "come",
                    "comes", "coming", "drove", "drive", "drives", "driving", "flew", "fly", "flies", "flying", "relocated",
                    "transferred", "commute", "commutes", "commuted", "commuting") for particle in ("", "in", "up",
                    "down", "over", "back", "out", "here", "up here", "down here", "over here", "back here", "out here",
                    "all the way") for prep in ("from", "to")]
        def near(verbs: list[str]) -> list[str]:
            return [f"{verb} {particle} {prep}".replace("  ", " ") for verb in verbs
                    for particle in ("", "over", "out", "down", "up", "back", "right", "just outside of", "near")
                    for prep in ("in", "near", "by", "outside")]

        self.intros = PhraseIndex(lex, [*places["intros"], *movement, *near(places["residence"])])
        self.loose_intros = PhraseIndex(lex, [*places["loose_intros"], *near(places["workplace"])])
        self.prefixes = lex.words("places", "prefixes")
        self.suffixes = lex.words("places", "suffixes")
        self.strong_street_ends = lex.words("address", "strong_suffixes")
        self.street_ends = self.strong_street_ends | lex.words("address", "weak_suffixes")
        self.units = lex.words("address", "units")
        # "apartment 4 b, ...", not "accession number 18832, ..." or a ward's "Room 312, Bed B, ..."
        self.dwelling_units = self.units - {"number", "no", "#", "room", "rm", "floor", "fl"}
        self.states = lex.words("places", "states")
        self.state_codes = lex.words("places", "state_codes")
        self.large = self.states | self.state_codes | lex.words("places", "regions")
        self.titles = lex.words("names", "titles") - self.prefixes  # "st" and "mt" start places too
        self.small_cities = lex.us_cities - self.large  # "new york" is a state too

    def _name_tokens(self, doc: list[Token], i: int) -> int:
        """Last index of a place name starting at i, or i - 1 when none starts there."""
        if n := self._known_city_at(doc, i):  # a known city of ordinary words, whatever the tagger calls them
            return i + n - 1
        if i < len(doc) and doc[i].lower_.rstrip(".") in self.titles:
            return i - 1  # "from Dr. Lindqvist's office": a person, not a place
        j, last, core = i, i - 1, False
        while j < len(doc) and j < i + 4:
            tok, low = doc[j], doc[j].lower_
            if low in self.prefixes and not core and j + 1 < len(doc) and self._is_word(doc[j + 1]):
                j += 1
                continue
            if not core and self._numbered_name(doc, j):
                j += 1
                continue
            if core and low in self.suffixes:
                last = j
                break
            if core and low in _CONNECTORS and j + 1 < len(doc) and self._is_word(doc[j + 1]):
                j += 1  # "fond du lac", "coeur d'alene"
                continue
            # An inflected verb ("moved", "lives") or a known base form; "tacoma" tagged VB is neither, nor
            # "tulsa" or "fresno" tagged VBG (the tagger guesses at words it does not know).
            verb = tok.tag_ in ("VBD", "VBG", "VBN", "VBZ") and (low.endswith(("ing", "ed", "en", "s")) or low in self.verbs) \
                or tok.tag_ in ("VB", "VBP") and low in self.verbs
            # The tagger calls an unknown lowercase word anything ("murfreesboro" a number): trust it for known words.
            function = pos_of(tok) in FUNCTION_POS and low in self.english
            if not self._is_word(tok) or function or verb or self.lex.is_drug(low) \
                    or low in self.adverbs and not tok.text[:1].isupper() and (core or low.endswith("ly")) \
                    or not core and self._adjective_not_place(doc, j):
                break
            core, last = True, j
            j += 1
            if j - i >= 2 and not (j < len(doc) and pos_of(doc[j]) == "PROPN" and doc[j].text[:1].isupper()):
                break  # two words ("baton rouge"), more only when capitalized
        if core and words_of(doc[i : last + 1]) in self.large:
            return i - 1
        if core and last + 1 < len(doc) and doc[last + 1].lower_ in self.suffixes:
            last += 1
        return last if core else i - 1

    @staticmethod
    def _numbered_name(doc: list[Token], j: int) -> bool:
        """"near Two Harbors", "Three Rivers": a number word before a capitalized name (it arrives as a digit);
        not a hospital ward ("from 4 West")."""
        return len(doc[j].text) == 1 and doc[j].text.isdigit() and j + 1 < len(doc) \
            and doc[j + 1].text[:1].isupper() and pos_of(doc[j + 1]) == "PROPN" \
            and doc[j + 1].lower_ not in ("north", "south", "east", "west")

    def _adjective_not_place(self, doc: list[Token], j: int) -> bool:
        """"urgent care": a lowercase adjective that names no city and is not followed by a place suffix."""
        low = doc[j].lower_
        if low not in self.adjectives or doc[j].text[:1].isupper() or low in self.lex.us_cities:
            return False
        return not (j + 1 < len(doc) and (doc[j + 1].lower_ in self.suffixes | _CONNECTORS
                                           or words_of(doc[j : j + 2]) in self.lex.us_cities))

    def _known_city_at(self, doc: list[Token], j: int) -> int:
        """Words in a known city's name of two or three words starting at ``j`` (0: none)."""
        return next((n for n in (3, 2) if j + n <= len(doc) and words_of(doc[j : j + n]) in self.small_cities), 0)

    def _unit_number_ends(self, doc: list[Token], j: int, units: frozenset[str] | None = None) -> bool:
        """Whether an apartment or suite number ends at ``j``: "apt 4", "apartment 2 b", "unit 12c"."""
        if j > 0 and len(doc[j].text) == 1 and doc[j].is_alpha and doc[j - 1].like_num:
            j -= 1  # "2 b": ASR spells the unit's letter apart
        units = self.units if units is None else units
        for k in range(j - 1, max(-1, j - 4), -1):  # (within the clause: not "step-down unit; GCS 15")
            if doc[k].lower_.rstrip(".#") in units or doc[k].text == "#" and k == j - 1:  # ("St #4, Portland")
                return doc[j].like_num
            if doc[k].is_punct and doc[k].text not in ("#", "."):  # ("Apt. 382", "apt # 4")
                break
        return False

    def _named_place_follows(self, doc: list[Token], j: int) -> bool:
        """After a bare "in", words that can only be a place: "in fulton county", a known city of two words ("in
        saint paul"), "in lake geneva" (a prefix that starts only place names), "in little saigon" (a place prefix
        before a word no dictionary knows)."""
        if j + 1 >= len(doc):
            return False
        if self._known_city_at(doc, j):  # "in saint paul", "in Back Bay"
            return True
        if not self._is_word(doc[j]) or pos_of(doc[j]) in FUNCTION_POS and doc[j].lower_ in self.english:
            return False
        if doc[j + 1].lower_ in _ADMINISTRATIVE or doc[j].lower_ in self.prefixes and doc[j + 1].lower_ in self.lex.us_cities:
            return True  # "in fulton county", "in south boston"
        if not (doc[j].lower_ in self.prefixes and self._is_word(doc[j + 1]) and not self.lex.is_drug(doc[j + 1].lower_)):
            return False
        return doc[j].lower_ in _TOWN_PREFIXES or doc[j + 1].lower_ not in self.english \
            or doc[j + 1].lower_ in self.lex.world_cities  # "in Little Saigon"

    @staticmethod
    def _ends_po_box(doc: list[Token], i: int) -> bool:
        """"P.O. Box 4471, Flagstaff", "po box 4471 flagstaff", "box 381 in kayenta": the town follows the box
        number."""
        if i > 1 and doc[i].lower_ in (",", "in") and doc[i - 1].like_num:
            i -= 1
        return i > 0 and doc[i].like_num and doc[i - 1].lower_ == "box"

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        doc = list(nlp_artifacts.tokens)  # indexing a list is far cheaper than a Doc
        intros, loose_intros = self.intros.ends(text), self.loose_intros.ends(text)
        results = []
        for i in range(len(doc) - 1):
            cue = ends_at(doc, i, intros)
            # "... 12 Oak Street in Springfield", "... Oak Street, Springfield", "... Apt 4 in Springfield"
            house_number = any(t.like_num for t in doc[max(0, i - 7) : i])
            after_street = i > 0 and house_number and (
                doc[i].lower_ in ("in", ",") and doc[i - 1].lower_.rstrip(".") in self.street_ends
                or doc[i].lower_ == "in" and self._unit_number_ends(doc, i - 1)
                or doc[i].text == "," and self._unit_number_ends(doc, i - 1, self.dwelling_units)  # "apt 4 b, fort collins"
                # "2207 quail run court bloomington": no comma in ASR text
                or doc[i].lower_ in self.strong_street_ends and i + 1 < len(doc) and doc[i + 1].lower_ not in self.units
                and doc[i - 1].lower_ not in self.lex.stop  # a street's name before its kind (not "No street delivery")
            ) or self._ends_po_box(doc, i)
            nxt = doc[i + 1].lower_
            # "2209 Juniper Hollow Road, not Lane, people always ...": a town after a street is no ordinary word.
            after_street = after_street and (doc[i].text != "," or doc[i + 1].text[:1].isupper() or nxt not in self.english
                                             or nxt in self.lex.us_cities or bool(self._known_city_at(doc, i + 1)))
            loose = not cue and not after_street and i + 1 < len(doc) and (ends_at(doc, i, loose_intros) and (
                doc[i + 1].text[:1].isupper() and pos_of(doc[i + 1]) == "PROPN" or not dictionary_word(nxt, self.english)
                or nxt in self.lex.us_cities  # a dictionary word that names a city: "from boise"
                or self._numbered_name(doc, i + 1)
                or self._known_city_at(doc, i + 1)  # "from bowling green", "over in west des moines"
                or i + 2 < len(doc) and doc[i + 2].lower_ in _ADMINISTRATIVE)  # "out in kern county"
                # after a bare "in", or "to" after travel ("from the camp to utica", not "faxed to Liberty Mutual"),
                # only a city that is no other kind of word: "with my cousin in albuquerque"; after travel, any city
                # ("flying out april second to lima", "departing May 14 for Nairobi")
                or doc[i].lower_ == "in" and nxt in self.lex.us_cities and nxt not in self.verbs | self.adjectives | self.adverbs
                or doc[i].lower_ in ("to", "for") and any(t.lower_ in _TRAVEL for t in doc[max(0, i - 4) : i])
                and (nxt in self.lex.us_cities or nxt in self.lex.world_cities)
                and nxt not in self.verbs | self.adjectives | self.adverbs
                # "the family is from aleppo": a city anywhere, after "from", when it is no other kind of word
                or doc[i].lower_ == "from" and nxt in self.lex.world_cities and nxt not in self.verbs | self.adjectives | self.adverbs
                or doc[i].lower_ == "in" and self._named_place_follows(doc, i + 1))
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
        # "we're from rolling fork originally": what someone is from, originally, is a place even in ordinary words.
        for i in range(len(doc) - 2):
            k = next((k for k in range(i + 2, min(i + 5, len(doc))) if doc[k].lower_ == "originally"), 0)
            if doc[i].lower_ == "from" and k and all(self._is_word(t) and pos_of(t) not in FUNCTION_POS for t in doc[i + 1 : k]) \
                    and words_of(doc[i + 1 : k]) not in self.large:
                results.append(self._result("CITY", doc, i + 1, k - 1, 0.6))
        # "out of the Elk Grove hub": a known city of several words, capitalized as a name, needs no cue.
        for i in range(len(doc)):
            n = self._known_city_at(doc, i)
            if n and all(t.text[:1].isupper() for t in doc[i : i + n]) and not (i == 0 or doc[i - 1].text in ".?!"):
                results.append(self._result("CITY", doc, i, i + n - 1, 0.6))
        # "<place>, zip code ..." / "<place> <state>": the words just before are the city.
        for i, tok in enumerate(doc):
            # A postal code counts only as written after a city: "Evanston, IL" (not "member ID", "OK").
            # (not a label: "on the line, ID number 70431")
            code = tok.text.isupper() and tok.lower_ in self.state_codes and i > 0 and doc[i - 1].text == "," \
                and not (i + 1 < len(doc) and doc[i + 1].lower_ in ("number", "no", "#", ":"))
            state = tok.lower_ in self.states or code
            if tok.lower_ not in ("zip", "zipcode", "postcode") and not state:
                continue
            comma = i > 0 and doc[i - 1].text == ","
            j = i - 1 - comma
            first = j
            # "Normal, Illinois": set off as a town by capitals and a comma, even an ordinary word is one.
            while first >= 0 and j - first < 3 and pos_of(doc[first]) not in FUNCTION_POS and (
                    self._is_word(doc[first]) or comma and doc[first].is_alpha and doc[first].text[:1].isupper()):
                first -= 1
            first += 1
            if first > 0 and doc[first - 1].lower_ in self.prefixes:
                first -= 1
            if first <= j and words_of(doc[first : j + 1]) not in self.large:
                # ("in Normal, Illinois": a town even if a word)
                grammar = comma and all(t.text[:1].isupper() for t in (*doc[first : j + 1], tok))
                results.append(self._result("CITY", doc, first, j, 0.55, by_grammar=grammar))
        return results
