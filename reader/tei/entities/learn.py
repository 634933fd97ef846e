"""Learning from what is already known: annotators' decisions across the corpus, and a document's own names.

* :class:`Lessons` — every mention an annotator made, confirmed or retyped
  anywhere in the corpus teaches the pipeline that those words are of that
  type (and that entry), wherever they occur; every suggestion an annotator
  rejected is not made again anywhere, unless annotators also confirmed the
  same words as the same type somewhere (then the rejection stays where it
  was made: the words are ambiguous).
* :func:`document_lexicon` — one sense per document: the names a first
  reading of a document found with good evidence (register, rules, a
  parenthetical alias, a full personal name for its surname) are looked for
  again in all of it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..vocabulary import RECOGNISED_TAGS
from ..xml import TEIError, parse_file
from . import names as N
from .mentions import REF_PREFIX, collect_human_mentions
from .places import known_place
from .prose import rejected_texts, weak_votes
from .recognise import Candidate
from .register import Register

_LOCAL = RECOGNISED_TAGS


class Lessons:
    """Annotators' decisions, as types of words and rejections, for the whole corpus."""

    def __init__(self, register: Register):
        self.register = register
        #: Per document (slug): words -> Counter of (tag, register id); a document learnt again replaces itself.
        self._by_document: dict[str, dict[str, Counter]] = {}
        self._pattern: re.Pattern | None = None
        self._known: dict[str, tuple[str, str | None]] | None = None

    def learn(self, humans, document: str) -> None:
        """Note the types annotators gave words in ``document`` (``HumanMention`` objects of :mod:`.mentions`)."""
        votes: dict[str, Counter] = {}
        for h in humans:
            tag = h.tag.rsplit("}", 1)[-1]
            text = " ".join(h.text.split())
            if tag not in _LOCAL or len(text) < 2:
                continue
            ref = dict(h.attrib).get("ref", "")
            ref = ref[len(REF_PREFIX) :] if ref.startswith(REF_PREFIX) else None
            votes.setdefault(text, Counter())[(tag, ref)] += 1
        self._by_document[document] = votes
        self._pattern = self._known = None

    def learn_from_files(self, paths: Iterable[Path]) -> list[str]:
        """Learn from the human mentions of TEI files; a file that cannot be read is named and skipped."""
        problems = []
        for path in paths:
            try:
                self.learn(collect_human_mentions(parse_file(path)), path.stem)
            except TEIError as exc:
                problems.append(f"{path}: not learnt from: {exc}")
        return problems

    @property
    def known(self) -> dict[str, tuple[str, str | None]]:
        """Words -> (tag, register id): the annotators' majority, ties and unknown entries left out."""
        if self._known is None:
            self._known = {}
            pooled: dict[str, Counter] = {}
            for document in sorted(self._by_document):
                for text, votes in self._by_document[document].items():
                    pooled.setdefault(text, Counter()).update(votes)
            for text, votes in sorted(pooled.items()):
                ranked = votes.most_common()
                if len(ranked) > 1 and ranked[0][1] == ranked[1][1] and ranked[0][0][0] != ranked[1][0][0]:
                    continue  # annotators disagree on the type: no lesson
                tag, ref = ranked[0][0]
                self._known[text] = (tag, ref if ref in self.register.entries else None)
        return self._known

    def candidates(self, text: str) -> list[Candidate]:
        """Every occurrence of words annotators typed, as register candidates of that type."""
        if not self.known:
            return []
        if self._pattern is None:
            names = sorted(self.known, key=lambda n: (-len(n), n))
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
        out = []
        for m in self._pattern.finditer(text):
            tag, ref = self.known[m.group()]
            out.append(Candidate(m.start(), m.end(), tag, "register", "high", ref))
        return out

    def rejects(self, text: str, tag: str, scope: str) -> bool:
        """A rejected suggestion is not made again: anywhere, unless annotators confirmed the same
        words as the same type elsewhere (then only where it was rejected)."""
        if text not in rejected_texts(self.register):
            return False  # most words were never rejected: no walk over every rejection
        if not self.register.is_rejected(text, tag, scope, anywhere=False):
            if not self.register.is_rejected(text, tag, scope, anywhere=True):
                return False
            return self.known.get(text, (None,))[0] != tag
        return True


_LEADING_THE = re.compile(r"^(?:The|the)\s")


