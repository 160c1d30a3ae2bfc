"""Person names shown by what a sentence says of them rather than by a cue word before them ("marguerite
called", "jose is my son", "her kids are mei-ling and jun", "angel the night aide"), by a speaker's correction
or by a spelling: the half of ``NameRecognizer`` that reads a sentence's shape."""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from spacy.tokens import Token

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.context.base import ends_at, pos_of, taken, words_of

# Prepositions before the people something is done with, for or by.
_COMPANION = {"with", "for", "by", "to", "from"}
# Words between a name and the name said again, corrected ("sonny no sorry sunny", "jimmy, well, james",
# "grace or maybe gracie"); one of the cues must be among them.
_CORRECTION_WORDS = {"no", "not", "wait", "sorry", "well", "i", "mean", "or", "maybe", "rather", "actually", ","}
_CORRECTION_CUES = {"no", "not", "sorry", "well", "mean", "maybe", "rather", "actually"}
POSSESSIVE = {"my", "his", "her", "our", "their", "your", "the"}
NAME_KINDS = {"first", "last", "middle", "maiden", "full", "given", "family", "actual", "real", "legal", "preferred"}
# Roles a name may be set beside: "angel the night aide", "patience the home health nurse".
_ROLES = {"aide", "caseworker", "worker", "driver", "volunteer", "chaplain", "interpreter", "translator", "nurse",
          "therapist", "pharmacist", "doctor", "coordinator", "navigator", "manager", "assistant", "tech",
          "technician", "caregiver", "dietitian", "receptionist", "scheduler", "sister", "brother", "son",
          "daughter", "mother", "father", "wife", "husband", "neighbor", "granddaughter", "grandson", "niece",
          "nephew", "uncle", "aunt", "cousin", "friend"}
# What is said of a patient by name: "brooke is here for", "aubrey is allergic to".
_PATIENT_STATES = {"here", "allergic", "doing", "feeling", "having", "complaining", "due", "scheduled", "coming",
                   "asking", "wondering", "waiting", "pregnant", "sick", "febrile", "admitted", "discharged", "refusing"}
# Relations said of several people: "her kids are mei-ling and jun".
_RELATIONS_PLURAL = {"kids", "children", "sons", "daughters", "sisters", "brothers", "grandkids", "grandchildren", "siblings",
                     "twins", "parents", "grandsons", "granddaughters", "nieces", "nephews", "cousins"}


