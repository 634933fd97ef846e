"""A play, a verse text, an inscription and a letter from projects this corpus had never seen
(tests/data/foreign/unseen, README "Third set"): imported tei_all-valid, loaded and read as their editors
would read them (issue 19, "How we will check it")."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from reader.tei.document import citable_units
from reader.tei.foreign import ForeignImporter
from reader.tei.model import number_lines
from reader.tei.xml import NS, XML_ID, parse_file

UNSEEN = Path(__file__).parent / "data" / "foreign" / "unseen"
PLAY, VERSE, INSCRIPTION, LETTER = (
    "gerdracor-goethe-iphigenie.xml",
    "first1k-nicander-alexipharmaca.xml",
    "iip-zoor0311.xml",
    "tillich-L00546.xml",
)
NAMES = (PLAY, VERSE, INSCRIPTION, LETTER)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The four files imported once, with tei_all validation (as `manage.py importtei` does)."""
    base = tmp_path_factory.mktemp("unseen")
    reports = ForeignImporter(base / "tei", base / "sources").run([UNSEEN / n for n in NAMES])
    return base / "tei", dict(zip(NAMES, reports))


def _doc(imported, name):
    out, reports = imported
    return parse_file(out / f"{reports[name].slug}.xml")


@pytest.mark.parametrize("name", NAMES)
def test_each_is_imported_valid_with_every_element_described(imported, name):
    report = imported[1][name]
    assert report.ok, report.error
    assert not [p for p in report.problems if "tei_all" in p], report.problems
    # titlePart, docAuthor, set, dateline, salute, signed, biblStruct, citedRange are TEI's, not unknown
    assert dict(report.not_understood) == {}


def test_play_split_lines_count_once(imported):
    root = _doc(imported, PLAY)
    numbers = number_lines(root.find("tei:text/tei:body", NS))
    by_text = {" ".join("".join(line.itertext()).split()): n for line, n in numbers.items()}
    # Iphigenie I 2: Iphigenie begins the verse, Arkas ends it; the next verse is 94
    assert by_text["Dank habt ihr stets."] == by_text["Doch nicht den reinen Dank,"] == 93
    assert by_text["Um dessentwillen man die Wohltat tut;"] == 94
    # the play's 2,174 verses (the file gives no @n; 27 lines end and 2 continue a verse another began)
    assert max(numbers.values()) == 2174
    assert len(numbers) == 2174 + 29


def test_verse_slug_and_sections_come_from_the_file_not_from_its_urn(imported):
    report = imported[1][VERSE]
    assert report.slug == "first1k-nicander-alexipharmaca"  # no root id, a Greek title: the file's name
    root = _doc(imported, VERSE)
    heads = [u.text for u in citable_units(root) if u.kind == "head"]
    assert heads == []  # the EpiDoc edition wrapper's @n is a CTS URN, no heading to make from it
    assert root.find(".//tei:div[@n='urn:cts:greekLit:tlg0022.tlg002.1st1K-grc1']", NS) is not None


def test_inscription_abbreviation_and_expansion_are_one_word_and_names_are_spaced(imported):
    root = _doc(imported, INSCRIPTION)
    text = " ".join(u.text for u in citable_units(root))
    assert "ἡμέρᾳ Κυρίου" in text and "ἡμ έρᾳ" not in text
    bibl = root.find(".//tei:body//tei:bibl", NS)
    assert bibl is not None and bibl.find("tei:author/tei:surname", NS).text == "Meimaris"
    assert "Yiannis Meimaris" in " ".join("".join(bibl.itertext()).split())
    assert root.find(".//tei:biblStruct", NS) is None and root.find(".//tei:monogr", NS) is None


def test_letter_notes_are_the_editors_commentary(imported):
    root = _doc(imported, LETTER)
    notes = root.findall(".//tei:body//tei:note", NS)
    assert [(n.get("type"), n.get("subtype")) for n in notes] == [("commentary", "ea"), ("commentary", "ea")]


# --------------------------------------------------------------------------- read in the reader


