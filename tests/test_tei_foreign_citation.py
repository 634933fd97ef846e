"""A file's own citation structure in the reader (issue 19 item 1): stage directions take no ¶ number,
so the speeches of a play are numbered without gaps; a canonical reference (``1.2.1``) is a permalink."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from reader.tei.foreign import ForeignImporter

FOREIGN = Path(__file__).parent / "data" / "foreign"
PLAY, VERSE = "dracor-shakedracor-macbeth.xml", "perseus-ovid-amores-1.xml"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("citation")
    play, verse = ForeignImporter(base / "tei", base / "sources").run([FOREIGN / PLAY, FOREIGN / VERSE])
    assert play.ok and verse.ok, (play.error, verse.error)
    return base / "tei", play.slug, verse.slug


@pytest.fixture
def play(db, imported):
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document

    assert CorpusLoader(imported[0]).run().failed == []
    return Document.objects.get(slug=imported[1])


def test_stage_directions_take_no_number_and_speeches_are_numbered_without_gaps(play):
    units = list(play.paragraphs.order_by("position"))
    stages = [u for u in units if 'class="stage stage-unit"' in u.html]
    assert len(stages) >= 2, "the play has stage directions on their own"
    assert any(u.text == "Thunder and Lightning. Enter three Witches." for u in stages)
    assert all(u.number is None and "¶" not in u.label for u in stages)
    # the first speech follows the opening stage direction; the cast list before it is front matter
    opening = next(i for i, u in enumerate(units) if u.text == "Thunder and Lightning. Enter three Witches.")
    assert units[opening + 1].xml_id == "sp-0001"
    assert units[opening + 1].label == "¶ 1"
    numbered = [u for u in units[opening:] if u.kind != "head" and u not in stages]
    assert [u.number for u in numbered] == list(range(1, len(numbered) + 1))


def test_the_cast_list_is_front_matter_unnumbered_and_citable(client, play):
    """DraCor's <front><castList>: every role is a unit with its permalink, none takes a ¶ number."""
    units = list(play.paragraphs.order_by("position"))
    first_speech = next(i for i, u in enumerate(units) if u.xml_id == "sp-0001")
    cast = [u for u in units[:first_speech] if u.kind == "item"]
    texts = [u.text for u in cast]
    assert "Three Witches, the Weïrd Sisters" in texts and "Duncan king of Scotland" in texts
    assert all(u.number is None for u in units[:first_speech])
    assert {u.label for u in cast} == {"front matter"}
    witches = cast[texts.index("Three Witches, the Weïrd Sisters")]
    assert witches.xml_id == "WITCHES_Mac"  # the file's own id
    page = client.get(witches.get_absolute_url(), follow=True)
    assert page.status_code == 200 and "Three Witches" in page.content.decode()
    markup = client.get(play.get_absolute_url()).content.decode()
    assert re.search(r'id="WITCHES_Mac"><a class="num" href="[^"]+" aria-label="Permalink to front matter">', markup)
    assert 'aria-label="Permalink to ¶ 1">¶ 1</a><p><a class="speaker"' in markup
    plain = client.get(f"{play.get_absolute_url().rstrip('/')}.txt").content.decode()
    assert plain.index("Three Witches, the Weïrd Sisters") < plain.index("Thunder and Lightning.")


def test_a_reload_renumbers_when_a_stage_direction_is_gone(db, imported, tmp_path):
    """The numbers follow the file: a direction turned into speech is counted, the rest shift by one."""
    from lxml import etree

    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document
    from reader.tei.xml import NS

    out = tmp_path / "tei"
    out.mkdir()
    for f in imported[0].iterdir():
        (out / f.name).write_bytes(f.read_bytes())
    assert CorpusLoader(out).run().failed == []
    before = {p.xml_id: p.number for p in Document.objects.get(slug=imported[1]).paragraphs.all()}
    path = out / f"{imported[1]}.xml"
    tree = etree.parse(str(path))
    stage = tree.find(".//tei:body//tei:stage", NS)
    unit = stage.getparent()
    stage.tag = "{http://www.tei-c.org/ns/1.0}hi"  # no longer a stage direction: plain text in the unit
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    assert CorpusLoader(out).run().failed == []
    after = {p.xml_id: p.number for p in Document.objects.get(slug=imported[1]).paragraphs.all()}
    unit_id = unit.get("{http://www.w3.org/XML/1998/namespace}id")
    assert before[unit_id] is None and after[unit_id] == before["sp-0001"]
    assert after["sp-0001"] == before["sp-0001"] + 1


@pytest.fixture
def verse(db, imported):
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document

    assert CorpusLoader(imported[0]).run().failed == []
    return Document.objects.get(slug=imported[2])


def test_a_canonical_line_reference_is_a_permalink_to_its_unit_at_the_line(client, verse):
    response = client.get(f"/texts/{verse.slug}/1.2.1/")
    assert response.status_code == 302
    unit = verse.paragraphs.get(text__startswith="Esse quid hoc dicam")
    assert response["Location"] == f"/texts/{verse.slug}/{unit.xml_id}/#l-1.2.1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'id="l-1.2.1"' in page.content.decode()
    # the last line of the epigram is in another unit than the first line of poem 2
    other = client.get(f"/texts/{verse.slug}/1.ep.4/")
    assert other.status_code == 302 and other["Location"].endswith("#l-1.ep.4")
    assert other["Location"] != response["Location"].replace("1.2.1", "1.ep.4")


