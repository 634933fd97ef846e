"""Collation engine on small texts the tests make: types, options, n witnesses, structure, bad input."""

import signal

import numpy as np
import pytest

from reader.tei.collate import CollationError, CollationOptions, collate
from reader.tei.collate.align import align, myers_matches
from reader.tei.document import Unit


def units(*texts, prefix="p", kinds=None, sections=None):
    out = []
    for i, text in enumerate(texts, 1):
        kind = kinds[i - 1] if kinds else "p"
        section = sections[i - 1] if sections else "s1"
        out.append(Unit(id=f"{prefix}{i}", kind=kind, section_id=section, text=text, lang=None, inferred=False))
    return out


def variants(collation):
    return [(v.type, tuple(r.text.strip() for r in v.readings)) for v in collation.variants()]


def pair(a, b, **options):
    return collate(
        [
            ("A", units(*a) if isinstance(a, tuple) else units(a)),
            ("B", units(*b) if isinstance(b, tuple) else units(b)),
        ],
        CollationOptions(**options),
    )


def witness_text(collation, siglum):
    """A witness's text rebuilt from the parallel segmentation (agreements + its readings)."""
    parts = []
    for group in collation.groups:
        for segment in group.segments:
            if segment.is_variant:
                parts.append(segment.reading_of(siglum).text)
            else:
                parts.append(segment.text)
    return " ".join("".join(parts).split())


def test_identical_texts_agree_everywhere():
    c = pair("The Red Arrow was active.", "The Red Arrow was active.")
    assert list(c.variants()) == []
    assert [g.units for g in c.groups] == [{"A": ("p1",), "B": ("p1",)}]


def test_each_kind_of_difference_is_typed():
    c = pair(
        "In 1944 the Sarkanā bulta, a small unit, fought in Courland and Kurzeme until May [citation needed] .",
        "In 1944 the Sarkana bulta; a small band, fought hard in Kurzeme and Courland until May .",
    )
    found = variants(c)
    assert ("orthographic", ("Sarkanā", "Sarkana")) in found
    assert ("punctuation", (",", ";")) in found
    assert ("substantive", ("unit", "band")) in found
    assert ("addition", ("", "hard")) in found
    assert ("transposition", ("Courland and Kurzeme", "Kurzeme and Courland")) in found
    assert ("editorial", ("[citation needed]", "")) in found
    assert len(found) == 6


def test_orthographic_subtypes_and_inflection():
    c = pair("Par Dzimteni , the Red arrow", "Par Dzimtenes , the red Arrow")
    by_text = {tuple(r.text.strip() for r in v.readings): (v.type, v.subtype) for v in c.variants()}
    assert by_text[("Dzimteni", "Dzimtenes")] == ("substantive", "inflection")
    assert by_text[("Red arrow", "red Arrow")] == ("orthographic", "case")


def test_options_normalise_differences_away():
    a, b = "The Sarkanā Bulta, fought.", "the Sarkana bulta fought [citation needed]."
    assert {t for t, _ in variants(pair(a, b))} == {"orthographic", "punctuation", "editorial"}
    quiet = pair(a, b, ignore_case=True, ignore_diacritics=True, ignore_punctuation=True, ignore_editorial=True)
    assert variants(quiet) == []
    only_case = pair(a, b, ignore_case=True)
    assert ("orthographic", ("Sarkanā", "Sarkana")) in variants(only_case)
    assert not any(texts == ("The", "the") for _, texts in variants(only_case))


def test_whitespace_is_reported_only_when_asked():
    a, b = "from 1941—1945 on", "from 1941 — 1945 on"
    assert variants(pair(a, b)) == []
    assert [v.subtype for v in pair(a, b, ignore_whitespace=False).variants()] == ["whitespace"]


def test_moved_passage_is_a_transposition_with_partner():
    a = "Alpha beta gamma. The red arrow fought in the west. Delta epsilon zeta. Eta theta iota."
    b = "Alpha beta gamma. Delta epsilon zeta. The red arrow fought in the west. Eta theta iota."
    moves = [v for v in pair(a, b).variants() if v.type == "transposition"]
    assert len(moves) == 2
    assert moves[0].partner == moves[1].n and moves[1].partner == moves[0].n


