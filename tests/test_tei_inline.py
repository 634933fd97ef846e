"""Tooltip and maintenance-marker recognition on made-up lines (general rules, not the seeds)."""

import pytest

from reader.tei.inline import is_tooltip_line, mark_editorial, split_tooltip
from reader.tei.structure import recover


@pytest.mark.parametrize(
    "line, term",
    [
        ("Oslo Oslo ( ; ) is the capital and most populous city of Norway. It constitutes ...", "Oslo"),
        ("founded Foundation (Latin ''fundare'') is the act of establishing something new ...", "founded"),
        ("Nordic Council The Nordic Council is the official body for formal inter-parliamentary ...", "Nordic Council"),
        ("Battle of Hastings The Battle of Hastings was fought on 14 October 1066 between ...", "Battle of Hastings"),
        ("treaty of friendship A treaty is a formal legally binding written agreement ...", "treaty of friendship"),
        ("Jan Smuts Jan Christiaan Smuts was a South African statesman and military leader ...", "Jan Smuts"),
        ("Harbour Board Act In 1900 the colonial government passed a law that regulated ...", "Harbour Board Act"),
    ],
)
def test_linked_term_is_separated_from_its_tooltip(line, term):
    assert is_tooltip_line(line)
    got_term, tooltip = split_tooltip(line)
    assert got_term == term
    assert line == got_term + line[len(got_term) :] and tooltip.strip().endswith("...")


def test_ordinary_sentence_is_not_a_tooltip():
    assert not is_tooltip_line("The city grew quickly after the war and the harbour was rebuilt.")


def test_maintenance_markers_become_editorial_segments():
    segs = mark_editorial("It was large.[citation needed] It was old.[when?]")
    assert [s.kind for s in segs] == ["text", "editorial", "text", "editorial"]
    assert segs[1].text == "[citation needed]"


def test_soft_wrapped_page_with_tooltips_keeps_terms_in_text():
    text = (
        "A Page Title\n   HOME\n\nMySiteName\n\n"
        "The river\nDaugava Daugava is a river rising in the Valdai Hills, flowing through ...\n"
        "flows into the gulf. It is long.\n\n\nHistory\n\nIt was used for trade by\n"
        "Vikings Vikings were seafaring people originally from Scandinavia who ...\nand others.\n"
    )
    structure = recover(text)
    assert structure.title == "A Page Title"
    assert [(b.kind, b.subtype) for b in structure.blocks if b.kind == "chrome"] == [
        ("chrome", "navigation"),
        ("chrome", "site-name"),
    ]
    paragraphs = [b for b in structure.blocks if b.kind == "p"]
    assert " ".join(paragraphs[0].text.split()) == "The river Daugava flows into the gulf. It is long."
    assert [s.kind for s in paragraphs[1].segs] == ["text", "gloss", "text"]
    assert [b.text for b in structure.blocks if b.kind == "head"] == ["History"]


def test_flat_text_without_a_related_version_is_divided_by_sentences(tmp_path, ingest_into):
    sentences = [f"Sentence number {n} says something about topic {n % 7} in plain words here." for n in range(60)]
    source = tmp_path / "flat.txt"
    source.write_text(" ".join(sentences), encoding="utf-8")
    (result,) = ingest_into([source])
    from reader.tei.document import citable_units
    from reader.tei.xml import parse_file

    units = citable_units(parse_file(result.path))
    assert len(units) >= 4 and all(u.inferred for u in units)
    assert " ".join(u.text for u in units) == " ".join(sentences)
    assert all(u.text.endswith("here.") for u in units)
