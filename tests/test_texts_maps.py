"""The entity index (grouped by kind, paged, filtered), the map of places and the timeline of dates,
on the seeds' corpus with coordinates added to its register, and coordinates kept by load → export."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape
from lxml import etree

from reader.entities.models import Entity
from reader.tei.parsing import TEIError
from reader.texts.exporter import CorpusExporter
from reader.texts.loader import CorpusLoader
from reader.texts.models import CorpusFile, Mention
from reader.texts.views import entities as entity_views
from reader.texts.views import maps

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: A place's name made hostile, to see it escaped on every page.
HOSTILE = 'Riga <script>alert("x")</script> & Co'


def add_coordinates(register: Path) -> dict[str, tuple[float, float, str]]:
    """Give every other place of the register a ``location/geo`` of the test's own (and one a hostile
    name), the others none (the points the pipeline found in the gazetteer are taken out);
    returns id -> (lat, lon, name) of the places given coordinates."""
    tree = etree.parse(str(register))
    given = {}
    for i, place in enumerate(tree.iterfind(".//tei:listPlace/tei:place", NS)):
        for found in place.findall("tei:location", NS):
            place.remove(found)
        if i % 2:
            continue
        lat, lon = round(54.0 + i * 0.05, 4), round(21.0 + i * 0.07, 4)
        location = etree.Element(f"{{{TEI}}}location")
        etree.SubElement(location, f"{{{TEI}}}geo").text = f"{lat} {lon}"
        names = place.findall("tei:placeName", NS)
        names[-1].addnext(location)
        if not given:
            names[0].text = HOSTILE
        given[place.get(XML_ID)] = (lat, lon, names[0].text)
    tree.write(str(register), encoding="utf-8", xml_declaration=True)
    return given


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeds' corpus, its register's places given coordinates, loaded once."""
    src = tmp_path_factory.mktemp("corpus") / "tei"
    shutil.copytree(CORPUS, src)
    given = add_coordinates(src / "register.xml")
    with django_db_blocker.unblock():
        report = CorpusLoader(src).run()
        assert report.failed == []
        yield src, given
        loader = CorpusLoader(src)
        for corpus_file in CorpusFile.objects.all():
            loader.remove_file(corpus_file)
        Entity.objects.all().delete()


@pytest.fixture
def client(corpus, django_db_blocker):
    with django_db_blocker.unblock():
        yield Client()


def canonical(path: Path) -> bytes:
    return etree.tostring(etree.parse(str(path)), method="c14n2")


# --------------------------------------------------------------------------- entity index


def listed(html: str, kind: str) -> list[str]:
    """The names listed in the index's section of ``kind``."""
    section = re.search(rf'<section aria-labelledby="kind-{kind}".*?</section>', html, re.S)
    return re.findall(r'<a class="ent ent-\w+" href="[^"]+">([^<]*)</a>', section[0]) if section else []


def test_index_groups_kinds_with_counts(client):
    html = client.get("/entities/").content.decode()
    for kind in ("person", "place", "org"):
        marked = Entity.objects.filter(kind=kind, mentions__isnull=False).distinct().count()
        assert marked > 0
        assert re.search(rf'data-kind="{kind}">[^<]+</a> <span class="count">\({marked}\)</span>', html), kind
        assert len(listed(html, kind)) == min(marked, entity_views.INDEX_PER_PAGE)
    dates = Mention.objects.filter(kind="date").values("when", "date_from", "date_to").distinct().count()
    assert re.search(rf'data-kind="date">Date</a> <span class="count">\({dates}\)</span>', html)
    assert '<h2 id="kind-date">' in html


def test_index_pages_each_kind_on_its_own(client, monkeypatch):
    monkeypatch.setattr(entity_views, "INDEX_PER_PAGE", 5)
    names = sorted(
        Entity.objects.filter(kind="person", mentions__isnull=False).distinct().values_list("name", "xml_id"),
    )
    first = client.get("/entities/").content.decode()
    second = client.get("/entities/?person_page=2").content.decode()
    assert listed(first, "person") == [n for n, _ in names[:5]]
    assert listed(second, "person") == [n for n, _ in names[5:10]]
    assert listed(second, "place") == listed(first, "place")  # the other kinds stay on their first page
    assert 'href="?person_page=3"' in second and 'href="?person_page=1"' in second


@pytest.mark.parametrize("query", ["person_page=²", "place_page=-1", "date_page=99999999999", "kind=<b>"])
def test_index_refuses_bad_parameters_naming_them(client, query):
    response = client.get(f"/entities/?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert f"'{name}'" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")  # the value echoed is never read as HTML


