"""Plain-data view of a Parallax TEI document (see docs/tei-conventions.md).

Collation, the site loader and the tests read documents through these
functions, so the rule for "what is the text of a paragraph" lives here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

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


def walk_text(el: etree._Element, skip=NOISE_TAGS) -> Iterator[tuple[str, etree._Element]]:
    """The one text walker: ``(event, element)`` in reading order through ``el``.

    ``("start", e)``: ``e.text`` comes next (it may be empty); ``("tail", c)``: ``c.tail`` (only when
    there is one), after the content of ``c``; ``("end", e)``: ``e``'s content is over. Elements whose
    tag is in ``skip`` (noise by default) are passed over with their content, though not their tail;
    comments and processing instructions are never text (their tails are).
    """
    yield "start", el
    for child in el:
        if isinstance(child.tag, str) and child.tag not in skip:
            yield from walk_text(child, skip)
        if child.tail:
            yield "tail", child
    yield "end", el


def element_text(el: etree._Element) -> str:
    """The text of ``el`` without noise elements (:func:`walk_text`), its whitespace as it stands."""
    return "".join(
        (node.text or "") if event == "start" else node.tail for event, node in walk_text(el) if event != "end"
    )


def unit_text(el: etree._Element) -> str:
    """The one rule for a unit's text: :func:`element_text`, whitespace collapsed."""
    return _SPACE.sub(" ", element_text(el)).strip()


def body(root: etree._Element) -> etree._Element:
    found = root.find("tei:text/tei:body", NS)
    if found is None:
        raise ValueError("TEI document has no text/body")
    return found


def is_unit_place(el: etree._Element) -> bool:
    """A citable element (``CITABLE_TAGS``) in no noise element and in no other citable element: a
    unit once it has an xml:id (ingest and ``load`` give one to each that has none)."""
    return el.tag in CITABLE_TAGS and not any(a.tag in NOISE_TAGS or a.tag in CITABLE_TAGS for a in el.iterancestors())


def is_unit(el: etree._Element) -> bool:
    """The one rule for what a unit is (a paragraph the reader shows, cites, collates and annotates):
    a unit place (:func:`is_unit_place`) with an xml:id.

    A citable element inside another (a ``bibl`` cited in a paragraph, a ``p`` in a list ``item``)
    is part of that unit's text, not a unit of its own."""
    return el.get(XML_ID) is not None and is_unit_place(el)


def unit_places(container: etree._Element | None) -> list[etree._Element]:
    """The unit places (:func:`is_unit_place`) in ``container`` (a body), with an id or not, in document order."""
    if container is None:
        return []
    return [el for el in container.iter(*CITABLE_TAGS) if is_unit_place(el)]


def unit_elements(container: etree._Element | None) -> list[etree._Element]:
    """The units (:func:`is_unit`) in ``container`` (a body), in document order."""
    return [el for el in unit_places(container) if el.get(XML_ID) is not None]


def citable_units(root: etree._Element) -> list[Unit]:
    """All units of the body (:func:`is_unit`), in document order, as plain data."""
    units = []
    for el in unit_elements(body(root)):
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


def doc_slug(root: etree._Element) -> str:
    return root.get(XML_ID)


def doc_title(root: etree._Element) -> str:
    title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    return unit_text(title) if title is not None else doc_slug(root)
