"""Identifiers read out before or after their label ("member id is ...", "... is my cell")."""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

from raytranscribe.asr.words import FILLERS as HESITATIONS
from raytranscribe.phi.context.base import ContextRecognizer, PhraseIndex
from raytranscribe.phi.lexicon import Lexicon
from raytranscribe.phi.numbers import SEPARATOR_REPEATS
from raytranscribe.phi.patterns import NOT_AGES


# Words that join a label to its value and start no letter prefix ("your IP as 10.0.14.221").
_NO_PREFIX = {"as", "at", "is", "was", "to", "and", "or", "of", "on", "by", "for"}
# Words after a number that make it a quantity, not an identifier.
_QUANTITIES = frozenset(NOT_AGES) | {"years", "hours", "dollars", "milligrams", "tablets", "pills", "cc", "ml", "mls",
                                     "milliliters", "liters", "ounces", "oz", "grams"}
# Public three-digit numbers ("call 911", "the 988 crisis line"): nobody's phone.
_SERVICE_NUMBERS = {"211", "311", "411", "511", "611", "711", "811", "911", "988"}
# A "code" near these words is a billing or diagnosis code (CPT, ICD-10), which identifies no one.
_BILLING = {"diagnosis", "diagnostic", "billing", "procedure", "cpt", "icd", "hcpcs", "visit", "billed"}


