"""Greek spelling regularised as manuscripts need (issue 18, item 3): the sounds scribes exchange
(itacism, αι / ε, ο / ω) and a movable ν make one word spelt two ways, typed orthographic, while the
words these would merge and an editor reads apart (ἡμεῖς / ὑμεῖς, οἱ / ἡ) stay substantive.

Words from the New Testament's common vocabulary (public domain), none of them John 18:38's."""

from __future__ import annotations

import pytest

from reader.tei.collate import CollationOptions, collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.document import Unit
from reader.tei.xml import NS


def unit(text: str) -> Unit:
    return Unit(id="p1", kind="p", section_id="s1", text=text, lang=None, inferred=False)


def typed(base: str, other: str, **switches) -> set[tuple[str, str | None, str, str]]:
    """(type, subtype, base word, other word) of each app, the two words between the same neighbours."""
    texts = [f"καὶ {word} πάλιν" for word in (base, other)]
    collation = collate([(f"w{k}", [unit(t)]) for k, t in enumerate(texts)], CollationOptions(**switches))
    return {(v.type, v.subtype, v.readings[0].text.strip(), v.readings[1].text.strip()) for v in collation.variants()}


@pytest.mark.parametrize(
    "base, scribe",
    [
        ("γραφὴ", "γραφει"),  # η / ει (was an inflection: a 'different ending')
        ("λέγει", "λεγι"),  # ει / ι in a short word
        ("οἴκῳ", "οικο"),  # ω / ο
        ("γίνεσθε", "γινεϲθαι"),  # ε / αι (was an inflection)
        ("εἶπεν", "ειπε"),  # movable ν after ε
        ("πᾶσιν", "παϲι"),  # movable ν after σι
    ],
)
def test_a_greek_spelling_class_or_movable_nu_is_orthographic(base, scribe):
    assert typed(base, scribe) == {("orthographic", "near-match", base, scribe)}
    assert typed(base, scribe, ignore_case=True, ignore_diacritics=True, ignore_sigma=True) == {
        ("orthographic", "near-match", base, scribe)
    }


def test_words_the_regularisation_would_merge_stay_other_readings():
    for we, you in (("ἡμεῖς", "ὑμεῖς"), ("ἡμέτερος", "ὑμέτερος"), ("ἡμῖν", "ὑμῖν")):
        assert typed(we, you) == {("substantive", None, we, you)}  # "we" / "you", at any length
    assert typed("οἱ", "ἡ") == {("substantive", None, "οἱ", "ἡ")}  # a short word's first letter
    assert typed("εἰρήνη", "ιρηνη") == {("orthographic", "near-match", "εἰρήνη", "ιρηνη")}  # a longer one's
    assert typed("πίστιν", "πιστει") != {("orthographic", "near-match", "πίστιν", "πιστει")}  # ν and ει / ι
    assert typed("οὐδέν", "ουδε") != {("orthographic", "near-match", "οὐδέν", "ουδε")}  # "nothing" / "nor"


def test_the_header_states_the_greek_regularisation_only_for_greek():
    def normalisation(*texts: str) -> str:
        collation = collate([(f"w{k}", [unit(t)]) for k, t in enumerate(texts)], CollationOptions())
        root = write_apparatus(collation)
        return " ".join(p.text for p in root.find(".//tei:normalization", NS))

    greek = normalisation("ἡ γραφὴ λέγει", "η γραφει λεγι")
    assert "itacism" in greek and "movable ν" in greek and "'ὑμεῖς' / 'ἡμεῖς'" in greek
    assert "itacism" not in normalisation("the origin of species", "the origin of the species")
