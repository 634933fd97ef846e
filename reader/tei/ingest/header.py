"""The TEI header: title, source, licence, editorial principles, citation structure and the revision
history, as ingest writes them (the editor's metadata is ``reader.tei.metadata``)."""

from __future__ import annotations

import re

from lxml import etree

from ..source import Source
from ..structure import Structure
from ..vocabulary import PIPELINE
from ..xml import NS, XML_ID, tei
from .history import detached_copy

CC_BY_SA = ("https://creativecommons.org/licenses/by-sa/4.0/", "Creative Commons Attribution-ShareAlike 4.0")


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


def revision_desc(header, previous, source: Source, today: str, counts: dict) -> int:
    """Keep the previous revisions; add one when the source changed. Returns the revision number."""
    revision = etree.SubElement(header, tei("revisionDesc"))
    old_changes = previous.findall("tei:teiHeader/tei:revisionDesc/tei:change", NS) if previous is not None else []
    for change in old_changes:
        revision.append(detached_copy(change))
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
