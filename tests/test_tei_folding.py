"""reader.tei.folding: the one home of folds, each named by what it folds away."""

from reader.tei.folding import (
    alignment_fold,
    fold_case_diacritics,
    fold_for_search,
    fold_word,
    strip_diacritics,
)
from reader.tei.foreign.apparatus import classify


def test_each_fold_folds_what_its_name_says():
    assert strip_diacritics("Sproģis") == "Sprogis"
    assert fold_case_diacritics("Sarkanā Bulta") == "sarkana bulta"
    assert fold_word("“Rīga,”") == "riga"
    assert alignment_fold("IVLIVS") == "iulius" and alignment_fold("ϲοφοϲ") == alignment_fold("σοφος")
    assert fold_case_diacritics("ϲ") == "σ"  # a letter form is not a diacritic: the key keeps it apart from v/u
    assert fold_case_diacritics("vita") != fold_case_diacritics("uita")


def test_search_fold_keeps_offsets():
    text = "Sproģis, Ǆemal, ﬁnal straße"
    folded = fold_for_search(text)
    # a character whose fold is two characters (Ǆ → dz, ﬁ → fi, ß → ss) is only lower-cased
    assert folded == "sprogis, ǆemal, ﬁnal straße" and len(folded) == len(text)


def test_compatibility_letters_fold_their_case_too():
    # casefolding before decomposition left "ϒ" (upsilon with hook) as capital "Υ" and dropped the
    # ι of ᾳ's subscript: the importer typed such readings substantive where the engine says orthographic
    assert fold_case_diacritics("ϒ") == fold_case_diacritics("υ")
    assert fold_case_diacritics("ᾳ") == fold_case_diacritics("α")
    assert classify("ᾳ", "α") == "orthographic"
