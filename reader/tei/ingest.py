"""Ingest: a plain text becomes a TEI P5 document (see docs/tei-conventions.md).

``build_document`` works on a :class:`~.source.Source` and the previous TEI
version of the same source (if any); ``Ingester`` runs it over files and
writes them atomically. Further stages (entity recognition) are callables
``stage(root, previous_root)`` applied to each new tree before it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from . import divide
from .document import citable_units, is_supplied, unit_places, unit_text
from .ids import OldUnit, assign_ids
from .inline import TOOLTIP_END, Seg, mark_joins, split_emphasis
from .metadata import WitnessMeta, apply_metadata, header_metadata
from .slugs import slugify
from .source import Source, SourceError, read_source
from .structure import LAYOUT_RULES, LIST_HEADINGS, BIBLIOGRAPHY_HEADINGS, Block, Structure, heading_like, recover
from .lock import corpus_lock
from .vocabulary import PIPELINE, unreserved
from .xml import NS, NSMAP, XML_ID, XML_LANG, append_text, parse_file, serialize, tei, write_atomic

Stage = Callable[[etree._Element, "etree._Element | None"], None]
#: Share of the flat text's shingles that a structured text must contain to lend its structure.
MIN_RESEMBLANCE = 0.3
CC_BY_SA = ("https://creativecommons.org/licenses/by-sa/4.0/", "Creative Commons Attribution-ShareAlike 4.0")
_CYRILLIC_RUN = re.compile(
    r"[\u0400-\u04FF][\u0400-\u04FF\u0300-\u036F\w.,:;«»\"'()\-–—/ ]*[\u0400-\u04FF\u0300-\u036F.»\"')]"
)


@dataclass
class Donor:
    """A structured version that a flat text can borrow its divisions from."""

    slug: str
    units: list[tuple[str, str, str | None]]  # (kind, text, section id)
    shingles: set[int] = field(default_factory=set)
    #: section id -> the sections it lies in, outermost first: (id, heading, level)
    headings: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


# --- structure -> blocks ------------------------------------------------------------------


def refine_blocks(structure: Structure, donors: Iterable[Donor]) -> tuple[list[Block], list[str]]:
    """Editorial divisions on top of the recovered structure; returns blocks and decisions made."""
    decisions: list[str] = [LAYOUT_RULES[structure.layout]] if not structure.flat else []
    blocks = structure.blocks
    if structure.flat:
        blocks, note = _divide_flat(blocks[0], donors)
        decisions.append(note)
    out: list[Block] = []
    section, level = "", 1
    scraped = structure.flat or structure.layout == "scraped"  # inline bullets are a scraper's flattened lists
    blocks = [
        piece
        for block in blocks
        for piece in (divide.split_trailing_list(block) if block.kind == "p" and scraped else [block])
    ]
    for block in blocks:
        if block.kind == "head":
            section, level = block.text.strip(), block.level
        reference_section = bool(LIST_HEADINGS.match(section) or BIBLIOGRAPHY_HEADINGS.match(section))
        if (
            scraped
            and block.kind in ("p", "bibl")
            and (divide.running_text(block.segs).lstrip().startswith("*") or reference_section)
        ):
            kind = "bibl" if BIBLIOGRAPHY_HEADINGS.match(section) else "item"
            pieces = divide.split_bullets(block, kind)
            if len(pieces) > 1 or pieces[0] is not block:
                for piece in pieces:
                    for sub in divide.reference_subheadings(piece, level + 1) if reference_section else [piece]:
                        out.extend(divide.split_entry_lines(sub) if sub.kind in ("item", "bibl") else [sub])
                continue
        if block.kind == "bibl" and block.inferred:
            out.extend(divide.split_references(block))
        elif block.kind in ("item", "bibl") and scraped:
            out.extend(divide.split_entry_lines(block))
        else:  # a paragraph of the source stays one unit, however long
            out.append(block)
    _title_lists_as_headings(out)
    out = _join_lone_authors(out)
    return out, decisions


def _title_lists_as_headings(blocks: list[Block]) -> None:
    """In a prose section, a list of nothing but bare titles is the sub-headings of that section
    (a scraper keeps the headings of sub-sections whose tables or lists it dropped)."""
    section, level, i = "", 1, 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "head":
            section, level = block.text.strip(), block.level
        run_end = i
        while run_end < len(blocks) and blocks[run_end].kind == "item":
            run_end += 1
        run = blocks[i:run_end]
        prose = section and not (LIST_HEADINGS.match(section) or BIBLIOGRAPHY_HEADINGS.match(section))
        if len(run) >= 2 and prose and all(_bare_title(b) for b in run):
            for b in run:
                b.kind, b.level, b.inferred = "head", level + 1, True
            i = run_end
        else:
            i = max(i + 1, run_end)


_PERSON_NAME = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][\w’'-]+\s){1,3}[A-ZÀ-ÖØ-Þ][\w’'-]+")


def _join_lone_authors(blocks: list[Block]) -> list[Block]:
    """A reference that is only a personal name ("Alfred Erich Senn") is the author of the next one:
    the source put a blank line between them; they are one reference (the join is the editor's)."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.kind == block.kind == "bibl"
            and _PERSON_NAME.fullmatch(previous.text.strip())
            and all(s.kind == "text" for s in previous.segs)
        ):
            out[-1] = Block("bibl", previous.segs + [Seg("text", "\n\n")] + block.segs, inferred=True)
            continue
        out.append(block)
    return out


