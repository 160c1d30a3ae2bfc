"""Each identifier kind in cased, lowercase and spoken form is replaced; clinical content stays."""

import re

import pytest

from raytranscribe.phi import RedactionError
from raytranscribe.phi.evaluate import evaluate

from .conftest import PHI_DATA, marked_items, parse_marked

CASES = [
    # names
    "Good afternoon, Mr. {NAME:Abernathy}, how is the knee?",
    "good afternoon mister {NAME:abernathy} how is the knee",
    "my name is {NAME:olumide bakare} and i am here for my refill",
    "I came with my husband {NAME:Ravi} today.",
    "this is nurse {NAME:kowalski} calling from the clinic",
    # places
    "We just moved here from {CITY:Grand Rapids} last spring.",
    "patient is a 45 year old male from {CITY:boise}",
    # identifiers as streaming tiny.en writes them: stray spaces, dashes and commas, misheard prefixes
    "my date of birth is {DATE:0 8-0 2 -slash 1986}",
    "born on {DATE:0 3 dash 1 4 dash 19 62} in ohio",
    # a separator said twice where two streaming passes meet
    "my date of birth is {DATE:zero eight slash zero two slash slash nineteen eighty six}",
    "the biopsy was done {DATE:08 slash 02 slash slash 2019} at the county clinic",
    "so write down {ID:four one two dash dash six six dash nine oh three one} please",
    "the account number is {ACCOUNT:four one two dash dash six six dash nine oh three one}",
    "his license plate is {VEHICLE:seven abc one two three}",
    "the medical record number is {MRN:4,911 to 11,907, 975}. please double check it.",
    "the pacemaker serial number is {DEVICE:S in 244,619}. it was checked last year.",
    "we just moved here from {CITY:grand rapids} last spring",
    "I live at {ADDRESS:77 Sycamore Court}, {CITY:Fairview}.",
    "i live at {ADDRESS:seventy seven sycamore court} in {CITY:fairview}",
    "the zip code is {ZIP:02139}",
    "the zip code is {ZIP:oh two one three nine}",
    # dates and ages
    "Date of birth {DATE:February 29, 1952}.",
    "date of birth {DATE:february twenty ninth nineteen fifty two}",
    "Follow-up on {DATE:3/14/2025} at nine.",
    "She is {AGE:97} years old.",
    "she is {AGE:ninety seven} years old",
    # phone, email, url
    "Call me at {PHONE:415-555-0188}.",
    "call me at {PHONE:four one five five five five oh one eight eight}",
    "call me at {PHONE:four one five, double five, oh one double eight}",
    "Write to {EMAIL:ana.lopez@clinicmail.net}.",
    "write to {EMAIL:ana dot lopez at clinicmail dot net}",
    "The results are on {URL:https://portal.example-health.org/r/8812}.",
    # numbers
    "My SSN is {SSN:078-05-1120}.",
    "my ssn is {SSN:oh seven eight oh five one one two oh}",
    "the last four are {SSN:nine nine one two}",
    "MRN {MRN:4471902}, please confirm.",
    "the medical record number is {MRN:four four seven one nine oh two}",
    "policy number {HEALTH_PLAN:WKP 449102773}",
    "the policy number is {HEALTH_PLAN:w k p four four nine one oh two seven seven three}",
    "Account {ACCOUNT:0099127731} is past due.",
    "the account number is {ACCOUNT:oh oh nine nine one two seven seven three one}",
    "The plate is {VEHICLE:8ZRT417}.",
    "the plate is {VEHICLE:eight z r t four one seven}",
    "The defibrillator serial number is {DEVICE:ICD-55012-X}.",
    "the defibrillator serial number is {DEVICE:i c d five five oh one two}",
    "My driver's license is {LICENSE:D1234-5678-9012}.",
    "my drivers license number is {LICENSE:d one two three four five six seven}",
    "the results are on {URL:portal dot example health dot org}",
    "The device IP is {IP_ADDRESS:192.168.0.44}.",
    "the device ip is {IP_ADDRESS:one nine two dot one six eight dot oh dot four four}",
    "Fax it to {PHONE:617.555.0100}.",
    "fax it to {PHONE:six one seven, five five five, oh one hundred}",
    # spellings whose only example word is the first letter's
    "her last name is {NAME:o as in oscar b r i e n}",
    "spell it for me, it's {ID:j as in john a y n e}",
    # names the grammar shows: a nickname, a correction, a surname after a spelled first name
    "Her son Robert, goes by {NAME:Will}, drives her in.",
    "my cousin {NAME:teddy} no sorry {NAME:freddie} is the one who picks up the meds",
    "the first name is {NAME:mei} m e i {NAME:chen} and she is here for a refill",
    # places set off by capitals, rural delivery addresses, corrected ages, a code's trailing letter
    "She moved up to {CITY:Hope}, Arkansas, after the divorce.",
    "they have a place near {CITY:Three Rivers} for the summer",
    "send it to {ADDRESS:rural route four box twelve} in town",
    "my dad's {AGE:ninety} no {AGE:ninety two} next month",
    "the pump serial is {DEVICE:t k five five two one nine oh three m} on the label",
    # accented names, an age set off by commas, a hesitation inside a number, a relation "is" a name
    "report on bed four mister {NAME:ramón delgado} is post cath",
    "Room 7 is Mr. {NAME:Delroy Campbell}, {AGE:ninety}, CHF exacerbation.",
    "Operative note for {NAME:Sunny Al-Khatib}, {AGE:91}, by Dr. {NAME:Liam Fontaine}.",
    "the last four of my social is {SSN:six two uh one eight} can you hear me",
    "Mom is {NAME:Pooja}, dad is {NAME:Vikram}. He was born at 36 weeks.",
    "a specimen collected on the {DATE:3rd} for {NAME:Yusuf Abdi} was hemolyzed",
    "the trailer at {ADDRESS:nineteen oh five county road eleven lot fourteen} in {CITY:pahrump}",
    "My address is {ADDRESS:1450 Rue Toussaint, Apt 4}.",
    "her X-rays were taken {DATE:1/15}. Call the office.",
    # an answer after the question, a plate's letters, a street by name, spellings, a drug-like name
    "Can I get the last four of your social? Patient: It's {SSN:6209}.",
    "his car, plate {VEHICLE:LKR 4471}, is blocking the bay",
    "he fell off a roof on {ADDRESS:birch street} in {CITY:mattapan}",
    "last name is {NAME:w o j c i k} {NAME:wojcik} and she speaks some english",
    "for the nurse practitioner {NAME:ebony whitehorse} she wrote the oxycodone",
    "email the forms to {EMAIL:tanvir dot hossain eighty eight at outlook dot com} please",
    "My sponsor is {NAME:Sterling}, he's been clean eleven years.",
    "My daughter, {NAME:Mercy}, handles the money now.",
    "thank {NAME:marcus} from church for driving me today",
    "we moved her into hospice {DATE:the day after christmas} and it was calm",
    "el teléfono de la casa es {PHONE:tres dos tres cinco cinco cinco cero uno ocho siete} pero",
    "Mom says the baby was born {DATE:el dos de febrero} at home",
    "mi mamá doña {NAME:chela} se cayó en la casa",
    "for her vision screening {NAME:winifred oduya} license number pending",
    # a season or a modal as a first name after a relation, a census name before a surname after a weak cue,
    # a word no dictionary knows before a found name and again elsewhere, O' written "oh"
    "i can't reach her mom {NAME:summer} at home",
    "{NAME:will} is the dad and he says she keeps pulling at her ear",
    "uh this is {NAME:justice okafor} and my birthday is in june",
    "uh dad is {NAME:kwame} um {NAME:kwame asante a s a n t e} and he drove",
    "i saw doctor {NAME:oh malley} for my ears",
    "Daughter Ivy and son-in-law {NAME:Chase} present for the visit.",
    "Mother, {NAME:Summer}, reports eczema flares.",
    "{NAME:Hope Adeyemi-Castillo} called about her son.",
    "{NAME:hunter} fell off the monkey bars at recess",
    "we're from {CITY:rolling fork} originally",
    # dates and ages in dictation, appositions, ASR's dropped apostrophes, names from other languages
    "she got her chemo on {DATE:the the twelfth} and she's running a fever",
    "Infusion deferred to {DATE:3/14} for ANC 0.9; Colles fracture sustained {DATE:12/26}.",
    "Mom (Beatrice) is {AGE:96} and cannot consent. DOB {DATE:04/22/1931} ({AGE:93}).",
    "yeah its {NAME:destiny} her granddaughter um she keeps asking for {NAME:king} thats my uncle",
    "we need {NAME:tomas} the kiche interpreter and {NAME:angel} the night aide called out",
    "the dari interpreter today is {NAME:abdullah} um the swahili interpreter {NAME:neema} said",
    "is this {NAME:oleksandr} okay hi this is {NAME:halyna} from the infusion center",
    "um {NAME:gerald} did really good with his knee today",
    "{NAME:Espoir Mukendi} and his mother came in. PT note: {NAME:Hope} (aide) assisted.",
    "her grandkids {NAME:storm royal} and {NAME:harmony} are all on the contact list",
    "the family is from {CITY:aleppo} and they drove back home to {CITY:pikeville} past {CITY:millersburg}",
    # towns the tagger calls verbs, days after 'from' and before 'per', twins, possessives without apostrophes,
    # what is said of a patient, a month as a first name after a title, siblings listed
    "he says he was born in {CITY:tulsa}",
    "results from {DATE:the twenty eighth} came back, faxed on {DATE:the 9th} per their request",
    "Twin A {NAME:Castellanos}, 1,085 g, and Twin B {NAME:Castellanos}, 990 g",
    "okay so {NAME:brooke} is here with her mom {NAME:dana} and {NAME:danas} mom {NAME:carol} came too",
    "comparison to the prior exam ordered by doctor {NAME:august reinholt}",
    "records for siblings {NAME:Amari} and {NAME:Zion} Battle were faxed",
    "number one call {NAME:deshawn} number two call my mom",
    "his mom whos {AGE:ninety six} lives with them too",
    "IT logged the connection from IP address {IP_ADDRESS:73.189.42.116}.",
    # military ranks, a relation said as letters, a correction with 'not', 'attention', 'calling for', a surname
    # the tagger calls a preposition, dated checks, a spoken site's name of several words
    "uh staff sergeant {NAME:rivera} from the eighty second said he landed wrong",
    "f o b is {NAME:tyrell} and uh hes not involved",
    "the patient's first name is {NAME:Siobhan}, not {NAME:Shivaun}.",
    "fax it to the clinic attention {NAME:marguerite}",
    "this is the clinic calling for {NAME:harold pike} his exam is on thursday",
    "PDMP checked {DATE:4/11}. His sponsor can be reached at the office.",
    "fill it out at {URL:w w w dot cedar travel clinic dot org slash forms} before you come in",
    # former and chosen names, 'this is for', a house number with a dash, an age after a comma and a full stop,
    # dockets, 'is my name', a student, a relation with 'other', a bank teller, 'mister will', a shelter's street
    "um her old name was {NAME:michael} but she goes by {NAME:michelle} now",
    "so this is for uh {NAME:grace} in fourth grade",
    "Address on file: {ADDRESS:87-1020 Farrington Hwy}, Apt 4B. Alleged victim: {NAME:Walter Ng}, {AGE:92}.",
    "the next hearing is in probate docket {ID:g a dash two four dash zero zero three one}",
    "{NAME:river} is my name now and the little girl is {NAME:destiny}",
    "and the other daughter {NAME:joy} lives out of state and the new student {NAME:yusuf} just moved here",
    "the bank teller {NAME:marcy} flagged it, and mister {NAME:will peterson} says he can wait",
    "he used to stay at the shelter on {ADDRESS:fourteen twenty two south halsted} but they kicked him out",
    # a foreign name doing something, names joined after 'with', report and follow-up cues, a month as a first name
    "so {NAME:dmitri} said it is draining. Photos reviewed with {NAME:Oluwaseun} and {NAME:Grace} Whitfield.",
    "The travel nurse gave report to {NAME:Yusuf} at 0700. Follow-up with {NAME:Sven} on Tuesday.",
    "discharged yesterday um follow up call with {NAME:august brennan}",
    # a relation in brackets, the grammar against a hospital's name, a list that ends the sentence, a surname in
    # another language after 'for', a false start, 'shes', a first name acting after a role, a name with an okina
    "Mom ({NAME:Adaeze}) reports picky eating. Emergency contact: wife {NAME:Mercy Saintil}.",
    "Attendees: the patient's sons {NAME:Aleksander} and {NAME:Pawel Nowak}.",
    "the post offer physical for {NAME:justice amankwah} is done and my name is {NAME:jo-} {NAME:joanna} kay",
    "um shes {NAME:kiara} and the spanish interpreter {NAME:rosario} is on the line",
    "Student athlete {NAME:Legend Fa'amausili} cleared. The it guy said it was fine.",
    "The family set up a fundraiser at {URL:gofundme.com/f/help-lupe-ramirez} this week.",
    # a day before a modal, a month and day no score can be, 'will' doing something, a particle's surname, a name
    # addressed, 'caller is', a capitalized unknown word after 'with', a named person's age, a box and its town
    "she missed her shot on {DATE:the sixteenth} can she still come. Last drink {DATE:11/8}, surgery {DATE:10/22}.",
    "yeah so {NAME:will} needs his knee done and doctor {NAME:van dyke} said to call. {NAME:Angel} — your test is due.",
    "Caller is {NAME:Hope} from {CITY:Bemidji}; please confirm with {NAME:Noor} at the front desk.",
    "my grandmother {NAME:memory chikwanha} is {AGE:ninety six} and gets deliveries at {ADDRESS:p o box three eighty one} in {CITY:kayenta}",
    "Pt located at {ADDRESS:22 Willow Bend Ct}, {CITY:Flagstaff}. Infusion at {ADDRESS:3301 SE Division St #4}, {CITY:Portland}.",
    # an adjective said to be a name, cities abroad after travel, a house number after its street, a corner after
    # 'near', someone asked after, a name after someone's "name", a baby born, an age with its sex, 'Fr.', 'Dtr'
    "uh {NAME:blue} is my actual name. flying out to {CITY:lima}, we go up to {CITY:cusco}. Departing for {CITY:Nairobi}.",
    "he lives on {ADDRESS:kessler road} uh number {ADDRESS:fourteen seventy} near {ADDRESS:ninth and alder}",
    "how is {NAME:rose} doing. under my sons name {NAME:river castellanos}. baby {NAME:jade} was born today",
    "Mrs. {NAME:Abernathy}, {AGE:91}F, fell. Dtr {NAME:Daisy} is HCP; Fr. {NAME:Emeka Obi} will come.",
    # a relation's age after ASR's "dads" or a hesitation, a unit's floor, a street by its direction with its unit,
    # 'go by', a verb after 'name was', 'met', a buddy, a first name's possessive without its apostrophe
    "yeah my dads {AGE:ninety six} and my mom is um {AGE:ninety one}. She lives at {ADDRESS:220 Linden Ct, 3rd Floor, Apt 3F}.",
    "is the address still {ADDRESS:sixty one west maple apartment four c} in {CITY:ypsilanti}",
    "my old name was {NAME:grant} but i go by {NAME:grace} now and i met {NAME:vilma} here with my buddy {NAME:kenji}",
    "hi is this {NAME:marias} dad, the plate as um {VEHICLE:seven k l m four two nine} is right, on the uh the {DATE:twenty first}",
    # a lettered unit, a list of the kids ended by its verb, a caseworker, 'misses', 'im', a quoted name
    "its {ADDRESS:eighteen oh six south elm street apartment b} and the kids {NAME:amari} zion and {NAME:journee} all had it",
    "im here with {NAME:faith} shes my caseworker. misses {NAME:abernathy}, squeeze. im {AGE:ninety one}",
    'Bed 12 is Mr. {NAME:Thibodeaux}. He prefers to be called "{NAME:T-Bone}."',
    # a country code's sign, a rep, 'dad is will', an initial before a surname, "No." before a number
    "her number in england is {PHONE:plus four four seven seven oh oh nine double zero one two three}",
    "the pacemaker rep {NAME:todd} said so and dad is {NAME:will obrien}. Records for {NAME:J. Castillo-Brandt}.",
    "Account No. {ACCOUNT:7730-118-42} has a balance.",
    "My insurance member ID is {ID:G five hundred ninety two million one hundred ninety two thousand five hundred eighty seven}.",
    # names joined by "and" that no dictionary knows, or said to be relations; a noun said to be someone's relation
    "yeah so {NAME:nguyen} and {NAME:abernathy} and {NAME:okafor} all signed off. {NAME:Priyanka} and {NAME:Tomasz} will call.",
    "{NAME:mark} and {NAME:frank} are my brothers. um {NAME:phoenix} is her kid.",
]

