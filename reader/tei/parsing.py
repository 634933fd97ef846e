"""TEI of the corpus as plain data: what the loader saves and the exporter compares.

No ORM here (STYLE: parse to plain data, then save). ``parse_document``,
``parse_register``, ``parse_collation`` and ``parse_reuse`` take an lxml tree
and return dataclasses; the parts of a file that the database governs are
cut out of a copy of the file and replaced by placeholder elements (``PX``
namespace). That copy, the *skeleton*, is what ``writing`` fills back in
(for ``texts.exporter``). Mention offsets come from ``textmap.TextMap``, so
they always agree with ``document.unit_text``.
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .document import citable_units, doc_slug, doc_title, unit_elements, unit_places, unit_text, walk_text
from .ids import IdAllocator
from .metadata import witness_info
from . import model
from .rendering import UnitRenderer, _local, _loose_text, ref_id
from .textmap import TextMap
from .vocabulary import (
    CANONICAL_NAME_TYPES,
    CITABLE_TAGS,
    HISTORY_TYPE,
    MENTION_TAGS,
    NAME_TAGS,
    NOISE_TAGS,
    REGISTER_ENTRIES,
    REGISTER_FILE,
    REGISTER_LISTS,
    SECONDARY_NAME_TYPES,
    mention_kind,
)
from .xml import NS, XML_ID, XML_LANG, TEIError, parse_bytes, tei

#: Namespace of the placeholders in a skeleton (never written to a TEI file).
PX_NS = "urn:parallax:skeleton"


def px(tag: str) -> str:
    return f"{{{PX_NS}}}{tag}"


# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class MentionData:
    """A mention as offsets into the unit's text (see ``TextMap.span``)."""

    kind: str
    start: int
    end: int
    surface: str
    ref: str = ""  #: the register id the ``@ref`` points to ('' if none)
    resp: str = ""
    cert: str = ""
    when: str = ""
    date_from: str = ""
    date_to: str = ""
    line: int = field(default=0, compare=False)  #: where it is in the file it was read from


@dataclass
class UnitData:
    id: str
    kind: str
    section_id: str | None
    text: str
    lang: str
    inferred: bool
    tei: str
    html: str
    mentions: list[MentionData]
    collation_text: str = ""  #: the text as collated, if it differs (editorial markers kept)
    line: int = 0
    supplied: bool = False  #: a heading the editor supplied (not the witness's text; not collated)
    stage: bool = False  #: a stage direction on its own: set apart and never given a ¶ number
    front: bool = False  #: front matter (title page, cast list): never given a ¶ number (``model.front_matter``)


@dataclass
class SectionData:
    id: str
    parent_id: str | None
    level: int
    head: str
    line: int = 0


@dataclass
class RetiredData:
    id: str
    successor: str
    change: str
    when: str
    text: str


@dataclass
class EarlierTextData:
    target: str
    revision: str
    text: str


@dataclass
class DocumentData:
    """Everything the database keeps of one witness file."""

    slug: str
    title: str
    work: str
    seed_name: str
    seed_sha256: str
    source: str
    licence: str
    licence_url: str
    languages: list[str]
    revision: str
    revision_date: str
    header: str
    skeleton: str
    front_html: str
    sections: list[SectionData]
    units: list[UnitData]
    retired: list[RetiredData] = field(default_factory=list)
    earlier: list[EarlierTextData] = field(default_factory=list)
    #: what was read but is not as the conventions say (``line N: …``); the loader reports it
    warnings: list[str] = field(default_factory=list)
    #: Witness metadata (``reader.tei.metadata.witness_info``): siglum, author, ISO date, the editor's work name.
    siglum: str = ""
    author: str = ""
    date: str = ""
    work_name: str = ""

    @property
    def word_count(self) -> int:
        return sum(len(u.text.split()) for u in self.units)