def document_lexicon(texts: list[str], chosen: list[list[Candidate]], humans) -> dict[str, str]:
    """Names a first reading found with good evidence, by words: tag (majority; ties dropped)."""
    votes: dict[str, Counter] = {}

    def vote(words: str, tag: str, weight: int = 1) -> None:
        words = " ".join(words.split())
        if len(words) >= 2 and words not in N.STOP_WORDS and words not in N.NOT_NAMES:
            votes.setdefault(words, Counter())[tag] += weight

    for h in humans:
        tag = h.tag.rsplit("}", 1)[-1]
        if tag in _LOCAL:
            vote(h.text, tag, 3)
    for text, cands in zip(texts, chosen):
        _definition_votes(text, vote)
        for c in cands:
            words = text[c.start : c.end]
            if c.tag == "date":
                continue
            strong = c.source in ("register", "rule") or (c.source == "spacy" and len(words.split()) > 1)
            shaped = c.source in ("register", "rule") and c.cert != "low"
            if strong:
                vote(words, c.tag, 2 if shaped else 1)  # a rule's shape over spaCy's label
            if c.tag == "persName" and N.chinese_name(words):
                vote(words.split()[0], "persName", 2)  # "Sun Yat-sen" -> "Sun": the family name comes first
            elif c.tag == "persName" and _full_name(words):
                vote(words.split()[-1], "persName", 2)  # "Jaan Maide" -> "Maide", over a single word's guesses
                for short in _with_particle(words):
                    vote(short, "persName", 2)  # "Paul von Lettow-Vorbeck" -> "von Lettow-Vorbeck", "von Lettow"
                given = words.split()[0]
                if (
                    c.cert != "low"
                    and re.fullmatch(N.WORD, given)  # a given name, not an initial ("C. Murray" makes no "C.")
                    and N.looks_like_person(words)
                    and given not in N.TITLE_WORDS
                    and not known_place(given)
                ):
                    vote(given, "persName")  # "Tomás Dolz de Espejo" -> "Tomás", in a biography his own name
            if strong and c.tag == "placeName" and len(words.split()) > 2 and words.split()[-1] in N.BUILDING_WORDS:
                vote(words.rsplit(" ", 1)[0], "placeName", 2)  # "Royal George Hotel" -> "the Royal George"
            namesake = re.match(rf"(?:[A-Z]\.\s){{1,3}}({N.WORD})\s", words) if c.tag != "persName" else None
            if strong and namesake:
                vote(namesake[1], "persName", 2)  # "R. E. Olds Motor Car Company": named after a person
            line = re.fullmatch(r"(.+\s.+)\s(?:Railroad|Railway|Rail\sRoad)(?:\sCompany)?", words)
            if strong and c.tag == "orgName" and line:
                vote(line[1], "orgName", 2)  # "Central Pacific Railroad" -> "merged into the Central Pacific"
            if strong and c.tag == "orgName" and _company_short_name(words):
                vote(words.split()[0], "orgName")  # "Acme Oil Company" -> "denied that Acme was associated"
            if (
                strong
                and c.tag == "orgName"
                and re.fullmatch(r"\S+['’]s (?:Bank|Company|Brewery|Works|Mill|Mills)", words)
            ):
                vote(words.rsplit(" ", 1)[0], "orgName")  # "Tellson's Bank" -> "the gentleman from Tellson's"
            for alias in _aliases(text, c):  # "Ministry of State Security (MGB)", "Fellin (Viljandi)", "SA"
                vote(alias, c.tag, 2 if shaped else 1)  # a rule's name gives its alias its kind
            if strong:
                for before in _named_before(text, c):  # "Wenden (Cēsis)" when only "Cēsis" is known
                    vote(before, c.tag, 2 if shaped else 1)
        for group in _coordinations(text, cands):
            for words in group:
                vote(words, group[words])  # "Zaleszany, Wólka Wygonowska, Zanie, Szpaki, and Końcowizna"
    _whole_document_votes(texts, vote)
    for words, tags in weak_votes(texts, chosen).items():  # "Wickham" a person four times, an ORG once
        for tag, weight in tags.items():
            vote(words, tag, weight)
    lexicon = {}
    for words, counter in votes.items():
        ranked = counter.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            lexicon[words] = ranked[0][0]
    return lexicon


