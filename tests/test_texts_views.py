"""Reader pages on small fixture corpora: content, status codes, escaping, query counts."""

from __future__ import annotations

import json
import re

import pytest

from reader.texts.loader import CorpusLoader
from texts_tei import long_body, tei_document, write_corpus, _write

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(tmp_path, settings):
    src = write_corpus(tmp_path / "tei")
    report = CorpusLoader(src).run()
    assert report.failed == []
    return src


def test_home_lists_works_witnesses_and_counts(client, corpus):
    page = client.get("/").content.decode()
    assert "Partisans" in page
    assert 'href="/texts/partisans/"' in page and 'href="/texts/partisans-2/"' in page
    assert "CC BY-SA 4.0" in page and "900_a.txt" in page
    assert "/compare/partisans/" in page
    assert "3 (4 mentions)" in page  # entities, mentions of partisans


def test_reading_view_has_toc_numbers_permalinks_entities_and_hidden_noise(client, corpus):
    page = client.get("/texts/partisans/").content.decode()
    assert '<a href="#s2">Background</a>' in page
    # ¶ numbers run through the document (p1 in the lead is ¶ 1), so a label names one paragraph
    assert 'href="/texts/partisans/p2/" aria-label="Permalink to ¶ 2">¶ 2</a>' in page
    assert 'class="ent ent-place ent-suggested" href="/entities/pla-latvia/" data-kind="place" data-cert="high"' in page
    assert 'class="ent ent-person" href="/entities/per-sprogis/"' in page  # an annotator's: as confirmed
    assert '<time class="ent ent-date" datetime="1941-06"' in page
    assert 'class="noise noise-editorial"' in page and 'id="show-noise"' in page
    assert 'id="hl-entities" checked' in page
    assert '<span class="foreign" lang="lv">par Dzimteni</span>' in page
    assert 'id="b1" lang="ru"' in page