def test_omission_and_addition_are_relative_to_the_first_witness():
    c = pair("Commander of these units was , who later", "Commander of these units was Vilis Samsons, who later")
    assert variants(c) == [("addition", ("", "Vilis Samsons"))]
    c = pair("Commander of these units was Vilis Samsons, who later", "Commander of these units was , who later")
    assert variants(c) == [("omission", ("Vilis Samsons", ""))]


def test_flat_witness_aligns_paragraph_by_paragraph_and_section_is_one_omission():
    structured = units(
        "History",
        "The partisans came in 1942 from the east.",
        "They fought until 1945 in the west.",
        "War crimes",
        "In May 1944 a brigade burned the village.",
        "In April 1945 a group raided a farm.",
        "See also",
        "Forest Brothers",
        kinds=["head", "p", "p", "head", "p", "p", "head", "item"],
        sections=["s1", "s1", "s1", "s2", "s2", "s2", "s3", "s3"],
    )
    flat = units(
        "The partisans came in 1942 from the east. They fought until 1945 in the far west. Forest Brothers", prefix="q"
    )
    c = collate([("A", structured), ("B", flat)])
    omissions = [v for v in c.variants() if v.type == "omission" and v.subtype != "heading"]
    assert len(omissions) == 1
    assert omissions[0].readings[0].units == {"A": ("p4", "p5", "p6")}  # the War crimes head and paragraphs
    assert omissions[0].reading_of("B").text == ""
    rows = [g.units for g in c.groups]
    assert {"A": ("p2",), "B": ("q1",)} in rows and {"A": ("p3",), "B": ("q1",)} in rows
    assert ("addition", ("", "far")) in variants(c)
    assert {v.subtype for v in c.variants() if v.type == "omission"} == {None, "heading"}
    assert witness_text(c, "B") == flat[0].text


def test_three_witnesses_share_readings():
    a = units("The regiment Par Padomju Latviju was organized in June 1942 near Moscow.")
    b = units("The regiment Par Padomju Latviju was formed in June 1942 near Moscow by Samsons.")
    c = units("The regiment Par Padomju Latviju was formed in July 1942 near Moscow by Samsons.")
    result = collate([("A", a), ("B", b), ("C", c)])
    found = {tuple((r.witnesses, r.text.strip()) for r in v.readings) for v in result.variants()}
    assert ((("A",), "organized"), (("B", "C"), "formed")) in found
    assert ((("A", "B"), "June"), (("C",), "July")) in found
    assert any(readings[-1] == (("B", "C"), "by Samsons") for readings in found)
    for siglum, witness in (("A", a), ("B", b), ("C", c)):
        assert witness_text(result, siglum) == witness[0].text


def test_readings_point_to_their_units():
    c = collate(
        [
            ("A", units("One two three.", "Four five six seven.")),
            ("B", units("One two three.", "Four five eight seven.", prefix="q")),
        ]
    )
    (variant,) = c.variants()
    assert variant.readings[0].units == {"A": ("p2",)} and variant.readings[1].units == {"B": ("q2",)}
    span = variant.readings[1].spans[0]
    assert "Four five eight seven."[span.start : span.end] == "eight"


# --- bad input -----------------------------------------------------------------------------


def test_one_witness_gives_a_collation_without_variants():
    c = collate([("A", units("Only one version.", "Of this text."))])
    assert list(c.variants()) == []
    assert witness_text(c, "A") == "Only one version. Of this text."


def test_empty_witness_is_noted_and_everything_is_an_omission():
    c = collate([("A", units("Some text here.")), ("B", [])])
    assert c.notes == ["witness B has no text"]
    assert variants(c) == [("omission", ("Some text here.", ""))]
    c = collate([("A", []), ("B", units("Some text here."))])
    assert variants(c) == [("addition", ("", "Some text here."))]


def test_different_scripts_share_only_punctuation():
    c = pair("The partisans fought in Latvia. " * 50, "Партизаны сражались в Латвии. " * 50)
    assert [(v.type, v.readings[1].text.strip()) for v in c.variants()] == [
        ("substantive", "Партизаны сражались в Латвии")
    ] * 50
    c = pair("The partisans fought in Latvia " * 50, "Партизаны сражались в Латвии " * 50)
    assert [v.type for v in c.variants()] == ["substantive"]
    assert c.notes == ["witnesses A and B share no text (different texts or scripts?)"]