def _definition_votes(text: str, vote) -> None:
    """Votes from what a unit says its names are: a lead's definition ("Livonia is a region"), a lead naming its
    subject twice, a person's calling, an apposition."""
    definition = N.DEFINITION.match(text)
    if definition and definition.group("noun") in N.DEFINED_TYPE:
        vote(definition.group("name"), N.DEFINED_TYPE[definition.group("noun")], 3)  # "Livonia is a region"
    aliased = N.ALIAS_DEFINITION.match(text) or N.ALIAS_IN_BRACKETS.match(text)
    if aliased and aliased["noun"] in N.DEFINED_TYPE:
        names = {aliased["name"], aliased["alias"], aliased["name"].title(), aliased["alias"].title()}
        for name in names | ({aliased["short"]} if aliased["short"] else set()):
            vote(name, N.DEFINED_TYPE[aliased["noun"]], 3)  # "UNIFICATION OR DEATH, ... known as the BLACK HAND"
    for m in N.PERSON_APPOSITION.finditer(text):  # "Crystal Eastman, an attorney", "a politician named …"
        name = m["name"] or m["named"]
        name = name[N.titles_length(name) :]  # "Prince Lvov, the head of …": the title outside
        if not N.has_keyword(name, N.NOT_NAMES | N.ORG_WORDS | N.PLACE_WORDS | N.STOP_WORDS):
            vote(name, "persName", 3)
    for apposition in N.APPOSITION.finditer(text):  # "the Tongmenghui, an important revolutionary brotherhood"
        vote(_LEADING_THE.sub("", apposition["name"]), N.DEFINED_TYPE[apposition["noun"]], 3)
    for m in N.NOUN_BEFORE_NAME.finditer(text):  # "an underground Jewish militia, Haganah ("Defense")"
        if not N.has_keyword(m["name"], N.STOP_WORDS | N.NOT_NAMES):
            vote(m["name"], N.DEFINED_TYPE[m["noun"]], 3)
    for m in N.ACRONYM_CALLED.finditer(text):  # "known by its acronym "Etzel"": a body's
        vote(m["name"], "orgName", 2)
    for formed in N.FORMED_BODY.finditer(text):  # "the first nationalist movement was formed, Budi Utomo"
        if not N.has_keyword(formed["name"], N.STOP_WORDS | N.NOT_NAMES):
            vote(formed["name"], "orgName", 3)


def _whole_document_votes(texts: list[str], vote) -> None:
    """Votes only the whole document gives: clubs named by their towns in a text about sport, recurring acronyms."""
    if any(N.SPORTS_TEXT.search(text) for text in texts):
        for text in texts:  # "Norwood won", "against Geelong": in a text about clubs, the towns' clubs
            for m in N.SIDE_OF_MATCH.finditer(text):
                side = m["subject"] or m["object"]
                if text.endswith("of ", 0, m.start()):
                    continue  # "the Atlantic Club of Brooklyn won": the end of a longer name
                if not N.has_keyword(side, _NO_TEAM - N.PLACE_WORDS - N.ORG_WORDS) and side not in N.GIVEN_NAMES:
                    vote(side, "orgName", 3)  # (not "the Massachusetts Game played")
            for m in N.TOWN_TEAM.finditer(text):  # "the Chicago White Stockings", "the Knickerbockers"
                team = _town_team(m.group())
                if team:
                    vote(m.group(), "orgName", 3)
                    vote(team, "orgName", 2)
    for acronym in _recurring_acronyms(texts):
        vote(acronym, "orgName")  # "ABAKO" three times, never explained: a body's


#: Words no team's plural name has (a body's, a place's, a people's or a common word).
_NO_TEAM = N.STOP_WORDS | N.NOT_NAMES | N.ORG_WORDS | N.PLACE_WORDS | N.EVENT_WORDS | N.TITLE_WORDS


def _town_team(words: str) -> str | None:
    """The team's own name in a town's and a plural ("New York" + "Knickerbockers"), else None."""
    parts = words.split()
    for k in (2, 1):
        town, team = " ".join(parts[:k]), " ".join(parts[k:])
        if 1 <= len(parts) - k <= 2 and known_place(town) and not N.has_keyword(team, _NO_TEAM):
            return team
    return None


