"""Plain-data view of a Parallax TEI document (see docs/tei-conventions.md).

Collation, the site loader and the tests read documents through these
functions, so the rule for "what is the text of a paragraph" lives here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .vocabulary import CITABLE_TAGS, NOISE_TAGS, PIPELINE
from .xml import NS, XML_ID, XML_LANG, tei

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    """One citable unit (paragraph, heading, list item or reference)."""

    id: str
    kind: str  # "head" | "p" | "item" | "bibl"
    section_id: str | None
    text: str
    lang: str | None
    inferred: bool  # the editor, not the source, made its boundaries
    supplied: bool = False  # a heading the editor supplied (``head/supplied``): not the source's text


def unit_text(el: etree._Element) -> str:
    """Text of ``el`` without noise elements, whitespace collapsed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag not in NOISE_TAGS:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _SPACE.sub(" ", "".join(parts)).strip()


def body(root: etree._Element) -> etree._Element:
    found = root.find("tei:text/tei:body", NS)
    if found is None:
        raise ValueError("TEI document has no text/body")
    return found


def citable_units(root: etree._Element) -> list[Unit]:
    """All citable units of the body, in document order."""
    units = []
    for el in body(root).iter(*CITABLE_TAGS):
        if el.get(XML_ID) is None or _inside_noise(el):
            continue
        section = next((a for a in el.iterancestors(tei("div")) if a.get(XML_ID)), None)
        lang = next((a.get(XML_LANG) for a in [el, *el.iterancestors()] if a.get(XML_LANG)), None)
        units.append(
            Unit(
                id=el.get(XML_ID),
                kind=etree.QName(el).localname,
                section_id=section.get(XML_ID) if section is not None else None,
                text=unit_text(el),
                lang=lang,
                inferred=el.get("resp") == PIPELINE,
                supplied=is_supplied(el),
            )
        )
    return units


def is_supplied(el: etree._Element) -> bool:
    """A unit whose whole content the editor supplied (``<head><supplied>…</supplied></head>``)."""
    return (
        len(el) == 1 and el[0].tag == tei("supplied") and not (el.text or "").strip() and not (el[0].tail or "").strip()
    )


def _inside_noise(el: etree._Element) -> bool:
    return any(a.tag in NOISE_TAGS for a in el.iterancestors())


def doc_slug(root: etree._Element) -> str:
    return root.get(XML_ID)


def doc_title(root: etree._Element) -> str:
    title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    return unit_text(title) if title is not None else doc_slug(root)
