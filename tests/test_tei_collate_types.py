"""The one table of variant types (reader.tei.collate.model.VARIANT_TYPES) and what must follow it:
the stylesheet, the docs, the apparatus files' taxonomy, the model's choices."""

import re
from pathlib import Path

from reader.tei.collate import collate
from reader.tei.collate.apparatus import TRIVIAL_TYPES, write_apparatus
from reader.tei.collate.model import MINOR_TYPES, TYPES, VARIANT_TYPES, types_table_markdown
from reader.tei.document import Unit
from reader.tei.xml import NS, XML_ID

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_has_one_row_per_name_and_symbol():
    assert len({t.name for t in VARIANT_TYPES}) == len(VARIANT_TYPES)
    assert len({t.symbol for t in VARIANT_TYPES}) == len(VARIANT_TYPES)
    assert all(t.definition.strip() for t in VARIANT_TYPES)
    # a minor type has a place after the base's reading, and only a minor one
    assert sorted(t.trivial_rank for t in VARIANT_TYPES if t.minor) == list(range(1, len(MINOR_TYPES) + 1))
    assert all(t.trivial_rank == 0 for t in VARIANT_TYPES if not t.minor)


def test_the_stylesheet_marks_and_hides_every_type():
    css = (ROOT / "reader/static/reader/compare.css").read_text(encoding="utf-8")
    for name in TYPES:
        assert re.search(rf"^\.var-{name} \{{", css, re.M), f"compare.css has no .var-{name} rule"
        hide = re.findall(rf"#type-{name}:not\(:checked\)\) [^\n]*\.var-{name}", css)
        assert len(hide) == 2, f"compare.css does not hide {name} (marks and symbols) when its filter is off"
    filtered = set(re.findall(r"#type-([a-z]+):not", css))
    assert filtered == set(TYPES), "compare.css hides a type the table does not have"


def test_the_docs_table_is_the_table():
    docs = (ROOT / "docs/collation.md").read_text(encoding="utf-8")
    assert types_table_markdown() in docs, "docs/collation.md's table of types is out of date"


def test_the_tei_conventions_list_every_type_in_order():
    docs = (ROOT / "docs/tei-conventions.md").read_text(encoding="utf-8")
    listed = re.search(r"`app/@type` ∈ ([a-z |\n]+)\(", docs).group(1)
    assert tuple(listed.split()[::2]) == TYPES


def test_the_apparatus_defines_every_type_in_the_tables_order():
    unit = lambda text: [Unit("p1", "p", None, text, None, False)]  # noqa: E731
    witnesses = [
        ("A", unit("They fought under the Red Arrow, hard.")),
        ("B", unit("They fought under the red Arrow hard.")),
    ]
    root = write_apparatus(collate(witnesses), work="w", title="t")
    categories = [c.get(XML_ID) for c in root.iter(f"{{{NS['tei']}}}category")]
    assert categories == [f"variant-{name}" for name in TYPES]
    assert {a.get("type") for a in root.iter(f"{{{NS['tei']}}}app")} == {"orthographic", "punctuation"}


def test_minor_readings_stand_after_the_base_punctuation_first():
    # docs/collation.md: teiphy folds a trivial reading into the one before it, so ``-t punctuation``
    # alone must fold a punctuation reading into the base's
    assert TRIVIAL_TYPES == ("punctuation", "orthographic", "editorial")
    assert set(TRIVIAL_TYPES) == MINOR_TYPES


def test_the_model_choices_come_from_the_table():
    from reader.texts.models import Variant

    assert [value for value, _ in Variant._meta.get_field("type").choices] == list(TYPES)