def _company_short_name(name: str) -> bool:
    """A company's name of three words or more whose first word is its own, no place, person, people or common
    word ("Acme Oil Company", not "Canadian Pacific Railway" or "Standard Oil Company of New Jersey")."""
    words = name.split()
    first = words[0]
    return (
        len(words) >= 3
        and words[-1] in ("Company", "Corporation", "Co.", "Limited", "Ltd", "Ltd.", "Inc.")
        and re.fullmatch(N.WORD, first) is not None
        and first not in N.GIVEN_NAMES
        and not known_place(first)
        and not N.generic_word(first)
        and not N.has_keyword(first, N.NOT_NAMES | N.STOP_WORDS | N.ORG_WORDS | N.TITLE_WORDS)
    )


#: A word in capitals standing alone (not in a run of capitals: "The SOUTH AFRICAN REPUBLIC").
_ACRONYM = re.compile(r"(?<![\w'’-])(?<![A-Z]\s)[A-Z]{3,6}(?![\w'’])(?!\s[A-Z]{2})")


def _recurring_acronyms(texts: list[str]) -> list[str]:
    """Acronyms a document uses three times or more that name no place, era or numeral: bodies, the commonest
    kind of acronym in the texts (parties, unions, companies)."""
    counts = Counter(m.group() for text in texts for m in _ACRONYM.finditer(text))
    return [
        word
        for word, n in counts.items()
        if n >= 3
        and not known_place(word)
        and not re.fullmatch(r"[IVXLCDM]+", word)
        and word not in ("BCE", "CE", "AD", "BC", "HMS", "USS", "RMS", "ISBN", "PDF", "THE", "AND")
    ]


def _with_particle(name: str) -> list[str]:
    """A full name's short forms with its particle: "von Lettow-Vorbeck" and "von Lettow" of "Paul von
    Lettow-Vorbeck" (the particle's lower case keeps them out of the capitalised names spaCy sees)."""
    parts = name.split()
    if len(parts) < 3 or parts[-2] not in N.PARTICLES:
        return []
    out = [f"{parts[-2]} {parts[-1]}"]
    if "-" in parts[-1]:
        out.append(f"{parts[-2]} {parts[-1].split('-')[0]}")
    return out


#: A surname that is also a city this large is not read as the person elsewhere in the document ("Washington");
#: a smaller namesake is ("William Amherst" makes "Amherst" him, not the town in New York).
FAMOUS_PLACE = 500_000


def _full_name(words: str) -> bool:
    parts = words.split()
    if " of " in words or any(known_place(p, FAMOUS_PLACE) for p in parts[-1:]):
        return False  # "Valdemar II of Denmark": the last word is his realm; "George Washington" leaves Washington be
    surname = parts[-1] if parts else ""
    return (
        len(parts) >= 2
        and all(p[:1].isupper() for p in parts[:-1] if p not in N.PARTICLES)  # "I. e. Florida" is no name
        and len(surname) >= 3
        and surname[0].isupper()
        and not surname.isupper()
        and "." not in surname
        and not re.fullmatch(r"[IVX]+", surname)
        and surname not in N.TITLE_WORDS
        and not N.has_keyword(surname, N.NOT_NAMES | N.ORG_WORDS | N.PLACE_WORDS | N.STOP_WORDS)
    )


#: A name's alias right after it, in brackets and perhaps quotes: "MGB", "Viljandi", "Bury" in ("Bury"; …).
_ALIAS = re.compile(r"\s\(\s?[\"“«]?(?P<alias>[^()\"”»;,:]{2,60}?)[\"”»]?\s?[);,]")


#: An alias after a comma and "or", or after a slash: "the Sturmabteilung, or SA,", "Deutsche Arbeiterpartei/DAP".
_OR_ALIAS = re.compile(rf"(?:,\sor\s|/)(?P<alias>[A-Z][A-Za-z]{{1,6}}(?![\w'’])|{N.WORD}(?:\s{N.WORD}){{0,2}}(?=,))")


def _aliases(text: str, c: Candidate) -> list[str]:
    m = _ALIAS.match(text, c.end) or _OR_ALIAS.match(text, c.end)
    if not m:
        return []
    alias = m.group("alias").strip()
    if re.fullmatch(r"(?:The|the)\s[A-Z]{2,6}", alias):
        alias = alias[4:]  # "The Football Association (The FA)": an acronym with its article
    return [alias] if _alias_like(alias) and not N.described_body(alias) else []  # not "(Russian Parliament)"


