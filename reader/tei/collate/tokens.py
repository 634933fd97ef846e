"""Tokenisation and normalisation for collation.

A unit's text is cut into words (``\\w+``), single punctuation marks and
editorial markers (``[citation needed]``, ``[12]``: a bracketed lowercase
phrase or a number, the shape wiki maintenance tags and footnote calls
have). Tokens and the whitespace between them partition the text exactly,
so every token keeps its character offsets and readings can be cut from
the source text as it is.

Every distinct surface form gets a small int id once (``Vocabulary``);
alignment then works on int arrays. Two keys are kept per surface:

- the *alignment key*: case and diacritics folded, typographic variants of
  one mark (« » “ ” „ → ", ‘ ’ → ', – — → -) folded, so that
  "Sarkanā" and "Sarkana" can be aligned and then reported as orthographic;
- the *report key*: what remains different under the options the caller
  chose (``CollationOptions``); tokens with equal report keys agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..folding import (  # noqa: F401 (fold_letters: the package's name for it)
    SUSPENSION_MARKS,
    alignment_fold,
    expand_suspension,
    fold_letters,
    strip_diacritics,
)

WORD, PUNCT, EDITORIAL, LACUNA = 0, 1, 2, 3

#: A lacuna the editor marks in a witness's text: "[...]", "[…]", "[lacuna]", "[lac.]" (or a TEI
#: ``gap``, which :func:`reader.tei.collate.corpus.witness_units` turns into "[...]"). The witness reads
#: nothing from there to where its text resumes; at its start or end, it begins late or breaks off.
LACUNA_MARKER = r"\[(?:\.\.\.|…|lacuna|lac\.?)\]"
LACUNA_PATTERN = re.compile(LACUNA_MARKER)

#: An editorial marker: a bracketed lowercase phrase (wiki maintenance tags such
#: as "[citation needed]", "[when?]") or a bracketed number (a footnote call).
EDITORIAL_MARKER = r"\[(?:\d{1,4}|[a-z][a-z ,'’?-]{1,48}\??)\]"
#: Elision and apostrophe marks: ʼ (U+02BC, a "letter" to Unicode), ’ and ' (punctuation), Greek
#: koronis ᾽ (U+1FBD) and psili ᾿ (U+1FBF). They part words or end them ("μετʼ", "don't"); they are
#: never letters, so "μετʼ" is the word "μετ" and the mark, like "μετ’" and "μετ'".
ELISION_MARKS = "\u02bc\u2019'\u1fbd\u1fbf"
#: A word: letters and digits with the combining marks they carry (an editor's underdot, "ου̣δεμιαν",
#: is a mark on a letter, not a word break) and the suspension strokes written after a letter ("εϲτι¯",
#: "λεγο¯τεϲ": ¯ U+00AF, see ``folding.expand_suspension``); a mark after a space stands alone.
_COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"[^\W\u02bc](?:[^\W\u02bc]|[{_COMBINING_MARKS}{SUSPENSION_MARKS}])*"
_CHUNK = re.compile(rf"\s*(?:{LACUNA_MARKER}|{EDITORIAL_MARKER}|{_WORD}|[^\w\s]|\u02bc)")
_PUNCT_FOLD = str.maketrans(
    {
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "\u02bc": "'",
        "\u1fbd": "'",
        "\u1fbf": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "‹": "'",
        "›": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)


@dataclass(frozen=True)
class CollationOptions:
    """Which kinds of difference are normalised away (not reported).

    Alignment always compares words with case and diacritics folded (and
    regularised forms as their regular word); these switches only decide which
    of the differences found are reported.
    """

    ignore_case: bool = False
    ignore_diacritics: bool = False
    ignore_punctuation: bool = False
    ignore_whitespace: bool = True
    ignore_editorial: bool = False
    #: the editor's regularisation list, ``((form, regular), ...)`` (see ``regularisation``): a form
    #: is aligned as its regular word, and the difference is orthographic, subtype 'regularised'
    regularisations: tuple[tuple[str, str], ...] = ()
    #: hide regularised differences instead of reporting them
    ignore_regularised: bool = False
    #: letter forms that are one letter (always aligned as one; these switches hide the difference,
    #: otherwise it is orthographic, subtype 'letterform'): Greek final and lunate sigma ς ϲ = σ,
    #: Latin u/v, Latin i/j
    ignore_sigma: bool = False
    ignore_uv: bool = False
    ignore_ij: bool = False
    #: a suspension stroke (¯ U+00AF, combining overline U+0305) is the letter it stands for, ν over a
    #: Greek vowel ("εϲτι¯" = "εϲτιν"): always aligned so; this switch hides the difference, otherwise it
    #: is orthographic, subtype 'abbreviation'
    ignore_suspension: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "regularisations", tuple(tuple(pair) for pair in self.regularisations))


def letter_switches(options: "CollationOptions") -> dict[int, str]:
    """str.translate table of the letter forms the options normalise away, keeping case."""
    table: dict[int, str] = {}
    if options.ignore_sigma:
        table.update({ord("ς"): "σ", ord("ϲ"): "σ", ord("Ϲ"): "Σ"})
    if options.ignore_uv:
        table.update({ord("v"): "u", ord("V"): "U"})
    if options.ignore_ij:
        table.update({ord("j"): "i", ord("J"): "I"})
    return table


def kind_of(surface: str) -> int:
    if surface[0] == "[" and len(surface) > 2:
        if LACUNA_PATTERN.fullmatch(surface):
            return LACUNA
        if re.fullmatch(EDITORIAL_MARKER, surface):
            return EDITORIAL
    return WORD if ((surface[0].isalnum() and surface[0] != "\u02bc") or surface[0] == "_") else PUNCT


def alignment_key(surface: str, kind: int | None = None) -> str:
    kind = kind_of(surface) if kind is None else kind
    if kind == WORD:
        return alignment_fold(surface)
    if kind == PUNCT:
        return surface.translate(_PUNCT_FOLD)
    return surface.lower()


def report_key(surface: str, options: CollationOptions, kind: int | None = None) -> str:
    kind = kind_of(surface) if kind is None else kind
    if kind == PUNCT:
        return "" if options.ignore_punctuation else surface
    if kind == EDITORIAL:
        return surface.lower()
    if options.ignore_suspension:
        surface = expand_suspension(surface)
    if options.ignore_diacritics and not surface.isascii():
        surface = strip_diacritics(surface)
    if options.ignore_case:
        surface = surface.casefold()
    return surface


class Vocabulary(dict):
    """surface form -> int id, assigned on first sight (``vocab[s]`` never fails)."""

    def __init__(self) -> None:
        super().__init__()
        self.surfaces: list[str] = []

    def __missing__(self, surface: str) -> int:
        ident = len(self.surfaces)
        self.surfaces.append(surface)
        self[surface] = ident
        return ident

    def tables(self, options: CollationOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per surface id: alignment-key id, report-key id and kind.

        The whole vocabulary is folded in one go (joined by newlines, which no
        token contains), so the cost per word is a few C-level string passes.
        """
        surfaces = self.surfaces
        kinds = [kind_of(s) for s in surfaces]
        stripped = strip_diacritics("\n".join(surfaces)).split("\n") if surfaces else []
        folded = fold_letters("\n".join(stripped).casefold()).split("\n") if surfaces else []
        letters = letter_switches(options)
        regular = {form.casefold(): word for form, word in options.regularisations}
        align_ids: dict[str, int] = {}
        report_ids: dict[str, int] = {}
        align, report = [], []
        for surface, kind, plain, fold in zip(surfaces, kinds, stripped, folded):
            if kind == WORD and any(mark in surface for mark in SUSPENSION_MARKS):
                fold = alignment_fold(surface)
                if options.ignore_suspension:
                    surface = expand_suspension(surface)
                    plain = strip_diacritics(surface)
                else:  # keep the stroke (NFKD would make ¯ a space and a combining macron)
                    plain = "".join(strip_diacritics(c) if c not in SUSPENSION_MARKS else c for c in surface)
            if kind == WORD:
                target = regular.get(surface.casefold()) if regular else None
                if target is not None:
                    key = alignment_fold(target)
                    if options.ignore_regularised:  # report as if the regular word were written
                        surface = target.capitalize() if surface[:1].isupper() else target
                        plain = strip_diacritics(surface)
                        fold = plain.casefold()
                else:
                    key = fold
                shown = plain if options.ignore_diacritics else surface
                if options.ignore_case:
                    shown = plain.casefold() if options.ignore_diacritics else surface.casefold()
                if letters:
                    shown = shown.translate(letters)
            elif kind == PUNCT:
                key = surface.translate(_PUNCT_FOLD)
                shown = "" if options.ignore_punctuation else surface
            elif kind == LACUNA:
                key = shown = "[...]"
            else:
                key = shown = surface.lower()
            align.append(align_ids.setdefault(key, len(align_ids)))
            report.append(report_ids.setdefault(shown, len(report_ids)))
        return (np.array(align, dtype=np.int64), np.array(report, dtype=np.int64), np.array(kinds, dtype=np.int8))


