"""Imported foreign TEI, loaded into the database and read in the reader: text, entities, apparatus."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from reader.entities.models import Entity
from reader.tei.foreign import ForeignImporter
from reader.texts.loader import CorpusLoader
from reader.texts.models import Document, Reading, Variant

FOREIGN = Path(__file__).parent / "data" / "foreign"
pytestmark = pytest.mark.django_db


def _import_and_load(tmp_path, *names: str) -> tuple[Path, list]:
    out = tmp_path / "tei"
    reports = ForeignImporter(out, tmp_path / "sources", validate=False).run([FOREIGN / n for n in names])
    assert all(r.ok for r in reports), [r.error for r in reports]
    loaded = CorpusLoader(out).run()
    assert loaded.failed == []
    return out, reports


def _page(client, url: str) -> str:
    """The page's text (tags removed, whitespace collapsed) followed by its markup."""
    response = client.get(url)
    assert response.status_code == 200, url
    markup = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split()) + "\n" + html.unescape(markup)


def test_letters_text_and_entities_in_the_reader(client, tmp_path):
    _, reports = _import_and_load(tmp_path, "schnitzler-L00001.xml", "tei-publisher-graves20.xml", "vangogh-let695.xml")
    letter = _page(client, "/texts/L00001/")
    assert "Hochgeehrter Herr Doctor!" in letter and "Frankfurt a. M." in letter
    graves = reports[1].slug
    page = _page(client, f"/texts/{graves}/")
    assert "So glad to get your letter." in page
    # corr is the text; sic is kept in a note that the page shows only in its diplomatic reading
    assert Document.objects.get(slug=graves).paragraphs.filter(text__contains="As the family has stolen").exists()
    assert 'class="alt alt-dipl" title="diplomatic (sic)"' in page and 'class="alt alt-norm"' in page
    index = _page(client, "/entities/")
    assert "Frankfurt am Main" in index and "Palma" in index and "Frankfurter Zeitung" in index
    palma = Entity.objects.get(name="Palma")
    entity = _page(client, f"/entities/{palma.xml_id}/")
    assert "https://www.geonames.org/2512989" in entity
    assert graves in entity  # the mention, with a link to the letter
    gogh = Document.objects.get(slug=reports[2].slug)
    assert gogh.paragraphs.filter(text__contains="Gauguin").exists()


def test_ids_that_are_not_slugs_work_in_urls(client, tmp_path):
    source = tmp_path / "s.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="S.0000020"><teiHeader><fileDesc><titleStmt>'
        "<title>Brief</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>"
        '</sourceDesc></fileDesc></teiHeader><text><body><div xml:id="s.2"><p xml:id="s.2.1.1">Lieber '
        "Herr Walden!</p></div></body></text></TEI>",
        encoding="utf-8",
    )
    out = tmp_path / "tei"
    assert ForeignImporter(out, tmp_path / "sources", validate=False).run([source])[0].ok
    assert CorpusLoader(out).run().failed == []
    assert "Lieber Herr Walden!" in _page(client, "/texts/s-0000020/s.2.1.1/")


def test_apparatus_readings_with_their_sigla(client, tmp_path):
    _import_and_load(tmp_path, "cbeta-T21n1365.xml")
    variants = Variant.objects.filter(collation__work__slug="T21n1365")
    assert variants.count() == 14
    thousand = next(v for v in variants if {r.text for r in v.readings.all()} == {"千", "十"})
    readers = {r.document.slug: r.text for r in thousand.readings.select_related("document")}
    assert readers["T21n1365"] == "千" and readers["T21n1365-wit2"] == "十"
    assert {r.type for r in thousand.readings.all()} == {"", "substantive"}
    assert Reading.objects.filter(variant=thousand, paragraph__xml_id="pT21p0884a1101").count() == len(readers)
    paragraph = _page(client, "/texts/T21n1365/pT21p0884a1101/")
    assert "Variant readings here" in paragraph
    compare = _page(client, "/compare/T21n1365/?w=T21n1365&w=T21n1365-wit2")
    assert "八千俱胝" in compare and "八十俱胝" in compare
    assert "witness 【宋】" in compare
    apparatus = _page(client, "/compare/T21n1365.xml")
    assert 'n="【宋】"' in apparatus and ">十</rdg>" in apparatus


@pytest.mark.slow
def test_large_edition_with_thousands_of_register_entries(client, tmp_path):
    _, reports = _import_and_load(tmp_path, "evt-codice-pelavicino.xml")
    assert Entity.objects.filter(resp="#import").count() >= reports[0].counts["entries created"] > 3000
    page = _page(client, "/texts/codice-pelavicino/")
    assert "Sarzane" in page
    index = _page(client, "/entities/")
    assert "castrum Sarzane" in index