def test_index_filters_by_name_and_kind(client):
    entity = Entity.objects.filter(kind="org", mentions__isnull=False).first()
    word = entity.name.split()[0][:4].lower()
    html = client.get("/entities/", {"q": word}).content.decode()
    expected = {e.name for e in Entity.objects.filter(kind="org", mentions__isnull=False) if word in e.name.lower()}
    assert entity.name in expected
    assert expected <= set(listed(html, "org"))
    for kind in ("person", "place", "org"):
        assert all(word in n.lower() or _variant_matches(n, word) for n in listed(html, kind))
    only = client.get("/entities/", {"q": word, "kind": "org"}).content.decode()
    assert set(listed(only, "org")) == set(listed(html, "org"))
    assert 'id="kind-person"' not in only and 'id="kind-place"' not in only
    assert f'value="{word}"' in only and '<option value="org" selected>' in only


def _variant_matches(name: str, word: str) -> bool:
    return Entity.objects.filter(name=name, names__name__icontains=word).exists()


def test_index_escapes_names_and_the_query(client):
    html = client.get("/entities/", {"q": "<script>"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert listed(html, "place") == ["Riga &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"]
    found = client.get("/entities/", {"q": "Riga <script>"}).content.decode()
    assert "Riga &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in found


# --------------------------------------------------------------------------- map


def test_map_json_lists_every_place_with_coordinates(client, corpus):
    _, given = corpus
    response = client.get("/map/places.json")
    assert response["Content-Type"] == "application/json"
    places = {p["id"]: p for p in json.loads(response.content)["places"]}
    assert set(places) == set(given)
    for xml_id, (lat, lon, name) in given.items():
        assert (places[xml_id]["lat"], places[xml_id]["lon"], places[xml_id]["name"]) == (lat, lon, name)
        assert places[xml_id]["url"] == f"/entities/{xml_id}/"
        assert places[xml_id]["mentions"] == Mention.objects.filter(entity__xml_id=xml_id).count()


def test_map_of_a_document_lists_the_places_it_mentions(client, corpus):
    src, given = corpus
    path = src / "soviet-partisans-in-latvia.xml"
    root = etree.parse(str(path)).getroot()
    refs = {el.get("ref").rsplit("#", 1)[-1] for el in root.iterfind(".//tei:text//tei:placeName[@ref]", NS)}
    slug = root.get(XML_ID)
    places = json.loads(client.get("/map/places.json", {"document": slug}).content)["places"]
    assert {p["id"] for p in places} == refs & set(given)
    assert refs & set(given)  # the check is not vacuous


def test_map_page_has_the_data_and_escapes_names(client, corpus):
    _, given = corpus
    html = client.get("/map/").content.decode()
    assert 'data-places="/map/places.json"' in html
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html and "<script>alert" not in html
    assert "Riga &lt;script&gt;" in html
    assert f"{len(given)} places with coordinates" in html
    assert client.get("/map/", {"document": "no-such-doc"}).status_code == 404
    assert client.get("/map/places.json", {"work": "no-such-work"}).status_code == 404


# --------------------------------------------------------------------------- timeline


def seeds_years(src: Path) -> Counter:
    """Years of the dates marked in the reading texts, read from the TEI."""
    years = Counter()
    for path in src.glob("*.xml"):
        for date in etree.parse(str(path)).iterfind(".//tei:text//tei:date", NS):
            value = date.get("when") or date.get("from") or date.get("to") or ""
            if re.match(r"\d{4}", value):
                years[int(value[:4])] += 1
    return years


def by_period(years: Counter) -> Counter:
    """Counts by year, or by decade when the dates span more than sixty years (as the timeline shows them)."""
    step = 10 if max(years) - min(years) > 60 else 1
    return Counter({y - y % step: 0 for y in years}) + Counter(y - y % step for y in years.elements())


def test_timeline_lists_the_seeds_dates(client, corpus):
    src, _ = corpus
    periods = by_period(seeds_years(src))
    assert len(periods) > 1
    html = client.get("/timeline/").content.decode()
    pattern = r'year=(\d+)#mentions">\d+s?</a> <span class="count">\((\d+)\)'
    shown = {int(y): int(n) for y, n in re.findall(pattern, html)}
    assert set(shown) == set(periods)
    undated = int(re.search(r'<span class="undated">(\d+) without a year', html)[1])
    assert sum(shown.values()) == sum(periods.values())
    assert sum(shown.values()) + undated == Mention.objects.filter(kind="date").count()
    assert html.count("<rect ") == len(periods)


def test_timeline_year_lists_its_mentions_in_context(client, corpus):
    src, _ = corpus
    years = seeds_years(src)
    year, _ = by_period(years).most_common(1)[0]
    html = client.get("/timeline/", {"year": year}).content.decode()
    prefix = str(year) if len(by_period(years)) == len(years) else str(year)[:3]  # a year, or its decade
    mentions = [
        m for m in Mention.objects.filter(kind="date") if (m.when or m.date_from or m.date_to).startswith(prefix)
    ]
    assert f"({len(mentions)})</span></h2>" in html
    assert len(mentions) > maps.MENTIONS_PER_PAGE  # so the pages are checked too
    pages = [html] + [
        client.get("/timeline/", {"year": year, "page": n}).content.decode()
        for n in range(2, -(-len(mentions) // maps.MENTIONS_PER_PAGE) + 1)
    ]
    marked = Counter(m for page in pages for m in re.findall(r"<mark>([^<]*)</mark>", page))
    assert marked == Counter(escape(m.surface) for m in mentions)
    assert client.get("/timeline/", {"year": "19x"}).status_code == 400


def test_timeline_works_without_javascript(client):
    html = client.get("/timeline/").content.decode()
    assert "<svg" in html and '<script src="/static/reader/maps.js"' not in html


# --------------------------------------------------------------------------- coordinates kept


def test_load_export_keeps_coordinates(corpus, tmp_path, django_db_blocker):
    src, given = corpus
    with django_db_blocker.unblock():
        stored = {e.xml_id: (e.latitude, e.longitude) for e in Entity.objects.filter(latitude__isnull=False)}
        assert stored == {k: (lat, lon) for k, (lat, lon, _) in given.items()}
        CorpusExporter(tmp_path / "same").run()
        assert canonical(tmp_path / "same" / "register.xml") == canonical(src / "register.xml")
        # A changed entry is rebuilt: its coordinates must be written again.
        xml_id = next(iter(given))
        entity = Entity.objects.get(xml_id=xml_id)
        entity.note = "Renamed for the test."
        entity.save()
        try:
            CorpusExporter(tmp_path / "changed").run()
        finally:
            entity.note = ""
            entity.save()
    entry = etree.parse(str(tmp_path / "changed" / "register.xml")).xpath(
        f".//tei:place[@xml:id='{xml_id}']", namespaces=NS
    )[0]
    lat, lon, _ = given[xml_id]
    assert entry.findtext("tei:location/tei:geo", namespaces=NS) == f"{lat} {lon}"
    assert entry.findtext("tei:note", namespaces=NS) == "Renamed for the test."


@pytest.mark.django_db
def test_a_register_geo_that_is_no_point_is_refused_naming_file_and_line(tmp_path):
    src = tmp_path / "tei"
    shutil.copytree(CORPUS, src)
    register = src / "register.xml"
    text = register.read_text(encoding="utf-8")
    place = text.index("<place ")
    end = text.index("</place>", place)
    register.write_text(text[:end] + "<location><geo>north of here</geo></location>" + text[end:], encoding="utf-8")
    line = text[:place].count("\n") + 1
    report = CorpusLoader(src).run()
    problems = dict(report.failed)
    assert "register.xml" in problems
    assert f"line {line}" in problems["register.xml"] and "north of here" in problems["register.xml"]


def test_parse_geo_refuses_what_is_no_point():
    from reader.tei.parsing import parse_geo

    assert parse_geo("56.9496 24.1052") == (56.9496, 24.1052)
    assert parse_geo(" -33.86,151.21 ") == (-33.86, 151.21)
    for bad in ("", "56.9", "91 0", "0 181", "N56 E24", "1 2 3"):
        assert parse_geo(bad) is None, bad
    assert issubclass(TEIError, Exception)


def test_entity_page_shows_its_coordinates(client, corpus):
    _, given = corpus
    xml_id, (lat, lon, _) = next(iter(given.items()))
    html = client.get(f"/entities/{xml_id}/").content.decode()
    assert f"<dt>Coordinates</dt><dd>{lat:g}, {lon:g}" in html


def test_a_foreign_register_keeps_its_coordinates():
    from reader.tei.entities.register import Register
    from reader.tei.foreign.registers import RegisterLink, foreign_entries
    from reader.tei.parsing import parse_entry

    root = etree.fromstring(
        f"""<TEI xmlns="{TEI}"><standOff><listPlace>
        <place xml:id="riga"><placeName>Riga</placeName><location><geo>56.9496 24.1052</geo></location></place>
        <place xml:id="nowhere"><placeName>Nowhere</placeName><location><geo>somewhere</geo></location></place>
        </listPlace></standOff></TEI>"""
    )
    entries = foreign_entries(root, "letters.xml")
    assert entries["riga"].geo == "56.9496 24.1052"
    assert entries["nowhere"].geo == ""  # not a point: left out rather than failing the register's load
    register = Register.from_file(CORPUS / "register.xml")
    link = RegisterLink(register, entries)
    made = register.entries[link.entry(entries["riga"])].element
    assert parse_entry(made).geo == (56.9496, 24.1052)  # the new entry of the corpus register has them
