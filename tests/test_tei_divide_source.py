"""The source's divisions kept (issue 20, item 1): a source that marks its paragraphs keeps exactly those as
units, however long; only a source with no divisions is divided by the editor, and says so.

Real texts, none of them written for this project: Darwin's six editions of *Origin* ch. I (one paragraph a
line, blank lines between), two Project Gutenberg extracts (wrapped at 70 columns, blank lines between
paragraphs; ``tests/data/gutenberg/README.md``) and the seeds. The source's paragraphs are counted here from
the file itself (a blank-line split), not by the pipeline.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from reader.tei.document import citable_units
from reader.tei.ingest import build_document, seed_name
from reader.tei.source import read_source, source_from_bytes
from reader.tei.xml import NS, XML_ID, parse_file

DATA = Path(__file__).resolve().parent / "data"
DARWIN = sorted((DATA / "origin-ch1").glob("origin-ch1-*.txt"))
GUTENBERG = sorted((DATA / "gutenberg").glob("*.txt"))
OLD_IDS = DATA / "permalinks" / "corpus-ids-before-source-divisions.tsv"


def blank_line_paragraphs(path: Path) -> list[str]:
    """The source's paragraphs as a reader counts them: what blank lines set apart."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    return [chunk for chunk in re.split(r"\n[ \t]*\n", text) if chunk.strip()]


def letters(text: str) -> str:
    """Letters and digits only: a unit's text and its source paragraph compare without markup or spacing."""
    return re.sub(r"[\W_]+", "", text)


def ingest(path: Path):
    root = build_document(read_source(path), "doc", today="2026-01-01")
    return root, citable_units(root)


def segmentation(root) -> str:
    return " ".join(" ".join(p.itertext()) for p in root.iterfind(".//tei:segmentation/tei:p", NS))


def test_test_material_is_there():
    assert len(DARWIN) == 6 and len(GUTENBERG) == 2


@pytest.mark.parametrize("path", DARWIN, ids=lambda p: p.stem)
def test_darwin_keeps_his_paragraphs(path):
    """43 paragraphs in 1859–1866, 47 in 1869 and 1872: as many units, each one of Darwin's paragraphs whole
    (up to 550 words), none marked as the editor's."""
    paragraphs = blank_line_paragraphs(path)
    root, units = ingest(path)
    assert len(units) == len(paragraphs) in (43, 47)
    assert [u.kind for u in units] == ["p"] * len(paragraphs)
    assert [letters(u.text) for u in units] == [letters(p) for p in paragraphs]
    assert not any(u.inferred for u in units)
    assert max(len(p.split()) for p in paragraphs) > 450
    assert "however long" in segmentation(root) and "one paragraph per line" in segmentation(root)


@pytest.mark.parametrize("path", GUTENBERG, ids=lambda p: p.stem)
def test_wrapped_text_keeps_its_blank_line_paragraphs(path):
    """A Gutenberg text wrapped at 70 columns: a line break inside a paragraph is layout, even after a full
    stop; every blank-line paragraph is one unit (a heading such as "Letter 1" is a unit too, or the title)."""
    paragraphs = blank_line_paragraphs(path)
    root, units = ingest(path)
    title = root.find("tei:text/tei:front/tei:docTitle/tei:titlePart", NS)  # a title line of the source
    from_source = [p for p in paragraphs if title is None or letters(p) != letters(title.text)]
    assert len(from_source) >= len(paragraphs) - 1  # at most the title line is not a unit
    assert len(units) == len(from_source)
    assert [letters(u.text) for u in units] == [letters(p) for p in from_source]
    assert not any(u.inferred for u in units)
    inner_full_stops = sum(bool(re.search(r"[.!?][”’\"')]*\n[ \t]*[“\"A-Z]", p)) for p in paragraphs)
    assert inner_full_stops >= 10  # lines that end a sentence inside a paragraph: the old rule cut there
    assert "wrapped at a fixed width" in segmentation(root)


def darwin_laid_out(how: str) -> str:
    """Darwin's 1859 paragraphs as other sources mark paragraphs: wrapped at a width with blank lines between,
    wrapped with an indented first line and no blank line, one a line without blank lines, CRLF line ends."""
    paragraphs = blank_line_paragraphs(DARWIN[0])
    kind, _, width = how.partition("-")
    if kind == "blank":
        return "\n\n".join(textwrap.fill(p, int(width)) for p in paragraphs) + "\n"
    if kind == "indent":
        return "\n".join(textwrap.fill(p, int(width), initial_indent="    ") for p in paragraphs) + "\n"
    if kind == "tab":
        return "\n".join(textwrap.fill(p, int(width), initial_indent="\t") for p in paragraphs) + "\n"
    if kind == "crlf":
        return "\r\n\r\n".join(textwrap.fill(p, int(width)).replace("\n", "\r\n") for p in paragraphs) + "\r\n"
    return "\n".join(paragraphs) + "\n"