@dataclass(frozen=True)
class EntityData:
    """A register entry as plain data; export compares it with the stored TEI."""

    id: str
    kind: str
    name: str
    variants: tuple[tuple[str, str, str], ...]  #: (name, lang, type)
    authority: tuple[tuple[str, str], ...]  #: (scheme, value)
    note: str
    resp: str
    geo: tuple[float, float] | None = None  #: (latitude, longitude) from ``location/geo``


@dataclass
class RegisterData:
    skeleton: str
    entries: list[tuple[EntityData, str]]  #: (data, entry TEI)


@dataclass
class ReadingData:
    wit: list[str]  #: witness ids (without '#')
    text: str
    type: str
    paragraph: str  #: id of the witness paragraph ('' if unknown)
    #: witness id -> id of the paragraph the reading stands in, in that witness's own file
    paragraphs: dict[str, str] = field(default_factory=dict)


@dataclass
class VariantData:
    type: str
    xml_id: str
    readings: list[ReadingData]


@dataclass
class CollationData:
    work: str
    witnesses: list[tuple[str, str]]  #: (siglum, witness file path below the corpus folder)
    variants: list[VariantData]
    #: units standing side by side (``ab[@type='alignment']/@corresp``): [(file path, unit id), ...]
    alignments: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass
class ReuseData:
    """Passages shared between documents (``linkGrp[@type='text-reuse']/link/@target``)."""

    links: list[list[tuple[str, str]]]  #: [(file path, unit id), ...] per link


# --------------------------------------------------------------------------- helpers


def text_of(el: etree._Element | None) -> str:
    return unit_text(el) if el is not None else ""


def to_string(el: etree._Element) -> str:
    """Serialise one element without its tail."""
    return etree.tostring(el, encoding="unicode", with_tail=False)


def from_string(xml: str, name: str = "<stored TEI>") -> etree._Element:
    return parse_bytes(xml.encode("utf-8"), name)


def _replace(el: etree._Element, placeholder: etree._Element) -> None:
    """Put ``placeholder`` where ``el`` is, keeping ``el``'s tail."""
    placeholder.tail = el.tail
    el.getparent().replace(el, placeholder)


# --------------------------------------------------------------------------- mentions


def parse_mentions(el: etree._Element) -> tuple[str, list[MentionData]]:
    """The unit's text and its mentions (not those inside noise) as offsets into it (see ``TextMap.span``)."""
    tmap = TextMap(el)
    text = tmap.text
    mentions = []
    for m, start, end in tmap.elements(MENTION_TAGS):
        if mention_kind(m) is None:  # an ``rs`` of a type that is no kind of ours
            continue
        mentions.append(
            MentionData(
                kind=mention_kind(m),
                start=start,
                end=end,
                surface=text[start:end],
                ref=ref_id(m.get("ref")),
                resp=m.get("resp", ""),
                cert=m.get("cert", ""),
                when=m.get("when", ""),
                date_from=m.get("from", ""),
                date_to=m.get("to", ""),
                line=m.sourceline or 0,
            )
        )
    return text, mentions


