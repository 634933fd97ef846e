"""The mentions a TEI document already holds, unit by unit: what the stage keeps, learning learns from
and training trains on.

* :func:`recognition_units` — the innermost citable elements with an ``@xml:id`` outside noise (the units whose
  text recognition reads);
* :func:`inside_noise` and :func:`unit_language` — where a mention sits and in which language;
* :func:`collect_human_mentions` — the mentions not made by the pipeline, by unit id and text span.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..document import unit_elements
from ..textmap import TextMap, element_span
from ..vocabulary import MENTION_TAGS, NOISE_TAGS, PIPELINE
from ..xml import NS, XML_ID, XML_LANG

#: How a mention's ``@ref`` points into the register.
REF_PREFIX = "register.xml#"


@dataclass(frozen=True)
class HumanMention:
    """A mention made or confirmed by a person, to be carried over unchanged."""

    unit_id: str
    start: int
    end: int
    text: str
    tag: str  # Clark name
    attrib: tuple[tuple[str, str], ...]


def recognition_units(root: etree._Element) -> list[etree._Element]:
    """The document's units (the one rule, :func:`reader.tei.document.unit_elements`)."""
    return unit_elements(root.find("tei:text/tei:body", NS))


def inside_noise(el: etree._Element, unit: etree._Element) -> bool:
    for a in el.iterancestors():
        if a is unit:
            return False
        if a.tag in NOISE_TAGS:
            return True
    return False


def unit_language(unit: etree._Element) -> str | None:
    for el in (unit, *unit.iterancestors()):
        if el.get(XML_LANG):
            return el.get(XML_LANG).split("-")[0]
    return None


def is_human(el: etree._Element) -> bool:
    return el.get("resp") != PIPELINE


def collect_human_mentions(root: etree._Element) -> list[HumanMention]:
    """Mentions not made by the pipeline, by unit id and span of the unit's text."""
    found = []
    for unit in recognition_units(root):
        mentions = [el for el in unit.iter(*MENTION_TAGS) if is_human(el) and not inside_noise(el, unit)]
        if not mentions:
            continue
        tmap = TextMap(unit)
        for el in mentions:
            span = element_span(tmap, el)
            if span is None:
                continue
            start, end = span
            found.append(
                HumanMention(unit.get(XML_ID), start, end, tmap.text[start:end], el.tag, tuple(el.attrib.items()))
            )
    return found
