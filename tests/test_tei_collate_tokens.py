"""Tokens as scholars of each script read them (issue 18, item 3): elision marks are not letters,
Greek sigma and Latin u/v, i/j are switches the header states, near matches are orthographic, and a
witness without accents, case or punctuation gives small orthographic units, never a long one.

Greek: Matthew 7:23 in Westcott and Hort's text (1881, public domain); Latin: John 1:1 in the
Vulgate (public domain); English: the seeds' partisan article and Darwin's chapter I (bench/data)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from reader.tei.collate import CollationOptions, collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.corpus import witness_units
from reader.tei.collate.tokens import strip_diacritics
from reader.tei.document import Unit
from reader.tei.validate import validate_tree
from reader.tei.xml import NS, parse_file

ROOT = Path(__file__).resolve().parent.parent


def unit(text: str, ident: str = "p1") -> Unit:
    return Unit(id=ident, kind="p", section_id="s1", text=text, lang=None, inferred=False)


def typed(*texts: str, **switches) -> set[tuple[str, str | None, str, str]]:
    """(type, subtype, base reading, other reading) of every app, each text one witness."""
    collation = collate([(f"w{k}", [unit(t)]) for k, t in enumerate(texts)], CollationOptions(**switches))
    return {(v.type, v.subtype, v.readings[0].text.strip(), v.readings[1].text.strip()) for v in collation.variants()}


MT_7_23 = "ἀποχωρεῖτε ἀπʼ ἐμοῦ οἱ ἐργαζόμενοι τὴν ἀνομίαν."  # elision mark U+02BC


@pytest.mark.parametrize("mark", ["\u02bc", "\u2019", "'", "\u1fbd", "\u1fbf"])
def test_an_elision_mark_is_no_letter(mark):
    other = MT_7_23.replace("\u02bc", mark)
    without = MT_7_23.replace("\u02bc", "")  # "ἀπ ἐμοῦ": the mark left out
    for text in (other, without):
        found = typed(MT_7_23, text)
        assert all(kind == "punctuation" for kind, *_ in found), found
        assert typed(MT_7_23, text, ignore_punctuation=True) == set()
    assert ("punctuation", None, "\u02bc", "") in typed(MT_7_23, without)


def test_an_unaccented_majuscule_style_transcription_differs_in_spelling_only():
    plain = "αποχωρειτε απ εμου οι εργαζομενοι την ανομιαν"
    found = typed(MT_7_23, plain)
    assert found and {kind for kind, *_ in found} <= {"orthographic", "punctuation"}
    assert typed(MT_7_23, plain, ignore_punctuation=True, ignore_diacritics=True) == set()


def test_greek_sigma_is_a_stated_switch_and_itacism_a_near_match():
    assert typed("ὁ Πιλᾶτος εἶπεν", "ὁ Πιλᾶτοϲ εἶπεν") == {("orthographic", "letterform", "Πιλᾶτος", "Πιλᾶτοϲ")}
    assert typed("ὁ Πιλᾶτος εἶπεν", "ὁ Πιλᾶτοϲ εἶπεν", ignore_sigma=True) == set()
    # the example: itacism, lunate sigma, no accents or capital: a spelling, not another word
    assert typed("ὁ Πιλᾶτος εἶπεν", "ὁ πειλατοϲ εἶπεν") == {("orthographic", "near-match", "Πιλᾶτος", "πειλατοϲ")}
    collation = collate([("a", [unit("ὁ Πιλᾶτος")]), ("b", [unit("ὁ Πιλᾶτοϲ")])], CollationOptions(ignore_sigma=True))
    root = write_apparatus(collation, work="w")
    assert validate_tree(root) == []
    said = " ".join(root.find(".//tei:editorialDecl/tei:normalization", NS).itertext())
    assert "sigma (ς ϲ = σ)" in said and "not reported" in said


def test_latin_u_v_and_i_j_are_switches():
    vulgate = "In principio erat Verbum, et Verbum erat apud Deum. Iesus"
    other = "In principio erat Uerbum, et Uerbum erat apud Deum. Jesus"
    found = typed(vulgate, other)
    assert found == {
        ("orthographic", "letterform", "Verbum", "Uerbum"),
        ("orthographic", "letterform", "Iesus", "Jesus"),
    }
    assert {b for *_, b in typed(vulgate, other, ignore_uv=True)} == {"Jesus"}
    assert typed(vulgate, other, ignore_uv=True, ignore_ij=True) == set()


def test_near_matches_are_orthographic_but_short_words_and_endings_are_readings():
    assert typed("long-haired animals", "long-haried animals") == {("orthographic", "near-match", "haired", "haried")}
    assert typed("in connexion with", "in connection with") == {
        ("orthographic", "near-match", "connexion", "connection")
    }
    assert typed("sat on the mat", "sat in the mat") == {("substantive", None, "on", "in")}
    assert typed("rather than that", "rather then that") == {("substantive", None, "than", "then")}
    assert typed("the effect of use", "the effects of use") == {("substantive", "inflection", "effect", "effects")}


def test_darwin_near_matches_typed_orthographic():
    data = json.loads((ROOT / "bench" / "data" / "darwin-origin-ch1.json").read_text(encoding="utf-8"))
    editions = {}
    for n, u in enumerate(data, 1):
        for w in u["witnesses"]:
            editions.setdefault(w["id"], []).append(unit(w["content"], f"p{n}"))
    collation = collate([(year, editions[year]) for year in ("1859", "1866")])
    by_text = {tuple(r.text.strip() for r in v.readings): (v.type, v.subtype) for v in collation.variants()}
    assert by_text[("haired", "haried")] == ("orthographic", "near-match")  # a misprint of 1866


def stripped(text: str) -> str:
    """What a manuscript transcription has: no accents, no capitals, no punctuation."""
    return re.sub(r"[^\w\s]", "", strip_diacritics(text).lower())


@pytest.fixture(scope="module")
def seed_units():
    return witness_units(parse_file(ROOT / "corpus" / "tei" / "soviet-partisans-in-latvia.xml"))


@pytest.fixture(scope="module")
def darwin_units():
    data = json.loads((ROOT / "bench" / "data" / "darwin-origin-ch1.json").read_text(encoding="utf-8"))
    return [unit(w["content"], f"p{n}") for n, u in enumerate(data, 1) for w in u["witnesses"] if w["id"] == "1859"]


@pytest.mark.parametrize("source", ["seed_units", "darwin_units"])
def test_a_witness_without_accents_case_or_punctuation_gives_small_orthographic_units(source, request):
    units = request.getfixturevalue(source)
    plain = [replace(u, text=stripped(u.text)) for u in units]
    assert sum(u.text != p.text for u, p in zip(units, plain)) > len(units) // 2
    collation = collate([("A", units), ("B", plain)])
    variants = list(collation.variants())
    kinds = Counter(v.type for v in variants)
    assert len(variants) > 100 and set(kinds) <= {"orthographic", "punctuation"}, kinds
    assert max(len(r.text.split()) for v in variants for r in v.readings) <= 5
    # with the switches, only word division is left ("long-haired" / "longhaired", "Я.К." / "як")
    quiet = collate([("A", units), ("B", plain)], CollationOptions(True, True, True))
    assert {(v.type, v.subtype) for v in quiet.variants()} <= {("orthographic", "word-division")}


def test_the_collate_command_states_the_letter_switches(tmp_path):
    import shutil
    from io import StringIO

    from django.core.management import call_command

    tei_dir = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", tei_dir, ignore=shutil.ignore_patterns("collations"))
    call_command(
        "collate", "--tei-dir", str(tei_dir), "--ignore-sigma", "--ignore-uv", "--ignore-ij", stdout=StringIO()
    )
    (apparatus,) = [p for p in (tei_dir / "collations").glob("*.xml") if p.name != "reuse.xml"]
    said = " ".join(parse_file(apparatus).find(".//tei:editorialDecl/tei:normalization", NS).itertext())
    assert "Greek final and lunate sigma (ς ϲ = σ), Latin u and v, Latin i and j are normalised away" in said


def test_a_suspension_stroke_is_part_of_its_word_and_a_stated_switch():
    # John 18:38 as IGNTP transcribes it: ¯ (U+00AF) after a vowel is the ν the scribe left out
    base = "τί ἐστιν ἀλήθεια; ἐκραύγασαν οὖν πάλιν λέγοντες"
    scribe = "τι εϲτι¯ αληθεια; εκραυγαϲαν ου¯ παλιν λεγο¯τεϲ"
    found = typed(base, scribe, ignore_case=True, ignore_diacritics=True, ignore_sigma=True)
    assert found == {
        ("orthographic", "abbreviation", "ἐστιν", "εϲτι¯"),
        ("orthographic", "abbreviation", "οὖν", "ου¯"),
        ("orthographic", "abbreviation", "λέγοντες", "λεγο¯τεϲ"),
    }
    assert (
        typed(base, scribe, ignore_case=True, ignore_diacritics=True, ignore_sigma=True, ignore_suspension=True)
        == set()
    )
    # the stroke is no punctuation: with punctuation ignored, the words still differ by it
    with_stroke = {(kind, sub) for kind, sub, _, b in typed(base, scribe, ignore_punctuation=True) if "ου¯" in b}
    assert with_stroke == {("orthographic", "abbreviation")}
    # a stroke over a consonant or a Latin vowel stands for a letter we cannot tell: it reads as none
    assert typed("dominum", "dominū", ignore_suspension=True) == {("substantive", "inflection", "dominum", "dominū")}
    collation = collate([("a", [unit(base)]), ("b", [unit(scribe)])], CollationOptions(ignore_suspension=True))
    root = write_apparatus(collation, work="w")
    assert validate_tree(root) == []
    said = " ".join(root.find(".//tei:editorialDecl/tei:normalization", NS).itertext())
    assert "suspension strokes (¯ over a Greek vowel = ν)" in said and "not reported" in said