def where(lines: list[int]) -> str:
    """``line 8``, or ``14 times, lines 3504, 3547, 3858, 3905, 3922, …`` for a warning about many places."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    shown = ", ".join(str(n) for n in lines[:5])
    return f"{len(lines)} times, lines {shown}{', …' if len(lines) > 5 else ''}"


def grouped(found: dict[str, list[int]], message: str) -> list[str]:
    """One warning per key (``message`` formatted with ``key``), naming where it happens."""
    return [f"{where(lines)}: {message.format(key=key)}" for key, lines in found.items()]


def foreign_refs(el: etree._Element, found: dict[str, list[int]]) -> None:
    """Collect the ``@ref`` values in ``el`` that are not a pointer into the register (shown unlinked)."""
    for m in el.iter(*MENTION_TAGS):
        if mention_kind(m) and m.get("ref") is not None and not ref_id(m.get("ref")):
            found.setdefault(m.get("ref"), []).append(m.sourceline or 0)


def _label_of_a_speech(el: etree._Element) -> bool:
    """Whether ``el`` is (in) the ``speaker`` of an ``sp`` that holds a citable unit: the reader shows the
    label with its speech (reader.tei.model: a speaker is part of its speech, never a unit of its own)."""
    for holder in (el, *el.iterancestors()):
        if isinstance(holder.tag, str) and model.behaviour(holder) == "speaker":
            sp = holder.getparent()
            return sp is not None and any(c.tag in CITABLE_TAGS for c in sp)
    return False


def text_outside_units(body: etree._Element) -> dict[str, int]:
    """Words of the body in no citable unit and no noise, by the element holding them: the
    reader shows only units, so these would be lost without a word."""
    words: dict[str, int] = {}

    def count(text: str | None, holder: etree._Element) -> None:
        n = len(text.split()) if text else 0
        if n and not _label_of_a_speech(holder):
            words[_local(holder)] = words.get(_local(holder), 0) + n

    for event, el in walk_text(body, skip=NOISE_TAGS | set(CITABLE_TAGS)):
        if event == "start":
            count(el.text, el)
        elif event == "tail":
            count(el.tail, el.getparent())
    return words


def give_missing_ids(root: etree._Element) -> list[str]:
    """Give a fresh xml:id to every citable unit of the body that has none, so none is dropped.

    Fresh ids come after every id the file uses or has retired (``ids.IdAllocator``), so they
    are never an old paragraph's; ``export`` writes them into the file, which makes them permanent.
    """
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        return []
    missing = [el for el in unit_places(body) if el.get(XML_ID) is None]
    if not missing:
        return []
    used = {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    used |= {n.get("n") for n in root.iterfind(".//tei:note[@type='retired']", NS) if n.get("n")}
    allocator = IdAllocator(used)
    for el in missing:
        el.set(XML_ID, allocator.fresh(_local(el)))
    if len(missing) <= 3:
        return [
            f"line {el.sourceline}: <{_local(el)}> had no xml:id; given {el.get(XML_ID)!r} (export writes it)"
            for el in missing
        ]
    by_kind: dict[str, list[str]] = {}
    for el in missing:
        by_kind.setdefault(_local(el), []).append(el.get(XML_ID))
    kinds = ", ".join(f"<{k}> ×{len(ids)}" for k, ids in by_kind.items())
    given = ", ".join(ids[0] if len(ids) == 1 else f"{ids[0]} … {ids[-1]}" for ids in by_kind.values())
    return [
        f"{where([el.sourceline for el in missing])}: {len(missing)} units had no xml:id ({kinds}); "
        f"given fresh ids {given} (export writes them)"
    ]


# --------------------------------------------------------------------------- documents


def _header_value(root, path: str) -> str:
    found = root.find(path, NS)
    return text_of(found)


def is_stage_direction(unit: etree._Element) -> bool:
    """The unit holds one stage direction and nothing else (the renderer sets it apart the same way)."""
    children = [c for c in unit if isinstance(c.tag, str)]
    return len(children) == 1 and model.behaviour(children[0]) == "stage" and not _loose_text(unit)


def _sections(body: etree._Element) -> list[SectionData]:
    sections = []
    for div in body.iter(tei("div")):
        if not div.get(XML_ID):
            continue
        parents = [a for a in div.iterancestors(tei("div")) if a.get(XML_ID)]
        head = div.find("tei:head", NS)
        sections.append(
            SectionData(
                id=div.get(XML_ID),
                parent_id=parents[0].get(XML_ID) if parents else None,
                level=len(parents) + 1,
                head=text_of(head),
                line=div.sourceline or 0,
            )
        )
    return sections


def history_data(stand_off: etree._Element) -> tuple[list[RetiredData], list[EarlierTextData]]:
    """Retired ids and earlier texts of a paragraph-history ``standOff``."""
    retired = [
        RetiredData(
            id=n.get("n", ""),
            successor=(n.get("corresp") or "").lstrip("#"),
            change=n.get("subtype", "deleted"),
            when=n.get("when") or next((d.get("when", "") for d in n.iterfind("tei:date", NS)), ""),
            text=text_of(n),
        )
        for n in stand_off.iterfind(".//tei:note[@type='retired']", NS)
    ]
    earlier = [
        EarlierTextData(target=(n.get("target") or "").lstrip("#"), revision=n.get("n", ""), text=text_of(n))
        for n in stand_off.iterfind(".//tei:note[@type='earlier-text']", NS)
    ]
    return retired, earlier


def _history(root: etree._Element) -> tuple[etree._Element | None, list[RetiredData], list[EarlierTextData]]:
    for stand_off in root.findall("tei:standOff", NS):
        if stand_off.get("type") == HISTORY_TYPE:
            return stand_off, *history_data(stand_off)
    return None, [], []


def _work_slug(root: etree._Element, slug: str) -> str:
    item = root.find("tei:teiHeader/tei:fileDesc/tei:notesStmt/tei:relatedItem[@type='work']", NS)
    target = item.get("target") if item is not None else None
    if target:
        return Path(target.split("#")[0]).stem
    return slug


def parse_document(root: etree._Element, name: str, renderer: UnitRenderer | None = None) -> DocumentData:
    """A witness TEI tree as plain data, with its skeleton for export."""
    renderer = renderer or UnitRenderer()
    slug = doc_slug(root)
    if not slug:
        raise TEIError(f"{name}: line {root.sourceline}: the TEI root has no @xml:id (the document's slug)")
    header = root.find("tei:teiHeader", NS)
    if header is None:
        raise TEIError(f"{name}: no teiHeader")
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        raise TEIError(f"{name}: no text/body")
    warnings = give_missing_ids(root)
    refs: dict[str, list[int]] = {}
    units_by_id = {u.id: u for u in citable_units(root)}
    seen: set[str] = set()
    for el in root.iter():
        xml_id = el.get(XML_ID) if isinstance(el.tag, str) else None
        if xml_id and xml_id in seen:
            raise TEIError(f"{name}: line {el.sourceline}: xml:id {xml_id!r} is used twice")
        if xml_id:
            seen.add(xml_id)

    doc_lang = root.get(XML_LANG) or ""
    languages = [
        lang.get("ident") for lang in header.iterfind(".//tei:langUsage/tei:language", NS) if lang.get("ident")
    ]
    main_lang = doc_lang or (languages[0] if languages else "")
    collated = _collation_texts(root)
    units = []
    for el in unit_elements(body):
        base = units_by_id[el.get(XML_ID)]
        _, mentions = parse_mentions(el)
        foreign_refs(el, refs)
        units.append(
            UnitData(
                id=base.id,
                kind=base.kind,
                section_id=base.section_id,
                text=base.text,
                lang=base.lang if base.lang and base.lang != main_lang else "",
                inferred=base.inferred,
                supplied=base.supplied,
                tei=to_string(el),
                html=renderer.render(el),
                mentions=mentions,
                collation_text=collated.get(base.id, base.text)
                if collated.get(base.id, base.text) != base.text
                else "",
                line=el.sourceline or 0,
                stage=is_stage_direction(el),
                front=model.front_matter(el),
            )
        )
    warnings += grouped(refs, f"@ref {{key!r}} is not a pointer into {REGISTER_FILE}; shown unlinked")
    outside = text_outside_units(body)
    if outside:
        held = ", ".join(f"<{k}> {n:,}" for k, n in sorted(outside.items(), key=lambda kv: -kv[1]))
        warnings.append(
            f"{sum(outside.values()):,} words of the body are in no citable unit (<p>, <head>, <item>, <bibl>) and "
            f"are not shown in the reader; they stand in: {held} (convert the file with `manage.py importtei`)"
        )
    history, retired, earlier = _history(root)
    licence_el = header.find(".//tei:publicationStmt/tei:availability/tei:licence", NS)
    changes = header.findall(".//tei:revisionDesc/tei:change", NS)
    last_change = changes[-1] if changes else None
    source_bibl = header.find(".//tei:sourceDesc/tei:bibl", NS)
    info = witness_info(root)
    return DocumentData(
        slug=slug,
        title=doc_title(root),
        work=_work_slug(root, slug),
        seed_name=_header_value(header, ".//tei:sourceDesc//tei:idno[@type='seed']"),
        seed_sha256=_header_value(header, ".//tei:sourceDesc//tei:idno[@type='sha256']"),
        source=info.source or _source_description(source_bibl).removeprefix(doc_title(root)).strip(" ,.;:"),
        licence=_licence_label(licence_el),
        licence_url=(licence_el.get("target") or "") if licence_el is not None else "",
        languages=languages,
        revision=last_change.get("n", "") if last_change is not None else "",
        revision_date=last_change.get("when", "") if last_change is not None else "",
        header=to_string(header),
        skeleton=_document_skeleton(root, history),
        front_html=renderer.render_correspondence(header.find("tei:profileDesc/tei:correspDesc", NS))
        + renderer.render_noise(_loose_noise(root)),
        sections=_sections(body),
        units=units,
        retired=retired,
        earlier=earlier,
        warnings=warnings,
        siglum=info.siglum,
        author=info.author,
        date=info.date,
        work_name=info.work,
    )


def _collation_texts(root: etree._Element) -> dict[str, str]:
    """Unit id → text as ``reader.tei.collate`` collates it (editorial markers kept)."""
    try:
        from reader.tei.collate.corpus import witness_units
    except ImportError:  # collation package not installed: collate the plain text
        return {}
    return {u.id: u.text for u in witness_units(root)}


def _licence_label(licence: etree._Element | None) -> str:
    """The licence's name: its own text before any explanatory paragraph."""
    if licence is None:
        return ""
    own = " ".join((licence.text or "").split())
    return own or text_of(licence)