@pytest.mark.parametrize(
    "bad, message",
    [
        ([], "at least one witness"),
        ([("A", [])] * 2, "used twice"),
        ([("", [])], "non-empty string"),
        (["A"], "expected (siglum, list of units)"),
        ([("A", ["text"])], "is not a Unit"),
    ],
)
def test_bad_witness_lists_are_refused_clearly(bad, message):
    with pytest.raises(CollationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        collate(bad)


@pytest.fixture
def deadline():
    """Fail instead of hanging if something goes quadratic (a guard, not a benchmark)."""

    def expired(*_):
        raise AssertionError("collation took over 60 s: not near-linear")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)


def test_very_long_single_paragraph_with_repetition(deadline):
    rng = np.random.default_rng(3)
    vocabulary = [f"w{i}" for i in range(300)]
    words = [vocabulary[i] for i in rng.integers(0, 300, size=150_000)]
    edited = list(words)
    for position in range(1000, 150_000, 1000):
        edited[position] = "CHANGED"
    a = " ".join(words) + " " + " ".join(words)  # a 300,000-word paragraph that repeats itself
    b = " ".join(edited) + " " + " ".join(words)
    c = pair(a, b)
    substitutions = [v for v in c.variants() if v.type == "substantive"]
    assert len(substitutions) == 149
    assert all(v.readings[1].text.strip() == "CHANGED" for v in substitutions)


# --- the aligner itself --------------------------------------------------------------------


def test_aligner_runs_are_ordered_equal_and_near_optimal():
    import difflib

    rng = np.random.default_rng(5)
    for _ in range(50):
        a = rng.integers(0, 30, size=int(rng.integers(0, 400)))
        b = a.copy().tolist()
        for _ in range(int(rng.integers(0, 15))):
            p = int(rng.integers(0, len(b) + 1))
            b.insert(p, int(rng.integers(0, 40))) if rng.random() < 0.5 or not b else b.pop(min(p, len(b) - 1))
        runs = align(a, np.array(b, dtype=np.int64))
        ea = eb = 0
        for ra, rb, length in runs:
            assert ra >= ea and rb >= eb and list(a[ra : ra + length]) == b[rb : rb + length]
            ea, eb = ra + length, rb + length
        best = sum(m.size for m in difflib.SequenceMatcher(None, a.tolist(), b, autojunk=False).get_matching_blocks())
        assert sum(r[2] for r in runs) >= 0.9 * best


def test_myers_gives_up_beyond_its_bound():
    assert myers_matches([1, 2, 3], [4, 5, 6], 2) is None
    assert myers_matches([1, 2, 3], [1, 9, 3], 4) == [(0, 0, 1), (2, 2, 1)]


@pytest.mark.parametrize(
    "witnesses",
    [
        [("A", units("Only one version."))],
        [("A", []), ("B", [])],
        [("A", units("x y z")), ("B", [])],
        [("1a", units("x y z")), ("b c", units("x q z"))],  # sigla that are no valid xml:id
    ],
    ids=["one witness", "both empty", "one empty", "odd sigla"],
)
def test_apparatus_of_unusual_input_is_valid_tei(witnesses):
    from reader.tei.collate.apparatus import write_apparatus
    from reader.tei.validate import validate_tree

    assert validate_tree(write_apparatus(collate(witnesses))) == []


def test_whole_units_one_witness_runs_on_into_are_apart_from_a_substitution():
    """A word changed at the end of a paragraph, then an item and a reference only one version has:
    one substitution inside the paragraph and the units omitted, not one reading of three units."""
    a = units(
        "Led by Sproģis, they fought par Dzimteni.",
        "Forest Brothers",
        "Я.П. Крастынь. Борьба.",
        kinds=["p", "item", "bibl"],
    )
    b = units("Led by Sproģis, they fought par Dzimtenes.")
    collation = collate([("A", a), ("B", b)])
    found = variants(collation)
    assert found[0] == ("substantive", ("Dzimteni", "Dzimtenes"))
    assert [kind for kind, _ in found[1:]] == ["omission"]
    assert "Forest Brothers" in found[1][1][0] and "Борьба" in found[1][1][0]
    assert (
        witness_text(collation, "A")
        == "Led by Sproģis, they fought par Dzimteni. Forest Brothers Я.П. Крастынь. Борьба."
    )
    assert witness_text(collation, "B") == "Led by Sproģis, they fought par Dzimtenes."
