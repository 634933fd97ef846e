"""Many witnesses aligned with each other, not only with the base (issue 18 item 1).

Aligned to the base one by one, touching departures of different witnesses chained into one place
with a reading for every combination; a witness's near spellings beside a real change were swallowed
into one substitution. The witnesses here are small texts built by the test.
"""

from reader.tei.collate import collate
from reader.tei.document import Unit


def units(text):
    return [Unit(id="p1", kind="p", section_id="s1", text=text, lang=None, inferred=False)]


def places(*texts):
    c = collate([(f"W{k}", units(t)) for k, t in enumerate(texts)])
    return [(v.type, tuple((r.text.strip(), r.witnesses) for r in v.readings)) for v in c.variants()]


def test_witnesses_agreeing_against_the_base_in_touching_words_are_two_places_not_four_readings():
    got = places("the red fox ran", "the big Fox ran", "the big fox ran", "the red Fox ran")
    assert got == [
        ("substantive", (("red", ("W0", "W3")), ("big", ("W1", "W2")))),
        ("orthographic", (("fox", ("W0", "W2")), ("Fox", ("W1", "W3")))),
    ]


def test_one_witness_rewording_two_words_stays_one_place_among_many():
    got = places("the red fox ran home", "the big cat ran home", "the red fox ran home", "the red fox ran home")
    assert got == [("substantive", (("red fox", ("W0", "W2", "W3")), ("big cat", ("W1",))))]


def test_near_spellings_beside_an_omission_are_places_of_their_own_in_a_tradition():
    base = "he found within himself no fault at all"
    got = places(base, "he fownd hymself no fault at all", base)
    assert [(kind, readings[1][0]) for kind, readings in got] == [
        ("orthographic", "fownd"),
        ("omission", ""),
        ("orthographic", "hymself"),
    ]
    assert [readings[0][0] for _, readings in got] == ["found", "within", "himself"]


def test_a_rewritten_sentence_is_one_place_not_substitutions_around_a_stray_the():
    """Issue 18 item 4: common words a rewording happens to share ("of the") are no anchor."""
    base = (
        "He went home. After a long walk along the river the old man reached the gate of the house "
        "at last. Then he slept."
    )
    rewritten = (
        "He went home. Tired from his journey, a traveller sat down by a fire of the inn for an hour. Then he slept."
    )
    got = places(base, rewritten)
    assert len(got) == 1
    kind, readings = got[0]
    assert kind == "substantive"
    assert readings[0][0].startswith("After a long walk") and readings[0][0].endswith("at last")
    assert readings[1][0].startswith("Tired from his journey") and readings[1][0].endswith("for an hour")


def test_two_words_written_as_one_are_one_place_over_both():
    """ "βουλεσθαιουν" (a scribe's "βούλεσθε οὖν" run together) stands for both words: one place with
    the others' readings of both, and the same scribe's move of "απολυσω" a place of its own."""
    got = places(
        "παντα βουλεσθε ουν απολυσω υμιν τον βασιλεα",
        "παντα βουλεσθαιουν υμιν απολυσω τον βασιλεα",
        "παντα βουλεσθε ουν ινα απολυσω υμιν τον βασιλεα",
        "παντα βουλεσθαι ουν απολυσω υμιν τον βασιλεα",
    )
    assert got[0][1] == (
        ("βουλεσθε ουν", ("W0", "W2")),
        ("βουλεσθαιουν", ("W1",)),
        ("βουλεσθαι ουν", ("W3",)),
    )
    assert got[1] == ("addition", (("", ("W0", "W1", "W3")), ("ινα", ("W2",))))
    assert {kind for kind, _ in got[2:]} == {"transposition"}


def test_a_short_word_spelt_by_its_sound_stays_in_its_column():
    """ "το" for "τῷ" (ο/ω exchanged, as scribes write by sound) is that word's reading: the witnesses
    that leave out "ἐν" are one place, its spelling of "τῷ" another, not one substitution of both."""
    base = "ἵνα ἀπολύσω ὑμῖν ἐν τῷ πάσχα"
    got = places(base, "ἵνα ἀπολύσω ὑμῖν τῷ πάσχα", "ἵνα ἀπολύσω ὑμῖν το πάσχα", base)
    assert [readings for _, readings in got] == [
        (("ἐν", ("W0", "W3")), ("", ("W1", "W2"))),
        (("τῷ", ("W0", "W1", "W3")), ("το", ("W2",))),
    ]


def test_sounds_fold_greek_spellings_only():
    from reader.tei.folding import alignment_fold, fold_sound

    def same(a, b):
        return fold_sound(alignment_fold(a)) == fold_sound(alignment_fold(b))

    assert same("πειλατοϲ", "Πιλᾶτος") and same("το", "τῷ") and same("βαρραβαϲ", "Βαραββᾶς")
    assert same("ὑμῖν", "ἡμῖν")  # alike in sound: placed in one column, typed by the classifier
    assert not same("ἐν", "ἀν") and not same("the", "thee") and not same("little", "litle")


def test_a_fragment_breaking_off_in_a_word_reads_that_word_broken_and_nothing_after():
    """The papyrus's "αλ [...]": the torn word stands for "ἀλλὰ", the words after it are lost (a lacuna,
    read by no one), not omitted from a five-word substitution."""
    base = "οὐ τοῦτον ἀλλὰ τὸν Βαραββᾶν ἦν δὲ ὁ Βαραββᾶς λῃστής"
    c = collate(
        [
            ("A", units(base)),
            ("B", units("οὐ τοῦτον ἀλλὰ τὸν Βαραββᾶν ἦν δὲ Βαραββᾶς λῃστής")),
            ("P", units("οὐ τοῦτον αλ [...]")),
            ("C", units(base)),
        ]
    )
    got = [(v.type, tuple((r.text.strip(), r.type, r.witnesses) for r in v.readings)) for v in c.variants()]
    assert got == [
        ("substantive", (("ἀλλὰ", None, ("A", "B", "C")), ("αλ", "substantive", ("P",)))),
        ("omission", (("ὁ", None, ("A", "C")), ("", "omission", ("B",)), ("", "lac", ("P",)))),
    ]