def test_paragraph_page_has_context_citations_meta_and_parallels(client, corpus):
    response = client.get("/texts/partisans/p2/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert '<meta name="citation_title" content="Partisans, witness 900, ¶ 2 in “Background”">' in page
    assert '<meta name="citation_public_url" content="http://testserver/texts/partisans/p2/?rev=1">' in page
    assert "@online{parallax-partisans-p2," in page
    assert "TY  - ELEC" in page
    csl = response.context["citations"][3][2]
    assert json.loads(csl)[0]["URL"] == "http://testserver/texts/partisans/p2/?rev=1"
    assert 'href="/entities/org-army/"' in page


def test_citing_an_older_revision_shows_the_text_then(client, tmp_path):
    src = write_corpus(tmp_path / "tei", revision=2)
    CorpusLoader(src).run()
    page = client.get("/texts/partisans/p2/?rev=1").content.decode()
    assert "This paragraph has changed since the version you cited" in page
    assert "In June 1941 the army came." in page


def test_retired_id_redirects_permanently_following_the_chain(client, corpus):
    response = client.get("/texts/partisans/p8/")
    assert response.status_code == 301
    assert response["Location"] == "/texts/partisans/p2/"


def test_deleted_id_answers_410_with_what_it_said_escaped(client, corpus):
    response = client.get("/texts/partisans/p7/")
    page = response.content.decode()
    assert response.status_code == 410
    assert "A deleted paragraph that said &lt;script&gt;alert(1)&lt;/script&gt;." in page
    assert "<script>alert" not in page


def test_unknown_ids_documents_and_entities_are_404_pages(client, corpus):
    for url in (
        "/texts/partisans/p99/",
        "/texts/nothing/",
        "/texts/nothing/p1/",
        "/entities/per-nobody/",
        "/compare/nothing/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "never existed" in response.content.decode(), url


def test_corpus_text_is_escaped(client, tmp_path):
    body = '<div type="section" xml:id="s1"><p xml:id="p1">Beware &lt;script&gt;alert("x")&lt;/script&gt; &amp; co.</p></div>'
    _write(tmp_path / "evil.xml", tei_document("evil", body, title="<b>Evil</b> title"))
    CorpusLoader(tmp_path).run()
    for url in ("/texts/evil/", "/texts/evil/p1/", "/search/?q=beware", "/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<b>Evil</b>" not in page, url
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; co.' in client.get("/texts/evil/").content.decode()


def test_downloads(client, corpus):
    tei = client.get("/texts/partisans.xml")
    assert tei["Content-Type"].startswith("application/tei+xml")
    assert b'xml:id="partisans"' in tei.content and b"<persName" in tei.content
    text = client.get("/texts/partisans.txt").content.decode()
    assert "## Background" in text and "[citation needed]" not in text
    register = client.get("/register.xml")
    assert b'xml:id="pla-latvia"' in register.content


def test_compare_marks_differences_by_type_with_screen_reader_text(client, corpus):
    response = client.get("/compare/partisans/?w=partisans&w=partisans-2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "orthographic difference: 900 reads ‘Sarkanā’; 901 reads ‘Sarkana’" in page
    assert re.search(r"substantive difference: 900 reads ‘Dzimteni[^’]*’; 901 reads ‘Dzimtenes’", page)
    assert 'class="var var-orthographic minor"' in page and 'id="hide-minor"' in page
    assert 'class="strip"' in page and 'href="/compare/partisans/?at=1#v1"' in page
    types = dict(response.context["comparison"].counts)
    assert types["orthographic"] == 1 and types["substantive"] >= 1


def test_compare_rejects_witnesses_of_other_works(client, corpus):
    assert client.get("/compare/partisans/?w=partisans&w=evil").status_code == 404


def test_entity_index_and_page_with_kwic(client, corpus):
    index = client.get("/entities/").content.decode()
    assert 'href="/entities/per-sprogis/"' in index and "1 mention" in index
    page = client.get("/entities/pla-latvia/").content.decode()
    assert "Latvija" in page and 'href="https://www.wikidata.org/wiki/Q211"' in page
    assert "https://www.geonames.org/458258" in page
    assert "<mark>Latvia</mark>" in page and 'href="/texts/partisans/p1/"' in page


def test_search_finds_paragraphs_and_filters(client, corpus):
    response = client.get("/search/?q=army")
    (result,) = response.context["results"]  # the same passage in two witnesses: one result naming both
    units = [*result["agree"], *(u for other in result["others"] for u in other["units"])]
    assert sorted((u.document.slug, u.xml_id) for u in units) == [("partisans", "p2"), ("partisans-2", "p2")]
    only = client.get("/search/?q=army&doc=partisans-2").context["results"]
    assert [r["unit"].document.slug for r in only] == ["partisans-2"]
    persons = client.get("/search/?q=Led&type=person").context["results"]
    assert [r["unit"].document.slug for r in persons] == ["partisans"]


def _big_corpus(tmp_path, paragraphs):
    directory = write_corpus(tmp_path / f"tei{paragraphs}")
    _write(
        directory / "long.xml", tei_document("long", long_body(paragraphs), "Long", work="partisans", seed="902_c.txt")
    )
    CorpusLoader(directory).run()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/texts/long/",
        "/texts/long/p5/",
        "/compare/partisans/?w=partisans&w=long",
        "/entities/pla-latvia/",
        "/search/?q=paragraph",
        "/entities/",
    ],
)
def test_query_count_does_not_grow_with_document_size(client, tmp_path, url, django_assert_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (20, 200):
        _big_corpus(tmp_path, size)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{url}: {counts}"
    cache.clear()
    with django_assert_num_queries(counts[1]):
        client.get(url)


def test_paragraph_page_links_the_same_passage_in_the_other_witness(client, corpus):
    page = client.get("/texts/partisans/p3/").content.decode()
    assert 'href="/texts/partisans-2/p3/">901, ¶ 3</a>' in page
    back = client.get("/texts/partisans-2/p2/").content.decode()
    assert 'href="/texts/partisans/p2/">900, ¶ 2</a>' in back


def test_home_counts_the_places_of_variation(client, corpus):
    page = client.get("/").content.decode()
    assert re.search(r"2 witnesses, [1-9]\d* places of variation", page)


def test_page_chrome_outside_units_is_kept_as_hidden_noise(client, tmp_path):
    body = '<div type="section" xml:id="s1"><p xml:id="p1">Text.</p></div>'
    xml = tei_document("chrome", body).replace(
        "<text><body>", '<text><front><note type="boilerplate" subtype="navigation">HOME</note></front><body>'
    )
    _write(tmp_path / "chrome.xml", xml)
    CorpusLoader(tmp_path).run()
    page = client.get("/texts/chrome/").content.decode()
    assert (
        '<p class="front-noise"><span class="noise noise-boilerplate" data-noise="boilerplate" title="page chrome">HOME</span></p>'
        in page
    )


def test_entity_page_pages_through_many_mentions(client, tmp_path):
    _big_corpus(tmp_path, 250)
    first = client.get("/entities/pla-latvia/").content.decode()
    assert "(251 in 2 documents)" in first and "Mentions 1–200 of 251." in first
    assert first.count("<mark>Latvia</mark>") == 200
    second = client.get("/entities/pla-latvia/?page=2").content.decode()
    assert second.count("<mark>Latvia</mark>") == 51 and "Mentions 201–251 of 251." in second


def test_paragraph_page_counts_the_variant_readings_it_holds(client, tmp_path):
    from texts_tei import write_collations

    src = write_corpus(tmp_path / "tei")
    write_collations(src)
    CorpusLoader(src).run()
    page = client.get("/texts/partisans/p2/").content.decode()
    assert "<h2>Variant readings here</h2><p>1 orthographic" in page
    assert "Variant readings here" not in client.get("/texts/partisans/p3/").content.decode()


def test_search_ignores_case_and_diacritics_and_shows_the_words_as_written(client, corpus):
    """Latvian names are often typed without their diacritics: "sprogis" finds "Sproģis"."""
    for query in ("sprogis", "SPROĢIS", "Sproģis"):
        results = client.get(f"/search/?q={query}").context["results"]
        assert results, query
        assert all({piece for piece, hit in r["pieces"] if hit} == {"Sproģis"} for r in results), query
    assert client.get("/search/?q=sprogisx").context["results"] == []


def test_compare_view_of_the_partisan_article_counts_what_the_apparatus_holds(client):
    """The page and corpus/tei/collations/ come from one collation: the same differences, the same types
    (a section one version lacks is one omission in both, its heading one more)."""
    from collections import Counter
    from pathlib import Path

    from lxml import etree

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "tei"
    assert CorpusLoader(corpus).run().failed == []
    apparatus = etree.parse(str(corpus / "collations" / "soviet-partisans-in-latvia.xml"))
    expected = Counter(app.get("type") for app in apparatus.iter("{http://www.tei-c.org/ns/1.0}app"))
    # normalised as the apparatus is (its header: "differences of whitespace are normalised away")
    shown = dict(client.get("/compare/soviet-partisans-in-latvia/?ignore=whitespace").context["comparison"].counts)
    assert shown == dict(expected)
    assert shown["omission"] >= 7 and shown["substantive"] >= 1


def test_home_is_paginated_by_works_with_a_bounded_number_of_queries(
    client, corpus, monkeypatch, django_assert_max_num_queries
):
    from reader.texts import views
    from reader.texts.models import Work

    for n in range(5):
        Work.objects.create(slug=f"zz-work-{n}", title=f"Zz work {n}")
    monkeypatch.setattr(views.reading, "WORKS_PER_PAGE", 2)
    total = Work.objects.count()
    first = client.get("/").content.decode()
    assert f"in {total} works" in first and 'rel="next"' in first and 'rel="prev"' not in first
    with django_assert_max_num_queries(8):
        last = client.get(f"/?page={(total + 1) // 2}").content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "Zz work 4" in last and "Zz work 4" not in first
    assert client.get("/?page=999").status_code == 200  # past the end: the last page


def test_entity_page_lists_mentions_by_witness(client, corpus):
    response = client.get("/entities/pla-latvia/")
    witnesses = response.context["witnesses"]
    assert [w["slug"] for w in witnesses] == ["partisans"] and witnesses[0]["n"] == response.context["total"]
    assert 'class="witness-row"' in response.content.decode()


def test_retired_entity_ids_answer_410_or_301_never_404(client, tmp_path, db):
    from reader.texts.models import CorpusFile

    directory = write_corpus(tmp_path / "tei")
    register = (directory / "register.xml").read_text(encoding="utf-8")
    retired = (
        '<listAnnotation type="retired-ids"><note type="retired-id" n="org-hill">Hill</note>'
        '<note type="retired-id" n="pla-latvija" corresp="#pla-latvia">Latvija</note></listAnnotation>'
    )
    assert "</standOff>" in register
    (directory / "register.xml").write_text(
        register.replace("</standOff>", retired + "</standOff>", 1), encoding="utf-8"
    )
    assert CorpusLoader(directory).run().failed == []
    assert CorpusFile.objects.filter(kind="register").exists()
    gone = client.get("/entities/org-hill/")
    assert gone.status_code == 410 and "org-hill" in gone.content.decode() and "Hill" in gone.content.decode()
    moved = client.get("/entities/pla-latvija/")
    assert moved.status_code == 301 and moved["Location"] == "/entities/pla-latvia/"
    assert client.get("/entities/per-nobody-ever/").status_code == 404


def test_section_ids_resolve_to_the_section_in_its_document(client, corpus):
    response = client.get("/texts/partisans/s2/")
    assert response.status_code == 301 and response["Location"] == "/texts/partisans/#s2"


def test_a_long_document_is_read_in_parts_cut_at_sections(client, tmp_path, db):
    from reader.texts.views.reading import UNITS_PER_PART

    directory = write_corpus(tmp_path / "tei")
    _write(directory / "long.xml", tei_document("long", long_body(700), "Long", seed="902_c.txt"))
    assert CorpusLoader(directory).run().failed == []
    first = client.get("/texts/long/")
    parts = first.context["parts"]
    assert parts > 1 and "Part 1 of" in first.content.decode() and 'rel="next"' in first.content.decode()
    seen = []
    for number in range(1, parts + 1):
        page = client.get(f"/texts/long/?part={number}").content.decode()
        ids = re.findall(r'<div class="unit unit-p[^"]*" id="(p\d+)"', page)
        assert 0 < len(ids) <= UNITS_PER_PART
        heads = re.findall(r'class="unit unit-head" id="(h\d+)"', page)
        assert heads and int(heads[0][1:]) == int(ids[0][1:]) // 10 + 1  # a part starts with its section
        seen += ids
    assert seen == [f"p{n}" for n in range(1, 701)]  # every unit once, in order
    toc = first.context["toc"]
    last_section = toc[-1]
    assert last_section.url == f"/texts/long/?part={parts}#{last_section.xml_id}"
    assert client.get(f"/texts/long/{last_section.xml_id}/")["Location"] == last_section.url
    assert client.get(f"/texts/long/?part={parts + 1}").status_code == 404
    assert client.get("/texts/long/?part=x").status_code == 400  # not a number: a bad request, naming part
    assert "Part 1 of" not in client.get("/texts/partisans/").content.decode()  # a short text is one page


def test_register_entries_no_reading_text_marks_are_listed_apart_with_where_they_occur(client, corpus):
    from reader.entities.models import Entity

    Entity.objects.create(
        xml_id="per-only-in-notes",
        kind="person",
        name="Only In Notes",
        note="Named only in source notes (scraped tooltips).",
    )
    response = client.get("/entities/")
    groups = {group["key"]: list(group["page"]) for group in response.context["groups"]}
    assert "per-only-in-notes" not in {e.xml_id for e in groups["person"]}
    assert [e.xml_id for e in groups["unmarked"]] == ["per-only-in-notes"]
    assert 'Only In Notes</a> <span class="count">person: Named only in source notes' in response.content.decode()