TRAPS = [
    "I have Parkinson's disease and Crohn's.",
    "bell's palsy and graves disease, plus hashimoto's",
    "Blood pressure 128 over 84, heart rate 72, oxygen 97 percent.",
    "Take 2 tablets of Tylenol 500 mg every 6 hours for 3 days.",
    "The pain started three days ago and is worse at night.",
    "last year in the spring I was at the chart review today",
    "she is 88 years old and walks a mile a day",
    "Advil and Lipitor, and metoprolol 25 milligrams",
    "we will see you in two weeks",
    # spelled clinical abbreviations, drugs beyond the hand list, vaccines, a modifier starting a sentence
    "the next p t t is due at four and the i n r in the morning",
    "We started Zosyn and Skyrizi, and gave Tdap and Shingrix today.",
    "Frank blood on the exam, no melena. Phalen's negative.",
    "the respiratory rate is 18, rr 18, heart rate 98 no 96",
    "call me instead if the fever comes back",
    # service numbers, an imperative first word, a product after "a", a compound role, a sign named for a person
    "call nine one one if the chest pain comes back, or call nine eight eight",
    "Pat the area dry, then cover it with a Tegaderm.",
    "the child life specialist brought crayons",
    "he has a positive Battle's sign behind the left ear",
    "my mom is bedbound and my dad is frank about it.",
    "We'll diurese with Lasix 40 IV twice daily. Hemoglobin 6.8 this morning.",
    "Code status is full code. His Braden score is 12, Morse fall score 65.",
    "The dog's name is Biscuit. Her cat, Oliver, sleeps on her legs.",
    "the kidney numbers dropped, so the policy holder is her husband now",
    "this is radiology calling about the outside records",
    "Resident in Room 312, Bed B, transferred from 4 West to Shepherd Center for rehab.",
    "Austin Flint murmur, Glasgow Coma Scale 15, Epstein pearls, stable on Ortolani and Barlow.",
    "la paciente tiene dolor de cabeza y la presión está alta ciento sesenta sobre noventa y cinco",
    "tengo dos hijos y uno tiene fiebre",
    # billing codes, vitals and device labels, a season before a noun, inflected words before a name
    "the bill came and it says c p t nine nine two one four twice",
    "ICD-10 H66.91, right ear; CPT 69436 for tympanostomy.",
    "BP 128/76, HR 72, Temp 98.6 F, SpO2 99% on RA. Ishihara plates normal.",
    "he's going to summer camp next week so he needs a second epi pen",
    "i'm from texas originally",
    # countries, languages, weekdays, companies, pets, verbs before a relation, a state's code after a town
    "he came from afghanistan and then to virginia and he speaks pashto and a little dari",
    "Family arrived from Haiti via the Dominican Republic; lived in Jordan for 6 years. Interprets in Dari.",
    "Storm warnings cancelled Friday's sessions; chairs moved to Saturday. Transferred from DaVita.",
    "our parrot charlie screams all day and my cat is named duchess",
    "you can reach her sister at the house, her kids toys and books are everywhere",
    "the dialysis shift is monday wednesday friday first shift",
    "The Mercedes hit the guardrail. Lachman negative; McMurray positive medially.",
    "Workers' compensation forms faxed to Liberty Mutual. Mailing address has no street delivery.",
    # eponyms with a grade, test results, billing codes, apps, adjectives, pets in the plural, a title before a name
    "Salter-Harris type II fracture. Clark level II. Bosniak II cyst. Finnegan scores below 8. Kerley B lines.",
    "his earrings are sterling silver, and the diagnosis code is z zero zero point one two nine",
    "Join the Zoom link in MyChart. Two dogs, Bruno and Tank, live with them.",
    "Braxton Hicks contractions at 32 and 4. Kell antibody negative. Ponseti casting at 2 weeks, Rinne positive.",
    "she tried weight watchers and jenny craig before, and the fluid looks good a f i fourteen",
    "The proband's brother was not tested; the donor's sister came too. She plays for Lincoln High.",
    # device values, a state's statute, gender terms, eye institutes, a label after a comma, a verb before a relation
    "impedance is five fifty ohms threshold point five volts. Per Florida Statute, staff are mandatory reporters.",
    "Um, so they/them pronouns, and, uh, I'm nonbinary. Referral to Bascom Palmer Eye Institute or Wills Eye.",
    "Haitian Creole interpreter on the line, ID number pending. Pt states her ex has been following her.",
    # lab words, dressings, drains and eponymous papules
    "Creatinine came back 1.9. Apply Silvadene and a Mepilex Border dressing. Jackson-Pratt drain output 30 mL.",
    "Still's disease ruled out; Gottron papules absent; Foley removed.",
    # accented eponyms, a stage named for someone, a hearing aid's brand, a unit in another clause
    "Ménière's disease and Behçet's disease; Tanner stage 3. Hearing aids: Phonak Audéo Lumity 90.",
    "Moved to the step-down unit; GCS 15, pupils equal.",
    # scores a date's shape, a living will, an eponym's grade, a grace period of 90 days, labels before numbers
    "Pain 7/10, strength 4/5, 2/6 murmur, 10/10 at worst. The living will needs a witness.",
    "Kellgren-Lawrence grade 3. Grace period for the Medicaid redetermination is 90 days.",
    "Transferred to Medical Unit. Billed to Aetna, not Medicaid. Descemet membrane by Goldmann.",
    "Referred to Cleveland Clinic. Proceed with EGD under MAC. Discussed Roux-en-Y; persistent AFib.",
    "Service dates 1991-1995. The offer was like forty thousand. Contact the VA Caregiver Support Line.",
    "Kallmann syndrome considered. COVID-19 vaccine (Pfizer). Thats not even my bill, it was my ex.",
    "the fluid intake was twelve hundred cc. MRI with Gadavist 7.5 mL. Confirm appt Thu at 9:45.",
    "the policy holder is her husband. work is my life. Kernig and Brudzinski negative, tinel and phalen positive.",
]