class CuedIdentifierRecognizer(ContextRecognizer):
    """An identifier read out after its label: "member id is c u 9 6 9...", "the last four are 1234"."""

    FILLERS = {"number", "numbers", "no", "#", "is", "was", "are", "were", ":", "it", "it's", "its", "of", "my",
               "the", "your", "his", "her", "id", "code", "digits", "reads", "that", "'s", "be", "should", "social",
               "security", "card", "a", "an", "-", "=", "on", "says", "read", "like", "um", "uh", "so", ",", "me",
               "at", "us", "him", "them", "to", "by", "or", "ends", "ending", "in", "with", "starts", "starting", "as",
               "which", "just", "?"}

    SPOKEN_SEPARATORS = {"dash", "hyphen", "slash", "dot", "point"}

    def __init__(self, lex: Lexicon) -> None:
        kinds = lex.raw["identifiers"]
        super().__init__(sorted(kinds), lex)
        self.cues = {kind: PhraseIndex(lex, phrases) for kind, phrases in kinds.items()}
        self.spelled_labels = lex.words("labels", "abbreviations") | lex.words("clinical", "spelled_abbreviations")
        self.not_code = lex.stop | self.spelled_labels  # short words that are no letter group inside a code

    @staticmethod
    def _id_part(tok: Token) -> bool:
        t = tok.text
        # like_num: number words the normalizer leaves as words ("4 million nine hundred" misheard)
        return tok.like_num or any(c.isdigit() for c in t) or (len(t) == 1 and t.isalpha()) or (t.isalnum() and any(c.isdigit() for c in t)) or t == "-"

    @staticmethod
    def _spelled_a(doc: list[Token], j: int) -> bool:
        """"is a b 29910": the letter a, spelled out before more letters or digits, not the article."""
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        return doc[j].lower_ == "a" and nxt is not None and (len(nxt.text) == 1 and nxt.is_alpha or any(c.isdigit() for c in nxt.text))

    def _value_after(self, doc: list[Token], i: int, kind: str) -> tuple[int, int]:
        """Token range [first, j) of an identifier read out after a cue ending at token i."""
        j = self._fillers_end(doc, i + 1)
        # "the serial on the cpap is X9 44721 B": other words between label and value, up to a copula
        # ("social? Patient: It's 6209"). Not for phone cues: "call", "cell" and "text" are everyday words.
        if j < len(doc) and not self._id_part(doc[j]) and self._prefix_length(doc, j) == 0 and kind != "PHONE":
            copula = next((k for k in range(j, min(j + 5, len(doc))) if doc[k].lower_ in ("is", "are", "was", ":", "'s")), None)
            # A sentence end comes between only before an answer ("... Social is fine. It's 9983"), not another
            # subject's copula ("Code status is full code. His Braden score is 12").
            if copula is not None and any(t.text in (".", "!", ";") for t in doc[j:copula]) \
                    and doc[copula - 1].lower_ not in ("it", "that"):
                copula = None
            if copula is not None:
                j = self._fillers_end(doc, copula + 1)
        # "the mrn is m r n 0073318": the label spelled again before its value is no part of it.
        k = j
        while k < len(doc) and len(doc[k].text) == 1 and doc[k].is_alpha:
            k += 1
        if k - j > 1 and "".join(t.lower_ for t in doc[j:k]) in self.spelled_labels:
            j = k
        first = j
        j += self._prefix_length(doc, j)
        while j < len(doc):
            if self._id_part(doc[j]):
                j += 1
            elif doc[j].text in (",", ".", "-") and j > first and j + 1 < len(doc) and doc[j + 1].like_num:
                j += 1  # a pause between digit groups: "four one two, six six, nine oh three one" (not "No. 7730")
            elif doc[j].lower_ in HESITATIONS and j + 1 < len(doc) and (doc[j + 1].like_num or doc[j + 1].text == ","):
                j += 1  # "six two uh one eight"
            elif doc[j].lower_ in ("extension", "ext", "ext.") and j + 1 < len(doc) and doc[j + 1].like_num:
                j += 1  # a phone number's extension
            elif (after := self._separators_end(doc, j)) > j and after < len(doc) and self._id_part(doc[after]):
                j = after  # "h m o dash four four one", "0 3 slash 14", ASR's "slash slash 1986"
            elif doc[j].is_alpha and len(doc[j]) <= 3 and doc[j].lower_ not in self.not_code and j > first \
                    and j + 1 < len(doc) and any(c.isdigit() for c in doc[j + 1].text):
                j += 1  # a letter group read out inside a plate or serial: "7 abc 123"
            else:
                break
        while j > first and doc[j - 1].lower_ in ("i", "a"):  # "... 08292 i'm 65": a pronoun ends the ID
            j -= 1
        return first, j

    def _fillers_end(self, doc: list[Token], j: int) -> int:
        start = j
        while j < len(doc) and j < start + 7 and doc[j].lower_ in self.FILLERS and not doc[j].like_num \
                and not self._spelled_a(doc, j):
            j += 1
        return j

    @staticmethod
    def _prefix_length(doc: list[Token], j: int) -> int:
        """A short letter prefix counts when digits follow: "WKP 449102773", "plate LKR 4471", ASR's "up
        901,960,954", "S in 244,619"."""
        for prefix in (1, 2):
            if j + prefix < len(doc) and all(t.is_alpha and len(t) <= 3 and t.lower_ not in _NO_PREFIX for t in doc[j : j + prefix]) \
                    and any(c.isdigit() for c in doc[j + prefix].text):
                return prefix
        return 0

    def _separators_end(self, doc: list[Token], j: int) -> int:
        """Index past the spoken separators at ``j`` (ASR may say one again)."""
        k = j
        while k < len(doc) and k < j + SEPARATOR_REPEATS and doc[k].lower_ in self.SPOKEN_SEPARATORS:
            k += 1
        return k

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
            billing = tok.lower_ == "code" and any(t.lower_ in _BILLING for t in doc[max(0, i - 3) : i + 6])
            if (kind := ends.get(tok.idx + len(tok.text))) is not None and not billing:
                found.append((kind, *self._value_after(doc, i, kind)))
            if (kind := starts.get(tok.idx)) is not None:
                found.append((kind, *self._value_before(doc, i)))
            for kind, first, j in found:
                chars = "".join(t.text for t in doc[first:j] if t.text not in ",-.")
                # ("the Medicaid redetermination is 90 days": a quantity)
                counted = j < len(doc) and doc[j].lower_ in _QUANTITIES
                if j > first and any(c.isdigit() for c in chars) and len(chars) >= 2 and chars not in _SERVICE_NUMBERS \
                        and not counted:
                    results.append(self._result(kind, doc, first, j - 1, 0.7))
        return results