def _page(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    markup = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split()), markup


@pytest.fixture
def loaded(db, imported):
    from reader.texts.loader import CorpusLoader

    report = CorpusLoader(imported[0]).run()
    assert report.failed == []
    slugs = {name: r.slug for name, r in imported[1].items()}
    return slugs, report


def test_play_in_the_reader_split_line_numbered_once_and_speakers_not_reported_lost(client, loaded):
    slugs, report = loaded
    # the speakers are shown with their speeches: load does not say they are lost
    assert not [w for f, w in report.warnings if f.startswith(slugs[PLAY])], report.warnings
    _, markup = _page(client, f"/texts/{slugs[PLAY]}/")
    assert '<span class="l l-part-F" data-n="93"><span class="l-text">Doch nicht den reinen Dank,' in markup
    assert re.search(r'<a class="speaker" href="/entities/[\w-]+/" data-kind="person">Arkas\.</a>', markup)
    stage = re.search(r'<div class="unit unit-p unit-stage" id="[^"]+">.*?</div>', markup, flags=re.S).group(0)
    assert "¶" not in stage and "Iphigenie. Arkas." in stage
    # a number that falls on a split line is shown at its beginning only
    _, last = _page(client, f"/texts/{slugs[PLAY]}/?part=3")
    shown = re.findall(r'<span class="lnum">(\d+)</span>', markup + last)
    assert len(shown) == len(set(shown)) and shown[-1] == "2170"


def test_verse_in_the_reader_and_over_dts_cited_by_the_file_s_line_numbers(client, loaded):
    slugs, _ = loaded
    slug = slugs[VERSE]
    text, markup = _page(client, f"/texts/{slug}/")
    assert "urn:cts" not in text  # no heading, no contents entry made of the URN
    assert re.findall(r'<span class="lnum">(\d+)</span>', markup) == ["5", "10", "15", "20", "25", "30", "35"]
    response = client.get(f"/texts/{slug}/12/")
    assert response.status_code == 302 and response["Location"].endswith("#l-12")
    line = client.get(f"/api/dts/document/?resource={slug}&ref=12").content.decode()
    assert "Ἀλλ’ ἤτοι χολόεν μὲν ἰδὲ στομίοισι δυσαλθὲς" in line and "πνυθείης" not in line
    navigation = json.loads(client.get(f"/api/dts/navigation/?resource={slug}&down=1").content)
    assert [m["identifier"] for m in navigation["member"]][:3] == ["1", "2", "3"]


def test_inscription_in_the_reader_and_txt_leiden_and_whole_words(client, loaded):
    slugs, _ = loaded
    slug = slugs[INSCRIPTION]
    _, markup = _page(client, f"/texts/{slug}/")
    assert (
        '<span class="tei-abbr">ἡμ</span><span class="tei-ex" title="expansion of an abbreviation">έρᾳ</span>'
    ) in markup
    assert '<span class="alt alt-norm" title="normalised (corr)">Μνημεῖον</span>' in markup
    assert 'class="tei-supplied"' in markup and 'class="tei-unclear"' in markup and 'class="tei-gap"' in markup
    plain = client.get(f"/texts/{slug}.txt").content.decode()
    assert "ἡμέρᾳ Κυρίου" in plain and "Yiannis Meimaris" in plain
    assert "μετὰ καλοῦ" in plain  # a supplied word across lb[@break='no'] is joined


def test_letter_in_the_reader_headed_with_numbered_commentary_out_of_the_text(client, loaded):
    slugs, _ = loaded
    slug = slugs[LETTER]
    text, markup = _page(client, f"/texts/{slug}/")
    assert "From: Paul Tillich, 14.10.1917" in text and "To: Maria Klein" in text
    marks = re.findall(r'<sup class="note-mark">(\d+)</sup><span class="commentary"', markup)
    assert marks == ["1", "2"]
    assert 'data-noise="ea"' not in markup and 'id="show-commentary"' in markup
    plain = client.get(f"/texts/{slug}.txt").content.decode()
    assert "(Hochzeitsgesellschaft!) So will ich" in plain and "heirateten" not in plain
    assert "Abs" + "underliches" in plain  # unclear letter inside a word: one word
    found, _ = _page(client, "/search/?q=Pastorenkreise")
    assert "Berliner Pastorenkreise" in found


