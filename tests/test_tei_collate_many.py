"""Many witnesses and odd ones: 20 long witnesses, 25 witnesses, an empty one, identical ones, another script."""

import json
import signal
from pathlib import Path

import numpy as np
import pytest

from reader.tei.collate import collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.document import Unit
from reader.tei.validate import validate_tree

DATA = Path(__file__).resolve().parent.parent / "bench" / "data" / "darwin-origin-ch1.json"


def unit(text, uid="p1"):
    return Unit(id=uid, kind="p", section_id="s1", text=text, lang=None, inferred=False)


@pytest.fixture(scope="module")
def chapter():
    """The 1859 chapter as paragraphs of words (about 11,000 words)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return [w["content"].split() for u in data for w in u["witnesses"] if w["id"] == "1859"]


def copies(chapter, count, seed=3):
    """``count`` witnesses: the chapter and copies of earlier witnesses, each with one word in 50 replaced."""
    rng = np.random.default_rng(seed)
    texts = [chapter]
    changed = []
    for k in range(1, count):
        parent = int(rng.integers(len(texts)))
        new = [list(p) for p in texts[parent]]
        for p, paragraph in enumerate(new):
            for position in rng.choice(len(paragraph), size=max(1, len(paragraph) // 50), replace=False).tolist():
                paragraph[position] = f"W{k}x{p}x{position}"
                changed.append((k, paragraph[position]))
        texts.append(new)
    witnesses = [(f"w{k:02}", [unit(" ".join(p), f"p{n}") for n, p in enumerate(t, 1)]) for k, t in enumerate(texts)]
    return witnesses, changed


@pytest.fixture
def deadline():
    """Fail instead of hanging if something goes quadratic (a guard, not a benchmark)."""

    def expired(*_):
        raise AssertionError("collation took over 120 s")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    yield
    signal.alarm(0)


def rebuilt(collation, siglum):
    parts = []
    for group in collation.groups:
        for segment in group.segments:
            parts.append(segment.reading_of(siglum).text if segment.is_variant else segment.text)
    return "".join("".join(parts).split())


def test_twenty_long_witnesses_every_change_found(chapter, deadline):
    witnesses, changed = copies(chapter, 20)
    assert sum(len(p) for p in chapter) > 10_000
    collation = collate(witnesses)
    words_of: dict[str, set[str]] = {}
    for v in collation.variants():
        for r in v.readings:
            for w in r.witnesses:
                words_of.setdefault(w, set()).update(r.text.split())
    # every replaced word stands in a reading of the witness that introduced it
    assert all(word in words_of.get(f"w{k:02}", ()) for k, word in changed)
    for siglum, units in witnesses:
        assert rebuilt(collation, siglum) == "".join(" ".join(u.text for u in units).split())


def test_more_than_twenty_witnesses_give_a_correct_result(deadline):
    texts = [f"The {'red ' if k % 3 else ''}arrow was active in {1940 + k % 5}." for k in range(25)]
    collation = collate([(f"w{k}", [unit(t)]) for k, t in enumerate(texts)])
    years = next(v for v in collation.variants() if any("1941" in r.text for r in v.readings))
    assert len(years.readings) == 5 and sorted(len(r.witnesses) for r in years.readings) == [5, 5, 5, 5, 5]
    assert validate_tree(write_apparatus(collation, work="w")) == []


def test_witness_with_no_text_identical_witnesses_and_another_script():
    witnesses = [
        ("A", [unit("The partisans fought in Latvia.")]),
        ("B", [unit("The partisans fought in Latvia.")]),
        ("C", []),
        ("D", [unit("Партизаны сражались в Латвии.")]),
        ("E", [unit("The partisans fought in Latvia.", "q1")]),
    ]
    collation = collate(witnesses)
    assert collation.notes == [
        "witness B has the same text as A",
        "witness C has no text",
        "witness E has the same text as A",
        "witnesses A and D share no text (different texts or scripts?)",
    ]
    (variant,) = collation.variants()
    assert [r.witnesses for r in variant.readings] == [("A", "B", "E"), ("C",), ("D",)]
    assert variant.reading_of("C").text == "" and variant.reading_of("C").type == "omission"
    assert validate_tree(write_apparatus(collation, work="w")) == []


def test_partly_overlapping_readings_of_three_witnesses():
    # B rewrites a phrase; C changes one word of it and keeps the rest: one place, three readings
    collation = collate(
        [
            ("A", [unit("they generally differ much more from each other than do the individuals")]),
            ("B", [unit("they generally differ more from each other than do the individuals")]),
            ("C", [unit("they often differ more from each other than do the individuals")]),
        ]
    )
    found = [(v.type, [(r.witnesses, r.text.strip()) for r in v.readings]) for v in collation.variants()]
    assert found == [
        ("substantive", [(("A", "B"), "generally"), (("C",), "often")]),
        ("omission", [(("A",), "much"), (("B", "C"), "")]),
    ]