#: An unmarked name right before a marked one in brackets: "Wenden (" + "Cēsis" + ")".
_BEFORE_ALIAS = re.compile(rf"(?P<name>{N.WORD}(?:[\s-]{N.WORD}){{0,3}})\s\([\"“]?$")


def _named_before(text: str, c: Candidate) -> list[str]:
    m = _BEFORE_ALIAS.search(text, max(0, c.start - 60), c.start)
    if not m or not re.match(r"[\"”]?\s?(?:[);]|or\s[A-Z])", text[c.end : c.end + 5]):  # "(… Council or JNC)"
        return []
    return [m.group("name")] if _alias_like(m.group("name")) else []


def _alias_like(alias: str) -> bool:
    words = alias.split()
    if not words or not 1 <= len(words) <= 6 or not alias[0].isupper() or re.search(r"\d", alias):
        return []
    if any(w[0].islower() and w not in ("of", "the", "and", "de", "von", "der") for w in words):
        return []  # a description, not another name
    if N.ORDINAL_WAVE.fullmatch(alias):
        return False  # "Russia (Third Aliyah)": what happened there, not its other name
    return not (N.has_keyword(alias, N.STOP_WORDS | N.EVENT_WORDS | N.TITLE_WORDS) or alias in N.NOT_NAMES)


#: Names listed together: "A, B, C, and D", "A, B and C", "A or B".
_LIST_ITEM = rf"{N.WORD}(?:[\s-]{N.WORD}){{0,2}}"
_LIST = re.compile(
    rf"(?<![\w'’-]){_LIST_ITEM}(?:,\s{_LIST_ITEM}){{1,}},?\s(?:and|or)\s{_LIST_ITEM}(?![\w'’-])"
    rf"|(?<![\w'’-]){_LIST_ITEM}\s(?:and|or)\s{_LIST_ITEM}(?![\w'’-])"
)


def _coordinations(text: str, cands: list[Candidate]) -> list[dict[str, str]]:
    """Names listed with a place (or organisation) that the register or a rule knows are of its type too:
    one list, one type. Lists that mix types (a person and a place) teach nothing."""
    groups = []
    for m in _LIST.finditer(text):
        items = [
            (i.start() + m.start(), i.end() + m.start())
            for i in re.finditer(_LIST_ITEM, m.group())
            if i.group() not in ("and", "or")
        ]
        tags = set()
        for start, end in items:
            exact = [c for c in cands if (c.start, c.end) == (start, end)]
            sure = [c.tag for c in exact if c.source in ("register", "rule") and c.cert != "low"]
            if not sure and known_place(text[start:end], 5_000):
                sure = ["placeName"]
            tags |= set(sure)
        if len(tags) == 1 and tags <= {"placeName", "orgName"}:
            tag = tags.pop()
            names = [text[s:e] for s, e in items]
            if not any(N.has_keyword(n, N.STOP_WORDS | N.NOT_NAMES | N.TITLE_WORDS | N.EVENT_WORDS) for n in names):
                groups.append(dict.fromkeys(names, tag))
    return groups


def lexicon_candidates(text: str, lexicon: dict[str, str]) -> list[Candidate]:
    """Every occurrence of the document's names, as candidates of the source "document"."""
    if not lexicon:
        return []
    pattern = _lexicon_pattern(tuple(sorted(lexicon, key=lambda n: (-len(n), n))))
    return [
        Candidate(m.start(), m.end(), lexicon[m.group()], "document", "medium")
        for m in pattern.finditer(text)
        if not (lexicon[m.group()] == "persName" and " " not in m.group() and _inside_longer_name(text, m.start()))
    ]


def _inside_longer_name(text: str, start: int) -> bool:
    """A surname learnt from one name, standing after a capitalised word that is no given name or title:
    "Féin" of "Sinn Féin" is not a person because "Sinn Féin" once was taken for one."""
    before = re.search(r"(\S+)\s$", text[max(0, start - 30) : start])
    if before is None:
        return False
    word = before.group(1)
    if not re.fullmatch(N.WORD, word) or N.is_title(word):
        return False
    return word not in N.GIVEN_NAMES and word not in N.OFFICE_WORDS and word not in N.STOP_WORDS


@lru_cache(maxsize=8)
def _lexicon_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern per document's lexicon, not one per paragraph."""
    # a name before a hyphen and a lower-case word is marked alone ("the HBC-controlled Council"), not in a compound
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)(?!-[A-Z\d])")
