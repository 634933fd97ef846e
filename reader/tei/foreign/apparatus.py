"""A foreign critical apparatus: witnesses, readings, and the collation file we write for it.

Both encodings the TEI Guidelines give for an internal apparatus are read:

- *parallel segmentation*: ``app`` in the running text, with ``lem`` (may be
  empty or absent) and ``rdg`` (may be empty: an omission), grouped or not in
  ``rdgGrp``; ``witDetail`` adds what the apparatus says of a witness there
  (``@type='lac'``: the witness is lacunose there);
- *double end-point attachment*: ``app[@from][@to]`` anywhere (often a
  ``listApp`` in ``back``), pointing to ``anchor``s around the lemma in the
  text; ``@from`` or ``@to`` may be omitted when the ``app`` itself stands at
  that end. :func:`attach_double_end_point` turns each such ``app`` into a
  parallel-segmentation ``app`` around the lemma, so one code path reads both.

Witnesses come from ``listWit/witness`` (by ``@xml:id``, else ``@n``);
``@wit`` tokens are matched with or without ``#``. A token that names no
witness is reported with its line and taken as a witness of its own, so its
readings are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..xml import NS, NSMAP, XML_ID, remove_keeping_tail, tei
from ..folding import fold_case_diacritics
from .report import FileReport

READING_TAGS = (tei("lem"), tei("rdg"))
WITNESS_MARKERS = {"witStart", "witEnd", "lacunaStart", "lacunaEnd"}
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class Witness:
    siglum: str  #: what scholars see (``@n``, or a short label, or the id)
    ident: str  #: the foreign id (``@xml:id``, else ``@n``)
    label: str  #: the witness's description
    declared: bool = True


@dataclass
class Witnesses:
    """The file's witnesses and the lookup of ``@wit`` tokens."""

    items: dict[str, Witness] = field(default_factory=dict)  #: by ident
    lookup: dict[str, str] = field(default_factory=dict)  #: token (id or @n) -> ident

    def resolve(self, value: str | None, line: int, report: FileReport) -> list[str]:
        """Idents named by a ``@wit`` value; unknown tokens are reported and become witnesses."""
        out = []
        for token in (value or "").split():
            key = token.lstrip("#")
            if key not in self.lookup:
                report.problem(
                    f"line {line}: @wit names {token!r}, which no listWit/witness declares; "
                    "its readings are kept under that siglum"
                )
                self.items[key] = Witness(siglum=key, ident=key, label=key, declared=False)
                self.lookup[key] = key
            out.append(self.lookup[key])
        return list(dict.fromkeys(out))


def read_witnesses(root: etree._Element) -> Witnesses:
    witnesses = Witnesses()
    for wit in root.iter(tei("witness")):
        ident = wit.get(XML_ID) or wit.get("n")
        if not ident:
            continue
        n = wit.get("n")
        own_label = " ".join(
            "".join(
                t
                for t in [wit.text or ""]
                + ["".join(c.itertext()) for c in wit if c.tag in (tei("label"), tei("abbr"), tei("idno"))]
            ).split()
        )
        siglum = n or (own_label if own_label and len(own_label) <= 16 else ident)
        description = " ".join("".join(wit.itertext()).split())[:300] or siglum
        witnesses.items[ident] = Witness(siglum=siglum, ident=ident, label=description)
        for key in (wit.get(XML_ID), n):
            if key:
                witnesses.lookup.setdefault(key, ident)
    return witnesses


# --- double end-point attachment -> parallel segmentation ------------------------------------