def _bare_title(block: Block) -> bool:
    text = block.text.strip()
    return heading_like(text) and "," not in text and not any(s.kind not in ("text", "gloss") for s in block.segs)


def _divide_flat(block: Block, donors: Iterable[Donor]) -> tuple[list[Block], str]:
    mine = divide.shingles(block.text)
    scored = sorted(((divide.resemblance(mine, d.shingles), d.slug, d) for d in donors), key=lambda t: (-t[0], t[1]))
    if scored and scored[0][0] >= MIN_RESEMBLANCE:
        score, slug, donor = scored[0]
        blocks = divide.project_structure(block.segs, donor.units, donor.headings)
        return blocks, (
            "The source has no line breaks. Its division into paragraphs, list items, references and "
            f"sections is editorial: it was projected from the structured version '{slug}' "
            f"({score:.0%} of this text's 5-word shingles occur there) by word-level alignment; runs of "
            "references without separators were split where one reference ends (year, pages, ISBN) and "
            "the next begins (author initials and surname, or a change of script). All such units carry "
            'resp="#pipeline". The section headings are that version\'s, supplied by the editor: '
            "head[@resp='#pipeline']/supplied; they are not part of this source's text and are not collated."
        )
    blocks = divide.divide_long(block)
    return blocks, (
        "The source has no line breaks. Its division into paragraphs is editorial: sentence boundaries, "
        f"grouped into paragraphs of about {divide.TARGET_WORDS} words; all such paragraphs carry "
        'resp="#pipeline".'
    )


# --- blocks -> TEI ------------------------------------------------------------------------


def _append_text(parent: etree._Element, text: str) -> None:
    """Append text to ``parent``, wrapping runs of Cyrillic script in ``foreign``."""
    pos = 0
    for m in _CYRILLIC_RUN.finditer(text):
        if len(re.findall(r"[\u0400-\u04FF]", m.group())) < 2:
            continue
        append_text(parent, text[pos : m.start()])
        foreign = etree.SubElement(parent, tei("foreign"))
        foreign.set(XML_LANG, cyrillic_language(m.group()))
        foreign.text = m.group()
        pos = m.end()
    append_text(parent, text[pos:])


def cyrillic_language(text: str) -> str:
    """Russian unless letters only Ukrainian or Belarusian use say otherwise."""
    if re.search(r"[ўЎ]", text):
        return "be"
    if re.search(r"[іїєґІЇЄҐ]", text):
        return "uk"
    return "ru"


def _fill(el: etree._Element, segs: list[Seg], lang: str | None) -> None:
    """Build a unit's content: running text, wiki emphasis as ``hi``, noise as notes, joins as ``lb``."""
    stack = [el]
    for seg in mark_joins(split_emphasis(segs)):
        parent = stack[-1]
        if seg.kind == "text":
            (append_text if lang else _append_text)(parent, seg.text)
        elif seg.kind == "hi-open":
            stack.append(etree.SubElement(parent, tei("hi"), rend=seg.text))
        elif seg.kind == "hi-close":
            stack.pop()
        elif seg.kind == "join":
            for _ in seg.text:
                etree.SubElement(parent, tei("lb"), {"break": "no"})
        else:
            _noise(parent, seg)