def _loose_noise(root: etree._Element) -> list[etree._Element]:
    """Noise elements of ``front``/``back`` and between units (page chrome), not inside any unit."""
    text = root.find("tei:text", NS)
    if text is None:
        return []
    return [
        el
        for el in text.iter(*NOISE_TAGS)
        if not any(a.tag in CITABLE_TAGS or a.tag in NOISE_TAGS for a in el.iterancestors())
    ]


def _source_description(bibl: etree._Element | None) -> str:
    """The source bibl's prose, without the idno lines (shown separately) and the extent."""
    if bibl is None:
        return ""
    clone = copy.deepcopy(bibl)
    for idno in clone.findall("tei:idno", NS) + clone.findall("tei:extent", NS):
        keep_tail = idno.tail
        parent = idno.getparent()
        prev = idno.getprevious()
        parent.remove(idno)
        if keep_tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + keep_tail
            else:
                parent.text = (parent.text or "") + keep_tail
    return unit_text(clone)


def _document_skeleton(root: etree._Element, history: etree._Element | None) -> str:
    clone = copy.deepcopy(root)
    _replace(clone.find("tei:teiHeader", NS), etree.Element(px("header")))
    for el in unit_elements(clone.find("tei:text/tei:body", NS)):
        _replace(el, etree.Element(px("unit"), ref=el.get(XML_ID)))
    for stand_off in clone.findall("tei:standOff", NS):
        if stand_off.get("type") == HISTORY_TYPE:
            # Keep the loaded history inside the placeholder: export reuses it if unchanged.
            placeholder = etree.Element(px("history"))
            _replace(stand_off, placeholder)
            stand_off.tail = None
            placeholder.append(stand_off)
    return to_string(clone)


