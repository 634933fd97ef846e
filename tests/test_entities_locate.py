"""Places of the register get a point from the GeoNames gazetteer (issue 21 item 6: a map of the
seeds' places): by their GeoNames id, else by name, marked as the pipeline's, never over an editor's."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from reader.tei.entities.locate import locate_places
from reader.tei.entities.register import Register
from reader.tei.xml import NS, XML_ID, parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"


def _register() -> Register:
    register = Register.from_bytes(b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
      <titleStmt><title>r</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>
      </fileDesc></teiHeader><standOff>
      <listPlace>
        <place xml:id="pla-riga"><placeName>Riga</placeName></place>
        <place xml:id="pla-x"><placeName>Nowhere Bay</placeName><idno type="geonames">2950159</idno></place>
        <place xml:id="pla-estonia"><placeName>Estonia</placeName></place>
        <place xml:id="pla-given"><placeName>Paris</placeName><location><geo>1.5 2.5</geo></location></place>
        <place xml:id="pla-sea"><placeName>Baltic Sea</placeName></place>
      </listPlace>
      <listPerson><person xml:id="per-riga"><persName>Riga</persName></person></listPerson>
      </standOff></TEI>""")
    return register


def _point(register: Register, ident: str):
    location = register.entries[ident].element.find("tei:location", NS)
    return None if location is None else (dict(location.attrib), location.findtext("tei:geo", namespaces=NS))


def test_places_are_located_by_geonames_id_then_by_name_and_marked_as_guesses():
    register = _register()
    assert sorted(locate_places(register)) == ["pla-estonia", "pla-riga", "pla-x"]
    attrs, geo = _point(register, "pla-riga")
    lat, lon = map(float, geo.split())
    assert abs(lat - 56.95) < 0.1 and abs(lon - 24.11) < 0.1  # Riga, Latvia
    assert attrs == {"resp": "#pipeline", "cert": "medium", "source": "https://www.geonames.org/456172"}
    attrs, geo = _point(register, "pla-x")  # its own GeoNames id (Berlin) wins over its name
    assert attrs["source"].endswith("/2950159") and attrs["cert"] == "high" and geo.startswith("52.5")
    attrs, geo = _point(register, "pla-estonia")  # a country: the centre of its outline, inside Estonia
    lat, lon = map(float, geo.split())
    assert 57.5 < lat < 59.7 and 21.7 < lon < 28.2 and attrs["cert"] == "high"
    assert _point(register, "pla-given") == ({}, "1.5 2.5")  # an editor's point is left alone
    assert _point(register, "pla-sea") is None  # the gazetteer has no seas: no invented point
    assert register.entries["per-riga"].element.find("tei:location", NS) is None
    assert locate_places(register) == []  # a second run changes nothing


def test_the_seeds_register_locates_its_countries_and_cities_and_stays_valid():
    from reader.tei.validate import tei_all

    root = parse_file(CORPUS / "register.xml")
    located = {
        place.get(XML_ID): place.find("tei:location", NS)
        for place in root.iterfind(".//tei:listPlace/tei:place", NS)
        if place.find("tei:location", NS) is not None
    }
    assert {"pla-latvia", "pla-riga", "pla-estonia", "pla-lithuania"} <= set(located)
    assert all(loc.get("resp") == "#pipeline" and loc.get("source") for loc in located.values())
    schema = tei_all()
    assert schema.validate(etree.ElementTree(root)), schema.error_log.last_error