@dataclass
class TokenizedWitness:
    """All tokens of one witness, as parallel numpy arrays over the whole text.

    ``unit[t]`` is the index of the unit token ``t`` stands in; ``start``/``end``
    are character offsets into that unit's text; ``follow[t]`` is where the
    next token (or the unit's end) starts, so ``text[start:follow]`` is the
    token with its trailing whitespace.
    """

    surface: np.ndarray  # int32 surface ids
    unit: np.ndarray  # int32
    start: np.ndarray  # int32
    end: np.ndarray  # int32
    follow: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.surface)


def tokenize_texts(texts: list[str], vocab: Vocabulary) -> TokenizedWitness:
    """Tokenise the unit texts of one witness into arrays (linear, mostly C-speed)."""
    # One pass over all units joined by newlines (whitespace, so no token spans two units).
    joined = "\n".join(texts)
    chunks = _CHUNK.findall(joined)
    n = len(chunks)
    words = list(map(str.lstrip, chunks))
    chunk_len = np.fromiter(map(len, chunks), dtype=np.int64, count=n)
    word_len = np.fromiter(map(len, words), dtype=np.int64, count=n)
    text_len = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    unit_start = np.cumsum(text_len + 1) - (text_len + 1)  # offset of each unit in ``joined``
    global_end = np.cumsum(chunk_len)
    global_start = global_end - word_len
    unit = (np.searchsorted(unit_start, global_start, side="right") - 1).astype(np.int32)
    start = global_start - unit_start[unit]
    end = global_end - unit_start[unit]
    follow = np.empty(n, dtype=np.int64)
    follow[:-1] = start[1:]
    last = np.ones(n, dtype=bool)
    last[:-1] = unit[1:] != unit[:-1]
    follow[last] = text_len[unit[last]]
    surface = np.fromiter(map(vocab.__getitem__, words), dtype=np.int32, count=n)
    return TokenizedWitness(surface, unit, start.astype(np.int32), end.astype(np.int32), follow.astype(np.int32))
