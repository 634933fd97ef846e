"""Kinds of difference between a reading and the base reading.

- ``editorial``: only editorial markers ("[citation needed]", "[12]") differ;
- ``punctuation``: the words are the same, only punctuation marks differ;
- ``orthographic``: the same words, written differently: subtype ``case``,
  ``diacritics`` or ``case-diacritics`` ("Sarkanā" / "Sarkana"), ``abbreviation``
  (a suspension stroke for the letter it stands for: "εϲτι¯" / "ἐστιν"),
  ``regularised`` (forms the editor's regularisation list makes one word:
  "connexion" / "connection"), or ``whitespace`` (spacing, when whitespace is
  not normalised);
- ``omission`` / ``addition``: the reading lacks words the base has / has
  words the base lacks (punctuation may differ too);
- ``transposition``: the same words in another order, or (across sites) a
  passage omitted in one place and added in another;
- ``substantive``: other words. A one-word substitution of another form of
  the same word ("Dzimteni" / "Dzimtenes": same stem, other ending) is
  substantive with subtype ``inflection``: a different grammatical form is a
  different reading, not a different spelling of the same one.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel

from .model import TYPES
from ..folding import (
    SUSPENSION_MARKS,
    alignment_fold,
    drop_movable_nu,
    expand_suspension,
    fold_case_diacritics,
    fold_letters,
    fold_sound,
    strip_diacritics,
)
from .tokens import EDITORIAL, WORD, CollationOptions, Vocabulary

MIN_MOVED_WORDS = 3  # a moved passage must have at least this many words to count as transposed
#: Near match: two spellings of one word (folded), each of at least NEAR_MIN_LENGTH letters, with an
#: Indel similarity of at least NEAR_SIMILARITY (a letter or two in a word of five to ten: "haired" /
#: "haried", "connexion" / "connection", "πειλατοϲ" / "Πιλᾶτος"); shorter words that differ by a
#: letter are often other words ("on" / "in", "were" / "where", "ἡμῖν" / "ὑμῖν").
NEAR_MIN_LENGTH = 5
NEAR_SIMILARITY = 0.8
#: The stems of the Greek personal pronouns "we" (ἡμεῖς, ἡμῶν, ἡμέτερος) and "you" (ὑμεῖς ...), folded:
#: itacism makes them sound alike, yet every critical edition reports their exchange as another reading.
_WE_YOU = frozenset({"ημ", "υμ"})


class Classifier:
    def __init__(self, vocab: Vocabulary, wits, options: CollationOptions) -> None:
        self.surfaces = vocab.surfaces
        self.wits = wits
        self.options = options
        self._moves: list[tuple] = []  # (variant, reading, words, (base sentence, own sentence))
        self._exchanges: list[tuple] = []  # (variant, reading, (base words, own words), sentences)

    def _words(self, index: int, rng: tuple[int, int]) -> tuple[list[int], list[int], list[int]]:
        """(alignment keys of words, report keys of compared tokens, surface ids of words)."""
        w = self.wits[index]
        s, e = rng
        kinds = w.kind[s:e].tolist()
        akeys = w.akey[s:e].tolist()
        rkeys = w.rkey[s:e].tolist()
        surfaces = w.t.surface[s:e].tolist()
        words = [k for k, kind in zip(akeys, kinds) if kind == WORD]
        plain = [k for k, kind in zip(rkeys, kinds) if kind != EDITORIAL and k != -1]
        word_surfaces = [sid for sid, kind in zip(surfaces, kinds) if kind == WORD]
        return words, plain, word_surfaces

    def classify(self, base_range: tuple[int, int], index: int, rng: tuple[int, int]) -> tuple[str, str | None]:
        words_a, plain_a, surf_a = self._words(0, base_range)
        words_b, plain_b, surf_b = self._words(index, rng)
        if plain_a == plain_b:
            return "editorial", None
        if not self.options.ignore_whitespace and [k // 2 for k in plain_a] == [k // 2 for k in plain_b]:
            return "orthographic", "whitespace"  # the same tokens, spaced differently ("Rīga ," / "Rīga,")
        if not words_a and not words_b:
            return "punctuation", None
        if not words_b:
            return "omission", None
        if not words_a:
            return "addition", None
        if words_a == words_b:
            forms_a = [self.surfaces[s] for s in surf_a]
            forms_b = [self.surfaces[s] for s in surf_b]
            if forms_a == forms_b:
                return "punctuation", None
            return "orthographic", _orthographic_subtype(forms_a, forms_b)
        if len(words_a) > 1 and sorted(words_a) == sorted(words_b):
            return "transposition", None
        folded_a = [alignment_fold(self.surfaces[s]) for s in surf_a]
        folded_b = [alignment_fold(self.surfaces[s]) for s in surf_b]
        if "".join(folded_a) == "".join(folded_b):
            return "orthographic", "word-division"  # "long-haired" / "longhaired", "Я.К." / "як"
        if _is_subsequence(words_b, words_a):
            return "omission", None  # "much more" / "more", where a third witness parts them
        if _is_subsequence(words_a, words_b):
            return "addition", None
        # Near spellings first: a Greek spelling class can look like another ending ("-σθαι" / "-σθε").
        if _near_words(folded_a, folded_b):
            return "orthographic", "near-match"
        if len(surf_a) == 1 and len(surf_b) == 1 and _same_stem(self.surfaces[surf_a[0]], self.surfaces[surf_b[0]]):
            return "substantive", "inflection"
        return "substantive", None

    def remember(self, variant, ranges) -> None:
        """Keep omitted/added passages so that moves can be recognised afterwards."""
        for reading in variant.readings:
            if reading.type == "substantive" and not variant.parts:
                index = next(i for i, w in enumerate(self.wits) if w.siglum == reading.witnesses[0])
                where = (self._sentence(0, ranges[0]), self._sentence(index, ranges[index]))
                pair = (tuple(self._words(0, ranges[0])[0]), tuple(self._words(index, ranges[index])[0]))
                self._exchanges.append((variant, reading, pair, where))
            if reading.type in ("omission", "addition"):
                index = next(i for i, w in enumerate(self.wits) if w.siglum == reading.witnesses[0])
                source = 0 if reading.type == "omission" else index
                words = tuple(self._words(source, ranges[source])[0])
                if words:
                    where = (self._sentence(0, ranges[0]), self._sentence(index, ranges[index]))
                    self._moves.append((variant, reading, words, where))

    def _sentence(self, index: int, rng: tuple[int, int]) -> int:
        """Sentence a token range (or the gap at its start) stands in."""
        w = self.wits[index]
        s, e = rng
        if w.size == 0:
            return -1
        if s < e:
            return int(w.sentence[s])
        return int(w.sentence[s] if s < w.size else w.sentence[s - 1])

    def link_transpositions(self, variants) -> None:
        """An omission and an addition of the same words by the same witnesses is a move:
        of at least MIN_MOVED_WORDS words anywhere, or of any words (in any order) within
        one sentence ("differ more from each other" / "differ from each other more")."""
        anywhere: dict[tuple, list] = {}
        in_sentence: dict[tuple, list] = {}
        for variant, reading, words, where in self._moves:
            if reading.type == "omission":
                if len(words) >= MIN_MOVED_WORDS:
                    anywhere.setdefault((reading.witnesses, words), []).append((variant, reading))
                in_sentence.setdefault((reading.witnesses, tuple(sorted(words)), where), []).append((variant, reading))
        for variant, reading, words, where in self._moves:
            if reading.type != "addition":
                continue
            candidates = [
                c
                for c in (
                    in_sentence.get((reading.witnesses, tuple(sorted(words)), where)),
                    anywhere.get((reading.witnesses, words)),
                )
                if c
            ]
            partner = None
            for found in candidates:
                while found and partner is None:
                    other = found.pop(0)
                    if other[1].type == "omission":  # not already taken through the other index
                        partner = other
                if partner:
                    break
            if partner is None:
                continue
            _link((variant, reading), partner)
        self._link_exchanges()

    def _link_exchanges(self) -> None:
        """Two substitutions in one sentence that exchange words ("the cat and the dog" /
        "the dog and the cat") are one transposition, its two places linked."""
        waiting: dict[tuple, list] = {}
        for variant, reading, (base, own), where in self._exchanges:
            found = waiting.get((reading.witnesses, own, base, where))
            if found and base != own:
                _link(found.pop(0), (variant, reading))
            else:
                waiting.setdefault((reading.witnesses, base, own, where), []).append((variant, reading))


def _link(one, other) -> None:
    """Type two readings as the two ends of one move and point their apps to each other."""
    for v, r in (one, other):
        r.type, r.subtype = "transposition", "moved"
        v.type, v.subtype = most_significant(v.readings)
    one[0].partner, other[0].partner = other[0].n, one[0].n


def most_significant(readings) -> tuple[str, str | None]:
    """The type of an app: that of its most significant reading (one without subtype first)."""
    typed = [(TYPES.index(r.type), r.subtype is not None, r.type, r.subtype) for r in readings if r.type in TYPES]
    if not typed:
        return "substantive", None
    # Key on (rank, has a subtype): never compares a subtype with None; a plain reading wins.
    _, _, kind, subtype = min(typed, key=lambda t: t[:2])
    return kind, subtype


def _is_subsequence(short: list[int], long: list[int]) -> bool:
    """``short`` is ``long`` with some words left out (and none added)."""
    if not short or len(short) >= len(long):
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def _orthographic_subtype(forms_a: list[str], forms_b: list[str]) -> str:
    case = [f.casefold() for f in forms_a] == [f.casefold() for f in forms_b]
    if case:
        return "case"
    if [fold_letters(f.casefold()) for f in forms_a] == [fold_letters(f.casefold()) for f in forms_b]:
        return "letterform"  # ς ϲ / σ, u / v, i / j (perhaps with case): before diacritics, which NFKD-folds ϲ
    marks = [strip_diacritics(f) for f in forms_a] == [strip_diacritics(f) for f in forms_b]
    if marks:
        return "diacritics"
    folded = [fold_case_diacritics(f) for f in forms_a] == [fold_case_diacritics(f) for f in forms_b]
    if folded:
        return "case-diacritics"
    if any(mark in f for f in (*forms_a, *forms_b) for mark in SUSPENSION_MARKS) and [
        fold_case_diacritics(expand_suspension(f)) for f in forms_a
    ] == [fold_case_diacritics(expand_suspension(f)) for f in forms_b]:
        return "abbreviation"  # "εϲτι¯" / "ἐστιν": a suspension stroke for the letter it stands for
    if [alignment_fold(f) for f in forms_a] == [alignment_fold(f) for f in forms_b]:
        return "letterform"  # with diacritics too
    return "regularised"  # aligned as equal only through the editor's list


def _near_words(a: list[str], b: list[str]) -> bool:
    """Word by word the same or near matches, at least one near: one Greek word in two spellings
    (see ``_greek_spelling``) or, where that rule says nothing, a near spelling (NEAR_SIMILARITY) that
    is not another grammatical form of the same word (that is an inflection, a different reading)."""
    if len(a) != len(b) or a == b:
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        greek = _greek_spelling(x, y)
        if greek is False:
            return False
        if greek is None and (
            min(len(x), len(y)) < NEAR_MIN_LENGTH
            or Indel.normalized_similarity(x, y) < NEAR_SIMILARITY
            or _same_stem(x, y)
        ):
            return False
    return True


def _greek_spelling(x: str, y: str) -> bool | None:
    """Two different alignment-folded words under the regularisation of Greek manuscripts: True if one
    word spelt two ways, False if two words it would merge, None if it does not make them one.

    One spelling: the same but for the vowels scribes exchange because they sound alike (``fold_sound``:
    itacism ει η ι οι υ, αι / ε, ο / ω, a doubled consonant written once: "αληθηα" / "αληθεια",
    "βουλεσθαι" / "βουλεσθε"), or the same but for a movable ν ("εστι" / "εστιν"); not both at once,
    which would make an accusative of a dative ("πιστιν" / "πιστει"). At any length: "το" / "τω".
    Two words: an exchange at the first letter of a short word (under NEAR_MIN_LENGTH letters), where
    Greek articles, pronouns and particles differ ("οι" / "η", "ει" / "η", "οσ" / "ωσ", "οισ" / "ησ"), or
    between the stems of "we" and "you" at any length ("υμεισ" / "ημεισ", "υμετεροσ" / "ημετεροσ"); a
    longer word spelt so is one ("ειρηνη" / "ιρηνη"). Letters outside the Greek alphabet are never
    exchanged, so other scripts always get None.
    """
    if fold_sound(x) == fold_sound(y):
        if x[0] == y[0]:
            return True
        return min(len(x), len(y)) >= NEAR_MIN_LENGTH and {x[:2], y[:2]} != _WE_YOU
    if drop_movable_nu(x) == drop_movable_nu(y):
        return True
    return None


def _same_stem(a: str, b: str) -> bool:
    """Two forms of one word: a long common beginning, different short endings."""
    a, b = fold_case_diacritics(a), fold_case_diacritics(b)
    if min(len(a), len(b)) < 4 or a == b:
        return False
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    rest_a, rest_b = a[common:], b[common:]
    if rest_a and rest_b and rest_a[-1] == rest_b[-1]:
        return False  # a letter changed inside the word ("colour" / "color"), not its ending
    return common >= max(3, 0.6 * min(len(a), len(b))) and max(len(a), len(b)) - common <= 4
