"""The entity stage: mark persons, places, organisations and dates in a TEI tree.

Order of work for one document:

1. keep the human work: every mention whose ``@resp`` is not ``#pipeline``
   in the previous version (or in the tree itself) is noted by unit id and
   text span, then all mentions are taken out of the units;
2. candidates per unit from the register (curated and annotators' names),
   the date rules, the name-shape rules and spaCy (English units only);
3. one winner per stretch of text (:func:`choose`), never overlapping a
   human mention, never a rejected suggestion;
4. link names to register entries (new entries for names the register lacks);
5. put the human mentions back, then the chosen ones, never inside noise.
"""

from __future__ import annotations

import multiprocessing.util
import re
import sys
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..document import element_text
from ..lock import corpus_lock
from ..vocabulary import CURATED, KIND_OF_MENTION, MENTION_TAGS, NOISE_TAGS, PIPELINE, mention_key
from ..xml import NS, XML_ID, TEIError, parse_file, tei
from . import names as N
from ..textmap import TextMap, unwrap, wrap
from .dates import FULL_MONTHS
from .places import known_place
from .prose import capital_contexts, drop_false_capitals, lowercase_words
from .locate import locate_places
from .recognise import (
    Candidate,
    Ent,
    Gazetteer,
    date_candidates,
    described,
    extend_place,
    held_congresses,
    region_prefix,
    ner_pipeline,
    register_candidates,
    rule_candidates,
    spacy_candidates,
    with_epithets,
)
from .learn import Lessons, document_lexicon, lexicon_candidates
from .mentions import (
    REF_PREFIX,
    HumanMention,
    collect_human_mentions,
    inside_noise,
    recognition_units,
    unit_language,
)
from .register import Register


def _die_with_parent(_hook=None) -> None:
    """Run in each process spaCy forks (``nlp.pipe(n_process=…)``): Linux kills it when the process
    that forked it dies (PR_SET_PDEATHSIG), so a worker killed mid-ingest leaves no orphan behind."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import os
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it died before the request took effect
        os._exit(1)


class _ForkHook:
    """The object multiprocessing's after-fork registry keeps (it holds its entries weakly)."""


_FORK_HOOK = _ForkHook()
multiprocessing.util.register_after_fork(_FORK_HOOK, _die_with_parent)


class Parse(NamedTuple):
    """What recognition reads of spaCy's parse of a text (its text and entities): a batch of
    documents keeps these, not spaCy's ``Doc`` objects, which take about a kilobyte a token."""

    text: str
    ents: tuple[Ent, ...]

    @classmethod
    def of(cls, doc) -> "Parse":
        return cls(doc.text, tuple(Ent(e.start_char, e.end_char, e.label_) for e in doc.ents))


