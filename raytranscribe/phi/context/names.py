"""Person names after titles, introductions and relations, and from the census gazetteer; and the age said of
a person found by name."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.context.base import ContextRecognizer, FUNCTION_POS, PhraseIndex, dictionary_word, ends_at, pos_of, taken
from raytranscribe.phi.context.name_shapes import NAME_KINDS, POSSESSIVE, SentenceShapes
from raytranscribe.phi.lexicon import NAME_PARTICLES, Lexicon
from raytranscribe.phi.patterns import NOT_AGES

# Tags of a finite verb: after "my son will" it shows "will" is the son's name, not a modal.
_FINITE = {"VBD", "VBZ"}
_HOUSEHOLD = {"family", "families", "house", "home", "residence", "household", "place", "farm", "kids", "twins"}
# Seasons are first names too ("her mom summer"), but a time before a noun: "summer camp" is no "Summer Camp".
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}
# Affixes of English and clinical words no dictionary lists ("postop", "bedbound", "tachycardic"): a word
# without them that no dictionary knows is most likely a name from another language ("zarghona", "neema").
_ENGLISH_AFFIXES = re.compile(r"^(?:post|pre|non|anti|hyper|hypo|tachy|brady|sub|trans|inter|intra|peri|dys|un|re|over"
                              r"|under|out|self|semi|multi|poly|micro|macro|neuro|cardio|gastro|hemo|uro)|(?:ic|al|ous|ive"
                              r"|ile|ed|ing|ent|ant|able|ible|ary|ory|oid|itis|osis|emia|bound|op|ful|less|ish|ated|ness"
                              r"|ment|ize|ise|ly|ity|ism|ist|gram|scopy|tomy|ectomy|plasty|pathy|ine|ase|ide|ium|ole|one"
                              r"|gen|cyte|cytes)$")  # (lab words: "creatinine", "lipase")
_INTERJECTIONS = {"hi", "hello", "hey", "yeah", "yes", "no", "sorry", "oh", "okay", "ok", "um", "uh", "well"}


class NameRecognizer(SentenceShapes, ContextRecognizer):
    def __init__(self, lex: Lexicon, english: frozenset[str], non_nouns: frozenset[str],
                 descriptive: frozenset[str], inflected_verbs: frozenset[str]) -> None:
        super().__init__(["NAME", "AGE"], lex)
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
        self.institution_heads = lex.words("clinical", "institution_heads")
        self.institutions = lex.words("clinical", "institutions")  # "Aetna", "Kaiser": no people
        # Eponyms, also as ASR writes their possessive ("raynauds and sjogrens", "tinel and phalen")
        eponyms = lex.words("clinical", "eponyms") | lex.words("clinical", "standalone_eponyms")
        self.eponyms = frozenset(e.replace("'", "") for e in eponyms)
        self.languages = lex.words("places", "languages") - lex.first_names  # "speaks kiche" (not "Karen")

    def _dictionary_word(self, low: str) -> bool:
        return low in self.inflected_verbs or dictionary_word(low, self.english)  # "brought", "took"

    def _candidate(self, tok: Token, any_pos: bool = False) -> bool:
        """A word that may be a name; ``any_pos`` where the sentence already shows it is one (the tagger
        calls an unknown lowercase word anything, "teodoro is my uncle" a determiner, so its tag counts only
        for dictionary words)."""
        low = tok.lower_.rstrip(".")
        # (nor a relation in the plural: "named partners Chris, ...")
        plural_relation = low.endswith("s") and low[:-1] in self.relations
        return self._is_word(tok) and low not in self.relations and not plural_relation and low not in self.calendar \
            and not self.lex.is_drug(low) \
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
            if after_particle and not (self._trusted(tok.lower_) or tok.text[:1].isupper() or doc[j - 1].lower_ == "mc"
                                       or tok.lower_ in self.lex.last_names):
                break  # "don ramiro la trajo": a Spanish article before a verb, not "de la cruz"

            low = tok.lower_.rstrip(".")
            initial = len(low) == 1 and tok.is_alpha and j + 1 < len(doc) and self.lex.is_name(doc[j + 1].lower_)
            # (a census surname after a name whatever the tagger calls it: "harold pike" tagged a preposition)
            if not (self._candidate(tok) or low in self.lex.last_names and self._candidate(tok, any_pos=True)) and not initial:
                break
            # "doctor kateryna shevchenko", "ebony whitehorse": WordNet lists some surnames as nouns (a poet, a
            # city); a noun that is also a city's name, right after a name, is taken as part of it.
            unknown = not self._dictionary_word(low) or low in self.lex.world_cities and low not in self.non_nouns \
                or j == i + 1 and self._first_and_last(doc, i)  # "tobias marlowe"
            # ("doctor van dyke", "de la rosa": after a particle, any census surname, even a word)
            surname = doc[j - 1].lower_ in NAME_PARTICLES and low in self.lex.last_names
            proper = pos_of(tok) == "PROPN" and tok.text[:1].isupper()
            if not (initial or self._trusted(low) or unknown or surname or proper):
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

    def _owned_name(self, doc: list[Token], i: int) -> bool:
        """"under my sons name river castellanos": someone's "name" (ASR drops the possessive's apostrophe)."""
        if doc[i].lower_ != "name" or i == 0:
            return False
        owner = doc[i - 1].lower_
        return owner in ("my", "his", "her", "their", "your", "'s") or owner.endswith("s") and owner[:-1] in self.relations

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
        before = doc[j - 1].lower_
        if len(said) > 1 and said[0] in POSSESSIVE - {"the"} and said[1] in self.relations \
                and before not in self.non_nouns and before not in self.inflected_verbs \
                and not (before.endswith("s") and before[:-1] in self.non_nouns) \
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
        # ("river is my name now"; not "the login is her name")
        return len(said) > 1 and said[0] in POSSESSIVE and (said[1] in self.relations or said[1] == "patient"
                                                             or said[:2] == ["my", "name"]
                                                             or said[1] in NAME_KINDS and said[2:] == ["name"])

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
            if (tok.lower_ in found or owner) and not verb and not taken(tok, results):
                last = self._extend(doc, tok.i)  # "shannon mc bride", not "the fitzgerald house"
                results.append(self._result("NAME", doc, tok.i, tok.i if doc[last].lower_ in _HOUSEHOLD else last, 0.6))
        self._false_starts(doc, results)
        return results + self._ages_of_names(doc, results)

    @staticmethod
    def _ages_of_names(doc: list[Token], names: list[RecognizerResult]) -> list[RecognizerResult]:
        """"my grandmother memory chikwanha is 96 and ...": a number from 90 up that a person found by name is
        (in cased text the age patterns see the capitals: "Grandma Opal is 91")."""
        ages = []
        for r in names:
            k = next((t.i for t in doc if t.idx >= r.end), len(doc))
            if k + 1 < len(doc) and doc[k].lower_ in ("is", "was", "turned", "turns") and doc[k + 1].text.isdigit() \
                    and 90 <= int(doc[k + 1].text) < 150 and not (k + 2 < len(doc) and doc[k + 2].lower_ in NOT_AGES):
                ages.append(ContextRecognizer._result("AGE", doc, k + 1, k + 1, 0.6))
        return ages

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
                results.append(self._result("NAME", doc, i + 1, i + 1, 0.8, by_grammar=True))
                found.add(nxt.lower_)
                continue
            # "the patient's husband dmitri": a relation owned by anyone is a cue.
            owned_relation = i > 0 and doc[i - 1].lower_ == "'s" and doc[i].lower_ in self.relations
            strong_cue = ends_at(doc, i, titles) or ends_at(doc, i, strong) or owned_relation
            # "sorry its ubah": ASR's "its" for "it's" after an interjection (alone, mostly a possessive)
            weak_cue = ends_at(doc, i, weak) or doc[i].lower_ == "its" and (i == 0 or doc[i - 1].lower_ in _INTERJECTIONS) \
                or self._owned_name(doc, i)
            if (speaker_end := self._speaker_name_end(doc, i, strong_cue or weak_cue)) is not None:
                results.append(self._result("NAME", doc, i + 1, speaker_end, 0.8, by_grammar=True))
                found.add(nxt.lower_)
                continue
            if ends_at(doc, i + 1, titles) or ends_at(doc, i + 1, strong):
                continue  # "Baby | Girl Okonkwo", "nurse | practitioner": the longer cue ends at the next word
            # After "my name is" / "Dr." a capitalized word is the name even if it is also a word ("Beyond").
            # ("your mom. Do you ...": a full stop of its own ends the sentence, and the capital says nothing.)
            # (after a relation nobody owns, only a word that may be a name: "son-in-law Chase", not "baby Tylenol")
            named_relation = ends_at(doc, i, bare) and self._candidate(nxt, any_pos=True)
            # (not "the VA Caregiver Support Line": a capitalized relation inside a sentence is part of a name itself)
            capitalized = (strong_cue or named_relation) and doc[i].text != "." and nxt.is_alpha and nxt.text[:1].isupper() \
                and nxt.text[1:].islower() \
                and not (doc[i].text[:1].isupper() and doc[i].lower_ in self.relations and i > 0 and not doc[i - 1].is_punct)
            if self._modal_named(doc, i, strong_cue and not ends_at(doc, i, relations)):
                results.append(self._result("NAME", doc, i + 1, i + 1, 0.8, by_grammar=True))
                found.add(nxt.lower_)
                continue
            if (strong_cue or weak_cue) and doc[i].lower_ in ("called", "named", "nicknamed", "by", "as") \
                    and nxt.text in ('"', "“") and i + 2 < len(doc) and doc[i + 2].is_alpha \
                    and (doc[i + 2].text[:1].isupper() or self._candidate(doc[i + 2], any_pos=True)):
                # 'He prefers to be called "T-Bone."': a name in quotes after a naming cue
                results.append(self._result("NAME", doc, i + 2, self._extend(doc, i + 2), 0.8, by_grammar=True))
                found.add(doc[i + 2].lower_)
                continue
            if strong_cue and nxt.lower_ in ("oh", "o") and i + 2 < len(doc) and self._name_like(doc[i + 2]):
                # "doctor oh malley": ASR writes O' as a word
                results.append(self._result("NAME", doc, i + 1, self._extend(doc, i + 2), 0.8))
                found.add(doc[i + 2].lower_)
                continue
            plain_first = nxt.lower_ in self.lex.first_names and not self._dictionary_word(nxt.lower_)
            # ("the spanish interpreter rosario is on the line": a first name that is only a noun otherwise, doing something)
            acting_first = nxt.lower_ in self.lex.first_names and not dictionary_word(nxt.lower_, self.non_nouns) \
                and i + 2 < len(doc) and pos_of(doc[i + 2]) in ("VERB", "AUX")
            # ("baby jade was born": any first name, even an adjective, when born)
            acting_first |= nxt.lower_ in self.lex.first_names and i + 3 < len(doc) and doc[i + 2].lower_ in ("was", "is") \
                and doc[i + 3].lower_ == "born"
            # "um shes kiara": a first name that is no other word, or a word in another language, said to be someone
            said_to_be = i > 0 and doc[i - 1].lower_ in ("he", "she") and doc[i].lower_ in ("s", "'s", "is") \
                and (plain_first or self._foreign(nxt))
            if said_to_be or named_relation and (self._foreign(nxt) or plain_first or acting_first) and not strong_cue:
                # "the swahili interpreter neema said", "the bank teller marcy": after a relation nobody owns, a word
                # in another language or a first name that is no other word
                results.append(self._result("NAME", doc, i + 1, self._extend(doc, i + 1), 0.6))
                found.add(nxt.lower_)
                continue
            # ("Emergency contact: Will Hartley": a capitalized "Will" inside a sentence, before a capitalized surname)
            capital_will = nxt.text == "Will" and doc[i].text not in (".", "?", "!") and i + 2 < len(doc) \
                and doc[i + 2].text[:1].isupper()
            # ("dad is will obrien": what a relation is said to be)
            said_of_relation = doc[i].lower_ in ("is", "was") and i > 0 and doc[i - 1].lower_ in self.relations
            if (ends_at(doc, i, titles) or doc[i].lower_ == "with" or capital_will or said_of_relation) \
                    and (nxt.lower_ in self.months or nxt.lower_ == "will") and i + 2 < len(doc) \
                    and self._name_like(doc[i + 2]):
                # "doctor august reinholt", "mister will peterson": a month or a modal is a first name after a title,
                # before a surname
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
                # ("this is justice okafor": a census name that a surname follows; "calling for sky tupou": any word
                # that a surname in another language follows)
                # (not "Per Florida Statute": a state)
                ok = low not in self.states and (
                    low in self.lex.first_names or pos_of(nxt) == "PROPN" and nxt.text[:1].isupper() or not self._dictionary_word(low)
                    or ends_at(doc, i, self_intros) and self._introduced_self(doc, i + 1)
                    or self.lex.is_name(low) and self._extend(doc, i + 1) > i + 1
                    or i + 2 < len(doc) and self._foreign(doc[i + 2]) and pos_of(nxt) != "VERB")  # (not "i am referring Teodora")
                score = 0.6
            elif self._first_and_last(doc, i + 1) and not (doc[i].lower_ in ("the", "a", "an") and self._dictionary_word(low)) \
                    and not (doc[i].lower_ in ("is", "are", "was", "were") and low in self.descriptive
                             and doc[i + 2].lower_ in self.non_nouns):
                # (nor "are sterling silver": two adjectives said of something; "is rusty caldwell" is a name)
                # (not "the hunter green scrubs": an article before a word and a surname makes them a noun phrase)
                ok, score = True, 0.5  # "john smith", "hiroko tanaka" with no cue: first name + surname
            elif doc[i].lower_ in ("for", "with") and i + 2 < len(doc) and len(low) > 2 and nxt.text.islower() \
                    and doc[i + 2].text.islower() and pos_of(nxt) in ("PROPN", "X") \
                    and (self._foreign(doc[i + 2])
                         or self._foreign(nxt) and self._name_like(doc[i + 2]) and len(doc[i + 2]) > 2
                         or low in self.lex.common_first_names and not dictionary_word(low, self.non_nouns)
                         and doc[i + 2].lower_ in ("at", "on", "in", "from")) \
                    and not (i + 3 < len(doc) and self._name_like(doc[i + 3])):
                # "physical for justice amankwah", "faxed for nnamdi eze": in ASR's lowercase, the person something is
                # for, any word and a surname in another language, or such a word and a short one no dictionary knows;
                # "delivery for teresa at ...": a common first name that is otherwise only a noun, then a preposition
                # (not "for member esperanza villalobos": a label before a name)
                ok, score = True, 0.5
            else:
                continue
            if ok:
                last = self._extend(doc, i + 1)
                # ("Grandma Summer", "goes by Will": capitalized, a name even where it is a season or a verb)
                results.append(self._result("NAME", doc, i + 1, last, score, by_grammar=capitalized))
                if doc[last].lower_ not in self.institution_heads:  # "Referral to Bascom Palmer Eye Institute"
                    found.update(t.lower_ for t in doc[i + 1 : last + 1] if len(t) > 2)