# --------------------------------------------------------------------------- register


def entry_names(el: etree._Element) -> tuple[etree._Element | None, list[etree._Element]]:
    """A register entry's canonical name element and its other names: the one rule for both
    the pipeline's register and the loader.

    Names are the entry's children named as its kind's names are (``persName``…) or ``name``. The
    canonical one is the first typed as canonical (``main``, ``reg`` … as other projects
    write it), else the first not typed as a variant or abbreviation; None if every name is.
    """
    names = [n for n in el if n.tag in NAME_TAGS.get(el.tag, ())]
    canonical = next((n for n in names if n.get("type") in CANONICAL_NAME_TYPES), None)
    if canonical is None:
        canonical = next((n for n in names if n.get("type") not in SECONDARY_NAME_TYPES), None)
    return canonical, [n for n in names if n is not canonical]


def parse_entry(el: etree._Element) -> EntityData:
    """A register entry (``person``, ``place``… of ``vocabulary.KINDS``) as plain data."""
    kind = REGISTER_ENTRIES[el.tag]
    canonical, others = entry_names(el)
    if canonical is None and others:  # only variants: show the first rather than the bare id
        canonical, others = others[0], others[1:]
    variants = tuple((text_of(n), n.get(XML_LANG, ""), n.get("type", "")) for n in others)
    authority = tuple((idno.get("type", ""), text_of(idno)) for idno in el.findall("tei:idno", NS) if text_of(idno))
    note = el.find("tei:note", NS)
    return EntityData(
        id=el.get(XML_ID, ""),
        kind=kind,
        name=text_of(canonical) or el.get(XML_ID, ""),
        variants=variants,
        authority=authority,
        note=text_of(note),
        resp=el.get("resp", ""),
        geo=parse_geo(_geo_text(el)),
    )