class EntityStage:
    """Entity recognition stage of the TEI pipeline (see module docstring).

    ``stage(root, previous_root)`` marks a new document in place;
    ``save_register(path)`` writes the register; ``check(doc_roots)`` lists
    the problems of register and documents together.
    """

    def __init__(self, register: Register, use_spacy: bool = True, model_dir: str | Path | None = None):
        self.register = register
        self.use_spacy = use_spacy
        #: A model trained on the corpus (``manage.py train``); None: spaCy's installed English model.
        self.model_dir = str(model_dir) if model_dir and Path(model_dir, "meta.json").exists() else None
        self.gazetteer = Gazetteer(register)
        #: Messages about human mentions that could not be carried over (their text is gone).
        self.warnings: list[str] = []
        #: Register ids each document marked in this session uses, by document slug.
        self.used_by_document: dict[str, set[str]] = {}
        #: The reading text and notes of the documents marked in this session, by slug (for saying
        #: where unmentioned entries occur); text only, so that memory does not hold every tree.
        self.texts: dict[str, tuple[str, str]] = {}
        #: What annotators decided anywhere in the corpus (types of words, rejections), applied everywhere.
        self.lessons = Lessons(register)

    @classmethod
    def from_register_file(cls, path: str | Path, **kwargs) -> "EntityStage":
        """The stage over ``path``, or over the curated seed register when the file is missing."""
        path = Path(path)
        if path.exists():
            register = Register.from_file(path)
            register.merge_seed()
        else:
            register = Register.seed()
        stage = cls(register, **kwargs)
        stage.warnings += stage.lessons.learn_from_files(p for p in sorted(path.parent.glob("*.xml")) if p != path)
        return stage

    # ---------------------------------------------------------------- running
    def __call__(self, root: etree._Element, previous_root: etree._Element | None = None) -> None:
        slug = root.get(XML_ID) or "document"
        humans = collect_human_mentions(root)  # what the tree itself already holds
        if previous_root is not None and previous_root is not root:
            humans = list(dict.fromkeys(collect_human_mentions(previous_root) + humans))
        self.lessons.learn(humans, slug)
        units = recognition_units(root)
        for unit in units:
            for el in list(unit.iter(*MENTION_TAGS)):
                if not inside_noise(el, unit):
                    unwrap(el)
        texts = [TextMap(u).text for u in units]
        self._lower = lowercase_words(texts)  # "habit" makes "Habit" a common noun (.prose)
        self._contexts = capital_contexts(texts)  # "the Concord", "Red prisoners" (.prose)
        docs = self._spacy_docs(units, texts)
        used: dict[str, int] = {}
        for ident in (dict(h.attrib).get("ref", "") for h in humans):
            if ident.startswith(REF_PREFIX):
                used[ident[len(REF_PREFIX) :]] = 1
        by_unit: dict[str, list[HumanMention]] = {}
        for h in humans:
            by_unit.setdefault(h.unit_id, []).append(h)
        placed_ids = set()
        placed_by_unit = []
        for unit, text in zip(units, texts):
            unit_id = unit.get(XML_ID)
            placed_by_unit.append(self._place_humans(unit, text, by_unit.get(unit_id, []), slug))
            placed_ids.add(unit_id)
        # First reading: what the document itself says its names are ("Jaan Maide" makes "Maide" a
        # person, "Ministry of State Security (MGB)" makes "MGB" an organisation) ...
        first = [
            choose(self._candidates(u, t, d, p, slug), used, self.register)
            for u, t, d, p in zip(units, texts, docs, placed_by_unit)
        ]
        lexicon = document_lexicon(texts, first, humans)
        # ... and the second applies that everywhere in the document.
        for unit, text, doc, placed in zip(units, texts, docs, placed_by_unit):
            cands = self._candidates(unit, text, doc, placed, slug, lexicon)
            chosen = choose(cands, used, self.register)
            for c in chosen:
                if c.tag != "date":
                    self._link(c, used)
                if c.ref:
                    used[c.ref] = used.get(c.ref, 0) + 1
            for cand in chosen:
                wrap(unit, cand.start, cand.end, tei(cand.tag), _pipeline_attrs(cand))
        self.used_by_document[slug] = {ident for _el, ident in _refs(root) if ident}
        self.texts[slug] = document_texts(root)
        for unit_id, lost in by_unit.items():
            if unit_id not in placed_ids:
                for h in lost:
                    self.warnings.append(
                        f"{slug}: unit {unit_id} is gone; annotator mention {h.text!r} could not be kept"
                    )

    def prepare(self, roots, processes: int = 1) -> None:
        """Parse the English units of several documents with spaCy at once, in ``processes`` processes,
        so that marking each of them finds its parses ready: the slow part of ingest runs on every core.
        Parses are kept until the next ``prepare`` (one batch of documents at a time)."""
        texts = []
        for root in roots:
            for unit in recognition_units(root):
                if self.use_spacy and unit_language(unit) in (None, "en"):
                    texts.append(TextMap(unit).text)  # a mention wraps words, it never changes the text
        texts = list(dict.fromkeys(t for t in texts if t))
        self._parsed = {}
        if texts:
            nlp = ner_pipeline(self.model_dir)
            options = {"n_process": processes} if processes > 1 and len(texts) > 1 else {}
            self._parsed = {text: Parse.of(doc) for text, doc in zip(texts, nlp.pipe(texts, batch_size=32, **options))}

    def _spacy_docs(self, units, texts):
        english = [i for i, u in enumerate(units) if self.use_spacy and unit_language(u) in (None, "en") and texts[i]]
        docs = [None] * len(units)
        parsed = getattr(self, "_parsed", {})
        missing = [i for i in english if texts[i] not in parsed]
        for i in english:
            docs[i] = parsed.get(texts[i])
        if missing:
            nlp = ner_pipeline(self.model_dir)
            for i, doc in zip(missing, nlp.pipe([texts[i] for i in missing], batch_size=32)):
                docs[i] = Parse.of(doc)
        return docs

    def _place_humans(self, unit, text: str, humans: list[HumanMention], slug: str) -> list[tuple[int, int]]:
        placed = []
        for h in sorted(humans, key=lambda h: (h.start, -(h.end - h.start))):
            start = _find_span(text, h)
            if start is None or wrap(unit, start, start + len(h.text), h.tag, dict(h.attrib)) is None:
                self.warnings.append(f"{slug}: {h.unit_id}: annotator mention {h.text!r} could not be kept")
                continue
            placed.append((start, start + len(h.text)))
        return placed

    def _candidates(
        self, unit, text: str, doc, humans: list[tuple[int, int]], slug: str, lexicon: dict | None = None
    ) -> list[Candidate]:
        """Every candidate of one unit that may be chosen: not blocked, not over a human mention,
        not rejected, not inside the title of a work."""
        scope = f"{slug}#{unit.get(XML_ID)}"
        cands = register_candidates(text, self.gazetteer, self.register) + date_candidates(text) + rule_candidates(text)
        cands += self.lessons.candidates(text)
        other: list[tuple[int, int]] = []
        if doc is not None:
            spacy, other = spacy_candidates(doc)
            cands += spacy
        cands += with_epithets(text, cands)
        reference = etree.QName(unit).localname == "bibl" or N.looks_like_reference(text)
        if lexicon and not reference:  # a reference's title is not read by the running text's names
            cands += lexicon_candidates(text, lexicon)
        for c in cands:
            c.text = text[c.start : c.end]
        rejected = self.gazetteer.blocked(text)  # an annotator's rejected phrase; a longer name holding it stays
        blocked = [m.span() for m in N.EVENT_NAME.finditer(text)] + held_congresses(text)
        blocked += [m.span() for m in N.CASE_NAME.finditer(text)]  # "Debs v. United States"
        blocked += [m.span() for m in N.CURRENCY.finditer(text)]  # "US$1,055"
        blocked += [m.span() for m in N.PEERAGE.finditer(text)] + [m.span() for m in N.EVENT_RUN.finditer(text)]
        blocked += [m.span(next(g for g, v in m.groupdict().items() if v)) for m in N.EVENT_WITH_DATE.finditer(text)]
        blocked += N.quoted_titles(text) + [
            m.span() for m in N.SHIP.finditer(text) if not N.has_keyword(m.group(), N.ORG_WORDS)
        ]
        cands = [
            c
            for c in cands
            if not any(c.start < e and s < c.end for s, e in blocked)
            and not any(
                c.start < e and s < c.end and not (c.start <= s and e <= c.end and (s, e) != (c.start, c.end))
                for s, e in rejected
            )
            and not any(c.start < e and s < c.end for s, e in humans)
            and not (
                (c.source == "spacy" or c.cert == "low")
                and any(s <= c.start and c.end <= e and (s, e) != (c.start, c.end) for s, e in other)
            )
            and not self.lessons.rejects(c.text, c.tag, scope)
            and not described(text, c)
        ]
        for c in cands:
            if c.tag == "placeName" and c.source != "human":
                span = c.start, c.end
                c.end = extend_place(text, c.start, c.end)  # "Kiel" + " Canal", whoever found "Kiel"
                c.start = region_prefix(text, c.start, c.end)  # "Lower" + "Canada", "Northeast" + "United States"
                if (c.start, c.end) != span:
                    c.ref = None  # another place than the register's entry for the shorter name
                c.text = text[c.start : c.end]
        if reference:
            cands = _outside_titles(text, cands)
        return drop_false_capitals(
            text, cands, getattr(self, "_lower", frozenset()), lexicon, getattr(self, "_contexts", None)
        )

    def _link(self, cand: Candidate, used: dict) -> None:
        """Point a name at its register entry, making one when the register has none."""
        if cand.ref:
            return
        kind = KIND_OF_MENTION[cand.tag]
        entries = self.register.by_name(cand.text, kind)
        if not entries and kind == "person" and len(cand.text.split()) == 1:
            entries = [
                e
                for e in (self.register.entries[i] for i in used if i in self.register.entries)
                if e.kind == "person" and any(n.split()[-1] == cand.text for n in e.names)
            ]
        if entries:
            entries.sort(key=lambda e: (e.id not in used, list(self.register.entries).index(e.id)))
            cand.ref = entries[0].id
            if len(entries) > 1:
                cand.cert = "low"
            return
        place = known_place(cand.text) if kind == "place" else None
        cand.ref = self.register.add_entry(
            kind, cand.text, resp=PIPELINE, cert=cand.cert, geonames=place.geonameid if place else None
        ).id

    # ---------------------------------------------------------------- register
    def save_register(self, path: str | Path) -> bool:
        """Write the register atomically; False when the file already had these bytes.

        Entries the pipeline made that no document uses any more are retired
        first. "Documents" are those marked in this session plus the other
        TEI files beside the register; if one of those cannot be read,
        nothing is retired.

        Writes under the corpus lock (:mod:`reader.tei.lock`); a caller that read the register
        (``from_register_file``) must have held that lock since, or another writer's entries are lost.
        """
        path = Path(path)
        with corpus_lock(path.parent):
            return self._save_register(path)

    def _save_register(self, path: Path) -> bool:
        used = set().union(*self.used_by_document.values()) if self.used_by_document else set()
        texts = dict(self.texts)
        try:
            for other in sorted(path.parent.glob("*.xml")):
                if other.name != path.name and other.stem not in self.used_by_document:
                    root = parse_file(other)
                    texts[other.stem] = document_texts(root)
                    used |= {ident for _el, ident in _refs(root) if ident}
        except TEIError:
            return self.register.save(path)
        self.register.prune(used)
        locate_places(self.register)
        for entry in self.register.entries.values():
            if entry.resp == CURATED:
                self.register.set_unused_note(entry.id, None if entry.id in used else where_named(entry, texts))
        return self.register.save(path)

    def prune_unused(self, doc_roots) -> list[str]:
        """Drop pipeline-made register entries no document uses (their ids stay retired)."""
        used = {ref for root in doc_roots for _el, ref in _refs(root)}
        return self.register.prune(used)

    def check(self, doc_roots) -> list[str]:
        """Problems of the register and of the documents' mentions, each naming file and line."""
        reg = self.register
        errors = reg.duplicate_ids()
        used: set[str] = set()
        for root in doc_roots:
            name = _doc_name(root)
            for el, ident in _refs(root):
                tag = mention_key(el)
                if tag is None:  # an ``rs`` of a type that is no kind of ours
                    continue
                where = f"{name}: line {el.sourceline}: <{tag}>"
                noise = next((a for a in el.iterancestors() if a.tag in NOISE_TAGS), None)
                if noise is not None:
                    errors.append(f"{where} {_short(el)!r} is inside noise <{etree.QName(noise).localname}>")
                ref = el.get("ref")
                if ref is None:
                    if tag != "date":
                        errors.append(f"{where} {_short(el)!r} has no @ref to the register")
                    elif not (el.get("when") or (el.get("from") and el.get("to")) or el.get("notBefore")):
                        errors.append(f"{where} {_short(el)!r} has neither @when nor @from/@to")
                    continue
                if not ref.startswith(REF_PREFIX):
                    errors.append(
                        f"{where} @ref={ref!r} does not point into register.xml (expected 'register.xml#<id>')"
                    )
                    continue
                entry = reg.entries.get(ident)
                if entry is None:
                    errors.append(f"{where} @ref={ref!r} is dangling: {reg.name} has no entry {ident!r}")
                    continue
                used.add(ident)
                if tag != "date" and KIND_OF_MENTION[tag] != entry.kind:
                    errors.append(f"{where} {_short(el)!r} points to {entry.kind} entry {ident!r}")
        for entry in reg.entries.values():
            if entry.id in used or entry.resp == CURATED:
                continue
            if entry.element.find("tei:note[@type='unused']", NS) is None:
                errors.append(
                    f"{reg.name}: line {entry.element.sourceline or '?'}: entry {entry.id!r} ({entry.canonical}) "
                    'is used by no document and gives no reason (add <note type="unused">why</note> or remove it)'
                )
        return errors


