"""Works and events as entity kinds, on a real letter that mentions both (Schnitzler to Hofmannsthal,
January 1893, tests/data/foreign/schnitzler-L00155.xml, CC BY 4.0): import, register, tei_all,
load, reading view, entity page, exports and DTS."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.entities.models import Entity
from reader.tei.foreign import ForeignImporter
from reader.tei.validate import validate_file
from reader.tei.xml import NS, parse_file
from reader.texts.loader import CorpusLoader
from reader.texts.models import Mention

LETTER = Path(__file__).parent / "data" / "foreign" / "schnitzler-L00155.xml"


def _import(tmp_path) -> Path:
    out = tmp_path / "tei"
    (report,) = ForeignImporter(out, tmp_path / "sources", validate=False).run([LETTER])
    assert report.ok, report.error
    return out


def test_the_letters_works_and_events_reach_the_register_and_stay_valid_tei(tmp_path):
    out = _import(tmp_path)
    register = parse_file(out / "register.xml")
    works = {b.findtext("tei:title", namespaces=NS): b for b in register.iterfind(".//tei:listBibl/tei:bibl", NS)}
    events = {e.findtext("tei:label", namespaces=NS): e for e in register.iterfind(".//tei:listEvent/tei:event", NS)}
    # the letter's own listBibl/listEvent, named by title[@type='main'] and eventName
    assert "»Anatol« von Arthur Schnitzler" in works and "Wiener Sonn- und Montagszeitung" in works
    assert "Juristenball, 11.1.1893" in events
    assert all(w.get("{http://www.w3.org/XML/1998/namespace}id").startswith("wrk-") for w in works.values())
    # a work's bibliographic reference and its link are descriptions, not names
    assert not any(t.get("type") for w in works.values() for t in w.iterfind("tei:title", NS))
    letter = parse_file(out / "L00155.xml")
    marked = {(rs.get("type"), rs.get("ref", "").split("#")[0]) for rs in letter.iterfind(".//tei:body//tei:rs", NS)}
    assert ("work", "register.xml") in marked and ("event", "register.xml") in marked
    assert validate_file(out / "register.xml") == [] and validate_file(out / "L00155.xml") == []


@pytest.mark.django_db
def test_works_and_events_load_with_their_pages_exports_and_dts(client, tmp_path):
    assert CorpusLoader(_import(tmp_path)).run().failed == []
    ball = Entity.objects.get(kind="event", name="Juristenball, 11.1.1893")
    mention = Mention.objects.get(entity=ball)
    assert mention.kind == "event" and mention.surface == "Ball"
    works = Mention.objects.filter(kind="work", entity__isnull=False)
    assert works.count() >= 2
    work = works.select_related("entity").first().entity

    reading = client.get("/texts/L00155/").content.decode()
    assert 'class="ent ent-event"' in reading and 'class="ent ent-work"' in reading
    assert f'href="/entities/{ball.xml_id}/"' in reading

    page = client.get(f"/entities/{ball.xml_id}/")
    assert page.status_code == 200
    assert "Event" in page.content.decode() and "/texts/L00155/" in page.content.decode()
    assert client.get("/entities/?kind=work").content.decode().count(work.name) >= 1

    rows = list(csv.reader(io.StringIO(client.get("/api/register.csv").content.decode("utf-8-sig"))))
    kinds = {row[0]: row[1] for row in rows[1:]}
    assert kinds[ball.xml_id] == "event" and kinds[work.xml_id] == "work"
    mentions_csv = client.get("/api/texts/L00155/mentions.csv").content.decode("utf-8-sig")
    assert ball.xml_id in mentions_csv and work.xml_id in mentions_csv

    annotations = json.loads(client.get("/api/texts/L00155/annotations.jsonld").content)
    items = annotations.get("first", annotations).get("items", [])
    tags = {b["value"] for a in items for b in a["body"] if b.get("purpose") == "tagging"}
    assert {"work", "event"} <= tags

    register_xml = client.get("/register.xml").content.decode()
    assert f'<event xml:id="{ball.xml_id}"' in register_xml and f'<bibl xml:id="{work.xml_id}"' in register_xml

    dts = json.loads(client.get("/api/dts/collection/?id=L00155").content)
    listed = dts["extensions"]
    assert any(e["name"] == ball.name for e in listed["http://www.tei-c.org/ns/1.0/listEvent"])
    assert any(e["name"] == work.name for e in listed["http://www.tei-c.org/ns/1.0/listBibl"])
