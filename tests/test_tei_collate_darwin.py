"""Collation of real multi-witness material: chapter 1 of Darwin's *Origin of Species* in six editions
(1859, 1860, 1861, 1866, 1869, 1872), 47 paragraph units, as CollateX ships it for its demo
(``bench/data/darwin-origin-ch1.json``; source and licence in ``bench/README.md``)."""

import json
from pathlib import Path

import pytest

from reader.tei.collate import TYPES, collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.classify import most_significant
from reader.tei.collate.model import Reading
from reader.tei.document import Unit
from reader.tei.validate import validate_tree

DATA = Path(__file__).resolve().parent.parent / "bench" / "data" / "darwin-origin-ch1.json"


@pytest.fixture(scope="module")
def editions():
    """[(year, [Unit per paragraph unit the edition has]), ...] in date order."""
    by_year: dict[str, list[Unit]] = {}
    for number, unit in enumerate(json.loads(DATA.read_text(encoding="utf-8")), 1):
        for witness in unit["witnesses"]:
            by_year.setdefault(witness["id"], []).append(
                Unit(id=f"p{number}", kind="p", section_id="s1", text=witness["content"], lang=None, inferred=False)
            )
    return sorted(by_year.items())


@pytest.fixture(scope="module")
def collation(editions):
    return collate(editions)


def test_six_editions_collate(editions, collation):
    assert [year for year, _ in editions] == ["1859", "1860", "1861", "1866", "1869", "1872"]
    assert sum(len(u.text.split()) for _, units in editions for u in units) > 60_000
    counts = collation.counts()
    assert set(counts) <= set(TYPES) and sum(counts.values()) > 300


def test_readings_typed_with_and_without_subtype_in_one_unit(collation):
    """The crash of issue 9: substantive readings with and without subtype 'inflection' in one app."""
    mixed = [v for v in collation.variants() if len({(r.type, r.subtype) for r in v.readings if r.type == v.type}) > 1]
    assert mixed, "the six editions have apps whose readings share a type but not a subtype"
    plain = Reading(("b",), "x", "substantive", None, ())
    inflected = Reading(("c",), "y", "substantive", "inflection", ())
    assert most_significant([plain, inflected]) == most_significant([inflected, plain]) == ("substantive", None)


def test_each_edition_is_given_back_by_the_apparatus(editions, collation):
    for year, units in editions:
        parts = []
        for group in collation.groups:
            for segment in group.segments:
                parts.append(segment.reading_of(year).text if segment.is_variant else segment.text)
        assert "".join("".join(parts).split()) == "".join("".join(u.text for u in units).split()), year


def test_first_sentence_revision(collation):
    """1859 "differ much more from each other, than do"; 1860-1866 and 1872 drop "much" and the comma;
    1869 has "differ from each other more than do". As an editor writes it: "much] om. 1860-1872"
    (all five later editions, one entry), and "more" moved by 1869 to after "other" (a transposition,
    its two places linked), not one unit "much more" that 1869 would seem to omit whole."""
    much = next(v for v in collation.variants() if v.readings[0].text.strip() == "much")
    assert much.type == "omission"
    assert [(r.witnesses, r.text.strip(), r.type) for r in much.readings] == [
        (("1859",), "much", None),
        (("1860", "1861", "1866", "1869", "1872"), "", "omission"),
    ]
    more = next(v for v in collation.variants() if v.n == much.n + 1)
    assert [(r.witnesses, r.text.strip(), r.type) for r in more.readings] == [
        (("1859", "1860", "1861", "1866", "1872"), "more", None),
        (("1869",), "", "transposition"),
    ]
    later = next(v for v in collation.variants() if v.n > more.n and v.reading_of("1869").text.strip() == "more")
    assert later.type == "transposition" and later.reading_of("1859").text == ""


def test_two_editions_of_the_first_sentence():
    """1860 against 1859 alone: "much" omitted, the comma after "other" dropped, nothing else."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    texts = {w["id"]: w["content"] for w in data[0]["witnesses"]}
    first = [
        (year, [Unit(id="p1", kind="p", section_id="s1", text=texts[year].split(". ")[0], lang=None, inferred=False)])
        for year in ("1859", "1860")
    ]
    found = [(v.type, tuple(r.text.strip() for r in v.readings)) for v in collate(first).variants()]
    assert found == [("omission", ("much", "")), ("punctuation", (",", ""))]


def test_apparatus_is_valid_tei(collation):
    assert validate_tree(write_apparatus(collation, work="origin-ch1")) == []


def test_word_moved_beside_an_omission_is_a_transposition():
    """1859 "differ much more from each other, than do" / 1869 "differ from each other more than do":
    "much" omitted, "more" moved (its two places linked), the comma dropped."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    texts = {w["id"]: w["content"] for w in data[0]["witnesses"]}

    def clause(year):  # from "differ" to the end of the sentence
        start = texts[year].index("differ")
        return texts[year][start : texts[year].index(". ", start)]

    pair = [
        (year, [Unit(id="p1", kind="p", section_id="s1", text=clause(year), lang=None, inferred=False)])
        for year in ("1859", "1869")
    ]
    found = list(collate(pair).variants())
    assert [(v.type, tuple(r.text.strip() for r in v.readings)) for v in found] == [
        ("omission", ("much", "")),
        ("transposition", ("more", "")),
        ("punctuation", (",", "")),
        ("transposition", ("", "more")),
    ]
    assert found[1].partner == found[3].n and found[3].partner == found[1].n


def test_a_fragmentary_witness_reads_nothing_where_it_breaks_off_and_merges_no_unit(editions):
    """A witness that has only the chapter's opening (a fragment) omits the rest. The units 1859 and
    1860 differ by there stay the units they are between the two alone, with the fragment silent in
    each (one revision may come apart into its finer changes), not one unit as long as the lacuna."""
    by_year = dict(editions)
    fragment = by_year["1859"][:3]
    pair = collate([("1859", by_year["1859"]), ("1860", by_year["1860"])])
    three = collate([("1859", by_year["1859"]), ("1860", by_year["1860"]), ("fragment", fragment)])

    def readings(v):
        return tuple("".join(v.reading_of(s).text.split()) for s in ("1859", "1860"))

    between_two = [readings(v) for v in pair.variants()]
    with_fragment = [readings(v) for v in three.variants() if readings(v)[0] != readings(v)[1]]
    assert len(between_two) > 50
    same = [unit for unit in between_two if unit in with_fragment]
    assert len(same) >= len(between_two) - 2  # a revision may be given as its finer changes
    assert len(with_fragment) <= len(between_two) + 5
    # No unit where the two differ runs longer than between the two alone (where only the fragment
    # differs, a unit is the passage it lacks, however long).
    assert max(len(a) for a, _ in with_fragment) <= max(len(a) for a, _ in between_two)
    kept = {u.id for u in fragment}
    silent = [
        v for v in three.variants() if readings(v)[0] != readings(v)[1] and v.readings[0].spans[0].unit not in kept
    ]
    assert silent and all(v.reading_of("fragment").text == "" for v in silent)
