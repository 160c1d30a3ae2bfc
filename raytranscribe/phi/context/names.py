"""Person names after titles, introductions and relations, and from the census gazetteer."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.context.base import ContextRecognizer, FUNCTION_POS, PhraseIndex, dictionary_word, ends_at, pos_of, words_of
from raytranscribe.phi.lexicon import NAME_PARTICLES, Lexicon
from raytranscribe.phi.types import BY_GRAMMAR

# Tags of a finite verb: after "my son will" it shows "will" is the son's name, not a modal.
_FINITE = {"VBD", "VBZ"}
# Prepositions before the people something is done with, for or by.
_COMPANION = {"with", "for", "by", "to", "from"}
# Words between a name and the name said again, corrected ("sonny no sorry sunny", "jimmy, well, james",
# "grace or maybe gracie"); one of the cues must be among them.
_CORRECTION_WORDS = {"no", "not", "wait", "sorry", "well", "i", "mean", "or", "maybe", "rather", "actually", ","}
_CORRECTION_CUES = {"no", "not", "sorry", "well", "mean", "maybe", "rather", "actually"}
_HOUSEHOLD = {"family", "families", "house", "home", "residence", "household", "place", "farm", "kids", "twins"}
_POSSESSIVE = {"my", "his", "her", "our", "their", "your", "the"}
_NAME_KINDS = {"first", "last", "middle", "maiden", "full", "given", "family"}
# Relations said of several people: "her kids are mei-ling and jun".
# Seasons are first names too ("her mom summer"), but a time before a noun: "summer camp" is no "Summer Camp".
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}
# Affixes of English and clinical words no dictionary lists ("postop", "bedbound", "tachycardic"): a word
# without them that no dictionary knows is most likely a name from another language ("zarghona", "neema").
_ENGLISH_AFFIXES = re.compile(r"^(?:post|pre|non|anti|hyper|hypo|tachy|brady|sub|trans|inter|intra|peri|dys|un|re|over"
                              r"|under|out|self|semi|multi|poly|micro|macro|neuro|cardio|gastro|hemo|uro)|(?:ic|al|ous|ive"
                              r"|ile|ed|ing|ent|ant|able|ible|ary|ory|oid|itis|osis|emia|bound|op|ful|less|ish|ated|ness"
                              r"|ment|ize|ise|ly|ity|ism|ist|gram|scopy|tomy|ectomy|plasty|pathy)$")
# Roles a name may be set beside: "angel the night aide", "patience the home health nurse".
_ROLES = {"aide", "caseworker", "worker", "driver", "volunteer", "chaplain", "interpreter", "translator", "nurse",
          "therapist", "pharmacist", "doctor", "coordinator", "navigator", "manager", "assistant", "tech",
          "technician", "caregiver", "dietitian", "receptionist", "scheduler", "sister", "brother", "son",
          "daughter", "mother", "father", "wife", "husband", "neighbor", "granddaughter", "grandson", "niece",
          "nephew", "uncle", "aunt", "cousin", "friend"}
# What is said of a patient by name: "brooke is here for", "aubrey is allergic to".
_PATIENT_STATES = {"here", "allergic", "doing", "feeling", "having", "complaining", "due", "scheduled", "coming",
                   "asking", "wondering", "waiting", "pregnant", "sick", "febrile", "admitted", "discharged", "refusing"}
_INTERJECTIONS = {"hi", "hello", "hey", "yeah", "yes", "no", "sorry", "oh", "okay", "ok", "um", "uh", "well"}
_RELATIONS_PLURAL = {"kids", "children", "sons", "daughters", "sisters", "brothers", "grandkids", "grandchildren", "siblings",
                     "twins", "parents", "grandsons", "granddaughters", "nieces", "nephews", "cousins"}


class NameRecognizer(ContextRecognizer):
    def __init__(self, lex: Lexicon, english: frozenset[str], non_nouns: frozenset[str],
                 descriptive: frozenset[str], inflected_verbs: frozenset[str]) -> None:
        super().__init__(["NAME"], lex)
        self.non_nouns = non_nouns
        self.descriptive = descriptive  # adjectives and adverbs
        self.inflected_verbs = inflected_verbs
        # Dictionary words (WordNet, via spaCy's lemmatizer tables): a word that is not one, right after a
        # name, is taken as part of the name ("olumide bakare").
        self.english = english
        names = lex.raw["names"]
        self.titles = PhraseIndex(lex, names["titles"])
        # "my daughter", "my best friend": a relation someone has.
        self.owned = PhraseIndex(lex, names["relations"], first=("my", "his", "her", "our", "your", "their", "the", "mi", "su", "tu"),
                                 then=names["relation_modifiers"])
        self.strong = PhraseIndex(lex, [i for i in names["intros"] if i not in names["weak_intros"]])
        self.weak = PhraseIndex(lex, names["weak_intros"])
        self.self_intros = PhraseIndex(lex, names["self_intros"])
        self.relations = lex.words("names", "relations") | lex.words("names", "titles")
        self.bare_relations = PhraseIndex(lex, names["relations"])  # "son-in-law Chase", "Mother, Summer,"
        self.title_compounds = lex.words("names", "title_compounds")
        self.actions = lex.words("names", "actions")
        self.possessions = lex.words("names", "possessions")
        self.services = lex.words("names", "services")
        # Weekdays and months are no names, but for months that are also first names, and abbreviations ("jan").
        months = {m for m in lex.words("dates", "months") if len(m) > 3} - {"june", "april", "august"}
        self.calendar = lex.words("dates", "weekdays") | months
        self.months = lex.words("dates", "months")
        self.states = lex.words("places", "states")
        self.regions = lex.words("places", "regions")
        self.labels = lex.words("labels", "abbreviations")  # "gcs 14", "Temp 98.6"
        self.languages = lex.words("places", "languages") - lex.first_names  # "speaks kiche" (not "Karen")

    def _dictionary_word(self, low: str) -> bool:
        return low in self.inflected_verbs or dictionary_word(low, self.english)  # "brought", "took"

    def _candidate(self, tok: Token, any_pos: bool = False) -> bool:
        """A word that may be a name; ``any_pos`` where the sentence already shows it is one (the tagger
        calls an unknown lowercase word anything, "teodoro is my uncle" a determiner, so its tag counts only
        for dictionary words)."""
        low = tok.lower_.rstrip(".")
        return self._is_word(tok) and low not in self.relations and low not in self.calendar and not self.lex.is_drug(low) \
            and low not in self.labels and low not in self.languages \
            and (any_pos or pos_of(tok) not in FUNCTION_POS or not self._dictionary_word(low))

    def _extend(self, doc: list[Token], i: int) -> int:
        """Last index of a name starting at i: following gazetteer names, initials or proper nouns."""
        last = i
        for j in range(i + 1, min(i + 4, len(doc))):
            tok = doc[j]
            if j == last + 1 and tok.text == "-" and not doc[last].whitespace_ and not tok.whitespace_ \
                    and j + 1 < len(doc) and self._is_word(doc[j + 1]):
                last = j + 1  # "al-hashimi", "hernandez-ruiz": the tokenizer splits at the hyphen
                continue
            if j <= last:
                continue
            if (tok.lower_ in FILLERS or tok.lower_ in NAME_PARTICLES) and j < i + 3:
                continue  # "lamar um jefferson", "marcus de la cruz": the next word decides
            after_particle = doc[j - 1].lower_ in NAME_PARTICLES and j - 1 > last
            if after_particle and not (self._trusted(tok.lower_) or tok.text[:1].isupper()):
                break  # "don ramiro la trajo": a Spanish article before a verb, not "de la cruz"

            low = tok.lower_.rstrip(".")
            initial = len(low) == 1 and j + 1 < len(doc) and self.lex.is_name(doc[j + 1].lower_)
            # (a census surname after a name whatever the tagger calls it: "harold pike" tagged a preposition)
            if not (self._candidate(tok) or low in self.lex.last_names and self._candidate(tok, any_pos=True)) and not initial:
                break
            # "doctor kateryna shevchenko", "ebony whitehorse": WordNet lists some surnames as nouns (a poet, a
            # city); a noun that is also a city's name, right after a name, is taken as part of it.
            unknown = not self._dictionary_word(low) or low in self.lex.world_cities and low not in self.non_nouns \
                or j == i + 1 and self._first_and_last(doc, i)  # "tobias marlowe"
            if not (initial or self._trusted(low) or unknown or pos_of(tok) == "PROPN" and tok.text[:1].isupper()):
                break
            last = j
        return last

    def _trusted(self, low: str) -> bool:
        """A census name taken as one even next to a dictionary word: "smith", "young"; and a census surname
        that only looks inflected ("henning" is no "hen" + "ning"), but not a verb's "-s" form ("speaks")."""
        low = low.replace("'", "")  # the census writes "oneill", "dangelo"
        return low in self.lex.first_names or low in self.lex.common_last_names \
            or low in self.lex.last_names and low not in self.english and not (low.endswith("s") and low[:-1] in self.english)

    def _introduced_self(self, doc: list[Token], k: int) -> bool:
        """"i'm <word>": a word that is no adjective, adverb or participle, and no "type two" either."""
        tok, low = doc[k], doc[k].lower_
        return (low not in self.descriptive and tok.tag_ not in ("VBG", "VBN", "VBD") and not low.endswith(("ing", "ed"))
                and not (k + 1 < len(doc) and doc[k + 1].like_num))

    def _speaker_name_end(self, doc: list[Token], i: int, cue: bool) -> int | None:
        """"this is autumn speaking", "it's june calling", "this is dakota rivers calling": a word (or a first
        name and a word) between an introduction and "speaking" is the speaker's name, even a stop word, unless
        it is an adverb ("i'm just calling"). Returns the name's last index."""
        if cue and i + 3 < len(doc) and doc[i + 3].lower_ in ("speaking", "calling") and doc[i + 2].is_alpha \
                and doc[i + 1].lower_ in self.lex.first_names and pos_of(doc[i + 2]) not in FUNCTION_POS \
                and (self._name_like(doc[i + 2]) or doc[i + 2].text[:1].isupper()):  # not "grace keeps calling"
            return i + 2
        if cue and i + 2 < len(doc) and doc[i + 2].lower_ == "from" and doc[i + 1].is_alpha \
                and (doc[i + 1].lower_ in self.lex.first_names or self._foreign(doc[i + 1])):
            return i + 1  # "this is sage from pt", "this is halyna from the infusion center" (not "this is fine from")
        if cue and i + 2 < len(doc) and doc[i + 2].lower_ in ("speaking", "calling") and doc[i + 1].is_alpha \
                and pos_of(doc[i + 1]) not in FUNCTION_POS and doc[i + 1].lower_ not in self.descriptive \
                and doc[i + 1].lower_ not in self.services:  # "this is radiology calling"
            return i + 1
        return None

    def _relation_named_like_a_modal(self, doc: list[Token], i: int, relations: set[int]) -> bool:
        """"my son will drove me": a modal right after a relation, followed by no base-form verb, is a name."""
        if not (ends_at(doc, i, relations) and doc[i + 1].tag_ == "MD" and doc[i + 1].is_alpha):
            return False
        after = doc[i + 2] if i + 2 < len(doc) else None
        at_number = after is not None and after.lower_ == "at" and i + 3 < len(doc) and doc[i + 3].like_num
        return after is None or after.tag_ in _FINITE or after.is_punct or after.lower_ in self.inflected_verbs \
            or after.lower_ in ("and", "has") or at_number  # "call my husband will at 917 ..."

    @staticmethod
    def _modal_named(doc: list[Token], i: int, naming: bool) -> bool:
        """"goes by will, ...", "my name is will.": a modal after a naming phrase, ending the clause, is a name."""
        if not (naming and doc[i + 1].tag_ == "MD" and doc[i + 1].is_alpha):
            return False
        return i + 2 >= len(doc) or doc[i + 2].is_punct or doc[i + 2].lower_ in ("and", "but")

    def _name_like(self, tok: Token) -> bool:
        """A census name or a word no dictionary knows, whatever the tagger calls it."""
        low = tok.lower_
        return self._candidate(tok, any_pos=True) and (self.lex.is_name(low) or not self._dictionary_word(low))

    def _plain_name(self, tok: Token) -> bool:
        """A census first name that says nothing of what someone is like unless capitalized ("is frank", "is
        Sterling"), or a capitalized word no dictionary knows (lowercase, that is as often a clinical word:
        "bedbound", "postop")."""
        low, capitalized = tok.lower_, tok.text[:1].isupper()
        return low in self.lex.first_names and (capitalized or low not in self.descriptive) \
            or capitalized and not self._dictionary_word(low)

    def _named(self, tok: Token) -> bool:
        """Where the sentence says a word is a name: name-like, or capitalized in cased text ("Jun")."""
        return self._name_like(tok) or tok.text[:1].isupper() and tok.text[1:].islower() and self._candidate(tok, any_pos=True)

    def _unknown_word(self, tok: Token) -> bool:
        """A word of four letters or more that no dictionary, drug list or gazetteer of titles knows."""
        low = tok.lower_
        return len(low) > 3 and tok.is_alpha and self._candidate(tok, any_pos=True) and not self._dictionary_word(low)

    def _foreign(self, tok: Token) -> bool:
        """A lowercase word of four letters or more that no dictionary knows and that has no English or
        clinical affix: a name in another language, most likely ("zarghona", not "bedbound")."""
        return self._unknown_word(tok) and not _ENGLISH_AFFIXES.search(tok.lower_)

    def _introduced_as_relation(self, doc: list[Token], j: int) -> bool:  # noqa: C901
        """Whether ``doc[j:]`` says the words before it are someone's relation: "is my son", ", that's my
        father", "um he's her nephew"."""
        while j < len(doc) and (doc[j].lower_ in FILLERS or doc[j].text == ","):
            j += 1
        said = [t.lower_ for t in doc[j : j + 3]]
        # "its destiny her granddaughter": a relation in apposition, no verb (not "reach her sister", nor "post
        # cath his wife is ...": a relation that starts the next clause)
        if len(said) > 1 and said[0] in _POSSESSIVE - {"the"} and said[1] in self.relations \
                and doc[j - 1].lower_ not in self.non_nouns \
                and not (j + 2 < len(doc) and pos_of(doc[j + 2]) in ("VERB", "AUX")):
            return True
        # ("king thats my uncle": the tokenizer reads ASR's "thats" as "that" "s")
        if j + 1 < len(doc) and doc[j].lower_ in ("that", "he", "she") and doc[j + 1].lower_ in ("'s", "s", "is", "was"):
            j += 1
        if j < len(doc) and (doc[j].lower_ in ("is", "was", "'s") or doc[j].lower_ == "s" and doc[j - 1].lower_ in ("that", "he", "she")):
            j += 1
        elif not (j > 1 and doc[j - 2].lower_ in ("is", "was")):  # "is bishop his first name?"
            return False
        said = [t.lower_ for t in doc[j : j + 3]]
        return len(said) > 1 and said[0] in _POSSESSIVE and (said[1] in self.relations or said[1] == "patient"
                                                             or said[1] in _NAME_KINDS and said[2:] == ["name"])

    def _first_and_last(self, doc: list[Token], k: int) -> bool:
        """A census first name, or a word no dictionary knows, followed by a census surname that is no
        dictionary word unless it is a very common surname ("smith")."""
        if k + 1 >= len(doc) or not self._candidate(doc[k + 1]) or doc[k].lower_ in _SEASONS:
            return False
        first, last = doc[k].lower_, doc[k + 1].lower_
        if doc[k].text[:1].isupper() and not doc[k + 1].text[:1].isupper():
            return False  # cased text capitalizes both halves of a name: "Sterling silver" is none
        if last not in self.lex.last_names:
            # "winifred oduya", "cyrus bellweather", "tobias marlowe": a census first name that is no common word
            # (WordNet lists some names as nouns only), then a surname too rare for the census: a word no
            # dictionary knows, or a noun only after a first name no dictionary knows
            plain_first = first in self.lex.first_names and not dictionary_word(first, self.non_nouns)
            return plain_first and len(last) > 2 and doc[k + 1].is_alpha and (
                not self._dictionary_word(last)
                or not self._dictionary_word(first) and not dictionary_word(last, self.non_nouns)
                and last not in self.inflected_verbs)  # not "tyrone brought"
        if first in self.lex.first_names and not self._dictionary_word(first):
            return True
        if first in self.lex.first_names:  # "rocky mountain", "grace hill": two words unless a common surname
            return last in self.lex.common_last_names or not self._dictionary_word(last)
        return len(first) > 2 and not self._dictionary_word(first) and (
            last in self.lex.common_last_names or not self._dictionary_word(last))

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        doc = list(nlp_artifacts.tokens)  # indexing a list is far cheaper than a Doc
        results: list[RecognizerResult] = []
        found: set[str] = set()  # words found as names, which are names everywhere else in the text too
        relations, bare = self.owned.ends(text), self.bare_relations.ends(text)
        self._after_cues(text, doc, relations, bare, results, found)
        self._by_sentence_shape(doc, relations, bare, results, found)
        self._corrected(doc, results, found)
        self._spelled_then_surname(doc, results, found)
        self._spelled_word(doc, results, found)
        for tok in doc:
            # "drew d r e w, like when you drew my blood", "will ... the bill": after a pronoun the same word
            # is a verb, after an article a noun.
            # ("the fitzgerald house": a family's name before its household.)
            household = tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _HOUSEHOLD
            verb = tok.i > 0 and (doc[tok.i - 1].tag_ == "PRP" and pos_of(tok) in ("VERB", "AUX")
                                  or doc[tok.i - 1].lower_ in ("the", "a", "an") and not household) \
                and self._dictionary_word(tok.lower_)
            # ("danas mom": ASR drops the possessive's apostrophe)
            owner = tok.lower_.endswith("s") and tok.lower_[:-1] in found and tok.i + 1 < len(doc) \
                and (doc[tok.i + 1].lower_ in self.relations or doc[tok.i + 1].lower_ in self.possessions)
            if (tok.lower_ in found or owner) and not verb and not any(r.start <= tok.idx < r.end for r in results):
                results.append(self._result("NAME", doc, tok.i, tok.i, 0.6))
        return results

    def _after_cues(self, text: str, doc: list[Token], relations: set[int], bare: set[int],
                    results: list[RecognizerResult], found: set[str]) -> None:
        """Names right after a title, an introduction or a relation ("dr. okafor", "my name is", "my son jose")."""
        titles, weak = self.titles.ends(text), self.weak.ends(text)
        strong, self_intros = self.strong.ends(text) | relations, self.self_intros.ends(text)
        if doc and self._candidate(doc[0]) and self._first_and_last(doc, 0):  # no word before it to be a cue
            results.append(self._result("NAME", doc, 0, self._extend(doc, 0), 0.5))
        for i in range(len(doc) - 1):
            nxt = doc[i + 1]
            if self._relation_named_like_a_modal(doc, i, relations):
                result = self._result("NAME", doc, i + 1, i + 1, 0.8)
                result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.add(nxt.lower_)
                continue
            # "the patient's husband dmitri": a relation owned by anyone is a cue.
            owned_relation = i > 0 and doc[i - 1].lower_ == "'s" and doc[i].lower_ in self.relations
            strong_cue = ends_at(doc, i, titles) or ends_at(doc, i, strong) or owned_relation
            # "sorry its ubah": ASR's "its" for "it's" after an interjection (alone, mostly a possessive)
            weak_cue = ends_at(doc, i, weak) or doc[i].lower_ == "its" and (i == 0 or doc[i - 1].lower_ in _INTERJECTIONS)
            if (speaker_end := self._speaker_name_end(doc, i, strong_cue or weak_cue)) is not None:
                result = self._result("NAME", doc, i + 1, speaker_end, 0.8)
                result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.add(nxt.lower_)
                continue
            if ends_at(doc, i + 1, titles) or ends_at(doc, i + 1, strong):
                continue  # "Baby | Girl Okonkwo", "nurse | practitioner": the longer cue ends at the next word
            # After "my name is" / "Dr." a capitalized word is the name even if it is also a word ("Beyond").
            # ("your mom. Do you ...": a full stop of its own ends the sentence, and the capital says nothing.)
            # (after a relation nobody owns, only a word that may be a name: "son-in-law Chase", not "baby Tylenol")
            named_relation = ends_at(doc, i, bare) and self._candidate(nxt, any_pos=True)
            capitalized = (strong_cue or named_relation) and doc[i].text != "." and nxt.is_alpha and nxt.text[:1].isupper() \
                and nxt.text[1:].islower()
            if self._modal_named(doc, i, strong_cue and not ends_at(doc, i, relations)):
                result = self._result("NAME", doc, i + 1, i + 1, 0.8)
                result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.add(nxt.lower_)
                continue
            if strong_cue and nxt.lower_ in ("oh", "o") and i + 2 < len(doc) and self._name_like(doc[i + 2]):
                # "doctor oh malley": ASR writes O' as a word
                results.append(self._result("NAME", doc, i + 1, self._extend(doc, i + 2), 0.8))
                found.add(doc[i + 2].lower_)
                continue
            if named_relation and self._foreign(nxt) and not strong_cue:
                # "the swahili interpreter neema said": after a relation nobody owns, a word in another language
                results.append(self._result("NAME", doc, i + 1, self._extend(doc, i + 1), 0.6))
                found.add(nxt.lower_)
                continue
            if ends_at(doc, i, titles) and nxt.lower_ in self.months and i + 2 < len(doc) and self._name_like(doc[i + 2]):
                # "doctor august reinholt": a month is a first name after a title, before a surname
                results.append(self._result("NAME", doc, i + 1, self._extend(doc, i + 2), 0.8))
                found.add(doc[i + 2].lower_)
                continue
            if not (self._candidate(nxt) or capitalized):
                continue
            low = nxt.lower_.rstrip(".")
            if capitalized:
                ok, score = True, 0.8
            elif strong_cue:
                # "nurse practitioner", "doctor visit": a title or role that is the first half of a compound noun.
                # "the child life specialist": a noun before a role makes one compound with it.
                compound = low in self.title_compounds or self._dictionary_word(low) and not self._trusted(low) \
                    and i + 2 < len(doc) and doc[i + 2].lower_ in self.title_compounds and doc[i + 2].tag_ in ("NN", "NNS")
                # "call me back", "call me instead": an adverb or adjective that is nobody's name.
                # (after a relation an adjective may be a name, "my son frank", an adverb not: "her husband repeatedly")
                descriptive = low in self.descriptive and not self.lex.is_name(low) \
                    and (not ends_at(doc, i, relations) or low.endswith("ly"))
                # (a word the tagger calls a verb that no verb list knows: "brother anselm the chaplain")
                ok = not compound and not descriptive and (
                    pos_of(nxt) != "VERB" or self.lex.is_name(low) or not self._dictionary_word(low)
                    or low not in self.inflected_verbs and not dictionary_word(low, self.non_nouns))
                score = 0.8
            elif weak_cue:
                # ("this is justice okafor": a census name that a surname follows)
                ok = low in self.lex.first_names or pos_of(nxt) == "PROPN" and nxt.text[:1].isupper() or not self._dictionary_word(low) \
                    or ends_at(doc, i, self_intros) and self._introduced_self(doc, i + 1) \
                    or self.lex.is_name(low) and self._extend(doc, i + 1) > i + 1
                score = 0.6
            elif self._first_and_last(doc, i + 1) and not (doc[i].lower_ in ("the", "a", "an") and self._dictionary_word(low)) \
                    and not (doc[i].lower_ in ("is", "are", "was", "were") and low in self.descriptive
                             and doc[i + 2].lower_ in self.non_nouns):
                # (nor "are sterling silver": two adjectives said of something; "is rusty caldwell" is a name)
                # (not "the hunter green scrubs": an article before a word and a surname makes them a noun phrase)
                ok, score = True, 0.5  # "john smith", "hiroko tanaka" with no cue: first name + surname
            else:
                continue
            if ok:
                last = self._extend(doc, i + 1)
                result = self._result("NAME", doc, i + 1, last, score)
                if capitalized:  # "Grandma Summer", "goes by Will": a name even where it is a season or a verb
                    result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.update(t.lower_ for t in doc[i + 1 : last + 1] if len(t) > 2)

    def _by_sentence_shape(self, doc: list[Token], relations: set[int], bare: set[int],
                           results: list[RecognizerResult], found: set[str]) -> None:
        """Names no cue word precedes, shown by what the sentence says of them ("marguerite called", "jose is
        my son", "her kids are mei-ling and jun", "Hiroshi's wife")."""
        # A capitalized common first name is a name even without a cue ("Sarah's going to ..."), unless it
        # is also a verb, adjective or adverb ("Will", "Bill", "Hope" may start a sentence) or a state ("Georgia").
        for i, tok in enumerate(doc):
            low = tok.lower_
            # At a sentence's start the capital says nothing: there a dictionary word ("Sterling silver") is one.
            sentence_start = i == 0 or doc[i - 1].text in (".", "?", "!", '"')
            determined = i > 0 and doc[i - 1].lower_ in ("the", "a", "an")  # "The Mercedes hit the guardrail"
            in_state = i > 0 and words_of(doc[i - 1 : i + 1]) in self.states  # "North Carolina"
            # ("lived in Jordan for 6 years": a country after a place preposition)
            in_state |= i > 0 and doc[i - 1].lower_ in ("in", "from", "to", "via", "near") and low in self.regions
            if tok.text[:1].isupper() and low in self.lex.first_names and low not in self.non_nouns and not determined \
                    and low not in self.states and not in_state and not (sentence_start and self._dictionary_word(low)) \
                    and self._candidate(tok) and not any(r.start <= tok.idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i), 0.5))
                found.add(low)
        # "marguerite called earlier": a common first name doing what people do (not "the bill came", "the
        # kidney numbers dropped": a word after a determiner, or a noun after a noun or adjective).
        for i in range(len(doc) - 1):
            low = doc[i].lower_
            determined = i > 0 and (pos_of(doc[i - 1]) in ("DET", "PRON") or doc[i - 1].tag_ in ("NN", "NNS", "JJ")
                                    and doc[i - 1].lower_ not in self.relations and self._dictionary_word(low))
            # ("brooke is here for her checkup", "aubrey is allergic to peanuts": what is said of a patient)
            said_of = i + 2 < len(doc) and doc[i + 1].lower_ in ("is", "was") and doc[i + 2].lower_ in _PATIENT_STATES
            if low in self.lex.first_names and (doc[i + 1].lower_ in self.actions or said_of) and not determined \
                    and self._candidate(doc[i]) and not any(r.start <= doc[i].idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(low)
        # "jose is my son", "tran van minh, um, that's my father": words introduced as someone's relation are a name
        # (not "he was tall, her daughter ...": an adjective says what someone is like).
        for i in range(len(doc) - 3):
            describes = doc[i].lower_ in self.descriptive and doc[i].lower_ not in self.lex.first_names
            # "the policy holder is her husband": a noun phrase, not a name
            describes |= any(doc[k].lower_ in ("the", "a", "an") for k in (i - 1, i - 2) if k >= 0) \
                and doc[i].lower_ not in self.lex.first_names and self._dictionary_word(doc[i].lower_)
            # ("will is the dad": a modal before "is" is a name)
            modal = doc[i].tag_ == "MD" and doc[i].is_alpha and doc[i + 1].lower_ in ("is", "was")
            if (self._name_like(doc[i]) or modal) and not describes and self._introduced_as_relation(doc, i + 1):
                first = i
                while first > 0 and i - first < 2 and self._name_like(doc[first - 1]):
                    first -= 1
                result = self._result("NAME", doc, first, i, 0.6)
                if modal:  # a stop word, named by the grammar
                    result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.update(t.lower_ for t in doc[first : i + 1])
        # "mom is grace, dad is Vikram.": the word a relation is said to be, when it ends the clause (or is no
        # dictionary word: "mom is linh dad is minh") and is plainly a name ("is Catholic", "is young", "is frank"
        # say what someone is like), or a word in another language ("the interpreter today is abdullah um").
        for i in range(len(doc) - 2):
            k = i + 1 + (doc[i + 1].lower_ in ("today", "now", "here", "tonight"))
            # ("f o b is tyrell": a relation said as letters ends at its last one)
            if not ((doc[i].lower_ in self.relations or ends_at(doc, i, bare)) and k + 1 < len(doc) and doc[k].lower_ in ("is", "was")):
                continue
            nxt = doc[k + 1]
            closed = k + 2 >= len(doc) or doc[k + 2].is_punct or doc[k + 2].lower_ in ("and", "but") \
                or doc[k + 2].lower_ in FILLERS or not self._dictionary_word(nxt.lower_)
            if closed and self._candidate(nxt, any_pos=True) and len(nxt.text) > 2 \
                    and (self._plain_name(nxt) or self._foreign(nxt)) and not any(r.start <= nxt.idx < r.end for r in results):
                results.append(self._result("NAME", doc, k + 1, self._extend(doc, k + 1), 0.6))
                found.add(nxt.lower_)
        # "angel the night aide called out", "tomas the kiche interpreter": a name set beside its role (not "we
        # hope the aide comes": a verb after its subject).
        for i in range(len(doc) - 2):
            tok, k = doc[i], i + 1
            while k < len(doc) and doc[k].lower_ == "the":
                k += 1
            role = next((j for j in range(k, min(k + 3, len(doc))) if doc[j].lower_ in _ROLES), None)
            if k > i + 1 and role is not None and all(t.is_alpha for t in doc[k:role]) \
                    and (tok.lower_ in self.lex.first_names or self._foreign(tok)) and self._candidate(tok, any_pos=True) \
                    and not (i > 0 and (doc[i - 1].tag_ == "PRP" or pos_of(doc[i - 1]) == "DET")) \
                    and not any(r.start <= tok.idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(tok.lower_)
        # "gerald did really good": a census first name that is no other word is a name wherever it is said;
        # "Hope (aide) assisted": a capitalized word with its role in brackets after it.
        for i, tok in enumerate(doc):
            plain = tok.lower_ in self.lex.common_first_names and len(tok.text) > 2 and not self._dictionary_word(tok.lower_) \
                and not (i > 0 and pos_of(doc[i - 1]) == "DET")  # not "The Mercedes hit the guardrail"
            bracketed = tok.text[:1].isupper() and i + 3 < len(doc) and doc[i + 1].text == "(" \
                and doc[i + 2].lower_ in _ROLES and doc[i + 3].text == ")"
            if (plain or bracketed) and self._candidate(tok, any_pos=True) and not any(r.start <= tok.idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i), 0.5))
                found.add(tok.lower_)
        # "my lead, Christian, drove me", "the physical therapist, siobhan, had me": a word set off by commas
        # after a relation, capitalized or name-like.
        for i in range(len(doc) - 2):
            nxt = doc[i + 2]
            closed = i + 3 >= len(doc) or doc[i + 3].text in (",", ".")
            # (a relation nobody owns only before a capitalized name: "Mother, Summer, reports")
            if (ends_at(doc, i, relations) or ends_at(doc, i, bare) and nxt.text[:1].isupper()) \
                    and doc[i + 1].text == "," and self._named(nxt) and (closed or nxt.text[:1].isupper()):
                result = self._result("NAME", doc, i + 2, self._extend(doc, i + 2), 0.6)
                if nxt.text[:1].isupper() and closed:  # "My daughter, Mercy, handles ...": even a hospital's name
                    result.recognition_metadata = {BY_GRAMMAR: True}
                results.append(result)
                found.add(nxt.lower_)
        # "her grandkids storm royal and harmony are all ...", "siblings Amari and Zion Battle were": the words a
        # plural relation names, joined by "and", before what is said of them (capitalized, or after an owner).
        for i in range(1, len(doc) - 4):
            if doc[i].lower_ not in _RELATIONS_PLURAL:
                continue
            end = next((k for k in range(i + 2, min(i + 9, len(doc))) if doc[k].lower_ in ("are", "were")), None)
            listed = doc[i + 1 : end] if end else []
            words = [t for t in listed if t.lower_ != "and" and t.text != ","]
            named = [self._name_like(t) for t in words] if doc[i - 1].lower_ in _POSSESSIVE \
                else [t.text[:1].isupper() and self._candidate(t, any_pos=True) for t in words]
            if any(t.lower_ == "and" for t in listed) and words and all(named):
                for t in words:
                    results.append(self._result("NAME", doc, t.i, t.i, 0.6))
                    found.add(t.lower_)
        # "her kids are mei-ling and jun": the words a plural relation is said to be.
        for i in range(len(doc) - 2):
            if doc[i].lower_ in _RELATIONS_PLURAL and doc[i + 1].lower_ in ("are", "were", "'re"):
                k = i + 2
                while k < len(doc) and k < i + 12 and (self._named(doc[k]) or doc[k].text in (",", "-", "and")):
                    if self._named(doc[k]):
                        last = self._extend(doc, k)
                        results.append(self._result("NAME", doc, k, last, 0.6))
                        found.add(doc[k].lower_)
                        k = last
                    k += 1
        # "j t is my stepson": initials introduced as someone's relation.
        for i in range(1, len(doc) - 3):
            if all(len(t.text.rstrip(".")) == 1 and t.is_alpha for t in doc[i - 1 : i + 1]) \
                    and self._introduced_as_relation(doc, i + 1):
                results.append(self._result("NAME", doc, i - 1, i, 0.6))
        # "for Yusuf Abdi", "for Ignatius Boateng": two capitalized words in a row that no dictionary, drug list or
        # gazetteer of titles knows, but for one noun only WordNet lists (a saint, a city); brands are in the drug
        # list, and a place so named is PHI too.
        for i in range(len(doc) - 1):
            pair = doc[i : i + 2]
            unknown = [not self._dictionary_word(t.lower_) for t in pair]
            if all(t.text[:1].isupper() and t.text[1:].islower() and t.is_alpha and len(t.text) > 1
                   and self._candidate(t, any_pos=True) for t in pair) and any(unknown) \
                    and all(u or t.lower_ not in self.non_nouns or t.lower_ in self.lex.first_names
                            for u, t in zip(unknown, pair)) \
                    and not ((i == 0 or doc[i - 1].is_punct) and doc[i].lower_ not in self.lex.first_names and not all(unknown)) \
                    and not any(r.start <= doc[i].idx < r.end for r in results):
                # (at a sentence's start only a first name or two unknown words: "Hope Adeyemi-Castillo called",
                # "Espoir Mukendi and his mother")
                results.append(self._result("NAME", doc, i, max(i + 1, self._extend(doc, i)), 0.5))
                found.update(t.lower_ for t in pair)
        # "with grzegorz and wojtek", "with justice and gale": two words no dictionary knows, or two census first
        # names that describe nothing, joined as the people something is done with.
        for i in range(1, len(doc) - 2):
            if doc[i - 1].lower_ in _COMPANION and doc[i + 1].lower_ == "and" \
                    and (all(self._unknown_word(doc[k]) for k in (i, i + 2))
                         or all(self._candidate(doc[k], any_pos=True) and doc[k].lower_ in self.lex.first_names
                                and doc[k].lower_ not in self.descriptive for k in (i, i + 2))):
                results += [self._result("NAME", doc, k, k, 0.5) for k in (i, i + 2)]
                found.update((doc[i].lower_, doc[i + 2].lower_))
        # "Hiroshi's wife", "tom's daughter": a word owning a relation is a name; so is a first name owning
        # what a patient has ("dawn's follow up").
        for i in range(len(doc) - 2):
            owned = doc[i + 2].lower_
            if doc[i + 1].lower_ == "'s" and self._candidate(doc[i]) \
                    and (owned in self.relations or owned in self.possessions and doc[i].lower_ in self.lex.first_names
                         or owned in _NAME_KINDS and i + 3 < len(doc) and doc[i + 3].lower_ == "name") \
                    and not any(r.start <= doc[i].idx < r.end for r in results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(doc[i].lower_)

    def _corrected(self, doc: list[Token], results: list[RecognizerResult], found: set[str]) -> None:
        """A name corrected by the speaker: the word said on the other side of "no sorry", "well", "or maybe"
        is a name too, whichever of the two was found first."""
        def named(k: int) -> bool:
            return any(r.start <= doc[k].idx < r.end for r in results)

        for i in range(len(doc) - 2):
            j = i + 1
            while j < len(doc) and j - i <= 4 and doc[j].lower_ in _CORRECTION_WORDS:
                j += 1
            if j >= len(doc) or j == i + 1 or not {t.lower_ for t in doc[i + 1 : j]} & _CORRECTION_CUES:
                continue
            for said, other in ((i, j), (j, i)):
                if named(said) and not named(other) and self._named(doc[other]):
                    results.append(self._result("NAME", doc, other, self._extend(doc, other) if other > said else other, 0.6))
                    found.add(doc[other].lower_)

    def _spelled_word(self, doc: list[Token], results: list[RecognizerResult], found: set[str]) -> None:
        """"w o j c i k wojcik", "dunn d u n n": a word said next to its own spelling is a name being given."""
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and len(doc[j].text) == 1 and doc[j].is_alpha:
                j += 1
            spelled = "".join(t.lower_ for t in doc[i:j])
            if len(spelled) > 2:
                for k in (i - 1, j):
                    if 0 <= k < len(doc) and doc[k].lower_ == spelled and self._candidate(doc[k], any_pos=True):
                        results.append(self._result("NAME", doc, k, k, 0.7))
                        found.add(spelled)
            i = max(j, i + 1)

    def _spelled_then_surname(self, doc: list[Token], results: list[RecognizerResult], found: set[str]) -> None:
        """"sunny s u n n y park": a census surname right after a first name and its spelling."""
        for r in list(results):
            k = next((t.i for t in doc if t.idx >= r.end), len(doc))
            j = k
            while j < len(doc) and len(doc[j].text) == 1 and doc[j].is_alpha:
                j += 1
            spelled = "".join(t.lower_ for t in doc[k:j])
            name = "".join(t.lower_ for t in doc if r.start <= t.idx < r.end and t.is_alpha)
            if len(spelled) > 1 and spelled == name and j < len(doc) and self._candidate(doc[j], any_pos=True) and self._trusted(doc[j].lower_):
                results.append(self._result("NAME", doc, j, self._extend(doc, j), 0.6))
                found.add(doc[j].lower_)
