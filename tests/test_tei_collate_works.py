"""Works and reuse on a generated corpus: versions are grouped, shared passages are linked."""

import random

from reader.tei.collate.works import find_reuse, find_works, work_slug
from reader.tei.document import Unit

VOCABULARY = [f"{a}{b}{c}" for a in "bdgklmnprstv" for b in "aeiou" for c in "lmnrst"]


def text(rng, words):
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def edited(rng, original):
    words = original.split()
    for _ in range(len(words) // 20):
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    return " ".join(words) + " " + text(rng, 150)  # and a section the other version lacks


def test_versions_are_grouped_among_many_documents():
    rng = random.Random(11)
    documents = {f"doc-{i:03d}": text(rng, 400) for i in range(120)}
    for i in range(0, 120, 6):
        documents[f"doc-{i:03d}-2"] = edited(rng, documents[f"doc-{i:03d}"])
    works = find_works(documents)
    groups = sorted(sorted(w.members) for w in works)
    expected = sorted([[f"doc-{i:03d}", f"doc-{i:03d}-2"] if i % 6 == 0 else [f"doc-{i:03d}"] for i in range(120)])
    assert groups == expected
    assert {w.id for w in works if len(w.members) == 2} == {f"doc-{i:03d}" for i in range(0, 120, 6)}


def test_empty_and_tiny_documents_are_works_of_their_own():
    works = find_works({"a": "", "b": "one two", "c": "one two"})
    assert [w.members for w in works] == [["a"], ["b", "c"]]


def test_shared_passage_between_different_works_is_a_reuse_link():
    rng = random.Random(4)
    shared = "the yaacov falkov study between the nazi hammer and the soviet anvil"
    units = {
        "first": [
            Unit("p1", "p", "s1", text(rng, 80), None, False),
            Unit("b1", "bibl", "s2", f"{text(rng, 5)} {shared} {text(rng, 5)}", None, False),
        ],
        "second": [
            Unit("p1", "p", "s1", text(rng, 80), None, False),
            Unit("b7", "bibl", "s2", f"See {shared}.", None, False),
        ],
        "third": [Unit("p1", "p", "s1", text(rng, 80), None, False)],
    }
    works = find_works({slug: " ".join(u.text for u in us) for slug, us in units.items()})
    assert len(works) == 3
    (link,) = find_reuse(units, works)
    assert link.members == [("first", "b1"), ("second", "b7")]
    assert link.excerpt.startswith("the yaacov falkov study")


def test_a_passage_many_documents_share_is_one_group_of_them_all():
    rng = random.Random(9)
    quoted = "the committee resolved that the archive be opened to every reader without a fee"
    units = {
        f"doc-{k}": [Unit("p1", "p", "s1", f"{text(rng, 30)} {quoted} {text(rng, 30)}", None, False)] for k in range(12)
    }
    works = find_works({slug: " ".join(u.text for u in us) for slug, us in units.items()})
    assert len(works) == 12
    (link,) = find_reuse(units, works)
    assert link.members == [(f"doc-{k}", "p1") for k in range(12)]  # 12 members, where pairs were 66
    assert link.excerpt.startswith("the committee resolved")


def test_work_ids_are_readable():
    assert work_slug(["soviet-partisans-in-latvia", "soviet-partisans-in-latvia-2"]) == "soviet-partisans-in-latvia"
    assert work_slug(["alpha", "beta"]) == "alpha"


def _origin(year: int) -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parent / "data" / "origin-ch1" / f"origin-ch1-{year}.txt").read_text(
        encoding="utf-8"
    )


def _sentences(text: str) -> list[str]:
    import re

    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.split()) > 5]


def test_a_compilation_of_another_texts_sentences_is_not_a_version_of_it():
    """Darwin's 1859 and 1872 chapters are one work; a text made of 1859's sentences in another order
    (an anthology, a compilation) shares as many passages but is not a version of it, and it must not
    chain the editions of other works together through what it borrows."""
    rng = random.Random(5)
    first, last = _origin(1859), _origin(1872)
    sentences = _sentences(first)
    compilation = " ".join(rng.sample(sentences, len(sentences) // 2))
    moved = sentences[:]  # a version with a passage moved (and nothing else) is still a version
    moved.extend(moved[10:30])
    del moved[10:30]
    works = find_works(
        {"origin-1859": first, "origin-1872": last, "moved": " ".join(moved), "compilation": compilation}
    )
    assert sorted(sorted(w.members) for w in works) == [["compilation"], ["moved", "origin-1859", "origin-1872"]]


def test_kept_order_tells_versions_from_reshuffled_borrowings():
    from reader.tei.collate.works import kept_order, shingle_sequence, words

    rng = random.Random(2)
    first, last = (shingle_sequence(words(_origin(y))) for y in (1859, 1872))
    sentences = _sentences(_origin(1859))
    shuffled = shingle_sequence(words(" ".join(rng.sample(sentences, len(sentences)))))
    assert kept_order(first, last) > 0.9
    assert kept_order(first, shuffled) < 0.3
    assert kept_order(first, []) == 0.0
