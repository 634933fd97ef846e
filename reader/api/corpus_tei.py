"""The TEI the API reads, built from the database without the exporter's full work.

``structure_tree`` fills a document's skeleton with its header and every unit as loaded
(``Paragraph.tei``): structure, ids and text are current, which is all navigation needs.
``refresh_units`` then rebuilds, with the exporter's own function, just the units a Document
answer returns, so that their entity markup includes the annotators' latest changes.
"""

from __future__ import annotations

from lxml import etree

from reader.tei.xml import XML_ID, parse_bytes
from reader.texts.exporter import mention_data, paragraph_element
from reader.tei.parsing import px
from reader.tei.writing import fill


def structure_tree(document) -> etree._Element:
    """The document's TEI with units as loaded (two queries: the file is select_related by the caller)."""
    root = parse_bytes(document.file.skeleton.encode("utf-8"), document.file.path)
    header = root.find(px("header"))
    if header is not None:
        fill(header, parse_bytes(document.tei_header.encode("utf-8"), f"{document.slug} header"))
    units = dict(document.paragraphs.values_list("xml_id", "tei"))
    for placeholder in list(root.iter(px("unit"))):
        xml = units.get(placeholder.get("ref"))
        fill(
            placeholder, parse_bytes(xml.encode("utf-8"), f"{document.slug}#{placeholder.get('ref')}") if xml else None
        )
    for placeholder in list(root.iter(px("history"))):
        fill(placeholder, None)
    return root


def refresh_units(document, root: etree._Element) -> None:
    """Rebuild every unit inside ``root`` from the database, with its current mentions (two queries)."""
    placed = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    paragraphs = {p.xml_id: p for p in document.paragraphs.filter(xml_id__in=list(placed)).select_related("document")}
    mentions: dict[int, list] = {}
    for m in (
        document.mentions.filter(paragraph__in=[p.id for p in paragraphs.values()])
        .select_related("entity")
        .order_by("paragraph_id", "start")
    ):
        mentions.setdefault(m.paragraph_id, []).append(mention_data(m))
    for xml_id, paragraph in paragraphs.items():
        fill(placed[xml_id], paragraph_element(paragraph, mentions.get(paragraph.id, [])))


def passage_tree(document, first_id: str, last_id: str):
    """The skeleton with its header and only the units from ``first_id`` to ``last_id`` (with what
    they contain) filled in, and the elements of both; None if either is not an element of the
    skeleton (then the caller resolves the citation tree on the whole document)."""
    root = parse_bytes(document.file.skeleton.encode("utf-8"), document.file.path)
    elements = list(root.iter())
    position = {el: n for n, el in enumerate(elements)}
    found = {}
    for el in elements:
        key = el.get("ref") if el.tag == px("unit") else el.get(XML_ID)
        if key in (first_id, last_id) and key not in found:
            found[key] = el
    if first_id not in found or last_id not in found:
        return None
    first, last = found[first_id], found[last_id]
    end = position[last] + sum(1 for _ in last.iterdescendants())
    needed = [el for el in elements[position[first] : end + 1] if el.tag == px("unit")]
    units = dict(document.paragraphs.filter(xml_id__in=[el.get("ref") for el in needed]).values_list("xml_id", "tei"))
    filled = {}
    for placeholder in needed:
        xml = units.get(placeholder.get("ref"))
        element = parse_bytes(xml.encode("utf-8"), f"{document.slug}#{placeholder.get('ref')}") if xml else None
        fill(placeholder, element)
        filled[placeholder] = element
    header = root.find(px("header"))
    if header is not None:
        fill(header, parse_bytes(document.tei_header.encode("utf-8"), f"{document.slug} header"))
    first, last = filled.get(first, first), filled.get(last, last)
    if first is None or last is None:
        return None
    return root, first, last