def attach_double_end_point(root: etree._Element, report: FileReport) -> int:
    """Move every ``app[@from or @to]`` to the place in the text it points to. Returns how many moved."""
    ids = {el.get(XML_ID): el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    moved = 0
    for app in [a for a in root.iter(tei("app")) if a.get("from") or a.get("to")]:
        start = ids.get((app.get("from") or "").lstrip("#")) if app.get("from") else app
        end = ids.get((app.get("to") or "").lstrip("#")) if app.get("to") else app
        if start is None or end is None:
            report.problem(
                f"line {app.sourceline}: app points to {app.get('from') or ''} {app.get('to') or ''}, "
                "which the file does not contain; its readings are kept as a note where it stands"
            )
            continue
        if (
            start.getparent() is None
            or start.getparent() is not end.getparent()
            or (start is not app and end is not app and start.getparent().index(start) > start.getparent().index(end))
        ):
            report.problem(
                f"line {app.sourceline}: the lemma of this app (from {app.get('from')} to "
                f"{app.get('to')}) crosses element boundaries; its readings are kept as a note at its start"
            )
            _note_at(start, app)
            continue
        _wrap_lemma(app, start, end)
        moved += 1
    return moved


def _wrap_lemma(app: etree._Element, start: etree._Element, end: etree._Element) -> None:
    """Replace the nodes between ``start`` and ``end`` (either may be ``app`` itself) by a
    parallel-segmentation app whose lemma is that text and whose readings are ``app``'s."""
    parent = start.getparent()
    new = etree.Element(tei("app"), {k: v for k, v in app.attrib.items() if k not in ("from", "to")})
    lem = etree.SubElement(new, tei("lem"))
    foreign_lem = app.find("tei:lem", NS)
    if foreign_lem is not None and foreign_lem.get("wit"):
        lem.set("wit", foreign_lem.get("wit"))
    for child in list(app):
        if child.tag != tei("lem"):
            new.append(child)
    # The text between the end points is the lemma as it stands in the reading text.
    lem.text, start.tail = start.tail, None
    between = []
    node = start.getnext()
    while node is not None and node is not end:
        between.append(node)
        node = node.getnext()
    for node in between:
        lem.append(node)
    if start is app:
        parent.replace(app, new)
    elif end is app:
        new.tail = app.tail
        parent.replace(app, new)
    else:
        start.addnext(new)
        remove_keeping_tail(app)


def _note_at(place: etree._Element, app: etree._Element) -> None:
    note = etree.Element(tei("note"), type="apparatus")
    note.text = apparatus_summary(app)
    note.tail = place.tail
    place.tail = None
    place.addnext(note)
    if app.getparent() is not None and app is not place:
        remove_keeping_tail(app)


def apparatus_summary(app: etree._Element, sigla: dict[str, str] | None = None) -> str:
    """``lemma] A B; other reading C; om. D`` for a note in the reading text."""
    sigla = sigla or {}
    parts = []
    for reading in app.iter(*READING_TAGS):
        if reading.getparent() is not app and reading.getparent().tag != tei("rdgGrp"):
            continue
        text = reading_text(reading)
        wits = " ".join(sigla.get(w.lstrip("#"), w.lstrip("#")) for w in (reading.get("wit") or "").split())
        if reading.tag == tei("lem"):
            parts.append(f"{text or '—'}]" + (f" {wits}" if wits else ""))
        else:
            parts.append(f"{text if text else 'om.'} {wits}".strip())
    for detail in app.iterfind("tei:witDetail", NS):
        wits = " ".join(sigla.get(w.lstrip("#"), w.lstrip("#")) for w in (detail.get("wit") or "").split())
        said = " ".join("".join(detail.itertext()).split()) or detail.get("type") or detail.get("n") or "detail"
        parts.append(f"{wits}: {said}")
    return "; ".join(parts)


def reading_text(el: etree._Element) -> str:
    """Text of a reading: nested apps read by their lemma (or first reading), notes left out."""
    out: list[str] = []

    def walk(node):
        if node.text:
            out.append(node.text)
        for child in node:
            if not isinstance(child.tag, str) or child.tag in (tei("note"), tei("witDetail")):
                pass
            elif child.tag == tei("app"):
                chosen = child.find("tei:lem", NS)
                if chosen is None:
                    chosen = next(child.iter(tei("rdg")), None)
                if chosen is not None:
                    walk(chosen)
            else:
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return " ".join("".join(out).split())


# --- one app, read for one witness -------------------------------------------------------------


@dataclass
class AppReadings:
    """An app's readings: the lemma and, per witness, the reading element it reads (None: not cited)."""

    lemma: etree._Element | None
    lemma_witnesses: list[str]
    by_witness: dict[str, etree._Element | None]
    readings: list[tuple[etree._Element, list[str]]]  #: every reading and its witnesses, lemma first
    lacunose: set[str]


def app_readings(app: etree._Element, witnesses: Witnesses, report: FileReport) -> AppReadings:
    lemma = app.find("tei:lem", NS)
    readings: list[tuple[etree._Element, list[str]]] = []
    for reading in app.iter(*READING_TAGS):
        parent = reading.getparent()
        if parent is not app and not (parent.tag == tei("rdgGrp") and _app_of(parent) is app):
            continue
        readings.append((reading, witnesses.resolve(reading.get("wit"), reading.sourceline or 0, report)))
    if lemma is None and readings:
        lemma = readings[0][0]
        report.count_note("app without lem: the first reading is given in the reading text")
    readings.sort(key=lambda r: r[0] is not lemma)
    lacunose: set[str] = set()
    for detail in app.iterfind("tei:witDetail", NS):
        named = witnesses.resolve(detail.get("wit"), detail.sourceline or 0, report)
        if (detail.get("type") or "").lower() in ("lac", "lacuna", "lacunose", "illegible"):
            lacunose.update(named)
    by_witness: dict[str, etree._Element | None] = {}
    for reading, wits in readings:
        for w in wits:
            by_witness.setdefault(w, reading)
    lemma_wits = next((w for r, w in readings if r is lemma), [])
    return AppReadings(lemma, lemma_wits, by_witness, readings, lacunose)


def _app_of(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors(tei("app")), None)


def reading_for(app: AppReadings, witness: str) -> tuple[etree._Element | None, bool]:
    """The reading ``witness`` has at this app, and whether the apparatus says so.

    A witness no reading names reads the lemma when the lemma names no
    witnesses (the usual negative apparatus); otherwise, and where it is
    lacunose, the apparatus does not say: (None, False)."""
    if witness in app.lacunose:
        return None, False
    if witness in app.by_witness:
        return app.by_witness[witness], True
    if not app.lemma_witnesses and app.lemma is not None:
        return app.lemma, True
    return None, False


def classify(lemma: str, reading: str) -> str:
    """Our variant type for a reading against the lemma."""
    if lemma == reading:
        return ""
    if not reading:
        return "omission"
    if not lemma:
        return "addition"
    if fold_case_diacritics(lemma) == fold_case_diacritics(reading):
        return "orthographic"
    if _PUNCT.sub("", lemma) == _PUNCT.sub("", reading):
        return "punctuation"
    if sorted(lemma.split()) == sorted(reading.split()) and len(lemma.split()) > 1:
        return "transposition"
    return "substantive"


# --- the collation file -----------------------------------------------------------------------


@dataclass
class CollatedApp:
    n: int
    unit: str  #: the unit (same id in every witness document) the app stands in
    readings: list[tuple[str, list[str], str]]  #: (text, witness document slugs, type)


def collation_tree(
    work: str,
    title: str,
    base_slug: str,
    witness_docs: dict[str, tuple[str, str]],
    apps: list[CollatedApp],
    source_name: str,
) -> etree._Element:
    """``collations/<work>.xml`` in the shape ``reader.tei.collate.apparatus`` writes.

    ``witness_docs``: document slug -> (siglum, description); the reading
    text (``base_slug``) is the first witness."""
    from ..collate.apparatus import witness_id
    from ..collate.model import TYPE_DEFINITIONS, TYPES

    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_ID, f"collation-{work}")
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = f"{title}: apparatus of {source_name}"
    resp = etree.SubElement(title_stmt, tei("respStmt"))
    resp.set(XML_ID, "importer")
    etree.SubElement(resp, tei("resp")).text = "Apparatus taken from the imported TEI file (manage.py importtei)"
    etree.SubElement(resp, tei("name")).text = "Parallax importer"
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("publisher")).text = "Parallax"
    availability = etree.SubElement(publication, tei("availability"))
    etree.SubElement(availability, tei("p")).text = "Derived from the imported file and distributed under its licence."
    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    list_wit = etree.SubElement(source_desc, tei("listWit"))
    for slug, (siglum, description) in witness_docs.items():
        witness = etree.SubElement(list_wit, tei("witness"), corresp=f"../{slug}.xml", n=siglum)
        witness.set(XML_ID, witness_id(slug))
        witness.text = description
    encoding = etree.SubElement(header, tei("encodingDesc"))
    etree.SubElement(encoding, tei("variantEncoding"), method="parallel-segmentation", location="internal")
    decl = etree.SubElement(encoding, tei("editorialDecl"))
    interpretation = etree.SubElement(decl, tei("interpretation"))
    etree.SubElement(interpretation, tei("p")).text = (
        f"Every app is an apparatus entry of {source_name} as its editors made it. The reading text ({base_slug}) "
        "gives the lemma; each witness document gives the text of one witness as the apparatus reports it (the "
        "lemma where the apparatus names no witness for it, a gap where the apparatus does not say what the "
        "witness reads). Types are assigned by comparing each reading with the lemma."
    )
    taxonomy = etree.SubElement(etree.SubElement(encoding, tei("classDecl")), tei("taxonomy"))
    taxonomy.set(XML_ID, "variant-types")
    for kind, definition in TYPE_DEFINITIONS.items():
        category = etree.SubElement(taxonomy, tei("category"))
        category.set(XML_ID, f"variant-{kind}")
        etree.SubElement(category, tei("catDesc")).text = f"{kind}: {definition}"
    body = etree.SubElement(etree.SubElement(root, tei("text")), tei("body"))
    by_unit: dict[str, list[CollatedApp]] = {}
    for app in apps:
        by_unit.setdefault(app.unit, []).append(app)
    for number, (unit, unit_apps) in enumerate(by_unit.items(), 1):
        pointers = " ".join(f"../{slug}.xml#{unit}" for slug in witness_docs)
        ab = etree.SubElement(body, tei("ab"), type="alignment", n=str(number), corresp=pointers)
        for app in unit_apps:
            types = [t for _, _, t in app.readings if t]
            kind = min(types, key=TYPES.index) if types else "substantive"
            el = etree.SubElement(ab, tei("app"), n=str(app.n), type=kind)
            el.set(XML_ID, f"app{app.n}")
            for text, slugs, rdg_type in app.readings:
                rdg = etree.SubElement(
                    el,
                    tei("rdg"),
                    wit=" ".join(f"#{witness_id(s)}" for s in slugs),
                    corresp=" ".join(f"../{s}.xml#{unit}" for s in slugs),
                )
                if rdg_type:
                    rdg.set("type", rdg_type)
                if text:
                    rdg.text = text
    if not len(body):
        etree.SubElement(body, tei("p")).text = "The apparatus has no entries."
    return root
