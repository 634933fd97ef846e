"""Structure respected (issue 18, item 4): no reading pairs heading text with paragraph text, and no reading runs
over a unit boundary where the reading it stands against lies inside one unit, unless the same words moved."""

from __future__ import annotations

from compare_fixtures import darwin_units

from reader.tei.collate.engine import collate
from reader.tei.document import Unit


def unit(uid: str, kind: str, text: str, section: str = "s1") -> Unit:
    return Unit(id=uid, kind=kind, section_id=section, text=text, lang="en", inferred=False)


def worded(reading) -> list:
    return [s for s in reading.spans if s.end > s.start] if any(c.isalnum() for c in reading.text) else []


def crossing(collation, kinds) -> list[tuple[str, str, str]]:
    """(kind of crossing, base text, witness text) of every reading with words against a base reading with words
    that is not a transposition and crosses structure otherwise than the base's."""
    out = []
    for variant in collation.variants():
        base = worded(variant.readings[0])
        for reading in variant.readings[1:]:
            spans = worded(reading)
            if not base or not spans or reading.type == "transposition":
                continue
            heads = [{kinds[s.siglum, s.unit] == "head" for s in side} for side in (base, spans)]
            many = [
                max(len({s.unit for s in side if s.siglum == w}) for w in {s.siglum for s in side}) > 1
                for side in (base, spans)
            ]
            if heads[0] != heads[1]:
                out.append(("kind", variant.readings[0].text, reading.text))
            elif many[0] != many[1]:
                out.append(("straddle", variant.readings[0].text, reading.text))
    return out


BODY = [
    unit("p1", "p", "He set out early on a grey morning and walked towards the river."),
    unit("p2", "p", "The road was long and the rain fell without end."),
    unit("h2", "head", "Chapter Two", "s2"),
    unit("p3", "p", "At the river he found a boat tied to a post.", "s2"),
]
TITLE_PAGE = [
    unit("t1", "head", "The Voyage Out", "s0"),
    unit("t2", "head", "A Tale of the Northern Sea", "s0"),
    unit("t3", "head", "London, Printed for the Author", "s0"),
]
LATER = [
    unit("p0", "p", "Written in exile, revised in haste, given to friends."),
    *BODY[:3],
    unit("p3", "p", "At the river, curious as ever, he found a boat tied to a post, printed with mud.", "s2"),
]


def test_a_title_page_one_edition_lacks_is_omitted_not_paired_with_the_clauses_the_other_adds():
    first, later = [*TITLE_PAGE, *BODY], LATER
    kinds = {(siglum, u.id): u.kind for siglum, units in (("A", first), ("B", later)) for u in units}
    collation = collate([("A", first), ("B", later)])
    assert crossing(collation, kinds) == []
    variants = list(collation.variants())
    omitted = "".join(v.readings[0].text for v in variants if v.reading_of("B").type == "omission")
    for heading in TITLE_PAGE:
        assert heading.text in omitted
    assert all(v.subtype == "heading" for v in variants if v.reading_of("B").type == "omission")
    added = [v.reading_of("B").text.strip() for v in variants if v.reading_of("B").type == "addition"]
    assert "Written in exile, revised in haste, given to friends." in added
    assert any("curious as ever" in text for text in added)
    assert not [v for v in variants if v.reading_of("B").type == "substantive"]


def test_darwin_no_reading_runs_over_a_paragraph_end_against_words_inside_one_paragraph():
    sigla, paragraphs = darwin_units()
    editions = {s: [unit(f"p{k}", "p", p[s]) for k, p in enumerate(paragraphs, 1) if s in p] for s in sigla}
    kinds = {(s, u.id): u.kind for s, units in editions.items() for u in units}
    collation = collate([(s, editions[s]) for s in sigla])
    assert crossing(collation, kinds) == []
    # 1869 replaces "embryo" with the end of its paragraph; its next paragraph's opening is a reading of its own.
    embryo = [v for v in collation.variants() if v.readings[0].text.strip() == "embryo"]
    assert embryo
    reading = embryo[0].reading_of("1869")
    assert reading.text.strip().endswith("the sap.")
    assert len({s.unit for s in reading.spans}) == 1