class SentenceShapes:
    """Rules over a whole sentence; mixed into ``NameRecognizer``, whose word tests (``_candidate``,
    ``_name_like``, ``_extend``, ...) and lexicon they use."""

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
            acronym = tok.text.isupper() and len(tok.text) <= 3  # "EGD under MAC", "Westfield, MA"
            if tok.text[:1].isupper() and not acronym and low in self.lex.first_names and low not in self.non_nouns and not determined \
                    and low not in self.states and not in_state and not (sentence_start and self._dictionary_word(low)) \
                    and self._candidate(tok) and not taken(tok, results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i), 0.5))
                found.add(low)
        # "marguerite called earlier": a common first name doing what people do (not "the bill came", "the
        # kidney numbers dropped", "the it guy said": a word after a determiner, or a noun after a noun or adjective).
        for i in range(len(doc) - 1):
            low = doc[i].lower_
            determined = i > 0 and (pos_of(doc[i - 1]) in ("DET", "PRON") or doc[i - 1].tag_ in ("NN", "NNS", "NNP", "JJ")
                                    and doc[i - 1].lower_ not in self.relations and self._dictionary_word(low))
            # ("brooke is here for her checkup", "aubrey is allergic to peanuts": what is said of a patient)
            said_of = i + 2 < len(doc) and doc[i + 1].lower_ in ("is", "was") and doc[i + 2].lower_ in _PATIENT_STATES
            # (or a word in another language: "so dmitri said"; an adverb may come between: "padraig already picked")
            acts = doc[i + 1].lower_ in self.actions or doc[i + 1].tag_ == "RB" and i + 2 < len(doc) \
                and doc[i + 2].lower_ in self.actions and doc[i + 1].lower_ not in self.lex.stop
            if (low in self.lex.first_names or self._foreign(doc[i])) and (acts or said_of) \
                    and not determined \
                    and self._candidate(doc[i]) and not taken(doc[i], results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(low)
        # "so will needs his knee done": "will" before a verb's -s or past form is no modal but a name (not "the
        # living will needs a witness": a noun after a determiner, a pronoun or another noun).
        for i in range(len(doc) - 1):
            if doc[i].lower_ == "will" and doc[i].tag_ == "MD" and doc[i + 1].tag_ in ("VBZ", "VBD") \
                    and not (i > 0 and (pos_of(doc[i - 1]) in ("DET", "PRON") or doc[i - 1].tag_ in ("NN", "NNS", "JJ"))) \
                    and not taken(doc[i], results):
                results.append(self._result("NAME", doc, i, i, 0.6, by_grammar=True))
                found.add("will")
        # "how is rose doing", "how's Pearl feeling": someone asked after by name (not "how is work going").
        for i in range(2, len(doc) - 1):
            asked = doc[i - 2].lower_ == "how" and doc[i - 1].lower_ in ("is", "'s", "s", "was")
            if asked and doc[i + 1].lower_ in ("doing", "feeling", "holding", "getting", "sleeping", "eating") \
                    and (self._name_like(doc[i]) or self._named(doc[i])) and self._candidate(doc[i], any_pos=True) \
                    and not taken(doc[i], results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(doc[i].lower_)
        # "jose is my son", "tran van minh, um, that's my father": words introduced as someone's relation are a name
        # (not "he was tall, her daughter ...": an adjective says what someone is like).
        for i in range(len(doc) - 3):
            describes = doc[i].lower_ in self.descriptive and doc[i].lower_ not in self.lex.first_names
            # "the policy holder is her husband": a noun phrase, not a name
            determined = any(doc[k].lower_ in ("the", "a", "an") for k in (i - 1, i - 2) if k >= 0) \
                and doc[i].lower_ not in self.lex.first_names and self._dictionary_word(doc[i].lower_)
            # ("thats not even my bill that was my ex": a word someone owns is a thing, even a first name)
            determined |= i > 0 and doc[i - 1].lower_ in ("my", "your", "his", "their", "our") and self._dictionary_word(doc[i].lower_)
            # ("will is the dad": a modal before "is" is a name)
            modal = doc[i].tag_ == "MD" and doc[i].is_alpha and doc[i + 1].lower_ in ("is", "was")
            # ("uh blue is my actual name": any word said to be someone's name, even an adjective)
            # (and any noun opening a clause said to be someone's relation: "um phoenix is her kid")
            opens = i == 0 or doc[i - 1].is_punct or doc[i - 1].lower_ in FILLERS or doc[i - 1].lower_ in ("and", "but", "so")
            called = doc[i + 1].lower_ in ("is", "was", "'s") and doc[i + 2].lower_ in POSSESSIVE - {"the"} \
                and (doc[i + 3].lower_ == "name" or doc[i + 3].lower_ in NAME_KINDS and i + 4 < len(doc) and doc[i + 4].lower_ == "name"
                     or opens and doc[i + 3].lower_ in self.relations and not describes and doc[i].tag_ in ("NN", "NNP"))
            if (self._name_like(doc[i]) or modal or called and self._candidate(doc[i], any_pos=True)) \
                    and not determined and (called or not describes) and self._introduced_as_relation(doc, i + 1):
                first = i
                while first > 0 and i - first < 2 and self._name_like(doc[first - 1]):
                    first -= 1
                results.append(self._result("NAME", doc, first, i, 0.6, by_grammar=modal))  # (a modal: a stop word)
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
            # ("Caller is Hope from Bemidji": in cased text the capital shows it)
            closed = k + 2 >= len(doc) or doc[k + 2].is_punct or doc[k + 2].lower_ in ("and", "but") \
                or doc[k + 2].lower_ in FILLERS or not self._dictionary_word(nxt.lower_) or nxt.text[:1].isupper()
            if closed and self._candidate(nxt, any_pos=True) and len(nxt.text) > 2 \
                    and (self._plain_name(nxt) or self._foreign(nxt)) and not taken(nxt, results):
                results.append(self._result("NAME", doc, k + 1, self._extend(doc, k + 1), 0.6))
                found.add(nxt.lower_)
        # "angel the night aide called out", "tomas the kiche interpreter", "were me destiny the social worker": a
        # name set beside its role (not "we hope the aide comes": a verb after its subject).
        for i in range(len(doc) - 2):
            tok, k = doc[i], i + 1
            while k < len(doc) and doc[k].lower_ == "the":
                k += 1
            role = next((j for j in range(k, min(k + 3, len(doc))) if doc[j].lower_ in _ROLES), None)
            if k > i + 1 and role is not None and all(t.is_alpha for t in doc[k:role]) \
                    and (tok.lower_ in self.lex.first_names or self._foreign(tok)) and self._candidate(tok, any_pos=True) \
                    and not (i > 0 and (doc[i - 1].tag_ == "PRP" and doc[i - 1].lower_ != "me" or pos_of(doc[i - 1]) == "DET")) \
                    and not taken(tok, results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(tok.lower_)
        # "gerald did really good": a census first name that is no other word is a name wherever it is said;
        # "Hope (aide) assisted": a capitalized word with its role in brackets after it; "Angel — your test is on
        # ...": a capitalized first name that opens a sentence and is set off before "you", the one addressed.
        for i, tok in enumerate(doc):
            plain = tok.lower_ in self.lex.common_first_names and len(tok.text) > 2 and not self._dictionary_word(tok.lower_) \
                and not (i > 0 and pos_of(doc[i - 1]) == "DET")  # not "The Mercedes hit the guardrail"
            bracketed = tok.text[:1].isupper() and i + 3 < len(doc) and doc[i + 1].text == "(" \
                and doc[i + 2].lower_ in _ROLES and doc[i + 3].text == ")"
            opens = i == 0 or doc[i - 1].text in ".?!"
            addressed = opens and tok.text[:1].isupper() and tok.lower_ in self.lex.first_names and i + 2 < len(doc) \
                and doc[i + 1].text in (",", "—", "-", "–") and doc[i + 2].lower_ in ("you", "your")
            if (plain or bracketed or addressed) and self._candidate(tok, any_pos=True) and not taken(tok, results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i), 0.5))
                found.add(tok.lower_)
        # "my lead, Christian, drove me", "the physical therapist, siobhan, had me", "Mom (Adaeze) reports": a word
        # set off by commas or brackets after a relation, capitalized or name-like.
        for i in range(len(doc) - 2):
            nxt = doc[i + 2]
            opening = doc[i + 1].text
            closed = i + 3 >= len(doc) or doc[i + 3].text in ((",", ".") if opening == "," else (")",))
            # (a relation nobody owns only before a capitalized name: "Mother, Summer, reports")
            if (ends_at(doc, i, relations) or ends_at(doc, i, bare) and nxt.text[:1].isupper()) \
                    and opening in (",", "(") and self._named(nxt) and (closed or nxt.text[:1].isupper()):
                # ("My daughter, Mercy, handles ...": capitalized and closed, a name even where it is a hospital's)
                results.append(self._result("NAME", doc, i + 2, self._extend(doc, i + 2), 0.6,
                                            by_grammar=nxt.text[:1].isupper() and closed))
                found.add(nxt.lower_)
        # "her grandkids storm royal and harmony are all ...", "siblings Amari and Zion Battle were": the words a
        # plural relation names, joined by "and", before what is said of them (capitalized, or after an owner)
        # ("sons Aleksander and Pawel Nowak.": or at the sentence's end)
        for i in range(1, len(doc) - 2):
            if doc[i].lower_ not in _RELATIONS_PLURAL or doc[i].text[:1].isupper() and not doc[i - 1].is_punct:
                continue  # (a capital mid-sentence: part of a name, "Department of Children and Families")
            # ("the kids amari zion and journee all had": or at a verb, or "all", once "and" is said)
            end = next((k for k in range(i + 2, min(i + 13, len(doc) + 1))
                        if k == len(doc) or doc[k].lower_ in ("are", "were") or doc[k].text in (".", ";", "?", "!")
                        or any(t.lower_ == "and" for t in doc[i + 1 : k - 1])
                        and (doc[k].lower_ in ("all", "both") or pos_of(doc[k]) in ("VERB", "AUX"))), None)
            listed = doc[i + 1 : end] if end else []
            words = [t for t in listed if t.lower_ != "and" and t.text != "," and t.lower_ not in _ROLES]
            # (after an owner, most of them name-like and none a stop word: "the kids amari zion and journee")
            named = [self._candidate(t, any_pos=True) for t in words] if doc[i - 1].lower_ in POSSESSIVE \
                else [t.text[:1].isupper() and self._candidate(t, any_pos=True) for t in words]
            mostly = doc[i - 1].lower_ not in POSSESSIVE or 2 * sum(self._name_like(t) for t in words) > len(words)
            if any(t.lower_ == "and" for t in listed) and words and all(named) and mostly:
                for t in words:
                    results.append(self._result("NAME", doc, t.i, t.i, 0.6))
                    found.add(t.lower_)
        # "mark and frank are my brothers", "dale and gale are twins": words joined by "and" said to be relations.
        for i in range(len(doc) - 4):
            pair = (doc[i], doc[i + 2])
            k = i + 4 + (doc[i + 4].lower_ in POSSESSIVE and i + 5 < len(doc))
            if doc[i + 1].lower_ == "and" and doc[i + 3].lower_ in ("are", "were") and doc[k].lower_ in _RELATIONS_PLURAL \
                    and all(self._candidate(t, any_pos=True) and pos_of(t) not in ("VERB", "AUX") for t in pair):
                results += [self._result("NAME", doc, t.i, t.i, 0.6) for t in pair if not taken(t, results)]
                found.update(t.lower_ for t in pair)
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
        # "for Yusuf Abdi", "for Ignatius Boateng", "Legend Fa'amausili": two capitalized words in a row that no
        # dictionary, drug list or gazetteer of titles knows, but for one noun only WordNet lists (a saint, a city);
        # brands are in the drug list, and a place so named is PHI too.
        for i in range(len(doc) - 1):
            pair = doc[i : i + 2]
            unknown = [not self._dictionary_word(t.lower_) for t in pair]
            if all(t.text[:1].isupper() and t.text[1:].islower() and t.text.replace("'", "").isalpha() and len(t.text) > 1
                   and self._candidate(t, any_pos=True) for t in pair) and any(unknown) \
                    and all(u or t.lower_ not in self.non_nouns or t.lower_ in self.lex.first_names
                            for u, t in zip(unknown, pair)) \
                    and not ((i == 0 or doc[i - 1].is_punct) and doc[i].lower_ not in self.lex.first_names and not all(unknown)) \
                    and not taken(doc[i], results):
                # (at a sentence's start only a first name or two unknown words: "Hope Adeyemi-Castillo called",
                # "Espoir Mukendi and his mother")
                results.append(self._result("NAME", doc, i, max(i + 1, self._extend(doc, i)), 0.5))
                found.update(t.lower_ for t, u in zip(pair, unknown) if u)  # not "eye" of "Palmer Eye Institute"
        # "Records request for J. Castillo-Brandt": an initial, then a capitalized census surname or word no dictionary
        # knows.
        for i in range(len(doc) - 1):
            tok, nxt = doc[i], doc[i + 1]
            if len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "." and nxt.text[:1].isupper() \
                    and nxt.text[1:].islower() and (nxt.lower_ in self.lex.last_names or not self._dictionary_word(nxt.lower_)) \
                    and self._candidate(nxt, any_pos=True) and not taken(nxt, results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i + 1), 0.5))
                found.add(nxt.lower_)
        # "nguyen and abernathy and okafor", "Priyanka and Tomasz": words joined by "and", each a census name or a word
        # in another language, and none a dictionary word or an eponym ("kernig and brudzinski").
        for i in range(len(doc) - 2):
            pair = (doc[i], doc[i + 2])
            if doc[i + 1].lower_ == "and" and not all(taken(t, results) for t in pair) \
                    and all(len(t.text) > 2 and self._candidate(t, any_pos=True) and not self._dictionary_word(t.lower_)
                            and (self.lex.is_name(t.lower_) or self._foreign(t)) and t.lower_ not in self.eponyms
                            for t in pair):
                results += [self._result("NAME", doc, t.i, t.i, 0.5) for t in pair if not taken(t, results)]
                found.update(t.lower_ for t in pair)
        # "with grzegorz and wojtek", "with justice and gale": two words no dictionary knows, or two census first
        # names that describe nothing, joined as the people something is done with.
        for i in range(1, len(doc) - 2):
            if doc[i - 1].lower_ in _COMPANION and doc[i + 1].lower_ == "and" \
                    and (all(self._unknown_word(doc[k]) for k in (i, i + 2))
                         or all(doc[k].text[:1].isupper() and (self._unknown_word(doc[k]) or doc[k].lower_ in self.lex.first_names)
                                for k in (i, i + 2))  # "with Oluwaseun and Grace Whitfield"
                         or all(self._candidate(doc[k], any_pos=True) and doc[k].lower_ in self.lex.first_names
                                and doc[k].lower_ not in self.descriptive for k in (i, i + 2))):
                results += [self._result("NAME", doc, k, k, 0.5) for k in (i, i + 2)]
                found.update((doc[i].lower_, doc[i + 2].lower_))
        # "please confirm with Noor at the desk": in cased text, a capitalized word no dictionary or drug list knows,
        # inside a sentence, after "with", "for" or "to" (not "for Descemet membrane": an eponym before a noun).
        for i in range(1, len(doc)):
            tok = doc[i]
            if doc[i - 1].lower_ in ("with", "for", "to") and tok.text[:1].isupper() and tok.text[1:].islower() \
                    and self._unknown_word(tok) and not (i + 1 < len(doc) and doc[i + 1].tag_ in ("NN", "NNS")) \
                    and tok.lower_ not in self.institutions and not taken(tok, results):
                results.append(self._result("NAME", doc, i, self._extend(doc, i), 0.5))
                found.add(tok.lower_)
        # "is this uh aces dad": ASR's possessive without its apostrophe, a first name's, before a relation.
        for i in range(len(doc) - 1):
            low = doc[i].lower_
            if low.endswith("s") and low[:-1] in self.lex.first_names and doc[i + 1].lower_ in self.relations \
                    and not (i > 0 and doc[i - 1].lower_ in ("the", "a", "an")) and self._candidate(doc[i], any_pos=True) \
                    and not taken(doc[i], results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(low[:-1])
        # "Hiroshi's wife", "tom's daughter": a word owning a relation is a name; so is a first name owning
        # what a patient has ("dawn's follow up").
        for i in range(len(doc) - 2):
            owned = doc[i + 2].lower_
            if doc[i + 1].lower_ == "'s" and self._candidate(doc[i]) \
                    and (owned in self.relations or owned in self.possessions and doc[i].lower_ in self.lex.first_names
                         or owned in NAME_KINDS and i + 3 < len(doc) and doc[i + 3].lower_ == "name") \
                    and not taken(doc[i], results):
                results.append(self._result("NAME", doc, i, i, 0.6))
                found.add(doc[i].lower_)

    def _corrected(self, doc: list[Token], results: list[RecognizerResult], found: set[str]) -> None:
        """A name corrected by the speaker: the word said on the other side of "no sorry", "well", "or maybe"
        is a name too, whichever of the two was found first."""
        def named(k: int) -> bool:
            return taken(doc[k], results)

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

    def _false_starts(self, doc: list[Token], results: list[RecognizerResult]) -> None:
        """"my name is jo- joanna": a word broken off and said again whole shows the start of a name."""
        for i in range(len(doc) - 1):
            cut = doc[i].lower_
            if len(cut) > 2 and cut.endswith("-") and cut[:-1].isalpha() and doc[i + 1].lower_.startswith(cut[:-1]) \
                    and taken(doc[i + 1], results):
                results.append(self._result("NAME", doc, i, i, 0.6))

    def _spelled_word(self, doc: list[Token], results: list[RecognizerResult], found: set[str]) -> None:
        """"w o j c i k wojcik", "dunn d u n n": a word said next to its own spelling is a name being given."""
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and len(doc[j].text) == 1 and doc[j].is_alpha:
                j += 1
            spelled = "".join(t.lower_ for t in doc[i:j])
            if len(spelled) > 2:
                # ("ngozi um n g o z i": a hesitation between the word and its spelling)
                before = i - 1 - (i > 1 and doc[i - 1].lower_ in FILLERS)
                for k in (before, j):
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
