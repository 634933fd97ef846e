"""Permanent paragraph ids across edits of a source (on a temporary copy of seed 000)."""

import re

import pytest

from reader.tei.document import citable_units
from reader.tei.xml import NS, parse_file

INSERTED = "A paragraph the editor of the source inserted later, about something else entirely."


@pytest.fixture
def edited(tmp_path, seed_paths, ingest_into):
    """Ingest a copy of seed 000, edit the copy, ingest again; return (before, after) roots."""
    source = tmp_path / "article.txt"
    original = seed_paths[0].read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    (first,) = ingest_into([source], today="2026-01-01")
    before = parse_file(first.path)
    text = original.replace(
        "The war between Germany and the Soviet Union broke out after one year of Soviet occupation in Latvia.\n",
        "The war between Germany and the Soviet Union broke out after one year of Soviet occupation in Latvia.\n\n"
        + INSERTED
        + "\n",
    )
    text = text.replace("had an organized hierarchy system", "had an organised hierarchy system")
    deleted = (
        "Many Latvians were actively involved in the resistance movement against the policies of the "
        "German occupation regime. Daugavpils was the scene of fierce Jewish resistance during the Holocaust."
    )
    assert deleted in text
    text = text.replace(deleted + "\n", "")
    source.write_text(text, encoding="utf-8")
    (second,) = ingest_into([source], today="2026-02-01")
    assert second.path == first.path and second.written
    return before, parse_file(second.path), deleted


def units_by_text(root):
    return {u.text: u.id for u in citable_units(root)}


def test_unchanged_units_keep_their_ids(edited):
    before, after, deleted = edited
    old, new = units_by_text(before), units_by_text(after)
    kept = [text for text in old if text in new]
    assert len(kept) >= len(old) - 3
    for text in kept:
        assert new[text] == old[text], text


def test_lightly_changed_paragraph_keeps_its_id_and_its_earlier_text(edited):
    before, after, _ = edited
    old = next(u for u in citable_units(before) if "organized hierarchy" in u.text)
    new = next(u for u in citable_units(after) if "organised hierarchy" in u.text)
    assert new.id == old.id
    earlier = after.find(f".//tei:listAnnotation[@type='earlier-texts']/tei:note[@target='#{old.id}']", NS)
    assert earlier is not None and "organized hierarchy" in earlier.text and earlier.get("n") == "1"


def test_new_paragraph_gets_a_fresh_id_never_used_before(edited):
    before, after, _ = edited
    new = next(u for u in citable_units(after) if u.text == INSERTED)
    used_before = {u.id for u in citable_units(before)}
    assert new.id not in used_before
    number = lambda ident: int(re.sub(r"\D", "", ident))  # noqa: E731
    assert number(new.id) > max(number(i) for i in used_before if i.startswith("p"))


def test_deleted_paragraph_id_is_retired_with_its_text(edited):
    before, after, deleted = edited
    old_id = units_by_text(before)[deleted]
    assert old_id not in {u.id for u in citable_units(after)}
    note = after.find(f".//tei:listAnnotation[@type='retired']/tei:note[@n='{old_id}']", NS)
    assert note is not None and "".join(note.itertext()) == deleted
    # the date of the change is a child date (tei_all gives note no @when)
    assert note.get("subtype") == "deleted" and note.find("tei:date", NS).get("when") == "2026-02-01"


def test_revision_is_recorded_once(edited):
    _, after, _ = edited
    changes = after.findall(".//tei:revisionDesc/tei:change", NS)
    assert [c.get("n") for c in changes] == ["1", "2"]
    assert changes[1].get("when") == "2026-02-01" and "1 retired" in changes[1].text


def test_retired_id_is_never_given_again(tmp_path, ingest_into):
    source = tmp_path / "small.txt"
    paragraphs = [f"Paragraph number {n} talks about its own subject {n * 7}." for n in range(1, 5)]
    source.write_text("= Small =\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    (first,) = ingest_into([source])
    ids = units_by_text(parse_file(first.path))
    source.write_text("= Small =\n\n" + "\n\n".join(paragraphs[:3]), encoding="utf-8")
    ingest_into([source], today="2026-01-02")
    source.write_text(
        "= Small =\n\n" + "\n\n".join(paragraphs[:3] + ["Something quite new was added here."]), encoding="utf-8"
    )
    (third,) = ingest_into([source], today="2026-01-03")
    after = units_by_text(parse_file(third.path))
    assert after["Something quite new was added here."] not in ids.values()
    retired = parse_file(third.path).findall(".//tei:note[@type='retired']", NS)
    assert [n.get("n") for n in retired] == [ids[paragraphs[3]]]


def test_merged_paragraphs_record_their_successor(tmp_path, ingest_into):
    source = tmp_path / "merge.txt"
    a = "The first paragraph describes the river and its many bridges in some detail."
    b = "The second paragraph describes the old town and its narrow streets at length."
    source.write_text(f"= Merge =\n\n{a}\n\n{b}\n", encoding="utf-8")
    (first,) = ingest_into([source])
    ids = units_by_text(parse_file(first.path))
    source.write_text(f"= Merge =\n\n{a} {b}\n", encoding="utf-8")
    (second,) = ingest_into([source], today="2026-03-01")
    root = parse_file(second.path)
    (merged,) = [u for u in citable_units(root) if u.kind == "p"]
    assert merged.id == ids[a]
    note = root.find(f".//tei:note[@type='retired'][@n='{ids[b]}']", NS)
    assert note.get("subtype") == "merged" and note.get("corresp") == f"#{merged.id}"
