"""Paragraph division: the recovered structure refined into the blocks a TEI body is made of, a flat text
divided by a structured version of it (a donor) where one resembles it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from lxml import etree

from .. import divide
from ..document import citable_units, unit_text
from ..inline import Seg
from ..structure import LAYOUT_RULES, LIST_HEADINGS, BIBLIOGRAPHY_HEADINGS, Block, Structure, heading_like
from ..vocabulary import PIPELINE
from ..xml import NS, XML_ID, tei

#: Share of the flat text's shingles that a structured text must contain to lend its structure.
MIN_RESEMBLANCE = 0.3


@dataclass
class Donor:
    """A structured version that a flat text can borrow its divisions from."""

    slug: str
    units: list[tuple[str, str, str | None]]  # (kind, text, section id)
    shingles: set[int] = field(default_factory=set)
    #: section id -> the sections it lies in, outermost first: (id, heading, level)
    headings: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


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


def donor(slug: str, root: etree._Element) -> Donor:
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
