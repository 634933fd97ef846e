"""What a corpus revision fixes is built once per revision (issue 20): the downloads (register.xml,
register.csv, a work's ZIP, a document's and a collation's TEI) and the compare columns' rows. A change
to the corpus (a save bumps the revision) is in the next download; a build that fails is not kept."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from texts_tei import write_corpus

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path):
    """The real corpus (its register and the partisan article's collation) and a small two-witness work."""
    from reader.texts.loader import CorpusLoader

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    write_corpus(directory, register=False)
    assert CorpusLoader(directory).run().failed == []


def _counting(monkeypatch, owner, name):
    calls = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize(
    "url, method",
    [
        ("/register.xml", "register_tree"),
        ("/api/works/partisans.zip", "document_tree"),
        ("/texts/partisans.xml", "document_tree"),
        ("/compare/soviet-partisans-in-latvia.xml", "file_tree"),
    ],
)
def test_a_download_is_built_once_per_corpus_revision(client, corpus, monkeypatch, url, method):
    from reader.caching import bump_corpus_revision
    from reader.texts.exporter import CorpusExporter

    calls = _counting(monkeypatch, CorpusExporter, method)
    first = client.get(url)
    assert first.status_code == 200 and calls
    built = len(calls)
    again = client.get(url)
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert len(calls) == built, "built again although the corpus did not change"
    bump_corpus_revision()
    assert client.get(url).content == first.content
    assert len(calls) == 2 * built, "not built again for a new corpus revision"


def test_an_entity_renamed_is_in_the_next_register_downloads(client, corpus, django_capture_on_commit_callbacks):
    from reader.entities.models import Entity

    before_xml = client.get("/register.xml").content.decode()
    before_csv = client.get("/api/register.csv").content.decode()
    entity = Entity.objects.order_by("xml_id").first()
    assert entity.name in before_xml and entity.name in before_csv
    entity.name = "Renamed Ėntity of the test"
    with django_capture_on_commit_callbacks(execute=True):  # the revision is renewed when the save commits
        entity.save()
    assert "Renamed Ėntity of the test" in client.get("/register.xml").content.decode()
    assert "Renamed Ėntity of the test" in client.get("/api/register.csv").content.decode()


def test_the_work_zip_holds_the_witnesses_after_caching(client, corpus):
    client.get("/api/works/partisans.zip")
    names = zipfile.ZipFile(io.BytesIO(client.get("/api/works/partisans.zip").content)).namelist()
    assert "partisans/partisans.xml" in names and "partisans/partisans-2.xml" in names


def test_register_csv_is_cached_per_site_address(client, corpus):
    local = client.get("/api/register.csv", HTTP_HOST="localhost").content.decode()
    other = client.get("/api/register.csv", HTTP_HOST="127.0.0.1").content.decode()
    assert "http://localhost/entities/" in local and "http://localhost/" not in other
    assert "http://127.0.0.1/entities/" in other


def test_a_failed_build_is_not_kept(client, corpus, monkeypatch):
    from reader.texts.exporter import CorpusExporter

    real = CorpusExporter.register_tree
    monkeypatch.setattr(CorpusExporter, "register_tree", lambda *a: (_ for _ in ()).throw(OSError("disk gone")))
    client.raise_request_exception = False
    assert client.get("/register.xml").status_code == 500
    monkeypatch.setattr(CorpusExporter, "register_tree", real)
    assert client.get("/register.xml").status_code == 200
    assert client.get("/api/works/no-such-work.zip").status_code == 404
    assert client.get("/api/works/no-such-work.zip").status_code == 404


def test_compare_rows_are_rendered_once_and_the_current_unit_row_again(client, corpus, monkeypatch):
    import importlib

    compare_module = importlib.import_module("reader.texts.views.compare")

    from django.core.cache import cache

    calls = _counting(monkeypatch, compare_module, "_row_html")
    cache.clear()  # a cold cache: the rows rendered at load are read from the stored comparison
    plain = client.get("/compare/partisans/").content.decode()
    rows = plain.count('class="compare-row" id="r')
    assert rows > 1 and calls == [], "rows rendered again although load stored them"
    assert client.get("/compare/partisans/").content.decode() == plain
    assert calls == [], "rows rendered again"
    at = client.get("/compare/partisans/?at=1#v1").content.decode()
    assert len(calls) == 1, "only the current unit's row is rendered again"
    assert 'class="compare-row" id="r' in at and "current" in at.split('id="v1"')[0].rsplit("<", 1)[1]
    assert at.count('class="compare-row" id="r') == rows


def test_apparatus_and_units_html_are_built_once_per_choice(client, corpus, monkeypatch):
    import importlib

    compare_module = importlib.import_module("reader.texts.views.compare")
    apparatus = _counting(monkeypatch, compare_module, "apparatus_html")
    units = _counting(monkeypatch, compare_module, "units_table_html")
    first = client.get("/compare/partisans/apparatus/").content
    assert apparatus == [], "the default apparatus was built at load"
    only = client.get("/compare/partisans/apparatus/?type=omission").content
    built = len(apparatus)
    assert built and only != first, "another choice of types is another apparatus"
    assert client.get("/compare/partisans/apparatus/?type=omission").content == only and len(apparatus) == built
    table = client.get("/compare/partisans/units/").content
    assert units == [] and client.get("/compare/partisans/units/").content == table and units == []
    client.get("/compare/partisans/units/?differ=partisans-2")
    assert len(units) == 1, "another witness filter is another table"
    client.get("/compare/partisans/units/?differ=partisans-2")
    assert len(units) == 1, "built once"