#: ``geo`` as TEI's default notation writes it: latitude then longitude in decimal degrees,
#: separated by white space (a comma is taken too, as some registers write it).
_GEO = re.compile(r"\s*([-+]?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*")


def _geo_text(el: etree._Element) -> str | None:
    geo = el.find("tei:location/tei:geo", NS)
    return None if geo is None else text_of(geo)


def parse_geo(text: str | None) -> tuple[float, float] | None:
    """``"48.85 2.35"`` → (48.85, 2.35); None for no text or one that is not a point on Earth."""
    found = _GEO.fullmatch(text or "")
    if not found:
        return None
    lat, lon = float(found[1]), float(found[2])
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _in_its_list(el: etree._Element) -> bool:
    """Whether ``el`` is an entry of its kind's register list (a ``bibl`` of the header is no work)."""
    parent = el.getparent()
    return parent is not None and parent.tag == REGISTER_LISTS[REGISTER_ENTRIES[el.tag]]


def parse_register(root: etree._Element, name: str) -> RegisterData:
    clone = copy.deepcopy(root)
    entries = []
    for el in [e for e in clone.iter(*REGISTER_ENTRIES) if _in_its_list(e)]:
        if not el.get(XML_ID):
            raise TEIError(f"{name}: line {el.sourceline}: register entry <{_local(el)}> has no xml:id")
        geo = _geo_text(el)
        if geo is not None and parse_geo(geo) is None:
            raise TEIError(
                f"{name}: line {el.sourceline}: <geo> of {el.get(XML_ID)} is {geo[:60]!r}, not 'latitude longitude'"
                " in decimal degrees (-90..90, -180..180)"
            )
        entries.append((parse_entry(el), to_string(el)))
        _replace(el, etree.Element(px("entry"), ref=el.get(XML_ID)))
    ids = [e.id for e, _ in entries]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise TEIError(f"{name}: register ids used twice: {', '.join(sorted(duplicates))}")
    return RegisterData(skeleton=to_string(clone), entries=entries)


def retired_register_ids(root: etree._Element) -> dict[str, tuple[str, str]]:
    """Register ids retired for good: id -> (its name then, the id of the entry that absorbed it or "")."""
    retired = {}
    for note in root.iterfind(".//tei:listAnnotation[@type='retired-ids']/tei:note[@n]", NS):
        retired[note.get("n")] = (" ".join(text_of(note).split()), (note.get("corresp") or "").rsplit("#", 1)[-1])
    return retired


