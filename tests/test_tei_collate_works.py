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
    assert (link.source, link.target) == (("first", "b1"), ("second", "b7"))
    assert link.excerpt.startswith("the yaacov falkov study")


def test_work_ids_are_readable():
    assert work_slug(["soviet-partisans-in-latvia", "soviet-partisans-in-latvia-2"]) == "soviet-partisans-in-latvia"
    assert work_slug(["alpha", "beta"]) == "alpha"