@pytest.mark.parametrize(
    "how", ["blank-60", "blank-72", "blank-100", "blank-150", "indent-72", "tab-100", "crlf-72", "lines"]
)
def test_darwin_in_other_layouts_keeps_his_paragraphs(how):
    paragraphs = blank_line_paragraphs(DARWIN[0])
    text = darwin_laid_out(how)
    root = build_document(source_from_bytes(text.encode(), f"{how}.txt"), "doc", today="2026-01-01")
    units = citable_units(root)
    assert [letters(u.text) for u in units] == [letters(p) for p in paragraphs]
    assert not any(u.inferred for u in units)


def test_indentation_marks_paragraphs_where_blank_lines_do_not():
    """A wrapped text without blank lines whose paragraphs begin with an indented line."""
    lines = [
        "    It was the first paragraph of the text, which ran on for a while and",
        "then ended at the close of a sentence like this one, which it did now.",
        "    The second paragraph began here with an indent and went on much as the",
        "first had, through another line or two of wrapped text, then it ended.",
        "    A third began, and its words filled the line to the width as before, and",
        "finished on the next line after the second sentence of this paragraph.",
    ]
    root = build_document(source_from_bytes("\n".join(lines).encode(), "indented.txt"), "doc", today="2026-01-01")
    assert [u.text.split()[:2] for u in citable_units(root)] == [["It", "was"], ["The", "second"], ["A", "third"]]


def test_verse_lines_indented_at_will_are_not_cut():
    stanza = [
        "Stanza of a wrapped text: the lines of a poem, indented as the poet wished,",
        "  and set in one block between blank lines, are one unit of the source.",
        "    So this line, indented deeper, follows one that ends a sentence, yet",
        "  it does not start a paragraph: the block is verse, not indented prose.",
    ]
    prose = ["Prose of the same width follows, which wraps its lines at the same column", "and ends here."]
    text = "\n".join(stanza) + "\n\n" + "\n".join(prose) + "\n"
    root = build_document(source_from_bytes(text.encode(), "verse.txt"), "doc", today="2026-01-01")
    assert len(citable_units(root)) == 2


def test_asterisks_in_a_wrapped_text_are_no_bullets():
    """An omission ("* * * Utter confusion") at a line start and a box drawn with asterisks stay in their
    paragraph; a real bullet list is still a list."""
    text = (
        "It is not my intention, were it in my power, to enter into the inquiry as\n"
        "to the true method of dividing the cetacea into groups and families.\n"
        "* * * Utter confusion exists among the historians of this animal, says he,\n"
        "and the surgeon agrees with him on this point, as on most of the others.\n\n"
        "    ***************************************************************\n"
        "    * It is our painful duty to record the sudden and mysterious  *\n"
        "    * disappearance of our cherished friend, the cat of the house *\n"
        "    ***************************************************************\n\n"
        "The list of what was taken, which the reader will find wrapped at the same\n"
        "width as the rest of this text, follows here in the usual way:\n\n"
        "- a basket\n- a dish\n"
    )
    root = build_document(source_from_bytes(text.encode(), "asterisks.txt"), "doc", today="2026-01-01")
    units = citable_units(root)
    assert [u.kind for u in units] == ["p", "p", "p", "item", "item"]
    assert "Utter confusion" in units[0].text and "mysterious" in units[1].text


def test_many_pieces_merged_back_keep_the_first_piece_id(tmp_path, ingest_into):
    """Five paragraphs that become one: the whole keeps the first one's id (its text is a fifth of the whole,
    too little for a similarity match), the other four are retired as merged into it."""
    source = tmp_path / "pieces.txt"
    pieces = [
        f"Piece {n} of the paragraph says something of its own about the {topic} in a sentence of its own."
        for n, topic in enumerate(["river", "bridges", "old town", "market", "harbour"], 1)
    ]
    source.write_text("= Pieces =\n\n" + "\n\n".join(pieces) + "\n", encoding="utf-8")
    (first,) = ingest_into([source])
    before = {u.text: u.id for u in citable_units(parse_file(first.path)) if u.kind == "p"}
    source.write_text("= Pieces =\n\n" + " ".join(pieces) + "\n", encoding="utf-8")
    (second,) = ingest_into([source], today="2026-03-01")
    root = parse_file(second.path)
    (whole,) = [u for u in citable_units(root) if u.kind == "p"]
    assert whole.id == before[pieces[0]]
    for piece in pieces[1:]:
        note = root.find(f".//tei:note[@type='retired'][@n='{before[piece]}']", NS)
        assert note.get("subtype") == "merged" and note.get("corresp") == f"#{whole.id}"


