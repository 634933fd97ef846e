"""The editor's regularisation list: a loop is refused naming its CSV rows, a chain is resolved to
the word at its end (so all its forms align), and every error names the row."""

from __future__ import annotations

import pytest

from reader.tei.collate import CollationError, CollationOptions, collate, load_regularisations, parse_regularisations
from test_tei_collate_normalise import unit


@pytest.mark.parametrize(
    "text, rows, words",
    [
        ("a,b\nb,a\n", "rows 1 and 2", "a → b → a"),
        (
            "form,regular\nx,y\nshew,show\n# note\nshow,shewe\nshewe,shew\n",
            "rows 3, 5 and 6",
            "shew → show → shewe → shew",
        ),
        ("lead,a\na,b\nB,A\n", "rows 2 and 3", "a → B → a"),  # case-insensitive, entered from a chain
    ],
)
def test_a_loop_is_refused_naming_its_rows(text, rows, words):
    with pytest.raises(CollationError) as raised:
        parse_regularisations(text, "reg.csv")
    assert str(raised.value).startswith(f"reg.csv: {rows} regularise in a loop ({words})")


def test_a_loop_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text("connexion,connection\nconnection,connexion\n", encoding="utf-8")
    with pytest.raises(CollationError, match=rf"^{path}: rows 1 and 2 regularise in a loop"):
        load_regularisations(path)


def test_a_chain_resolves_to_the_word_at_its_end():
    assert parse_regularisations("a,b\nb,c\nc,d\n") == (("a", "d"), ("b", "d"), ("c", "d"))


def test_every_form_of_a_chain_aligns_with_its_end():
    witnesses = [
        ("A", [unit("the shew of it")]),
        ("B", [unit("the show of it")]),
        ("C", [unit("the shewe of it")]),
    ]
    options = CollationOptions(regularisations=parse_regularisations("shew,show\nshow,shewe\n"))
    variants = list(collate(witnesses, options).variants())
    assert variants and {(v.type, v.subtype) for v in variants} == {("orthographic", "regularised")}
    assert (
        list(
            collate(
                witnesses, CollationOptions(regularisations=options.regularisations, ignore_regularised=True)
            ).variants()
        )
        == []
    )
