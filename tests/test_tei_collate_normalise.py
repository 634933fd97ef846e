"""Normalisation switches and the editor's regularisation list, each honoured by the engine."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reader.tei.collate import CollationError, CollationOptions, collate, load_regularisations, parse_regularisations
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.corpus import witness_units
from reader.tei.document import Unit
from reader.tei.validate import validate_tree
from reader.tei.xml import NS, parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "tei"


def unit(text, uid="p1"):
    return Unit(id=uid, kind="p", section_id="s1", text=text, lang=None, inferred=False)


@pytest.fixture(scope="module")
def partisans():
    roots = [parse_file(CORPUS / f"soviet-partisans-in-latvia{suffix}.xml") for suffix in ("", "-2")]
    return [(f"w{k}", witness_units(root)) for k, root in enumerate(roots)]


def kinds(collation):
    """(type, subtype) of every app and of every finer difference inside one."""
    out = []
    for v in collation.variants():
        out.append((v.type, v.subtype))
        out.extend((p.type, p.subtype) for p in v.parts)
    return out


def word_level(collation):
    """Sorted words of the base in substantive/omission/addition differences (finest level)."""
    words = []
    for v in collation.variants():
        for d in v.parts or (v,):
            if d.type in ("substantive", "omission", "addition"):
                words += d.readings[0].text.split()
    return sorted(words)


@pytest.mark.parametrize(
    "switch, gone",
    [
        ("ignore_case", ("orthographic", "case")),
        ("ignore_diacritics", ("orthographic", "diacritics")),
        ("ignore_punctuation", ("punctuation", None)),
        ("ignore_editorial", ("editorial", None)),
    ],
)
def test_each_switch_hides_its_differences_on_the_partisan_article(partisans, switch, gone):
    default = kinds(collate(partisans))
    assert gone in default
    quiet = kinds(collate(partisans, CollationOptions(**{switch: True})))
    assert gone not in quiet
    # Nothing else is lost: the words the base has in word-level differences stay the same
    # (an app may be cut differently once a case difference inside it no longer counts).
    assert word_level(collate(partisans, CollationOptions(**{switch: True}))) == word_level(collate(partisans))


def test_whitespace_is_a_switch_too():
    a, b = [("A", [unit("Rīga , 1958 . Strods")]), ("B", [unit("Rīga, 1958. Strods")])]
    assert list(collate([a, b]).variants()) == []
    reported = collate([a, b], CollationOptions(ignore_whitespace=False))
    assert {(v.type, v.subtype) for v in reported.variants()} == {("orthographic", "whitespace")}


@pytest.fixture(scope="module")
def darwin_1859():
    data = json.loads((ROOT / "bench" / "data" / "darwin-origin-ch1.json").read_text(encoding="utf-8"))
    return [unit(w["content"], f"p{n}") for n, u in enumerate(data, 1) for w in u["witnesses"] if w["id"] == "1859"]


def test_regularisation_aligns_and_types_the_editors_forms(darwin_1859):
    """1859 against a copy in American spelling (colour → color, a form Darwin's text uses 13 times)."""
    american = [replace(u, text=u.text.replace("colour", "color").replace("Colour", "Color")) for u in darwin_1859]
    witnesses = [("1859", darwin_1859), ("us", american)]
    plain = list(collate(witnesses).variants())
    assert plain and {(v.type, v.subtype) for v in plain} == {("orthographic", "near-match")}  # a letter apart
    pairs = parse_regularisations("form,regular\ncolor,colour\ncolored,coloured\ncoloring,colouring\ncolors,colours\n")
    options = CollationOptions(regularisations=pairs)
    regularised = list(collate(witnesses, options).variants())
    assert len(regularised) == len(plain) == 13
    assert {(v.type, v.subtype) for v in regularised} == {("orthographic", "regularised")}
    assert list(collate(witnesses, replace(options, ignore_regularised=True)).variants()) == []
    root = write_apparatus(collate(witnesses, options), work="w")
    assert validate_tree(root) == []
    said = " ".join(root.find(".//tei:editorialDecl/tei:normalization", NS).itertext())
    assert "color → colour" in said and "4 form(s)" in said


def test_regularisation_list_file(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text("\ufeffform,regular\n# Darwin's spelling\nconnexion,connection\n\nshew , show\n", encoding="utf-8")
    assert load_regularisations(path) == (("connexion", "connection"), ("shew", "show"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("connexion\n", "row 1: expected two columns"),
        ("form,regular\nconnexion,connection,x\n", "row 2: expected two columns"),
        ("a,b\n,c\n", "row 2: expected two columns"),
        ("to day,today\n", "row 1: 'to day' is not a single word"),
        ("connexion,connection\nConnexion,link\n", "row 2: 'Connexion' is regularised twice"),
        ("same,Same\n", "row 1: 'same' is its own regular form"),
    ],
)
def test_malformed_regularisation_rows_are_named(text, message):
    with pytest.raises(CollationError, match=message):
        parse_regularisations(text, "reg.csv")


def test_unreadable_regularisation_file(tmp_path):
    with pytest.raises(CollationError, match="cannot read"):
        load_regularisations(tmp_path / "missing.csv")
    (tmp_path / "latin1.csv").write_bytes("connexion,connexión\n".encode("latin-1"))
    with pytest.raises(CollationError, match="not UTF-8"):
        load_regularisations(tmp_path / "latin1.csv")