def test_flattened_seed_is_still_divided_by_the_editor(seed_paths):
    """Seed 001 is one line of 1,177 words: the source has no divisions, so the editor's (sentence
    boundaries, alone; or projected from the structured version in the corpus) are marked resp="#pipeline"."""
    flat = next(p for p in seed_paths if len(p.read_text(encoding="utf-8").strip().splitlines()) == 1)
    root, units = ingest(flat)
    assert len(units) > 5 and all(u.inferred for u in units)
    assert "The source has no line breaks. Its division into paragraphs is editorial" in segmentation(root)
    assert "however long" in segmentation(root)


def test_seeds_with_lines_keep_every_line_and_no_editorial_paragraph(corpus_dir, seed_paths):
    """In the corpus: no paragraph of a seed that has lines carries resp="#pipeline" any more; the wiki seed
    has a unit for every line but its '= Title =' line; the paragraphs of the scraped page are whole (the
    longest, 810 words, was cut into six before)."""
    docs = {seed_name(root): root for root in map(parse_file, corpus_dir.glob("*.xml")) if seed_name(root)}
    for path in seed_paths:
        root = docs[path.name]
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        paragraphs = [u for u in citable_units(root) if u.kind == "p"]
        if len(lines) == 1:
            assert all(p.inferred for p in paragraphs)
            continue
        assert not any(p.inferred for p in paragraphs), path.name
        if lines[0].startswith("= "):
            assert len(citable_units(root)) == len(lines) - 1
    scraped = docs[next(p.name for p in seed_paths if p.stat().st_size > 50_000)]
    assert max(len(u.text.split()) for u in citable_units(scraped)) > 800


def old_ids() -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in OLD_IDS.read_text(encoding="utf-8").splitlines() if line]


def test_old_ids_list_is_the_record():
    ids = old_ids()
    assert len(ids) == 274 and ("second-soviet-occupation-of-the-baltic-states", "p2") in ids


@pytest.mark.django_db
def test_every_id_the_corpus_had_still_answers(client, corpus_dir):
    """Every unit and section id of the corpus before the change answers 200, or 301 to a page that answers
    200 (a merged part to the unit it went into), never 404 or 410."""
    from reader.texts.loader import CorpusLoader

    assert CorpusLoader(corpus_dir).run().failed == []
    statuses = {}
    for slug, ident in old_ids():
        response = client.get(f"/texts/{slug}/{ident}/")
        statuses[f"{slug}/{ident}"] = response.status_code
        if response.status_code == 301:
            assert client.get(response["Location"]).status_code == 200, (slug, ident, response["Location"])
    assert {k: v for k, v in statuses.items() if v not in (200, 301)} == {}
    merged = [k for k, v in statuses.items() if v == 301 and "/p" in k]
    assert len(merged) >= 25  # the pieces of the occupation article's long paragraphs


def test_merged_pieces_keep_the_first_part_id(corpus_dir):
    """A source paragraph that had been cut into pieces is one unit with the id of its first piece; the
    other pieces are retired as merged into it."""
    root = parse_file(corpus_dir / "second-soviet-occupation-of-the-baltic-states.xml")
    ids = {u.id for u in citable_units(root)}
    retired = root.findall(".//tei:listAnnotation[@type='retired']/tei:note", NS)
    merged = {n.get("n"): n.get("corresp", "")[1:] for n in retired if n.get("subtype") == "merged"}
    assert merged["p2"] == merged["p7"] == "p1" and "p1" in ids
    assert merged["p18"] == merged["p21"] == "p17"
    first = root.find(".//tei:p[@xml:id='p1']", {**NS, "xml": XML_ID.split("}")[0][1:]})
    assert first is not None and first.get("resp") is None


@pytest.mark.django_db
def test_darwin_whole_chapter_compares_paragraph_for_paragraph(client, tmp_path):
    """The six editions whole (43-47 units of up to 550 words each): ingest, collate, load; the compare page
    aligns them, and the permalink of ¶ 3 of 1859 is Darwin's third paragraph, whole."""
    from io import StringIO

    from django.core.management import call_command

    from reader.texts.models import Document

    out = tmp_path / "tei"
    paths = [str(p) for p in DARWIN]
    meta = str(DATA / "origin-ch1" / "witnesses.csv")
    call_command("ingest", "--no-entities", "--meta", meta, "--out", str(out), *paths, stdout=StringIO())
    call_command("collate", "--tei-dir", str(out), stdout=StringIO(), stderr=StringIO())
    call_command("load", "--dir", str(out), stdout=StringIO())
    page = client.get("/compare/on-the-origin-of-species-chapter-i/")
    assert page.status_code == 200
    third = blank_line_paragraphs(DARWIN[0])[2]
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "A ¶ 3 (A, p3)" in shown and " ".join(third.split()[:3]) in shown  # aligned under its ¶ number
    first_edition = Document.objects.get(seed_name=DARWIN[0].name)
    unit = first_edition.paragraphs.order_by("position")[2]
    assert letters(unit.text) == letters(third)
    response = client.get(unit.get_absolute_url())
    assert response.status_code == 200 and "¶ 3" in response.content.decode()
