"""The compare pages of a work read what ``load`` stored for it (issue 20): a cold page runs no
collation, the stored comparison is the engine's own result, and a witness changed since — by a
load of revised TEI or an edit in the database — is never shown through an earlier collation."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from texts_tei import write_corpus

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
VIEWS = ("", "apparatus/", "units/", "density/")  #: the first three show the readings' words
compare_module = importlib.import_module("reader.texts.views.compare")


@pytest.fixture
def seeds(tmp_path):
    """The real corpus (the seeds' TEI with the partisan article's two witnesses and its collation)."""
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Work

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    cache.clear()
    assert CorpusLoader(directory).run().failed == []
    works = [w for w in Work.objects.all() if w.witnesses.count() >= 2]
    assert works
    return works[0]


def _fresh(work):
    """The default comparison of ``work`` made now, from the database's units, by the engine itself."""
    from reader.texts.comparison import Witness, WitnessUnit, build_comparison
    from reader.texts.models import Paragraph

    documents = list(work.witnesses.in_witness_order())[: compare_module.DEFAULT_SHOWN]
    witnesses = []
    for d in documents:
        units = [
            WitnessUnit(
                id=p.xml_id,
                text=p.collation_text or p.text,
                label=f"¶ {p.number}" if p.number else "heading" if p.kind == Paragraph.Kind.HEAD else p.kind,
                url=f"/texts/{d.slug}/{p.xml_id}/",
                kind=p.kind,
                section=p.section_id,
            )
            for p in d.paragraphs.filter(supplied=False).order_by("position")
        ]
        witnesses.append(Witness(d.label, d.title, units, d.date, d.author))
    return build_comparison(witnesses, compare_module.collation_options([]), order=[w.siglum for w in witnesses])


def _summary(comparison):
    return (
        [w.siglum for w in comparison.witnesses],
        comparison.base,
        [
            (v.n, v.type, v.subtype, v.row, v.where, [(r.sigla, r.text, r.type, r.subtype) for r in v.readings])
            for v in comparison.variants
        ],
        [
            [(c.siglum, [(u.id, u.url, html) for u, html in c.units], c.gaps) for c in row.cells]
            for row in comparison.rows
        ],
    )


def test_load_stores_the_default_comparison_and_it_is_the_engines_own_result(seeds):
    from reader.texts.models import StoredComparison
    from reader.texts.stored_comparisons import decode

    stored = {s.name: decode(s.data) for s in StoredComparison.objects.filter(work=seeds)}
    assert set(stored) == {"/comparison", "/rows", "/apparatus", "/units"}
    fresh = _fresh(seeds)
    assert fresh.variants, "the seeds' work has places of variation"
    assert _summary(stored["/comparison"]) == _summary(fresh)
    assert stored["/rows"] == [compare_module._row_html(row, i) for i, row in enumerate(fresh.rows)]


def test_a_cold_page_runs_no_collation_and_other_choices_still_do(seeds, client, monkeypatch):
    calls = []
    real = compare_module.build_comparison

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(compare_module, "build_comparison", counted)
    from reader.texts.stored_comparisons import forget_decoded

    url = seeds.get_absolute_url()
    for view in VIEWS:
        cache.clear()
        forget_decoded()  # a fresh process: the parts are read from the table
        assert client.get(url + view).status_code == 200
    assert calls == [], "a default page collated although load stored its comparison"
    cache.clear()
    page = client.get(url + "?ignore=case")
    assert page.status_code == 200 and len(calls) == 1, "a choice load did not store is collated on request"


def _changed_text(client, url: str, old: str, new: str, change) -> None:
    before = client.get(url).content.decode()
    assert old in before and new not in before
    change()
    for view in VIEWS[:3]:  # the cache is not cleared: neither it nor the stored parts may answer for the old text
        page = client.get(url + view).content.decode()
        assert new in page and old not in page, view


def test_after_a_load_of_changed_tei_the_compare_pages_show_the_new_text(tmp_path, client):
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import StoredComparison

    directory = write_corpus(tmp_path / "tei")
    assert CorpusLoader(directory).run().failed == []
    cache.clear()
    witness = directory / "partisans-2.xml"
    before = set(StoredComparison.objects.values_list("name", "key"))

    def revise():
        witness.write_text(witness.read_text(encoding="utf-8").replace("Sarkana bulta", "Zila bulta"), "utf-8")
        report = CorpusLoader(directory).run()
        assert report.failed == [] and report.loaded == ["partisans-2.xml"]

    _changed_text(client, "/compare/partisans/", "Sarkana", "Zila", revise)
    after = set(StoredComparison.objects.values_list("name", "key"))
    assert {n for n, _ in after} == {n for n, _ in before} and not (after & before), "load stored the new parts"


def test_after_an_edit_of_a_witness_in_the_database_the_compare_pages_show_it(tmp_path, client):
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document, Paragraph

    directory = write_corpus(tmp_path / "tei")
    assert CorpusLoader(directory).run().failed == []
    cache.clear()

    def edit_text():  # however it is made (a bulk update sends no signal), the page reads the text as it is now
        Paragraph.objects.filter(document__slug="partisans-2", xml_id="p2").update(
            text="In June 1941 the German Army came. The most active one was the Zila bulta.", collation_text=""
        )

    _changed_text(client, "/compare/partisans/", "Sarkana", "Zila", edit_text)

    def edit_siglum():  # the witness's metadata as an annotator's save in the admin changes it
        document = Document.objects.get(slug="partisans-2")
        document.siglum = "Bx"
        document.save()

    _changed_text(client, "/compare/partisans/", ">901<", ">Bx<", edit_siglum)