# --------------------------------------------------------------------------- collations


def _resolve(pointer: str, relative: str) -> tuple[str, str]:
    """``../doc.xml#p3`` in file ``collations/x.xml`` → (``doc.xml``, ``p3``)."""
    target, _, fragment = pointer.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(relative), target)) if target else relative
    return path, fragment


def parse_collation(root: etree._Element, name: str) -> CollationData:
    """A parallel-segmentation apparatus as plain data.

    Witnesses come from ``listWit/witness`` (``@xml:id`` = siglum, ``@corresp``
    = the witness file, relative to the collation file). A reading's paragraph
    is the fragment of the ``@corresp`` of the ``rdg`` or of its nearest
    ancestor having one; ``ab[@type='alignment']/@corresp`` lists the units
    that stand side by side.
    """
    witnesses = []
    for wit in root.iterfind(".//tei:listWit/tei:witness", NS):
        siglum = wit.get(XML_ID) or wit.get("n") or ""
        target = wit.get("corresp") or wit.get("source") or wit.get("target") or ""
        path = _resolve(target.split()[0], name)[0] if target else f"{siglum}.xml"
        witnesses.append((siglum, path))
    paths = dict(witnesses)
    variants = []
    for app in root.iter(tei("app")):
        if app.get("type") == "lacuna":  # text the extant witnesses share where others have a lacuna: no variant
            continue
        readings = []
        for rdg in app.iter(tei("rdg"), tei("lem")):
            wit = [w.lstrip("#") for w in (rdg.get("wit") or "").split()]
            readings.append(
                ReadingData(
                    wit=wit,
                    text=text_of(rdg),
                    type=rdg.get("type", ""),
                    paragraph=_pointer_fragment(rdg),
                    # A pointer counts for a witness only if it points into that witness's file: the
                    # gap of a heading one witness lacks stands in none of its paragraphs.
                    paragraphs={w: _pointer_fragment(rdg, name, paths[w]) for w in wit if w in paths},
                )
            )
        app_type = app.get("type") or next((r.type for r in readings if r.type), "substantive")
        variants.append(VariantData(type=app_type, xml_id=app.get(XML_ID, ""), readings=readings))
    alignments = [
        [_resolve(pointer, name) for pointer in ab.get("corresp", "").split()]
        for ab in root.iter(tei("ab"))
        if ab.get("type") == "alignment" and ab.get("corresp")
    ]
    return CollationData(work=Path(name).stem, witnesses=witnesses, variants=variants, alignments=alignments)


def parse_reuse(root: etree._Element, name: str) -> ReuseData:
    links = []
    for group in root.iter(tei("linkGrp")):
        if group.get("type") != "text-reuse":
            continue
        for link in group.iter(tei("link")):
            links.append([_resolve(pointer, name) for pointer in (link.get("target") or "").split()])
    return ReuseData(links=links)


def _pointer_fragment(el: etree._Element, name: str | None = None, path: str | None = None) -> str:
    """Fragment of the first pointer of ``el`` or its nearest ancestor having one; with ``path``,
    only pointers (resolved from file ``name``) into that file count."""
    for node in [el, *el.iterancestors()]:
        for attr in ("corresp", "source", "target", "ref"):
            for pointer in (node.get(attr) or "").split():
                if "#" not in pointer:
                    continue
                if path is None:
                    return pointer.split("#", 1)[1]
                target, fragment = _resolve(pointer, name)
                if target == path:
                    return fragment
    return ""


def canonical_sha256(root: etree._Element) -> str:
    """sha256 of the canonical XML (C14N 2.0) of a tree: equal for equal TEI, whatever the layout."""
    return hashlib.sha256(etree.tostring(root, method="c14n2")).hexdigest()
