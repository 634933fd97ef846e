"""Many witnesses: a place of variation ends where the witnesses agree again (issue 18 item 1).

Aligned with the base one by one, witnesses changing neighbouring words used to chain into one
place: a substitution stood on the gaps beside the words it replaced, so "x" for "b" in one witness
and "y" for "c" in another overlapped at the gap between "b" and "c". With thirty witnesses of a
tradition nearly every gap is someone's neighbour, and the places grew to sixty words.
"""

from reader.tei.collate import collate
from reader.tei.document import Unit


def units(text):
    return [Unit(id="p1", kind="p", section_id="s1", text=text, lang=None, inferred=False)]


def places(*texts):
    c = collate([(f"W{k}", units(t)) for k, t in enumerate(texts)])
    return [tuple(r.text.strip() for r in v.readings) for v in c.variants()]


def test_neighbouring_words_changed_by_two_witnesses_are_two_places():
    assert places("the red fox ran home", "the big fox ran home", "the red cat ran home") == [
        ("red", "big"),
        ("fox", "cat"),
    ]


def test_a_row_of_witnesses_each_changing_the_next_word_is_one_place_each():
    base = "one two three four five six seven"
    words = base.split()
    witnesses = [base]
    for k in range(1, 6):
        witnesses.append(" ".join(w.upper() + "x" if i == k else w for i, w in enumerate(words)))
    got = places(*witnesses)
    assert [p[0] for p in got] == words[1:6]
    assert all(len(p) == 2 for p in got)


def test_witnesses_agreeing_against_the_base_stay_one_place():
    """CollateX's case: "nice" added before "cruel" where another witness reads "nice" for it."""
    assert places("Hello cruel world", "Hello nice world", "Hello nice cruel world") == [
        ("cruel", "nice", "nice cruel")
    ]


def test_one_witness_rewording_two_neighbouring_words_is_one_place():
    assert places("the red fox ran home", "the big cat ran home") == [("red fox", "big cat")]
