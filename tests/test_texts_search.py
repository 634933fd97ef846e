"""Search on the real corpus: phrases, prefixes, every hit marked, ranking, witness named (SQLite FTS5,
PostgreSQL full text)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reader.texts import searching
from reader.texts.loader import CorpusLoader
from reader.texts.models import Paragraph

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path, db):
    shutil.copytree(ROOT / "corpus" / "tei", tmp_path / "tei")
    assert CorpusLoader(tmp_path / "tei").run().failed == []


def results(client, q, **filters):
    return client.get("/search/", {"q": q, **filters}).context["results"]


def hit_words(result) -> list[str]:
    return [piece for piece, hit in result["pieces"] if hit]


def test_parse_reads_phrases_prefixes_and_words_folded():
    query = searching.parse('"Red Army" partisan*  Sproģis, soviet-occupied "unclosed phrase')
    assert [(t.words, t.prefix) for t in query.terms] == [
        (("red", "army"), False),
        (("partisan",), True),
        (("sprogis",), False),
        (("soviet", "occupied"), False),
        (("unclosed", "phrase"), False),
    ]
    assert not searching.parse('"" * ,,')


def test_a_quoted_phrase_finds_its_words_side_by_side_only(client, corpus):
    phrase = results(client, '"Red Army"')
    both = results(client, "Red Army")
    assert phrase and len(phrase) <= len(both)
    for r in phrase:
        assert re.search(r"red\W+army", r["unit"].search_text)
        assert {w.casefold() for w in hit_words(r)} == {"red army"}
    side_by_side = {r["unit"].pk for r in phrase}
    apart = [r for r in both if r["unit"].pk not in side_by_side]
    assert all(not re.search(r"red\W+army", r["unit"].search_text) for r in apart)


def test_a_prefix_finds_every_ending_and_marks_every_hit(client, corpus):
    found = results(client, "partisan*")
    words = {w.casefold() for r in found for w in hit_words(r)}
    assert {"partisan", "partisans"} <= words
    expected = Paragraph.objects.filter(search_text__regex=r"(^|\W)partisan").count()
    assert client.get("/search/", {"q": "partisan*"}).context["total"] == expected
    many = max(found, key=lambda r: r["hits"])
    assert many["hits"] == len(re.findall(r"(?<!\w)partisan\w*", many["unit"].search_text)) > 1


def test_results_are_ranked_best_first_not_in_text_order(client, tmp_path, db):
    from texts_tei import _write, tei_document

    filler = " ".join(f"word{n}" for n in range(120))
    body = (
        f'<div type="section" xml:id="s1"><p xml:id="p1">Once a brigade, then {filler}.</p>'
        f'<p xml:id="p2">{filler} and a brigade at the end.</p>'
        '<p xml:id="p3">The brigade: a partisan brigade, the best brigade.</p></div>'
    )
    (tmp_path / "tei").mkdir()
    _write(tmp_path / "tei" / "ranked.xml", tei_document("ranked", body, "Ranked"))
    assert CorpusLoader(tmp_path / "tei").run().failed == []
    assert [r["unit"].xml_id for r in results(client, "brigade")][0] == "p3"  # three hits in a short paragraph


def test_results_name_document_witness_and_section_and_offer_help(client, corpus):
    response = client.get("/search/", {"q": "partisan*"})
    first = response.context["results"][0]["unit"]
    page = response.content.decode()
    assert f"{first.document.title} ({first.document.label}), {first.label}" in page
    if first.section and first.section.head:
        assert f"in “{first.section.head}”" in page
    assert "How to search" in page and '<code>"Red Army"</code>' in page


def test_filters_by_document_and_entity_type_still_apply(client, corpus):
    everywhere = results(client, "Latvia")
    document = everywhere[0]["unit"].document
    assert {r["unit"].document_id for r in results(client, "Latvia", doc=document.slug)} == {document.pk}
    persons = results(client, "Latvia", type="person")
    assert persons and all(r["unit"].mentions.filter(kind="person").exists() for r in persons)


def test_hostile_and_empty_queries_answer_quietly(client, corpus):
    for q in ('"', "*", "AND OR NOT", "') OR 1=1 --", "NEAR(a b)", "<script>alert(1)</script>"):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
        assert "<script>alert" not in response.content.decode()