@pytest.mark.parametrize("marked", CASES)
def test_identifier_is_replaced(scrubber, marked):
    item = parse_marked(marked)
    red = scrubber.redact(item["text"])
    for gold in item["spans"]:
        for word in gold["text"].replace(",", " ").split():
            if len(word) > 2 or word.isdigit():
                assert word not in red.text.split(), f"{gold['type']} word left visible"
    assert "[" in red.text


@pytest.mark.parametrize("text", TRAPS)
def test_clinical_content_is_left_alone(scrubber, text):
    assert scrubber.redact(text).text == text


def test_spans_point_into_the_input_and_placeholders_hide_the_original(scrubber):
    text = "Hi, I'm Dr. Yasmin Haddad, my cell is 555-867-5309."
    red = scrubber.redact(text)
    assert [text[s.start : s.end] for s in red.spans] == ["Yasmin Haddad", "555-867-5309"]
    assert red.text == "Hi, I'm Dr. [NAME], my cell is [PHONE]."
    assert all(0 < s.score <= 1 for s in red.spans)


@pytest.mark.parametrize("name", ["heldout.txt", "conversational.txt", "spoken_variants.txt", "dictation.txt"])
def test_hand_written_checks_meet_the_targets(scrubber, name):
    summary = evaluate(scrubber, marked_items(name), warmup=0).summary()
    assert summary["phi_token_recall"] >= 0.97
    assert summary["entity_leak_rate"] <= 0.05
    assert summary["false_positive_rate"] <= 0.02