@pytest.mark.django_db
def test_export_importtei_load_gives_back_the_same_reading(tmp_path, imported):
    """The four imported, loaded, exported, imported again from the export, loaded into an emptied
    database: the same documents, units, numbers and mentions."""
    from test_tei_roundtrip import export_import_load, state

    from reader.texts.loader import CorpusLoader

    assert CorpusLoader(imported[0]).run().failed == []
    before = state()
    reports, _ = export_import_load(tmp_path, "unseen")
    assert [r.error for r in reports if r.error] == []
    after = state()
    assert after.keys() == before.keys() == {r.slug for r in imported[1].values()}
    for slug in before:
        assert after[slug] == before[slug], slug


def test_verse_page_break_is_a_marker_inside_the_poem_not_a_new_unit(imported):
    """Nicander's <pb/> between lines 15 and 16 (a milestone) does not split the lines into two units."""
    root = _doc(imported, VERSE)
    units = [u for u in citable_units(root) if u.kind == "p"]
    assert len(units) == 1
    poem = next(p for p in root.iterfind(".//tei:p", NS) if p.get(XML_ID) == units[0].id)
    assert [line.get("n") for line in poem.iterfind("tei:l", NS)] == [str(n) for n in range(1, 36)]
    pb = poem.find("tei:pb", NS)
    assert pb is not None and pb.get("facs") == "theriacaetalexip00nica_0290"
    assert pb.getprevious().get("n") == "15" and pb.getnext().get("n") == "16"
    assert "καταστρεφθέντα δέδουπε. Τοῖο δὲ πάντα" in units[0].text  # the lines stay words apart


def test_play_front_matter_is_unnumbered_and_the_first_speech_is_paragraph_one(client, loaded):
    from reader.texts.models import Document

    slugs, _ = loaded
    play = Document.objects.get(slug=slugs[PLAY])
    units = list(play.paragraphs.order_by("position"))
    first = next(i for i, u in enumerate(units) if u.text.startswith("Heraus in eure Schatten"))
    front = units[:first]
    # title page (docAuthor, titlePart), the cast list (Personen) and the setting (set) come before it
    texts = [u.text for u in front]
    for expected in ("Johann Wolfgang Goethe", "Iphigenie auf Tauris", "Personen", "Thoas, König der Taurier"):
        assert expected in texts
    assert "Schauplatz: Hain vor Dianens Tempel." in texts
    assert all(u.number is None for u in front)
    assert units[first].number == 1 and units[first].label == "¶ 1"
    _, markup = _page(client, f"/texts/{slugs[PLAY]}/")
    assert 'aria-label="Permalink to ¶ 1">¶ 1</a><p><a class="speaker"' in markup
    assert markup.count('aria-label="Permalink to front matter"') == len([u for u in front if u.kind != "head"])
    thoas = next(u for u in front if u.text == "Thoas, König der Taurier")
    text, _ = _page(client, f"/texts/{slugs[PLAY]}/{thoas.xml_id}/")  # its permalink
    assert "Thoas, König der Taurier" in text and "front matter" in text
    plain = client.get(f"/texts/{slugs[PLAY]}.txt").content.decode()
    assert plain.index("Thoas, König der Taurier") < plain.index("Heraus in eure Schatten")


def test_play_page_break_between_scenes_opens_the_next_scene_not_a_section_of_its_own(imported):
    root = _doc(imported, PLAY)
    assert root.find(".//tei:div[@subtype='continued']", NS) is None
    pb = next(p for p in root.iterfind(".//tei:pb", NS) if p.get("n") == "9")  # between I 1 and I 2
    scene = pb.getparent()
    assert scene.get("subtype") == "scene" and scene.find("tei:head", NS).text == "Zweiter Auftritt"
