"""Coordinates for the register's places that have none: from the place's GeoNames id, else from its
canonical name in the gazetteer (``places.tsv``, the most populous place of that name), written as
``location[@resp='#pipeline']/geo`` with ``@source`` naming the GeoNames record and ``@cert`` saying how
sure the match is. A place the gazetteer does not know (a sea, a region) stays without a point; a
location an editor or an imported register gave is never touched.
"""

from __future__ import annotations

from lxml import etree

from ..vocabulary import PIPELINE
from ..xml import NS, tei
from .places import coordinates, known_place
from .register import Register

GEONAMES = "https://www.geonames.org/{}"


def locate_places(register: Register) -> list[str]:
    """Give each place entry without a location the gazetteer's point; returns the ids located."""
    located = []
    for entry in register.entries.values():
        if entry.kind != "place" or entry.element.find("tei:location", NS) is not None:
            continue
        found = _point(entry)
        if found is not None:
            gid, (lat, lon), cert = found
            location = etree.Element(tei("location"), resp=PIPELINE, cert=cert, source=GEONAMES.format(gid))
            etree.SubElement(location, tei("geo")).text = f"{lat:.4f} {lon:.4f}"
            _insert_after_names(entry.element, location)
            located.append(entry.id)
    return located


def _point(entry) -> tuple[str, tuple[float, float], str] | None:
    """(GeoNames id, point, certainty): by the entry's own GeoNames id, else by its canonical name."""
    idno = entry.element.find("tei:idno[@type='geonames']", NS)
    if idno is not None and idno.text and coordinates(idno.text.strip()):
        return idno.text.strip(), coordinates(idno.text.strip()), "high"
    place = known_place(entry.canonical)
    if place is not None and coordinates(place.geonameid):
        return place.geonameid, coordinates(place.geonameid), "high" if place.kind == "country" else "medium"
    return None


def _insert_after_names(entry: etree._Element, location: etree._Element) -> None:
    """TEI's ``place`` content puts names first, then ``location``, ``idno`` and notes in any order."""
    names = [child for child in entry if isinstance(child.tag, str) and child.tag.endswith("Name")]
    if names:
        names[-1].addnext(location)
    else:
        entry.insert(0, location)
