"""Regex recognizers (Presidio ``PatternRecognizer``) for identifiers with a recognizable shape.

They run on the number-normalized text (see ``numbers.py``), so "five five five one two one two"
is seen as "5551212". Case-insensitive throughout: ASR text may be all lowercase.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from raytranscribe.asr.words import FILLERS
from raytranscribe.phi.lexicon import Lexicon
from raytranscribe.phi.numbers import SEPARATOR_REPEATS

_TLD = r"(?:com|org|net|edu|gov|mil|io|co|us|info|biz|me|health|app|ly|uk|ca)"
# A URL runs to the next space, less trailing sentence punctuation.
_URL_TAIL = r"(?:\S*[^\s.,;:!?)\]'\"])?"
# A path segment said as an initial and a name ("slash t nguyen"): the initial does not end the path.
_PATH_INITIAL = r"(?:(?![ai]\b)[a-z]\s+(?!(?:and|or|then|so|if|but|to|for|the|is|was|in|on|at)\b))?"
# A letter spelled with an example word ("s as in sam"), as names and codes are read over the phone.
_AS_IN = r"(?:\s+as\s+in\s+[a-z]+)?"
_CODE_PART = r"(?:(?![ai]\b)[a-z]|\d{1,4})"
NATO_WORDS = frozenset(("alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike november "
                        "oscar papa quebec romeo sierra tango uniform victor whiskey x-ray xray yankee zulu").split())
_NATO = rf"(?:x\s+ray|{'|'.join(sorted(NATO_WORDS, key=len, reverse=True))})"  # ASR writes "x ray"
# Words that end a spoken web address's path ("slash wade runs fast | if you want"): function words.
_PATH_END = (r"(?:and|or|if|so|but|then|to|for|the|a|an|is|was|that|this|it|you|i|we|he|she|they|please|thanks|okay|ok|before|after|when"
             r"|in|on|at|with|of|from|by|when|where|which|who|um|uh)")
_NO_UNIT = r"(?!\s*(?:mg|mcg|ml|kg|lbs?|units?|iu|milligrams?|micrograms?|steps|calories|cells|dollars|percent|%)\b)"
_HESITATION = "|".join(sorted(FILLERS))
_SPOKEN_DASH = r"\s+(?:dash|hyphen)\s+"
_SEP = rf"(?:\s*[/.-]\s*|\s+(?:(?:slash|dash)\s+){{1,{SEPARATOR_REPEATS}}})"
# Between digit groups ASR leaves spaces, stray punctuation, read-out separators and hesitations
# ("0 8-0 2 -slash 1986", "615, uh, 555"), a few of them ("slash slash", "dash, uh").
_NOISY_SEP = rf"(?:[\s.,/-]+(?:(?:dash|slash|dot|hyphen|point|uh|um|er|no|sorry|wait)\b[\s.,/-]*){{0,{SEPARATOR_REPEATS}}})"
# Words that may follow a day of the month ("on the 9th at noon"); any other word makes the ordinal count
# something ("the 4th metatarsal", "the 3rd time").
_AFTER_DAY = (r"(?:of|at|and|or|in|to|for|so|but|then|because|when|if|i|we|he|she|they|you|it|please|around|about|after"
              r"|before|by|this|next|is|was|will|from|with|right|okay|ok|um|uh|correct|yes|no|or|between|through|thru"
              r"|technically|actually|exactly|probably|per|came|come|comes|went|results?|accession|specimen|biopsy|the"
              r"|a|an|my|his|her|their|our|your|can|could|would|should|might|must|do|does|did|are|were|has|had|have"
              r"|that|which|who|since|until|again|too|also|as|still|just|only|instead|yeah|yep)")  # ("on the 16th can she come")
# A month, then a day after it past 10 or before the month: "11/8", "10/22", "3 slash 14".
_MONTH_OVER_DAY = "(?:" + "|".join(
    [r"(?:0?[1-9]|1[0-2])(?:/|\s+slash\s+)(?:1[1-9]|2\d|3[01])", r"1[0-2](?:/|\s+slash\s+)0?[1-9]",
     r"1[12](?:/|\s+slash\s+)10"]
    + [rf"0?{m}(?:/|\s+slash\s+)0?[1-{m - 1}]" for m in range(2, 10)]) + ")"
# What a number from 90 up counts when it is no age: "is 96 percent", "was 92 pounds", "over 90".
NOT_AGES = ("percent", "%", "mg", "over", "/", "degrees", "pounds", "lbs", "kg", "beats", "bpm", "units", "times",
            "minutes", "days", "weeks", "months")
_NOT_AGES = "|".join(NOT_AGES)
# Participles of a dated event: "taken 1/15.", "delivered 12/27 at 03:14", "born Christmas Eve", "received the 19th".
_EVENT = (r"taken|drawn|collected|done|performed|seen|admitted|discharged|placed|started|stopped|delivered|born|died"
          r"|received|injured|operated|vaccinated|scanned|biopsied|tested|induced|sustained|fell|deferred|postponed"
          r"|rescheduled|moved|pushed|delayed|checked|reviewed|signed|faxed|filled|refilled|dispensed|ordered|updated")
_SPANISH_MONTHS = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
# A month or a day of the month, either order ("11/04/1958", "31.12.2020"), not an MRN's "00-48-2913".
_DAY_OR_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
# Digits followed by a unit are quantities, not identifiers ("1000mg", "2500 units").
_NOT_QUANTITY = r"(?![0-9.]*\s*(?:mg|mcg|ml|kg|lbs?|mmhg|bpm|cc|iu|units?|milligrams?|micrograms?|percent|%)\b)"


class _DigitGroups(PatternRecognizer):
    """Digit groups read out with pauses ("843 6469", "412, 66, 9031"): an identifier from 7 digits up.
    Shorter groups are vitals and doses ("120 80", "500 1000")."""

    def validate_result(self, pattern_text: str) -> bool | None:
        # None keeps the pattern's score (True would raise it to 1.0); False drops the match.
        if _YEAR_RANGE.fullmatch(pattern_text):
            return False  # "Service dates 1991-1995": years, which Safe Harbor leaves
        return None if sum(c.isdigit() for c in pattern_text) >= 7 else False


_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")


def _recognizer(entity: str, patterns: list[tuple[str, str, float]], context: list[str] | None = None) -> PatternRecognizer:
    return PatternRecognizer(
        supported_entity=entity,
        name=f"{entity.lower()}_patterns",
        patterns=[Pattern(name, regex, score) for name, regex, score in patterns],
        context=context,
    )


def pattern_recognizers(lex: Lexicon) -> list[PatternRecognizer]:
    raw = lex.raw
    months = lex.phrase_regex(raw["dates"]["months"])
    clear_months = lex.phrase_regex(set(raw["dates"]["months"]) - set(raw["dates"]["ambiguous_months"]))
    suffix_strong = lex.phrase_regex(raw["address"]["strong_suffixes"])
    suffix_weak = lex.phrase_regex(raw["address"]["weak_suffixes"])
    units = lex.phrase_regex([u for u in raw["address"]["units"] if u != "#"])
    quantity = lex.phrase_regex(raw["address"]["quantities"])
    street_words = rf"(?:\s+(?!{quantity}\b)(?:[a-z][a-z0-9'.-]*|\d{{1,3}}(?:st|nd|rd|th)\b)){{1,4}}?"  # "west 5th avenue"
    # ("220 Linden Ct, 3rd Floor, Apt 3F": a floor before the unit)
    unit = rf"(?:{units})\.?,?\s*#?\s*(?:[0-9]+(?:\s?[a-z])?|(?<=\s)[a-z])\b"  # "apt 4", "unit 12c", "apartment b"
    unit_tail = rf"(?:\s*,?\s*\d{{1,2}}(?:st|nd|rd|th)\s+floor\b)?(?:\s*,?\s*{unit}|\s*#\s*[0-9]+[a-z]?\b)?"
    # "1905 county road 11": a numbered road (a number after it that counts nothing).
    route_number = r"(?:(?<=road|rd|route|rte|highway|hwy)\s+\d{1,4}[a-z]?\b(?!\s*(?:miles?|minutes?|hours?|blocks?|times?|days?|weeks?|years?|exit)\b))?"
    # ASR writes "43,263 Luke Trail"; Hawaii "87-1020"; not a measurement ("impedance is 550 ohms threshold point")
    house = (r"\b(?:\d{1,3}(?:,\d{3})+|\d{1,6}(?:-\d{1,5})?)[a-z]?(?!\s+(?:ohms?|volts?|v|ms|milliseconds?|mg|mcg|ml|units?"
             r"|percent|beats|bpm|degrees|pounds|lbs|kg|grams?|joules|watts|mmhg)\b)")
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:\d{4}|'?\d{2})"
    ordinal, street_name = r"\d{1,3}(?:st|nd|rd|th)", rf"(?!{_PATH_END}\b)[a-z]+"
    # After "the 1st and 2nd": what was counted, not a corner.
    not_a_corner = r"(?:time|times|grade|degree|degrees|floor|place|line|day|days|week|weeks|visit|visits|dose|doses)"
    measures = "|".join(raw["clinical"]["measure_cues"])  # "Temperature is 99."
    # Street kinds that are seldom anything else after a place preposition ("on the way" has no name).
    street_kinds = r"street|avenue|ave|road|rd|lane|ln|drive|boulevard|blvd|court|terrace|parkway|pkwy|trail|crescent"
    residence = r"live|lives|living|lived|located|house|home|place|apartment|moved"
    # A run of spelled letters starts at its first letter, and is no code when it spells a clinical abbreviation.
    spelled_start = rf"(?<![\w'])(?<!(?<![\w'])[a-z]\s)(?!{lex.spelled_regex(raw['clinical']['spelled_abbreviations'])}\b)"
    relation = lex.phrase_regex([r for r in raw["names"]["relations"] if " " not in r])
    # "Rafael, my husband, is 90", "he was, oh, 91", "lived to be 97", "my dad's 92", "grandpa ezra is 97"
    person = (rf"(?:i'm|im|i\s+am|she'?s|she\s+is|he'?s|he\s+is|they're|patient\s+is|who\s+is|who'?s|age|aged|age\s+is|turned|turning"
              rf"|turns|be|{relation},?\s+(?:is|was)|(?:he|she|they|i)\s+was(?:[\s,]+(?:oh|uh|um|like|about))*|lived\s+to(?:\s+be)?"
              rf"|{relation}'?s|{relation}|{relation}\s+[a-z]+,?\s+(?:is|was))")  # (ASR's "my dads ninety six")
    return [
        _recognizer("EMAIL", [
            ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.95),
            # Half spoken: "marisol.vega at hotmail.com".
            ("half_spoken_email", rf"\b(?!(?:{_PATH_END}|up|out|online|us|me|him|them)\s)[\w+-]+(?:\.[\w+-]+)*\s+at\s+(?!www\.)[\w-]+(?:\.[\w-]+)*\.{_TLD}\b(?!/)", 0.9),  # (not "a fundraiser at gofundme.com/f/...": a path)
            ("spoken_email", rf"(?:(?<![\w'])(?![ai]\b)[a-z]\s+)?\b[\w+-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[\w+-]+|(?:\s+(?:{_HESITATION}))?\s+\d+|\s+(?![ai]\b)[a-z](?=\s+\d))*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+{_TLD}\b(?!\s+slash\b)", 0.9),  # a path: a web address
        ]),
        _recognizer("URL", [
            ("url", rf"\b(?:https?://|www\.){_URL_TAIL}", 0.9),
            ("domain", rf"\b(?:[a-z0-9-]+\.)+{_TLD}\b(?:/{_URL_TAIL})?", 0.85),
            # ("w w w dot cedar travel clinic dot org": letters said apart, a site's name of several words)
            ("spoken_url", rf"\b(?:www|w\s+w\s+w|https?)(?:\s+colon\s+slash\s+slash)?(?:\s+dot\s+[\w-]+(?:\s+(?!{_PATH_END}\b)[\w-]+){{0,2}})+", 0.85),
            # ASR may split a domain label in two ("example health dot org"), and a patient portal's "mychart" into
            # "my chart".
            ("spoken_domain", rf"\b(?:my\s+)?[\w-]+(?:\s+dot\s+[\w-]+(?:\s+[\w-]+)?)*\s+dot\s+{_TLD}\b(?:\s+slash\s+{_PATH_INITIAL}[\w-]+(?:\s+(?:dot|dash|underscore)\s+[\w-]+|\s+(?!{_PATH_END}\b)[a-z0-9]+){{0,6}})*", 0.8),
        ]),
        _recognizer("IP_ADDRESS", [
            ("ipv4", r"\b\d{1,3}(?:(?:\.|\s+dot\s+|\s+point\s+)(?:\d{1,3}|oh|zero)){3}\b", 0.9),
            ("ipv6", r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", 0.9),
        ]),
        _recognizer("PHONE", [
            ("phone", rf"(?:\+?\b1[\s.-]*)?(?:\(\d{{3}}\)|\b\d{{3}})(?:[\s.,-]|{_SPOKEN_DASH}){{0,4}}\d{{3}}(?:[\s.,-]|{_SPOKEN_DASH}){{0,4}}\d{{4}}(?:\s*,?\s*(?:x|ext\.?|extension)\s*\d{{1,5}})?\b", 0.6),
            ("local_phone", r"\b\d{3}[\s.-]\d{4}\b", 0.3),
        ], context=["phone", "cell", "mobile", "telephone", "fax", "call", "reach", "text", "number", "pager",
                             "phones", "called", "calling", "reached", "texting", "numbers", "contact"]),
        _recognizer("SSN", [("ssn", rf"\b\d{{3}}(?:[\s.-]|,\s|{_SPOKEN_DASH})?\d{{2}}(?:[\s.-]|,\s|{_SPOKEN_DASH})?\d{{4}}\b", 0.5)],
                    context=["social", "security", "ssn"]),
        _recognizer("ZIP", [("zip", r"\b\d{5}(?:-\d{4})?\b", 0.3)], context=["zip", "postal", "postcode", "zipcode"]),
        _recognizer("ID", [
            # Letters and at least four digits in one token: member IDs, serials, plates, VINs.
            ("alphanumeric", rf"\b{_NOT_QUANTITY}(?=(?:[a-z-]*\d){{4}})(?=[a-z0-9-]*[a-z])[a-z0-9][a-z0-9-]{{3,}}\b", 0.6),
            # Letters spelled out before a digit run, and one after it: "c u 9693 4919", "n g 4472291 k" (not the
            # "s" of "it's 339271").
            ("spelled_prefix", rf"{spelled_start}(?:(?![ai]\b)[a-z]{_AS_IN}\s+){{1,3}}\d{{4,}}\b{_NO_UNIT}(?:\s+(?![ai]\b)[a-z](?![\w']))?", 0.5),
            # Three or more letters spelled out ("k o w a l c z y k"): a name or code being spelled.
            # Bounded repetition keeps hostile input ("a a a a ...") linear.
            ("spelled_letters", rf"{spelled_start}(?=(?:[a-z]\s+){{0,30}}(?![ai]\b)[a-z]\b)(?:[a-z]\s+){{2,30}}[a-z]\b", 0.5),
            # ... with example words ("s as in sam a n t as in tom o s") or in the NATO alphabet ("kilo alpha tango").
            ("spelled_as_in", rf"(?<![\w'])(?=(?:[a-z]{_AS_IN}\s+){{0,30}}[a-z]\s+as\s+in\b)(?:[a-z]{_AS_IN}\s+){{1,30}}[a-z]{_AS_IN}\b",
             0.5),
            # Letters and digits read out one by one, mixed ("5 k w 2 h 4 p n m 78": a Medicare number).
            ("spelled_mixed", rf"{spelled_start}(?=(?:{_CODE_PART}\s+){{0,29}}(?![ai]\b)[a-z]\b)(?=(?:{_CODE_PART}\s+){{0,29}}\d)"
                              rf"(?:{_CODE_PART}\s+){{5,29}}{_CODE_PART}\b", 0.5),
            ("spelled_nato", rf"\b{_NATO}(?:\s+{_NATO}){{2,30}}\b", 0.5),
            # A user name said with its underscores ("chase underscore w 91").
            ("underscored", r"\b[a-z0-9]+(?:\s+underscore\s+[a-z0-9]+)+(?:\s+(?:[a-z]|\d+)\b)*", 0.5),
            # ... or written with hyphens, as ASR writes a spelling ("a-d-a-e-z-e").
            ("hyphen_spelled", r"\b[a-z](?:-[a-z]){2,30}\b", 0.5),
            # Any other number of five or more digits read out is identifying (ZIPs, MRNs, accounts),
            # unless it is a count ("white count 12000", "10000 steps").
            ("long_number", rf"(?<!\b(?:count|counts|platelets?|wbc|level|calories|steps|cpt|c\s+p\s+t|hcpcs)\s+(?:code\s+)?(?:is\s+|was\s+|of\s+)?)\b\d{{5,}}\b{_NO_UNIT}", 0.5),
        ]),
        _DigitGroups(supported_entity="ID", name="digit_groups",
                     patterns=[Pattern("digit_groups", rf"\b\d+(?:{_NOISY_SEP}\d+){{1,15}}\b", 0.5)]),
        _recognizer("DATE", [
            ("numeric", rf"\b{_DAY_OR_MONTH}{_SEP}{_DAY_OR_MONTH}{_SEP}(?:\d{{4}}|\d{{2}})\b", 0.7),
            ("iso", r"\b\d{4}-\d{1,2}-\d{1,2}\b", 0.7),
            ("month_day", rf"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?{months}\.?(?:\s+the)?\s+{day}\b(?:(?:\s*,\s*|\s+)(?:of\s+)?{year}\b)?", 0.8),
            ("day_month", rf"\b(?:the\s+)?{day}\s+(?:of\s+)?{months}\b(?:(?:\s*,\s*|\s+){year}\b)?", 0.8),
            ("month_year", rf"\b{months}\s*,?\s+(?:of\s+)?\d{{4}}\b", 0.7),
            ("month", rf"\b{clear_months}\b", 0.5),
            # Spanish, as bilingual patients and interpreters say dates: "el dos de febrero", "15 de agosto de 1983".
            ("spanish_day_month", rf"\b(?:el\s+)?(?:\d{{1,2}}|primero|[a-zé]+)\s+de\s+{_SPANISH_MONTHS}\b(?:\s+del?\s+\d{{4}})?", 0.7),
            ("spanish_month", rf"(?<=\b(?:en|desde|de|hasta|el)\s+){_SPANISH_MONTHS}\b", 0.5),
            # "march", "may", "august" alone are months only after a date preposition ("since may", not "this may").
            ("cued_month", rf"(?<=\b(?:in|since|until|till|til|by|during|early|late|mid|end\s+of|beginning\s+of|last|next|this\s+past)\s+(?:like\s+)?){months}\b", 0.5),
            # (an ordinal without "the" only where it counts nothing: not "friday first shift")
            ("weekday_day", rf"\b(?:(?:last|next|this|this\s+past)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
                            rf"(?:the\s+\d{{1,2}}(?:st|nd|rd|th)\b|\d{{1,2}}(?:st|nd|rd|th)\b(?!\s+(?!{_AFTER_DAY}\b)[a-z])"
                            rf"|\d{{1,2}}(?:/|\s+slash\s+)\d{{1,2}}\b)", 0.7),
            # "on the 30th", "the date was the 21st", but not "on the fourth metatarsal": a day of the month
            # is followed by the end of the phrase, not by a noun it counts.
            ("cued_day", rf"(?<=\b(?:on|since|by|until|till|before|after|for|from|is|was|date|dated|or|maybe|of|like|well|what|{_EVENT}|visit|appointment|scheduled|due)[\s,]+)the\s+(?:(?:uh|um)\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b(?!\s+(?!{_AFTER_DAY}\b)[a-z]|\s+\d)", 0.5),  # not "the 2nd 1"
            ("holiday", r"\b(?:christmas(?:\s+(?:eve|day))?|new\s+year'?s(?:\s+(?:eve|day))?|thanksgiving(?:\s+day)?|halloween|easter(?:\s+sunday)?|valentine'?s\s+day|independence\s+day|the\s+fourth\s+of\s+july|memorial\s+day|labor\s+day)(?=\s*,?\s*\d{4}\b)(?:\s*,?\s*\d{4})?", 0.6),
            # "the 5th, after midnight", "he's the 2nd.": an ordinal that ends a clause counts nothing.
            ("clause_end_day", r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b(?=\s*(?:[,.;?!]|$))", 0.5),
            ("cued_holiday", rf"(?:(?<=\b(?:on|since|until|by|before|after|was|over|during|around|for|{_EVENT})\s+)|\bthe\s+(?:day|night|week|weekend)\s+(?:before|after)\s+)(?:christmas(?:\s+(?:eve|day))?|new\s+year'?s(?:\s+(?:eve|day))?|thanksgiving(?:\s+day)?|halloween|easter(?:\s+sunday)?|valentine'?s\s+day|independence\s+day|the\s+fourth\s+of\s+july|memorial\s+day|labor\s+day)\b", 0.5),
            # "follow up on 11/22": a month and a day after a date preposition (not "was 90/60", "a 10/10 pain").
            ("cued_month_slash_day", rf"(?<=\b(?:on|by|until|till|before|after|since|dated|(?:{_EVENT})\s+(?:to|until))\s+)(?:0?[1-9]|1[0-2])(?:/|\s+slash\s+)(?:0?[1-9]|[12]\d|3[01])\b(?!\s*(?:/|slash|over|out\s+of)\b)", 0.5),
            # "the X-rays were taken 1/15.": after an event's participle, a month and a day that end the clause.
            ("event_month_slash_day", rf"(?<=\b(?:{_EVENT})\s+)(?:0?[1-9]|1[0-2])(?:/|\s+slash\s+)(?:0?[1-9]|[12]\d|3[01])\b(?=\s*(?:[,.;!?]|$)|\s+(?:at|on|in|and|by|from|with)\b)", 0.5),
            # "last drink 11/8", "s/p prostatectomy 10/22": a month and a day no score can be (a score's first number
            # is at most its second, which is at most 10: "4/5 strength", "7/10 pain", "2/6 murmur")
            ("unscored_month_slash_day", rf"\b{_MONTH_OVER_DAY}\b(?!\s*(?:/|slash|over|out\s+of)\b)", 0.6),
            ("month_slash_day", rf"\b\d{{1,2}}(?:/|\s+slash\s+)\d{{1,2}}\b(?!\s*(?:/|slash|over|out\s+of)\b)", 0.2),
            ("spaced_numeric", r"\b\d{1,2}\s+\d{1,2}\s+(?:\d{4}|\d{2})\b", 0.2),
        ], context=["born", "birth", "dob", "birthday", "date", "appointment", "admitted", "discharged", "seen", "visit",
                    "surgery", "on", "dated", "scheduled", "appointments", "visited", "operated"]),
        _recognizer("AGE", [
            ("age_years_old", r"\b(?:9\d|1[0-4]\d)(?=[\s-]*(?:years?|yrs?)[\s-]*(?:old|of\s+age)\b|[\s-]*y/?o\b)", 0.8),
            ("age_cued", rf"(?<=\b{person}[\s,]+(?:(?:like|about|around|almost|nearly|maybe|over|pushing|going\s+on|close\s+to|um|uh)[\s,]+)?)(?:9\d|1[0-4]\d)\b(?!\s*(?:{_NOT_AGES}))", 0.7),
            # "Grandma Opal is 91, and ...": a capitalized name, "is", an age, then the clause ends.
            ("age_named", rf"(?<=\b(?!(?:{measures})\b)(?-i:[A-Z][a-z]+)\)?,?\s+(?:is|was)\s+)(?:9\d|1[0-4]\d)\b(?=\s*(?:[,.;!?]|and\b|$))", 0.6),
            # "Mr. Delroy Campbell, 90, CHF exacerbation": an age set off by commas after a capitalized name.
            ("age_apposition", rf"(?<=\b(?!(?:{measures})\b)(?-i:\p{{Lu}}[\p{{Ll}}'-]+),\s+)(?:9\d|1[0-4]\d)\b(?=\s*[,;.](?!\d))", 0.6),
            # "Mrs. Abernathy, 91F, s/p fall": an age with the sex's letter after a capitalized name and a comma.
            ("age_sex", r"(?<=(?-i:\p{Lu}[\p{Ll}'-]+),\s+)(?:9\d|1[0-4]\d)(?=(?-i:[FM])\b)", 0.7),
            # "she's 90, no, 91": the age a speaker corrects to.
            ("age_corrected", rf"(?<=\b{person}[\s,]+(?:9\d|1[0-4]\d)[\s,]+(?:(?:no|wait|sorry|i\s+mean|actually|or)[\s,]+){{1,3}})(?:9\d|1[0-4]\d)\b", 0.7),
            # "DOB 04/22/1931 (93)": an age in brackets after a year.
            ("age_after_year", r"(?<=\b\d{4}\s*\()(?:9\d|1[0-4]\d)(?=\s*(?:y/?o|yrs?|years?(?:\s+old)?)?\s*\))", 0.7),
            ("age_decade", r"(?<=\bin\s+(?:his|her|their|my|your)\s+)(?:(?:early|mid|late)\s+)?(?:nineties|90s|hundreds)\b", 0.6),
        ]),
        _recognizer("ADDRESS", [
            ("street", rf"{house}{street_words}\s+(?:{suffix_strong})\b\.?{route_number}{unit_tail}", 0.75),
            # "the shelter on 1422 south halsted": a house number, a direction and a name, no street kind said
            ("street_direction", r"(?<=\b(?:on|at|near)\s)\d{3,6}\s+(?:north|south|east|west)\s+[a-z]+\b"
                                 r"(?!\s+(?:wing|tower|unit|building|side|campus|entrance|lot|clinic))", 0.6),
            # "is the address still 61 west maple apartment 4 c": with its unit, a house number, a direction and a name
            ("street_direction_unit", rf"\b\d{{1,6}}\s+(?:north|south|east|west)\s+[a-z]+\s+{unit}", 0.6),
            # The street's kind before its name: "1450 Rue Toussaint", "210 Calle del Sol".
            ("street_kind_first", rf"{house}\s+(?:rue|calle|avenida|camino|chemin|via)\s+(?:(?:de|del|de\s+la|des|du|la|le)\s+)?\p{{L}}[\p{{L}}'-]*(?:\s+(?-i:\p{{Lu}})[\p{{L}}'-]*)?{unit_tail}", 0.7),
            ("street_weak", rf"{house}{street_words}\s+(?:{suffix_weak})\b\.?{unit_tail}", 0.55),
            # "over on kessler road uh number 1470": the house number said after its street.
            ("number_after_street", rf"(?<=\b(?!(?:the|a|this|that|my|your|his|her|our|their|same)\b)[a-z]+\s+(?:{suffix_strong}|{suffix_weak})\s+(?:(?:uh|um)\s+)?(?:number|#)\s*)\d{{1,6}}\b", 0.6),
            # Rural delivery: "rural route 2 box 41", "RR 3, Box 12" ("rr 18" alone is a respiratory rate).
            ("rural_route", r"\b(?:rural\s+route\s+\d+(?:\s*,?\s+box\s+\d+)?|(?:r\.?\s*r\.?|rfd|hc)\s*#?\s*\d+\s*,?\s+box\s+\d+)\b", 0.8),
            ("po_box", r"\b(?:p\.?\s*o\.?|post\s+office)\s*box\s+\d+\b", 0.8),
            # US military mail: "PSC 1234, Box 5678, APO AE 09123", "USNS Mercy FPO AP 96123".
            ("military", r"\b(?:psc|cmr|unit)\s+\d{3,5},?\s+box\s+\d{1,5}(?:,?\s+(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5})?", 0.8),
            ("ship", r"\b(?:usns|usnv|uss|uscgc)\s+[a-z]+(?:\s+[a-z]+)?,?\s+(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5}", 0.8),
            # A corner: "the walgreens on 5th and main", "the CVS on Washington and 5th" (one of them a numbered street).
            ("intersection", rf"(?<=\b(?:on|at|of|near)\s+)(?:{ordinal}\s+and\s+{street_name}|{street_name}\s+and\s+{ordinal})\b(?!\s+{not_a_corner}\b)", 0.5),
            # "we live on 5200 north sheridan": a house number and a direction name the street without a suffix.
            ("street_directional", rf"(?<=\b(?:{residence}|stay|stays|staying|stayed)\s+(?:on|at)\s+){house}\s+(?:north|south|east|west)\s+(?!{quantity}\b)[a-z][a-z'-]*\b", 0.6),
            # "on birch street", "at Old Mill Road and Route 9": a street said by name after a place preposition.
            ("street_named", rf"(?<=\b(?:on|off|at|near)\s+)(?!{quantity}\b|its\b)(?:(?:[a-z][a-z'-]*|{ordinal})\s+){{1,2}}(?:{street_kinds})\b(?:\s+(?:and|&)\s+(?:(?!{quantity}\b)[a-z][a-z'-]*\s+){{0,2}}(?:{street_kinds}|route|highway|hwy)(?:\s+\d{{1,4}})?\b)?", 0.55),
            ("highway_address", rf"{house}\s+(?:highway|hwy|route|rte|state\s+route|county\s+road|farm\s+to\s+market|us)\s+\d{{1,4}}[a-z]?\b{unit_tail}", 0.6),
            ("street_no_number", rf"(?<=\b(?:{residence})\s+(?:on|off|at)\s+)(?:[a-z][a-z'-]*\s+){{1,3}}(?:{suffix_strong})\b", 0.6),
        ]),
    ]