def _noise(parent: etree._Element, seg: Seg) -> None:
    if seg.kind == "gloss":
        note = etree.SubElement(parent, tei("note"), type="gloss", resp=PIPELINE)
        _fill_noise(note, seg.text)
        if TOOLTIP_END.search(seg.text):  # the scraper cut the tooltip's sentence short
            etree.SubElement(note, tei("gap"), reason="truncated", resp=PIPELINE)
    elif seg.kind == "editorial":
        subtype = "citation-needed" if "citation needed" in seg.text.lower() else "maintenance"
        note = etree.SubElement(parent, tei("note"), type="editorial", subtype=subtype, resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "citation":
        note = etree.SubElement(parent, tei("note"), type="citation", place="inline", resp=PIPELINE)
        _fill_noise(etree.SubElement(note, tei("bibl")), seg.text)
    elif seg.kind == "footnote":
        note = etree.SubElement(
            parent, tei("note"), type="citation", subtype="footnote-mark", place="inline", resp=PIPELINE
        )
        etree.SubElement(note, tei("ref")).text = seg.text
    elif seg.kind == "edit-link":
        note = etree.SubElement(parent, tei("note"), type="boilerplate", subtype="edit-link", resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "template":
        note = etree.SubElement(parent, tei("note"), type="boilerplate", subtype="template", resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "gap":
        etree.SubElement(parent, tei("gap"), reason="truncated", resp=PIPELINE)
    else:
        raise ValueError(f"unknown segment kind {seg.kind!r}")


def _fill_noise(el: etree._Element, text: str) -> None:
    """Text of a note: wiki emphasis as ``hi``, Cyrillic as ``foreign``."""
    stack = [el]
    for seg in split_emphasis([Seg("text", text)]):
        if seg.kind == "text":
            _append_text(stack[-1], seg.text)
        elif seg.kind == "hi-open":
            stack.append(etree.SubElement(stack[-1], tei("hi"), rend=seg.text))
        else:
            stack.pop()


def _unit_language(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return cyrillic_language(text) if letters and cyrillic / len(letters) > 0.5 else None


def build_body(text_el: etree._Element, structure: Structure, blocks: list[Block]) -> None:
    preamble = [b for b in blocks if b.kind == "chrome"]
    if preamble or structure.title_source != "first-sentence":
        front = etree.SubElement(text_el, tei("front"))
        for i, block in enumerate(preamble + [None]):
            if i == structure.title_index and structure.title_source != "first-sentence":
                title_part = etree.SubElement(etree.SubElement(front, tei("docTitle")), tei("titlePart"))
                title_part.text = structure.title
            if block is not None:
                note = etree.SubElement(front, tei("note"), type="boilerplate", subtype=block.subtype or "chrome")
                note.text = block.text.strip()
    body = etree.SubElement(text_el, tei("body"))
    stack: list[tuple[int, etree._Element]] = []  # (level, div)
    container = None  # current list/listBibl
    for block in [b for b in blocks if b.kind != "chrome"]:
        if block.kind in ("head", "division") or not stack:
            level = block.level if block.kind == "head" else 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else body
            div = etree.SubElement(parent, tei("div"), type="section")
            if not stack and block.kind not in ("head", "division"):
                div.set("subtype", "lead")
            if block.kind == "division":
                div.set("resp", PIPELINE)
            stack.append((level, div))
            container = None
            if block.kind == "head":
                head = etree.SubElement(div, tei("head"))
                if block.inferred:
                    head.set("resp", PIPELINE)
                if block.subtype == "supplied":
                    head = etree.SubElement(head, tei("supplied"), reason="heading of the structured version")
                _fill(head, block.segs, None)
                continue
            if block.kind == "division":
                continue
        div = stack[-1][1]
        el = _block_element(div, block, container)
        container = el.getparent() if block.kind in ("item", "bibl") else None
        lang = _unit_language(block.text)
        if lang:
            el.set(XML_LANG, lang)
        if block.inferred:
            el.set("resp", PIPELINE)
        _fill(el, _trim(block.segs), lang)
    for div in body.iter(tei("div")):
        if len(div) == 0 or (len(div) == 1 and div[0].tag == tei("head")):
            etree.SubElement(div, tei("gap"), reason="no-content-in-source")


def _block_element(div: etree._Element, block: Block, container: etree._Element | None) -> etree._Element:
    wrapper = {"item": "list", "bibl": "listBibl"}.get(block.kind)
    if wrapper is None:
        return etree.SubElement(div, tei(block.kind))
    if (
        container is None
        or container.tag != tei(wrapper)
        or container.getparent() is not div
        or div[-1] is not container
    ):
        container = etree.SubElement(div, tei(wrapper))
    return etree.SubElement(container, tei(block.kind))


def _trim(segs: list[Seg]) -> list[Seg]:
    """Leading/trailing whitespace of a unit is layout, not text."""
    segs = list(segs)
    if segs and segs[0].kind == "text":
        segs[0] = Seg("text", segs[0].text.lstrip())
    if segs and segs[-1].kind == "text":
        segs[-1] = Seg("text", segs[-1].text.rstrip())
    return [s for s in segs if s.text or s.kind == "gap"]


# --- ids and history -----------------------------------------------------------------------


def _citable(root: etree._Element) -> list[etree._Element]:
    """Units that get ids: not a ``bibl`` inside a note (an inline citation is part of its paragraph)."""
    return unit_places(root.find("tei:text/tei:body", NS))


def apply_ids(root: etree._Element, previous: etree._Element | None, revision: int, today: str) -> dict:
    """Give every unit and section its permanent id; returns counts for the revision note."""
    history = _previous_history(previous)
    old_units = [OldUnit(u.id, u.kind, u.text) for u in citable_units(previous)] if previous is not None else []
    elements = _citable(root)
    new = [(etree.QName(el).localname, unit_text(el)) for el in elements]
    assignment = assign_ids(new, old_units, {r.get("n") for r in history["retired"]})
    for el, ident in zip(elements, assignment.ids):
        el.set(XML_ID, ident)
    _apply_section_ids(root, previous, history)
    standoff = etree.SubElement(root, tei("standOff"), type="paragraph-history")
    retired_list = etree.SubElement(standoff, tei("listAnnotation"), type="retired")
    for note in history["retired"]:
        retired_list.append(note)
    for r in assignment.retired:
        note = etree.SubElement(retired_list, tei("note"), type="retired", n=r.id, subtype=r.reason)
        note.set("ana", f"#{r.kind}")
        if r.successor:
            note.set("corresp", f"#{r.successor}")
        etree.SubElement(note, tei("date"), when=today).tail = r.text  # note has no @when in tei_all
    earlier = etree.SubElement(standoff, tei("listAnnotation"), type="earlier-texts")
    for note in history["earlier"]:
        earlier.append(note)
    for ident, text in sorted(assignment.changed.items(), key=lambda kv: _id_key(kv[0])):
        note = etree.SubElement(earlier, tei("note"), type="earlier-text", target=f"#{ident}", n=str(revision - 1))
        note.text = text
    for lst in (retired_list, earlier):
        if len(lst) == 0:
            standoff.remove(lst)
    if len(standoff) == 0:
        root.remove(standoff)
    return {
        "retired": len(assignment.retired),
        "changed": len(assignment.changed),
        "added": sum(1 for i in assignment.ids if i not in {u.id for u in old_units}),
    }


def _id_key(ident: str):
    m = re.match(r"([a-z]+)(\d+)", ident)
    return (m.group(1), int(m.group(2))) if m else (ident, 0)


def _previous_history(previous: etree._Element | None) -> dict:
    history = {"retired": [], "earlier": []}
    if previous is None:
        return history
    for note in previous.iterfind("tei:standOff[@type='paragraph-history']/tei:listAnnotation/tei:note", NS):
        history["retired" if note.get("type") == "retired" else "earlier"].append(_copy(note))
    return history


def _copy(el: etree._Element) -> etree._Element:
    import copy

    clone = copy.deepcopy(el)
    clone.tail = None
    return clone


def _apply_section_ids(root, previous, history) -> None:
    def label(div):
        head = div.find("tei:head", NS)
        if head is not None and not is_supplied(head):  # a supplied heading does not make the section
            return unit_text(head)
        first = next((el for el in div.iter(tei("p"), tei("item"), tei("bibl"))), None)
        return unit_text(first) if first is not None else ""

    divs = list(root.find("tei:text/tei:body", NS).iter(tei("div")))
    old = []
    if previous is not None:
        old = [
            OldUnit(d.get(XML_ID), "div", label(d))
            for d in previous.find("tei:text/tei:body", NS).iter(tei("div"))
            if d.get(XML_ID)
        ]
    assignment = assign_ids([("div", label(d)) for d in divs], old, {r.get("n") for r in history["retired"]})
    for div, ident in zip(divs, assignment.ids):
        div.set(XML_ID, ident)


# --- header --------------------------------------------------------------------------------


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tei(tag), **{k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def looks_like_wiki(source_text: str, structure: Structure) -> bool:
    """Wikipedia-derived text: wiki headings, maintenance markers or scraped wiki tooltips."""
    signals = (
        structure.title_source == "wiki-heading",
        bool(re.search(r"\[citation needed\]", source_text)),
        source_text.count("links=no") >= 2,
    )
    return any(signals)


def build_header(
    root, source: Source, structure: Structure, decisions: list[str], languages: list[str]
) -> etree._Element:
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", structure.title)
    resp_stmt = _sub(title_stmt, "respStmt")
    resp_stmt.set(XML_ID, "pipeline")
    _sub(resp_stmt, "resp", "Automatic conversion to TEI, structure recovery, noise marking and entity recognition")
    _sub(resp_stmt, "name", "Parallax pipeline")
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", "Parallax")
    availability = _sub(publication, "availability")
    if looks_like_wiki(source.text, structure):
        availability.set("status", "free")
        licence = _sub(availability, "licence", CC_BY_SA[1], target=CC_BY_SA[0])
        _sub(
            licence,
            "p",
            "The source is derived from a Wikipedia article (wiki headings, maintenance "
            "markers or scraped wiki link tooltips); Wikipedia text is licensed CC BY-SA. "
            "This TEI edition is distributed under the same licence.",
        )
    else:
        availability.set("status", "unknown")
        _sub(
            availability,
            "p",
            "Licence unknown: the source does not state one. Rights remain with the "
            "original publisher; this edition is for research use.",
        )
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(source_desc, "bibl")
    _sub(bibl, "title", structure.title)
    _sub(bibl, "idno", source.name, type="seed")
    _sub(bibl, "idno", source.sha256, type="sha256")
    extent = _sub(bibl, "extent")
    _sub(extent, "measure", f"{len(source.text.split())} words", unit="words", quantity=str(len(source.text.split())))
    _encoding_desc(header, structure, decisions)
    profile = _sub(header, "profileDesc")
    lang_usage = _sub(profile, "langUsage")
    names = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian"}
    for ident in languages:
        _sub(lang_usage, "language", names.get(ident, ident), ident=ident)
    return header


EDITORIAL_PRINCIPLES = {
    "normalization": [
        "The text is the source's, character for character; line ends are normalised to LF. "
        "List bullets ('- ', '*') and wiki heading marks ('=') are markup in the source and are "
        "encoded as list/item and div/head instead of being kept as characters; so are a wiki "
        "definition-list term mark ('::Term' in a reference list: a sub-heading) and wiki quote markup: "
        "two apostrophes around a passage are hi[@rend='italic'], three hi[@rend='bold'] (only where "
        "the marks pair up within a unit; unpaired marks stay characters).",
        "A source line break that is not a word space (a scraper's break at a link boundary, before "
        "punctuation, a closing bracket or quote, a one-letter suffix ('Republic␤s', 'Latvia␤n'), or after an opening bracket or quote) is "
        "lb[@break='no']: the reading text joins there and the source's exact characters stay recoverable "
        "(the space between a linked term and its tooltip is kept at the start of the gloss).",
    ],
    "correction": ["Nothing is corrected: errors of the source are kept as they are."],
    "interpretation": [
        "Inline citations that a scraper ran into the prose (author-date with pages, 'Mälksoo (2003), "
        "p. 193.'; or a reference glued to the end of a sentence, up to its pages, year, 'Retrieved ...' "
        "date, line break or the next sentence) are note[@type='citation'][@place='inline']/bibl: kept, "
        "shown as citations, not part of the reading text, never cut by a paragraph division. Wiki "
        "template and category code ({{...}}, [[Category:...]]; an unclosed {{ runs to the end of its "
        "unit) is note[@type='boilerplate'][@subtype='template']; a section's '[edit]' link is "
        "note[@type='boilerplate'][@subtype='edit-link']; a footnote mark whose note the source lost ('[7]') "
        "is note[@type='citation'][@subtype='footnote-mark']/ref. No paragraph is divided inside brackets "
        "or a quotation. In reference and list sections, bullet pieces that are only sub-heading words "
        "(Citations, Bibliography, Further reading) are headings; a list of bare titles in a prose section "
        "is that section's sub-headings (whose content the source lacks); entries run together on separate "
        "lines of one item are split where a line ends a reference (a year, pages) or a finished phrase. "
        'Such headings and entries carry resp="#pipeline".',
        "Noise is kept, never dropped, and never counts as the text: link tooltips that a scraper "
        "inserted after a linked term are note[@type='gloss'] (the linked term stays in the running "
        "text; a tooltip is recognised by its shape: a line that starts with the term, repeats or "
        "defines it, and ends with the truncation mark ' ...'); page chrome before the text (site "
        "name, navigation words, breadcrumbs) is note[@type='boilerplate'] in front; wiki maintenance "
        "markers such as [citation needed] are note[@type='editorial']; a section heading with no text "
        "after it in the source is followed by gap[@reason='no-content-in-source']. Where the scraper "
        "cut a tooltip's sentence short (the trailing ' ...'), the ' ...' is kept and followed by "
        "gap[@reason='truncated'].",
        "Passages in Cyrillic script are foreign[@xml:lang] (ru, or uk/be when letters only those "
        "languages use occur); a unit mostly in Cyrillic carries @xml:lang itself.",
        "Entity markup (persName, placeName, orgName, date) made by the pipeline carries "
        "@resp='#pipeline' and @cert; markup by annotators carries their own @resp and is never "
        "changed by a re-run. Every name links with @ref to one entry of register.xml; dates are "
        "normalised to ISO 8601 in @when or @from/@to. Marked only in the running text and in "
        "references (authors and editors as persons, imprint places and publishers), never inside "
        "notes or noise; not marked: names of events, treaties, awards, ships and titles of works, "
        "nor names or dates inside such titles (a place or a period in the title of a referenced "
        "book is not a mention; the year of its imprint is), "
        "nor adjectives and demonyms.",
    ],
    "hyphenation": ["Hyphens are kept as in the source."],
}


def _encoding_desc(header, structure: Structure, decisions: list[str]) -> None:
    encoding = _sub(header, "encodingDesc")
    project = _sub(encoding, "projectDesc")
    _sub(
        project,
        "p",
        "Parallax: a corpus of source texts converted to TEI P5 with named-entity and "
        "variant-reading markup, for reading, comparing and citing.",
    )
    editorial = _sub(encoding, "editorialDecl")
    for tag in ("correction", "normalization"):
        el = _sub(editorial, tag)
        for text in EDITORIAL_PRINCIPLES[tag]:
            _sub(el, "p", text)
    hyphen = _sub(editorial, "hyphenation", eol="none")
    _sub(hyphen, "p", EDITORIAL_PRINCIPLES["hyphenation"][0])
    segmentation = _sub(editorial, "segmentation")
    title_note = {
        "wiki-heading": "The title is the source's level-1 wiki heading.",
        "preamble": "The title is the last heading-like line before the text; the lines above it are page chrome.",
        "first-sentence": "The source has no title line; the title is supplied by the editor from "
        "the subject of the first sentence.",
    }[structure.title_source]
    _sub(segmentation, "p", title_note)
    _sub(
        segmentation,
        "p",
        "Headings (wiki '=' marks, or a short capitalised line without final "
        "punctuation standing alone) open sections (div[@type='section']); a heading followed at once "
        "by another opens a section that contains it. Each paragraph of the source is one unit, however "
        "long; the editor divides only a source without divisions (a flattened text), as stated here when "
        "it happens. Lines starting with a bullet "
        "are list items; under a heading such as Sources, References or Bibliography they are "
        "references (listBibl/bibl).",
    )
    for decision in decisions:
        _sub(segmentation, "p", decision)
    interpretation = _sub(editorial, "interpretation")
    for text in EDITORIAL_PRINCIPLES["interpretation"]:
        _sub(interpretation, "p", text)
    _sub(
        segmentation,
        "p",
        "Every head, p, item and bibl has a permanent xml:id (prefixes h, p, i, b; sections s). "
        "An id is never reused; when the source changes, units are matched to their predecessors by "
        "text similarity and keep their ids; retired ids are listed in standOff[@type='paragraph-history'] "
        "with what they said and their successor.",
    )
    _refs_decls(encoding)


#: The kinds of citable unit (``docs/tei-conventions.md``): citeType, and where they stand in a section.
UNIT_STRUCTURES = (("paragraph", "p"), ("heading", "head"), ("item", "list/item"), ("reference", "listBibl/bibl"))
#: Depth of sections the pipeline makes (a section, and a subsection opened by a heading without text).
SECTION_DEPTH = 2


def _refs_decls(encoding) -> None:
    """Two citation trees for DTS and other clients.

    The default tree is sections (nested as deep as the pipeline nests them) and their units,
    refs joined by '.' ("s2.p3"); the tree ``units`` cites every unit by its id alone ("p3"),
    which stays the same when a unit moves to another section.
    """
    refs = _sub(encoding, "refsDecl")
    parent, match, delim = refs, "/TEI/text/body/div", {}
    for _ in range(SECTION_DEPTH):
        parent = _sub(parent, "citeStructure", unit="section", match=match, use="@xml:id", **delim)
        _sub(parent, "citeData", property="http://purl.org/dc/terms/title", use="head")
        for unit, unit_match in UNIT_STRUCTURES:
            _sub(parent, "citeStructure", unit=unit, match=unit_match, use="@xml:id", delim=".")
        match, delim = "div", {"delim": "."}
    units = _sub(encoding, "refsDecl", n="units")
    for unit, unit_match in UNIT_STRUCTURES:
        _sub(units, "citeStructure", unit=unit, match=f"/TEI/text/body//{unit_match}", use="@xml:id")


def _revision_desc(header, previous, source: Source, today: str, counts: dict) -> int:
    """Keep the previous revisions; add one when the source changed. Returns the revision number."""
    revision = etree.SubElement(header, tei("revisionDesc"))
    old_changes = previous.findall("tei:teiHeader/tei:revisionDesc/tei:change", NS) if previous is not None else []
    for change in old_changes:
        revision.append(_copy(change))
    if previous is not None and previous_sha256(previous) == source.sha256 and old_changes:
        return int(old_changes[-1].get("n", len(old_changes)))
    number = len(old_changes) + 1
    change = etree.SubElement(revision, tei("change"), n=str(number), when=today, who=PIPELINE)
    if number == 1:
        change.text = f"Converted from the source file {source.name} (sha256 {source.sha256[:12]}…)."
    else:
        change.text = (
            f"Source changed (sha256 {source.sha256[:12]}…): {counts['added']} unit(s) added, "
            f"{counts['changed']} changed, {counts['retired']} retired."
        )
    return number


def previous_sha256(root: etree._Element) -> str | None:
    el = root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", NS)
    return el.text if el is not None else None


def seed_name(root: etree._Element) -> str | None:
    el = root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno[@type='seed']", NS)
    return el.text if el is not None else None


# --- the whole document --------------------------------------------------------------------


def build_document(
    source: Source,
    slug: str,
    previous: etree._Element | None = None,
    donors: Iterable[Donor] = (),
    stages: Iterable[Stage] = (),
    today: str | None = None,
    meta: WitnessMeta | None = None,
) -> etree._Element:
    """The TEI document for ``source``; ids continue those of ``previous``.

    ``meta`` is the editor's metadata for this witness; None keeps what
    ``previous`` had (a metadata row, even an empty one, replaces it)."""
    today = today or dt.date.today().isoformat()
    structure = recover(source.text)
    blocks, decisions = refine_blocks(structure, donors)
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_ID, slug)
    root.set(XML_LANG, "en")
    text_el = etree.Element(tei("text"))
    build_body(text_el, structure, blocks)
    languages = ["en"] + sorted({el.get(XML_LANG) for el in text_el.iter() if el.get(XML_LANG)} - {"en"})
    header = build_header(root, source, structure, decisions, languages)
    apply_metadata(root, header_metadata(previous) if meta is None else meta)
    root.append(text_el)
    _keep_notes_stmt(root, previous)
    revision_number = _pending_revision(previous, source)
    counts = apply_ids(root, previous, revision_number, today)
    _revision_desc(header, previous, source, today, counts)
    for stage in stages:
        stage(root, previous)
    return root


def _pending_revision(previous, source: Source) -> int:
    if previous is None:
        return 1
    changes = previous.findall("tei:teiHeader/tei:revisionDesc/tei:change", NS)
    same = previous_sha256(previous) == source.sha256
    return len(changes) if same else len(changes) + 1


def _keep_notes_stmt(root, previous) -> None:
    """Work membership (written by collate) survives re-ingest."""
    if previous is None:
        return
    notes = previous.find("tei:teiHeader/tei:fileDesc/tei:notesStmt", NS)
    if notes is not None:
        file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
        file_desc.find("tei:publicationStmt", NS).addnext(_copy(notes))


# --- many files ----------------------------------------------------------------------------


@dataclass
class IngestResult:
    source: str
    slug: str | None = None
    path: Path | None = None
    written: bool = False
    error: str | None = None


class Ingester:
    """Ingests source files into ``out_dir``, one TEI file per source.

    Files are processed structured-first so that a flattened version can borrow
    the divisions of a structured one. A bad source is reported and skipped;
    the others are still ingested and no existing TEI file is touched for it.
    """

    def __init__(
        self,
        out_dir: str | Path,
        stages: Iterable[Stage] = (),
        today: str | None = None,
        metadata: dict[str, WitnessMeta] | None = None,
        processes: int = 1,
        progress: Callable[[IngestResult], None] | None = None,
    ):
        self.out_dir = Path(out_dir)
        self.stages = list(stages)
        self.today = today
        self.metadata = metadata or {}  # source file name -> the editor's row
        #: Processes a stage may use for a batch (``prepare``): spaCy on every core.
        self.processes = processes
        self.progress = progress

    def run(self, paths: Iterable[str | Path]) -> list[IngestResult]:
        """Ingest ``paths``. Documents go in batches of about ``BATCH_WORDS`` words: each is built, then
        every stage runs over the batch (after its ``prepare``, if it has one), then the batch is written.

        The corpus lock is held throughout (slugs are chosen from the files present, and two runs must
        not give one slug to two texts); a caller whose stages read the register (``ingest``) takes it
        before reading it and keeps it until the register is written."""
        with corpus_lock(self.out_dir):
            return self._run(paths)

    def _run(self, paths: Iterable[str | Path]) -> list[IngestResult]:
        existing, results = self._existing(), []
        sources: list[tuple[Source, Structure]] = []
        for path in paths:
            try:
                source = read_source(path)
                sources.append((source, recover(source.text)))
            except SourceError as exc:
                results.append(self._done(IngestResult(source=str(path), error=str(exc))))
        used_slugs = {slug for slug, _ in existing.values()}
        donors = {slug: _donor(slug, parse_file(path)) for slug, path in existing.values()}
        for batch in _batches(sorted(sources, key=lambda s: (s[1].flat, s[0].name))):
            built = []
            for source, structure in batch:
                result = IngestResult(source=source.name)
                try:
                    slug, previous_path = existing.get(source.name, (None, None))
                    previous = parse_file(previous_path) if previous_path else None
                    meta = self.metadata.get(source.name)
                    if slug is None:
                        slug = new_slug(
                            meta.title if meta and meta.title else structure.title,
                            meta.siglum if meta else "",
                            used_slugs,
                        )
                    used_slugs.add(slug)
                    others = [d for s, d in donors.items() if s != slug]
                    root = build_document(source, slug, previous, others, (), self.today, meta)
                    result.slug, result.path = slug, self.out_dir / f"{slug}.xml"
                    donors[slug] = _donor(slug, root)  # stages mark words, they never change the text
                    built.append((result, previous, root))
                except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                    result.error = f"{source.name}: {_reason(exc)}"
                    results.append(self._done(result))
            results.extend(self._finish(built))
        return results

    def _finish(self, built) -> list[IngestResult]:
        """Run the stages over one batch of built documents and write them."""
        failed: set[int] = set()
        for stage in self.stages:
            if hasattr(stage, "prepare"):
                stage.prepare([root for _, _, root in built], self.processes)
            for k, (result, previous, root) in enumerate(built):
                if k in failed:
                    continue
                try:
                    stage(root, previous)
                except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                    result.error = f"{result.source}: {_reason(exc)}"
                    failed.add(k)
        for k, (result, _previous, root) in enumerate(built):
            if k not in failed:
                try:
                    result.written = write_atomic(result.path, serialize(root))
                except OSError as exc:  # a full disk: write_atomic left the earlier file as it was
                    reason = (exc.strerror or str(exc)).lower()
                    result.error = (
                        f"{result.source}: cannot write {result.path}: {reason}; it keeps its earlier content"
                    )
            self._done(result)
        return [result for result, _, _ in built]

    def _done(self, result: IngestResult) -> IngestResult:
        if self.progress:
            self.progress(result)
        return result

    def _existing(self) -> dict[str, tuple[str, Path]]:
        """seed file name -> (slug, TEI file) of documents already in ``out_dir``. Trees are parsed
        again when needed, so that memory does not hold the whole corpus."""
        found = {}
        for path in sorted(self.out_dir.glob("*.xml")):
            root = parse_file(path)  # a broken TEI file stops the run: its ids must not be lost
            name = seed_name(root)
            if name:
                found[name] = (root.get(XML_ID) or path.stem, path)
        return found


def _reason(exc: Exception) -> str:
    """What went wrong, for the report: the message, and for a bug in the pipeline where it happened."""
    if isinstance(exc, (ValueError, OSError)):
        return str(exc)
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"the pipeline failed ({type(exc).__name__}: {exc}, at {Path(where.filename).name}:{where.lineno}); please report it"


#: Words of sources built before the stages run over them together (bounds the memory spaCy's parses take).
BATCH_WORDS = 200_000


def _batches(sources: list[tuple[Source, Structure]]):
    """Consecutive runs of sources of about ``BATCH_WORDS`` words in all (a longer source alone)."""
    batch, words = [], 0
    for item in sources:
        size = len(item[0].text.split())
        if batch and words + size > BATCH_WORDS:
            yield batch
            batch, words = [], 0
        batch.append(item)
        words += size
    if batch:
        yield batch


def _donor(slug: str, root: etree._Element) -> Donor:
    units = [(u.kind, u.text, u.section_id) for u in citable_units(root) if u.kind != "head" and not u.inferred]
    return Donor(slug, units, divide.shingles(" ".join(text for _, text, _ in units)), _section_paths(root))


def _section_paths(root: etree._Element) -> dict[str, list[tuple[str, str, int]]]:
    """section id -> (id, heading, level) of it and its enclosing sections, outermost first."""
    paths = {}
    for div in root.find("tei:text/tei:body", NS).iter(tei("div")):
        if not div.get(XML_ID):
            continue
        chain = [div, *[a for a in div.iterancestors(tei("div")) if a.get(XML_ID)]][::-1]
        path = []
        for level, d in enumerate(chain, 1):
            head = d.find("tei:head", NS)
            supplied = head is not None and head.get("resp") == PIPELINE and head.find("tei:supplied", NS) is not None
            path.append((d.get(XML_ID), unit_text(head) if head is not None and not supplied else "", level))
        paths[div.get(XML_ID)] = path
    return paths


def new_slug(title: str, siglum: str, used: set[str]) -> str:
    """Slug of a new document: from its title; when taken, title and siglum; else ``-2``, ``-3``…

    Given once, a slug stays with its source file whatever its title becomes."""
    slug = slugify(title)
    if slug[:1].isdigit():  # a document's slug is its root's xml:id, which must begin with a letter
        slug = f"text-{slug}"
    slug = unreserved(slug)  # a text titled "Register" must not be written over register.xml
    if slug in used and siglum:
        slug = f"{slug}-{slugify(siglum)}"
    return _unique(slug, used)


def _unique(slug: str, used: set[str]) -> str:
    if slug not in used:
        return slug
    n = 2
    while f"{slug}-{n}" in used:
        n += 1
    return f"{slug}-{n}"
