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
    1869 has "differ from each other more than do"."""
    much = next(v for v in collation.variants() if v.readings[0].text.strip() == "much more")
    assert much.type == "omission"
    assert [(r.witnesses, r.text.strip(), r.type) for r in much.readings] == [
        (("1859",), "much more", None),
        (("1860", "1861", "1866", "1872"), "more", "omission"),
        (("1869",), "", "omission"),
    ]
    later = next(v for v in collation.variants() if v.n > much.n and v.reading_of("1869").text.strip() == "more")
    assert later.type == "addition" and later.reading_of("1859").text == ""


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