@pytest.mark.parametrize("text", ["My case manager is Katherine, uh,", "her grandkids", "is this", "the the",
                                  "doctor oh", "will is", "Mom (", "DOB 04/22/1931 (", "our parrot", "from rolling fork"])
def test_a_piece_that_ends_mid_phrase_is_scored_without_error(scrubber, text):
    """The stream redacts every committed prefix of an utterance: a rule that looks past a cue must stop at the end."""
    scrubber.redact(text)


def test_detection_failure_fails_closed_without_text(scrubber, monkeypatch):
    def broken(text, **_):
        raise ValueError(f"boom on {text}")

    monkeypatch.setattr(scrubber.analyzer, "analyze", broken)
    with pytest.raises(RedactionError) as info:
        scrubber.redact("my name is Zebediah Quill")
    assert "Zebediah" not in str(info.value) and info.value.__cause__ is None


@pytest.mark.parametrize("name", ["osce_RES0198.txt", "osce_RES0207.txt"])
def test_a_real_interview_without_phi_stays_readable(scrubber, name):
    """Simulated doctor-patient interviews (Fareez et al. 2022, CC BY 4.0), one turn per line: no PHI."""
    turns = (PHI_DATA / name).read_text(encoding="utf-8").splitlines()
    words = hidden = 0
    for turn in turns:
        red = scrubber.redact(turn)
        words += len(re.findall(r"[A-Za-z0-9]+", turn))
        hidden += sum(len(re.findall(r"[A-Za-z0-9]+", turn[s.start : s.end])) for s in red.spans)
    assert hidden / words <= 0.005


@pytest.mark.parametrize(
    "hostile",
    ["\x00\u202e my name is {NAME:Quillfeather} \ufeff call {PHONE:555-867-5309}\r\n",
     "((((]]]] {EMAIL:x@y.io} " + "a " * 300,
     "{SSN:123-45-6789}" + "-" * 500 + "\t\t{NAME:Ngozi} is my daughter"],
)
def test_hostile_text_is_still_redacted(scrubber, hostile):
    item = parse_marked(hostile)
    red = scrubber.redact(item["text"])
    for gold in item["spans"]:
        assert gold["text"] not in red.text
