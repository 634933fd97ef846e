"""Text folded for comparison: the one home of "the same word, ignoring case and diacritics".

Each function is named by what it folds away; use the weakest that does the job.

- :func:`strip_diacritics` — combining marks only ("Sproģis" → "Sprogis"; compatibility forms
  decomposed, the result recomposed, NFC).
- :func:`fold_case_diacritics` — and case ("Sproģis" → "sprogis"): word forms compared in
  recognition, division, work detection and the importer's typing of foreign readings.
- :func:`fold_word` — a word as it stands in running text: its surrounding quotation marks and
  punctuation off, then :func:`fold_case_diacritics`.
- :func:`fold_letters` / :func:`alignment_fold` — and letter forms one letter is written in
  (ς ϲ → σ, v → u, j → i): the collation's alignment key (a difference there is typed orthographic).
- :func:`fold_sound` — and the Greek letters scribes exchange because they sound alike (itacism):
  where a witness's words are placed among the others' in a collation; to type a difference, only
  through the classifier's rule (``collate.classify._greek_spelling``), which also says which words
  so alike are two.
- :func:`drop_movable_nu` — a Greek word's movable ν ("ἐστι(ν)"): the same rule's other half.
- :func:`expand_suspension` — a suspension stroke read as the letter it stands for ("εϲτι¯" → "εϲτιν"):
  the collation's alignment key, and its report key under the ``ignore_suspension`` switch.
- :func:`fold_for_search` — case and diacritics, one character for one character (an offset in the
  folded text is the same offset in the original): the search index (``reader.texts.folding``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: str.translate table deleting every combining mark (built once).
_COMBINING = dict.fromkeys(c for c in range(0x20000) if unicodedata.combining(chr(c)))
#: Letter forms folded for alignment (after casefold): Greek final and lunate sigma, Latin v and j.
_LETTERS = str.maketrans({"ς": "σ", "ϲ": "σ", "v": "u", "j": "i"})
#: What :func:`fold_word` strips from either end of a word.
_WORD_EDGES = "'\"‘’“”«»" + "()[],.;:"


def strip_diacritics(text: str) -> str:
    """``text`` without combining marks (NFKD, marks deleted, NFC again); ASCII comes back as it is."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text).translate(_COMBINING))


def fold_case_diacritics(text: str) -> str:
    """Case and diacritics folded: what an orthographic difference of case or accents leaves the same."""
    return strip_diacritics(text).casefold()


def fold_word(word: str) -> str:
    """A word of running text folded: surrounding quotes and punctuation off, case and diacritics folded."""
    return fold_case_diacritics(word.strip(_WORD_EDGES))


def fold_letters(text: str) -> str:
    """Alignment form of a folded word: ς ϲ → σ, v → u, j → i (one letter, written two ways)."""
    return text.translate(_LETTERS)


#: Suspension strokes of manuscripts and their transcriptions: ¯ (U+00AF, as IGNTP transcriptions write
#: it after the letter) and the combining overline (U+0305). Over a Greek vowel the stroke is a ν left out.
SUSPENSION_MARKS = "\u00af\u0305"
_GREEK_VOWELS = frozenset("αεηιουωΑΕΗΙΟΥΩ")


def expand_suspension(word: str) -> str:
    """``word`` with each suspension stroke read as the letter it stands for: ν after a Greek vowel
    ("εϲτι¯" → "εϲτιν", "λεγο¯τεϲ" → "λεγοντεϲ"); elsewhere the stroke is left out ("dñs" keeps its
    tilde, a diacritic; a stroke whose letter is uncertain, as over a Latin vowel, m or n, reads as none)."""
    if not any(mark in word for mark in SUSPENSION_MARKS):
        return word
    out: list[str] = []
    for char in word:
        if char in SUSPENSION_MARKS:
            letter = next((strip_diacritics(c) for c in reversed(out) if not unicodedata.combining(c)), "")
            if letter in _GREEK_VOWELS:
                out.append("Ν" if letter.isupper() else "ν")
            continue
        out.append(char)
    return "".join(out)


def alignment_fold(word: str) -> str:
    """The collation's key of a word: case, diacritics and letter forms folded, suspensions expanded."""
    word = expand_suspension(word)
    return fold_letters(word.casefold() if word.isascii() else fold_case_diacritics(word))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = fold_case_diacritics(char)
    return base if len(base) == 1 else char.lower()[:1] or char


def fold_for_search(text: str) -> str:
    """Lower-cased text without diacritics, exactly as long as ``text`` (for the search index)."""
    return "".join(_fold_char(c) for c in text)


#: Greek spellings of one sound, as scribes exchange them (after alignment_fold): itacism (ει η οι υ → ι),
#: αι → ε, ω → ο, a doubled consonant written once. Pairs of letters first (str.replace, in this order).
_SOUNDS = (("ει", "ι"), ("οι", "ι"), ("αι", "ε"), ("η", "ι"), ("υ", "ι"), ("ω", "ο"))
_DOUBLED = tuple((c + c, c) for c in "βγδζθκλμνπρστφχψ")


@lru_cache(maxsize=65536)
def fold_sound(folded: str) -> str:
    """An alignment-folded Greek word as it sounds: "πειλατοσ" and "πιλατοσ", "το" and "τω",
    "βαραββασ" and "βαρραβασ" fold alike. "ὑμῖν" and "ἡμῖν" sound alike yet are two readings:
    whether words alike here are one is the classifier's to decide (``collate.classify._greek_spelling``)."""
    for pair, one in _DOUBLED + _SOUNDS:
        folded = folded.replace(pair, one)
    return folded


#: Endings that take a movable ν (after alignment_fold): a verb's third person in -ε (εἶπε(ν)), -σι
#: (datives plural, verbs' -ουσι(ν), -σι(ν)) and ἐστι(ν) (-στι).
_MOVABLE_NU = ("εν", "σιν", "ξιν", "ψιν", "στιν")
#: ...but "nothing" is no "nor" with a movable ν: οὐδέν / οὐδέ, μηδέν / μηδέ are two words.
_FIXED_NU = frozenset({"ουδεν", "μηδεν"})


def drop_movable_nu(folded: str) -> str:
    """An alignment-folded Greek word without its movable ν ("εξηλθεν" → "εξηλθε", "εστιν" → "εστι");
    a word of four letters or fewer keeps its ν ("μεν" is no "με")."""
    if len(folded) > 4 and folded.endswith(_MOVABLE_NU) and folded not in _FIXED_NU:
        return folded[:-1]
    return folded