def test_a_canonical_reference_to_a_poem_or_book_goes_to_its_section(client, verse):
    poem = client.get(f"/texts/{verse.slug}/1.2/")
    assert poem.status_code == 302
    section = verse.sections.get(xml_id=poem["Location"].rstrip("/").rsplit("/", 1)[1])
    assert "2" in section.head  # the poem's own heading
    assert client.get(poem["Location"], follow=True).status_code == 200
    assert client.get(f"/texts/{verse.slug}/1/").status_code == 302


def test_an_unknown_reference_is_a_404_naming_it(client, verse):
    response = client.get(f"/texts/{verse.slug}/1.2.99/")
    assert response.status_code == 404
    assert "1.2.99" in response.content.decode()


def test_dts_document_of_a_line_gives_that_line_only(client, verse):
    def passage(query):
        response = client.get(f"/api/dts/document/?resource={verse.slug}&{query}")
        assert response.status_code == 200, response.content[:300]
        return response.content.decode()

    line = passage("ref=1.2.1")
    assert "Esse quid hoc dicam" in line and "Strata, neque in lecto" not in line
    assert 'xml:id="p3"' not in line or "Et vacuus somno" not in line  # the unit is a shell, not refilled
    lines = passage("start=1.2.1&end=1.2.2")
    assert "Esse quid hoc dicam" in lines and "Strata, neque in lecto" in lines and "Et vacuus somno" not in lines
    # a whole poem is still the whole poem
    poem = passage("ref=1.2")
    assert "Esse quid hoc dicam" in poem and "Qua vicit, victos protegit ille manu." in poem


def test_dts_line_passage_carries_an_annotators_current_mention(client, verse):
    from reader.texts.models import Mention

    unit = verse.paragraphs.get(text__startswith="Esse quid hoc dicam")
    start = unit.text.index("versat Amor") + len("versat ")
    Mention.objects.create(
        paragraph=unit, document=verse, kind="person", start=start, end=start + 4, surface="Amor", resp="#ann"
    )
    line = client.get(f"/api/dts/document/?resource={verse.slug}&ref=1.2.8").content.decode()
    assert "Et possessa ferus pectora versat" in line and "Cedimus" not in line
    assert "<persName" in line and ">Amor</persName>" in line


def test_the_citation_of_a_poem_names_its_canonical_reference(client, verse):
    unit = verse.paragraphs.get(text__startswith="Esse quid hoc dicam")
    page = client.get(f"/texts/{verse.slug}/{unit.xml_id}/").content.decode()
    plain = re.search(r'<pre id="cite-plain"[^>]*>(.*?)</pre>', page, re.S).group(1)
    assert ", 1.2 in “Poem 2”," in html.unescape(plain) and "¶" not in plain
    bib = client.get(f"/texts/{verse.slug}/{unit.xml_id}/cite.json").content.decode()
    assert "1.2 in" in bib


def test_a_play_without_a_scheme_of_its_own_keeps_its_paragraph_labels(client, play):
    unit = play.paragraphs.get(xml_id="sp-0001")
    page = client.get(unit.get_absolute_url()).content.decode()
    plain = html.unescape(re.search(r'<pre id="cite-plain"[^>]*>(.*?)</pre>', page, re.S).group(1))
    assert unit.label.startswith("¶ ") and f", {unit.label}" in plain  # the importer's own tree is not cited by
    assert client.get(f"/texts/{play.slug}/1.1.1/").status_code == 404


def test_units_are_labelled_by_the_files_own_scheme_in_reading_search_and_citations(client, verse):
    """A poem is "1.2", not "¶ 3": in the reading view, in search results, in their export and in the
    citation of a unit (issue 19 item 1: reader labels, search results and citations use the scheme)."""
    unit = verse.paragraphs.get(text__startswith="Esse quid hoc dicam")
    reading = client.get(f"/texts/{verse.slug}/").content.decode()
    label = re.search(rf'id="{unit.xml_id}"[^>]*><a class="num"[^>]*>([^<]+)</a>', reading).group(1)
    assert label.startswith("1.2") and "¶" not in label
    found = client.get("/search/?q=Esse+quid+hoc+dicam").content.decode()
    assert f"{html.escape(verse.title)} (" in found and f"), {label}" in found
    export = client.get("/search/?q=Esse+quid+hoc+dicam&format=json")
    rows = json.loads(b"".join(export.streaming_content))["hits"]
    assert [r["label"] for r in rows if r["unit"] == unit.xml_id] == [label]
    bib = client.get(f"/texts/{verse.slug}/{unit.xml_id}/cite.bib").content.decode()
    assert label in bib and "¶" not in bib


def test_a_run_of_lines_is_labelled_by_its_first_and_last_line():
    from reader.texts.canonical import line_span

    assert line_span("1.2.1", "1.2.12") == "1.2.1–12"
    assert line_span("1.2.9", "1.3.2") == "1.2.9–3.2"
    assert line_span("1.ep.4", "1.ep.4") == "1.ep.4"
