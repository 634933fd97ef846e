"""A foreign file's ``facsimile`` kept in the corpus's TEI: pages, their images and zones.

``facsimile``, ``surfaceGrp``, ``surface``, ``graphic`` and ``zone`` are copied with the
attributes that say where an image is and what part of it a zone covers (their ``xml:id``s
too, which the text's ``@facs`` point to); anything else inside a facsimile (descriptions,
elements of other namespaces) is left out and counted. The reader shows the pages beside
the text (:mod:`reader.tei.facsimile`).
"""

from __future__ import annotations

from lxml import etree

from ..xml import NS, XML_ID, XML_LANG, tei
from .report import FileReport

KEPT = {"facsimile", "surfaceGrp", "surface", "graphic", "zone"}
ATTRIBUTES = {
    XML_ID,
    XML_LANG,
    "n",
    "type",
    "subtype",
    "rend",
    "url",
    "mimeType",
    "width",
    "height",
    "scale",
    "ulx",
    "uly",
    "lrx",
    "lry",
    "points",
    "rotate",
    "start",
}


def kept_facsimiles(foreign_root: etree._Element, report: FileReport) -> list[etree._Element]:
    """Copies of the file's ``facsimile`` elements (empty list when it has none or none kept content)."""
    kept = []
    for facsimile in foreign_root.findall("tei:facsimile", NS):
        copy = _copy(facsimile, report)
        if copy is not None and len(copy):
            kept.append(copy)
            report.mapped["facsimile (pages, images, zones) -> facsimile"] += 1
    return kept


def _copy(el: etree._Element, report: FileReport) -> etree._Element | None:
    name = etree.QName(el).localname if isinstance(el.tag, str) else ""
    if not name or el.tag != tei(name) or name not in KEPT:
        report.dropped[f"{name or 'comment'} in facsimile"] += 1
        return None
    out = etree.Element(tei(name))
    for key, value in el.attrib.items():
        if key in ATTRIBUTES:
            out.set(key, value)
        else:
            report.dropped[f"@{etree.QName(key).localname} on {name}"] += 1
    for child in el:
        copy = _copy(child, report)
        if copy is not None:
            out.append(copy)
    return out