def document_texts(root: etree._Element) -> tuple[str, str]:
    """A document's reading text and the text of its notes (scraped tooltips, editorial notes)."""
    body = root.find("tei:text", NS)
    if body is None:
        return "", ""
    notes = " ".join("".join(n.itertext()) for n in body.iter(*NOISE_TAGS))
    return " ".join(_reading_text(u) for u in recognition_units(root)), notes


def where_named(entry, texts: dict[str, tuple[str, str]]) -> str:
    """Why a register entry has no mention, in words: where its names occur in the corpus, if anywhere.

    A name may stand only in source notes (scraped tooltips, editorial notes), which are never
    marked; or in the reading text only inside something that is not a mention of it (the name of
    an event or treaty, the title of a work, another-language passage); or nowhere."""
    names = sorted(set(entry.names + entry.abbreviations), key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    in_notes, in_text = [], []
    for slug, (reading, notes) in sorted(texts.items()):
        if pattern.search(reading):
            in_text.append(slug)
        elif pattern.search(notes):
            in_notes.append(slug)
    if in_text:
        return (
            "No mention: the name occurs in the reading text of "
            + ", ".join(in_text)
            + " only inside something that is not a mention of it (an event's or treaty's name, a work's title)."
        )
    if in_notes:
        return (
            "No mention: the name occurs only in source notes (scraped tooltips, editorial notes) of "
            + ", ".join(in_notes)
            + ", which are not marked."
        )
    return "No mention: not named in the corpus; a curated entry kept for texts still to come."


def _reading_text(unit: etree._Element) -> str:
    """A unit's text without its notes (what the reader shows as the text)."""
    return element_text(unit)


# -------------------------------------------------------------------- choosing
def _outside_titles(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A reference's places and organisations without those inside the title of the work.

    The title comes before the date of the imprint and before a description
    ("' – Canadian film about …"); there a name words of the title run into is
    part of it ("Народные мстители Латвии."), and so is a span spaCy found
    that has the title's lower-case words in it."""
    dates = [c.start for c in cands if c.tag == "date"]
    separator = N.DESCRIPTION_SEPARATOR.search(text)
    zone_end = min(dates + [separator.start() if separator else len(text)])
    kept = [
        c
        for c in cands
        if c.tag == "date"
        or c.start >= zone_end
        or not (
            N.inside_reference_title(text, c.start, c.end)
            or c.tag != "persName"
            and c.source == "spacy"
            and N.has_title_words(c.text)
        )
    ]
    return _without_title_dates(text, kept)


def _without_title_dates(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Dates before the imprint (its first place or publisher) belong to the title
    ("Возмездие: … подполье, 1941-1944 (в 2-х кн.). Рига, "Лиесма", 1977"), unless they
    follow the authors at once, as the year of an author-date reference does ("Smith, J. (1996).")."""
    persons = [c for c in cands if c.tag == "persName"]
    imprint = [
        c.start
        for c in cands
        if c.tag in ("placeName", "orgName")
        and not N.inside_reference_title(text, c.start, c.end)
        and not any(c.overlaps(p) for p in persons)
    ]  # an author spaCy also took for an organisation
    if not imprint:
        return cands
    authors_end = [c.end for c in persons]

    def after_authors(date: Candidate) -> bool:
        return any(re.fullmatch(r"[\s.,]*\(?", text[end : date.start]) for end in authors_end if end <= date.start)

    return [c for c in cands if c.tag != "date" or c.start >= min(imprint) or after_authors(c)]


def choose(cands: list[Candidate], used: dict, register: Register) -> list[Candidate]:
    """One candidate per stretch of text.

    Precedence register > date rules > name rules > spaCy, longer first within
    a source; except that a longer spaCy/rule span beats register names inside
    it when what it adds makes it an organisation or a place ("Communist Party
    of Latvia" over "Latvia") or a person's full name ("George Washington").
    """
    cands = _one_entry_per_span(cands, used, register)
    register_hits = [c for c in cands if c.source == "register"]
    priority = {}
    for c in cands:
        priority[id(c)] = c.rank
        if (
            c.source == "spacy"
            and c.tag == "persName"
            and any(c.contains(r) and r.tag == c.tag for r in cands if r.source == "rule")
            and not any(c.overlaps(r) and not c.contains(r) for r in cands if r.source in ("rule", "register"))
        ):
            priority[id(c)] = 2.5  # "Dwight D. Eisenhower" over the rule's "D. Eisenhower"
        if c.whole and any(c.contains(g) for g in register_hits):
            priority[id(c)] = 0.5  # "Valdemar II of Denmark", "Council of Ministers of the Soviet Union"
        elif c.source in ("spacy", "rule", "document"):
            inside = [g for g in register_hits if c.contains(g)]
            straddled = any(g.overlaps(c) and not c.contains(g) for g in register_hits)
            # a body the document itself names with a town in it: "the Chicago White Stockings" over "Chicago"
            town_team = c.source == "document" and c.tag == "orgName" and all(g.tag == "placeName" for g in inside)
            if inside and (town_team or _longer_span_wins(c, inside)) and not straddled:
                priority[id(c)] = 0.5
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (priority[id(c)], -(c.end - c.start), c.start, c.tag)):
        if not any(c.overlaps(o) for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _longer_span_wins(span: Candidate, inside: list[Candidate]) -> bool:
    rest = span.text
    for g in inside:
        rest = rest.replace(g.text, " ")
    if N.has_keyword(rest, N.ORG_WORDS | N.PLACE_WORDS):
        return True
    surname = all(g.tag == "persName" and span.text.endswith(" " + g.text) for g in inside)
    surname = surname and span.text.split()[0] not in FULL_MONTHS  # not "(4) June Churchill": a date's month
    return (
        span.tag == "persName"
        and N.looks_like_person(span.text)
        and "." not in span.text
        and (surname or all(g.tag != "persName" for g in inside))  # "Franklin Delano Roosevelt" over "Roosevelt"
    )


def _one_entry_per_span(cands: list[Candidate], used: dict, register: Register) -> list[Candidate]:
    """Where several register entries share a name, keep the likeliest one."""
    groups: dict[tuple[int, int], list[Candidate]] = {}
    rest = []
    for c in cands:
        (groups.setdefault((c.start, c.end), []) if c.source == "register" else rest).append(c)
    order = {ident: i for i, ident in enumerate(register.entries)}
    for (start, end), group in groups.items():
        if len(group) == 1:
            rest.append(group[0])
            continue
        hinted = {c.tag for c in cands if c.source == "spacy" and c.start <= start and end <= c.end}
        group.sort(key=lambda c: (c.tag not in hinted, c.ref not in used, order[c.ref]))
        best = group[0]
        best.cert = "medium" if best.tag in hinted or best.ref in used else "low"
        rest.append(best)
    return rest


# -------------------------------------------------------------------- helpers
def _pipeline_attrs(c: Candidate) -> dict[str, str]:
    attrs = {}
    if c.ref:
        attrs["ref"] = REF_PREFIX + c.ref
    attrs.update(c.attrs)
    attrs["resp"] = PIPELINE
    attrs["cert"] = c.cert
    return attrs


def _find_span(text: str, h: HumanMention) -> int | None:
    """Where the human mention's text is in the new unit text: same place, else the nearest occurrence."""
    if text[h.start : h.end] == h.text:
        return h.start
    starts = [m.start() for m in re.finditer(re.escape(h.text), text)]
    return min(starts, key=lambda s: abs(s - h.start)) if starts else None


def _refs(root: etree._Element):
    body = root.find("tei:text", NS)
    if body is None:
        return
    for el in body.iter(*MENTION_TAGS):
        ref = el.get("ref") or ""
        yield el, ref[len(REF_PREFIX) :] if ref.startswith(REF_PREFIX) else None


def _doc_name(root: etree._Element) -> str:
    url = root.getroottree().docinfo.URL
    return str(url) if url else f"{root.get(XML_ID) or 'document'}.xml"


def _short(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()[:60]
