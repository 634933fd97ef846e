"""Multiple alignment inside a variation site: the witnesses' readings aligned column by column.

Aligned to the base one by one, the witnesses' departures overlap: one witness rewords "a b c",
another spells "c" otherwise, a third adds a word after "c", and the union of their departures is
one site where every witness has its own reading of the whole. Inside each site, every witness's
tokens are aligned with the base's (a small exact alignment: equal words, then near spellings of
one word, in order), so that each witness departs from the base in columns of its own; the site is
cut wherever no witness's departure crosses, and a place of variation ends where the witnesses
agree again. Neighbouring places of one revision are joined again afterwards by the engine
(``_join_revisions``) when the witnesses group alike in both.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel

from ..folding import fold_sound
from .tokens import EDITORIAL, LACUNA, WORD, alignment_fold

#: Largest site (base tokens × witness tokens) aligned inside; a larger one stays as it is.
MAX_CELLS = 4096
#: Near spellings of one word align in one column: folded, at least this long and this similar.
NEAR_MIN_LENGTH = 4
NEAR_SIMILARITY = 0.7


@lru_cache(maxsize=65536)
def _fold(surface: str) -> str:
    return alignment_fold(surface)


@lru_cache(maxsize=262144)
def _near(a: str, b: str) -> bool:
    """Two words that stand for one another in the alignment: one sound spelt two ways, near spellings, or words of one stem
    (their first NEAR_MIN_LENGTH letters alike: "απολεϲθαι" for "ἀπολύσω" in a papyrus, another
    form of the verb in its place). Only where placing a witness's words among the columns; whether
    the difference is a spelling or another reading is the classifier's to say."""
    a, b = _fold(a), _fold(b)
    if fold_sound(a) == fold_sound(b):
        return True  # one word spelt by its sound ("το" for "τῷ", "πειλατοϲ" for "Πιλᾶτος"), however short
    if min(len(a), len(b)) < NEAR_MIN_LENGTH:
        return False
    return a[:NEAR_MIN_LENGTH] == b[:NEAR_MIN_LENGTH] or Indel.normalized_similarity(a, b) >= NEAR_SIMILARITY


def _pairs(columns, keys, surf) -> list[tuple[int, int]]:
    """Heaviest order-keeping pairing of a witness's tokens with the columns built so far: a token
    whose key a column has weighs 2, a near spelling of a column's word 1; other tokens stay
    unpaired (a substitution or an addition). Equal keys are paired first over the whole site;
    near spellings only inside the gaps that leaves (few tokens each)."""
    n, m = len(columns), len(keys)
    key_array = np.array(keys, dtype=np.int64)
    weight = np.zeros((n, m), dtype=np.int32)
    for i, column in enumerate(columns):
        if len(column.keys) == 1:
            weight[i][key_array == next(iter(column.keys))] = 2
        else:
            weight[i][np.isin(key_array, list(column.keys))] = 2
    exact = _heaviest(weight)
    out = []
    bounds = [(-1, -1), *exact, (n, m)]
    for (pi, pj), (ni, nj) in zip(bounds, bounds[1:]):
        rows, cols = list(range(pi + 1, ni)), [j for j in range(pj + 1, nj) if surf[j] is not None]
        if rows and cols:
            near = np.zeros((len(rows), len(cols)), dtype=np.int32)
            for x, i in enumerate(rows):
                column = columns[i]
                for y, j in enumerate(cols):
                    if any(_near(word, surf[j]) for word in column.surfaces[:3]):
                        near[x, y] = 1
            if near.any():
                out.extend((rows[x], cols[y]) for x, y in _heaviest(near))
        if ni < n:
            out.append((ni, nj))
    return sorted(out)


def _heaviest(weight: np.ndarray) -> list[tuple[int, int]]:
    """Order-keeping pairs of rows and columns of ``weight`` (0 = no pair) of the heaviest sum."""
    n, m = weight.shape
    score = np.zeros((n + 1, m + 1), dtype=np.int32)
    for i in range(n - 1, -1, -1):
        # score[i, j] = max(score[i + 1, j], score[i + 1, j + 1] + weight, score[i, j + 1]): the last
        # term is a running maximum from the right
        step = np.maximum(score[i + 1, :m], np.where(weight[i] > 0, score[i + 1, 1:] + weight[i], 0))
        score[i, :m] = np.maximum.accumulate(step[::-1])[::-1]
    out, i, j = [], 0, 0
    while i < n and j < m:
        w = int(weight[i, j])
        if w and score[i, j] == score[i + 1, j + 1] + w:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif score[i, j] == score[i + 1, j]:
            i += 1
        else:
            j += 1
    return out


class _Column:
    """A column of the site's alignment: a base token (``base`` its index) or words witnesses
    add or substitute (``base`` None), at ``slot`` in the base's slots."""

    __slots__ = ("base", "keys", "surfaces", "slot", "word")

    def __init__(self, base, keys, surfaces, slot, word):
        self.base, self.keys, self.surfaces, self.slot, self.word = base, keys, surfaces, slot, word


def _keep_moves_whole(pairs, base_keys, keys):
    """Where the words left unpaired are the same words in another order ("black and white" /
    "white and black"), the stretch from the first to the last of them is one transposition: the
    pairs inside it are dropped, so it stays one place."""
    paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
    free_a = [i for i in range(len(base_keys)) if i not in paired_a]
    free_b = [j for j in range(len(keys)) if j not in paired_b]
    if not free_a or sorted(base_keys[i] for i in free_a) != sorted(keys[j] for j in free_b):
        return pairs
    lo_a, hi_a, lo_b, hi_b = free_a[0], free_a[-1], free_b[0], free_b[-1]
    while True:  # a pair inside the stretch, or on one side of it in one text and the other in the other
        kept = [(i, j) for i, j in pairs if (i < lo_a and j < lo_b) or (i > hi_a and j > hi_b)]
        dropped = [p for p in pairs if p not in kept]
        if not dropped:
            return pairs
        lo_a, hi_a = min(lo_a, *(i for i, _ in dropped)), max(hi_a, *(i for i, _ in dropped))
        lo_b, hi_b = min(lo_b, *(j for _, j in dropped)), max(hi_b, *(j for _, j in dropped))
        pairs = kept


def _fused(columns, i: int, word: str | None) -> bool:
    """``word``, paired with column ``i``, is its word written together with the next column's
    ("βουλεϲθαιουν" for "βούλεσθε οὖν"): it stands for both (one place over the two)."""
    if word is None or not columns[i].surfaces or not columns[i + 1].surfaces or columns[i + 1].base is None:
        return False
    word, own = _fold(word), _fold(columns[i].surfaces[0])
    if len(word) <= len(own) + 1:
        return False
    joined = own + _fold(columns[i + 1].surfaces[0])
    closer = Indel.normalized_similarity(word, joined)
    return closer >= NEAR_SIMILARITY and closer > Indel.normalized_similarity(word, own)


def _divided(keys, surf, kinds, base_keys, base_words):
    """The witness's tokens as the alignment takes them: two words that together are one word of the
    base, written apart ("ευ ριϲκω" for "εὑρίσκω"), neither of them a base word, are one token with
    that word's key. Returns (keys, surfaces, kinds, first) with ``first[g]`` the offset of token
    ``g``'s first word (and the number of words at the end), None when no words were joined."""
    known = set(base_keys)
    unknown = [k not in known for k in keys]
    if not any(a and b for a, b in zip(unknown, unknown[1:])):
        return keys, surf, kinds, None  # no two words outside the base's side by side: nothing to join
    out_keys, out_surf, out_kinds, first = [], [], [], []
    j = 0
    while j < len(keys):
        size = 1
        if (
            j + 1 < len(keys)
            and kinds[j] == WORD
            and kinds[j + 1] == WORD
            and keys[j] not in known
            and keys[j + 1] not in known
            and _fold(surf[j] + surf[j + 1]) in base_words
        ):
            size = 2
        first.append(j)
        if size == 2:
            out_keys.append(base_words[_fold(surf[j] + surf[j + 1])])
            out_surf.append(surf[j] + surf[j + 1])
        else:
            out_keys.append(keys[j])
            out_surf.append(surf[j])
        out_kinds.append(kinds[j])
        j += size
    first.append(len(keys))
    if len(out_keys) == len(keys):
        return keys, surf, kinds, None
    return out_keys, out_surf, out_kinds, first


def split_site(wits, ranges, lacunose, surfaces) -> list[tuple[list[tuple[int, int]], frozenset]]:
    """The site's per-witness token ranges cut into the places where the witnesses depart
    independently (see the module docstring), each with the witnesses (indices) that read nothing
    in it for a lacuna they mark inside the site; ``[(ranges, ∅)]`` when it is one place.

    A witness that breaks off, begins late or has a gap inside the site (a lacuna marker among its
    tokens) reads nothing over the columns its lacuna covers, not an omission of them; a word at the
    lacuna's edge that is the start (or end) of the column's word is that word, broken ("αλ" for
    "ἀλλὰ" where the papyrus breaks off).

    Progressive: the witnesses are taken closest to the base first (a guide order by words shared
    with the base), each aligned with the columns the base and the witnesses before it made, so
    that a word two witnesses add or substitute alike stands in one column, one reading."""
    base = wits[0]
    b0, b1 = ranges[0]
    n = b1 - b0
    whole = [(ranges, frozenset())]
    if n < 2 or sum(s < e for s, e in ranges[1:]) < 2:
        return whole  # one witness against the base: its departures are the places already
    base_keys = base.akey[b0:b1].tolist()
    base_kind = base.kind[b0:b1].tolist()
    if any(k in (EDITORIAL, LACUNA) for k in base_kind):
        return whole
    columns = [
        _Column(i, {k}, [surfaces[t]] if kind == WORD else [], 2 * i + 1, kind == WORD)
        for i, (k, t, kind) in enumerate(zip(base_keys, base.t.surface[b0:b1].tolist(), base_kind))
    ]
    base_words = {
        _fold(surfaces[t]): k
        for t, k, kind in zip(base.t.surface[b0:b1].tolist(), base_keys, base_kind)
        if kind == WORD
    }
    tokens = {}
    for index, (w, (s, e)) in enumerate(zip(wits[1:], ranges[1:]), 1):
        if s >= e:
            continue  # it reads nothing here: it reads nothing in each place
        kinds = w.kind[s:e].tolist()
        if EDITORIAL in kinds or n * (e - s) > MAX_CELLS:
            return whole
        keys = w.akey[s:e].tolist()
        surf = [surfaces[t] if k == WORD else None for t, k in zip(w.t.surface[s:e].tolist(), kinds)]
        tokens[index] = _divided(keys, surf, kinds, base_keys, base_words)
    order = sorted(tokens, key=lambda x: -len(set(tokens[x][0]) & set(base_keys)))
    intervals: list[tuple[int, int]] = []
    slots: dict[int, np.ndarray] = {}
    gaps: dict[int, list[tuple[int, int]]] = {}  # per witness, the slots [a, b) its lacunae cover
    for index in order:
        w, (s, e) = wits[index], ranges[index]
        keys, surf, kinds, first = tokens[index]
        m = len(keys)
        if keys == base_keys:  # the base's words (written alike or not): column by column
            pairs = [(i, j) for j, i in enumerate(k for k, c in enumerate(columns) if c.base is not None)]
        else:
            pairs = _pairs(columns, keys, surf)
        if not any(columns[i].word for i, _ in pairs):
            pairs = []  # no word in common: other words, or another script, not marks to align on
        fused = {i + 1 for i, j in pairs if i + 1 < len(columns) and _fused(columns, i, surf[j])}
        pairs = [(i, j) for i, j in pairs if i not in fused]
        pairs = _keep_moves_whole(pairs, [min(c.keys) for c in columns], keys)
        slot = np.zeros(m, dtype=np.int64)
        bounds = [(-1, -1), *pairs, (len(columns), m)]
        added: list[tuple[int, list[_Column]]] = []  # new columns to put after column index
        for (pi, pj), (ni, nj) in zip(bounds, bounds[1:]):
            omitted = [columns[c].base for c in range(pi + 1, ni) if columns[c].base is not None and c not in fused]
            free = list(range(pj + 1, nj))
            if any(kinds[j] == LACUNA for j in free):
                torn = _torn(columns, pi, ni, free, kinds, surf, fused)
                if torn is None:
                    return whole  # other words of its own beside the lacuna: the site stays one place
                edges, lost = torn
                for i, j in edges:  # a broken word differs from the word it stands for
                    slot[j] = columns[i].slot
                    intervals.append((columns[i].slot, columns[i].slot + 1))
                if lost is not None:
                    gaps.setdefault(index, []).append(lost)
                slot[[j for j in free if kinds[j] == LACUNA]] = lost[0] if lost else 0
            elif free:
                if omitted:  # base words replaced: the place is on them
                    where = 2 * omitted[0] + 1
                    intervals.append((where, 2 * omitted[-1] + 2))
                else:  # words added between two columns: the place is the gap
                    before = [c.base for c in columns[: pi + 1] if c.base is not None]
                    where = 2 * before[-1] + 2 if before else 0
                    intervals.append((where, where + 1))
                slot[free] = where
                new = [_Column(None, {keys[j]}, [surf[j]] if surf[j] else [], where, kinds[j] == WORD) for j in free]
                added.append((pi if not omitted else ni - 1, new))
            elif omitted:  # base words omitted: the place is on them
                intervals.append((2 * omitted[0] + 1, 2 * omitted[-1] + 2))
            if ni < len(columns) and nj < m:
                column = columns[ni]
                slot[nj] = column.slot
                if column.base is None:
                    intervals.append((column.slot, column.slot + 1))
                    column.keys.add(keys[nj])
                elif ni + 1 in fused:  # two words written as one: a place over both
                    intervals.append((column.slot, columns[ni + 1].slot + 1))
                elif (
                    (first is not None and first[nj + 1] - first[nj] > 1)  # one word written as two: "ευ ριϲκω"
                    or w.rkey.item(s + (nj if first is None else first[nj])) != base.rkey.item(b0 + column.base)
                ):
                    intervals.append((column.slot, column.slot + 1))
        for after, new in reversed(added):
            columns[after + 1 : after + 1] = new
        if first is not None:
            slot = np.repeat(slot, np.diff(first))
        slots[index] = np.maximum.accumulate(slot)
    if not intervals:
        return whole
    intervals.sort()
    places = [list(intervals[0])]
    for start, end in intervals[1:]:
        if start < places[-1][1]:
            places[-1][1] = max(places[-1][1], end)
        else:
            places.append([start, end])
    if len(places) == 1 and places[0][0] <= 1 and places[0][1] >= 2 * n and not gaps:
        return whole
    # Pieces of slots [0, 2n + 1): the places and the stretches between them, cut where a lacuna begins or ends.
    cuts = sorted(
        {0, 2 * n + 1, *(x for p in places for x in p), *(x for spans in gaps.values() for g in spans for x in g)}
    )
    cuts = [c for c in cuts if 0 <= c <= 2 * n + 1]
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        piece = [(b0 + lo // 2, b0 + hi // 2)]
        if lo == 0:
            piece[0] = (b0, b0 + hi // 2)
        if hi == 2 * n + 1:
            piece[0] = (piece[0][0], b1)
        for index, (s, e) in enumerate(ranges[1:], 1):
            slot = slots.get(index)
            if slot is None:
                at = s if hi < 2 * n + 1 else e
                piece.append((at, at))
                continue
            a = s + int(np.searchsorted(slot, lo, side="left")) if lo > 0 else s
            z = s + int(np.searchsorted(slot, hi, side="left")) if hi < 2 * n + 1 else e
            piece.append((a, max(a, z)))
        if any(x < y for x, y in piece):
            lost = frozenset(i for i, spans in gaps.items() if any(a <= lo and hi <= b for a, b in spans))
            out.append((piece, lost))
    return out or whole


def _torn(columns, pi: int, ni: int, free: list[int], kinds, surf, fused):
    """The columns after ``pi`` and before ``ni`` where a witness marks a lacuna among its tokens ``free``:
    (edges, lost). ``edges`` pairs a word just before the lacuna with the first column when it begins
    that column's word, and a word just after it with the last column when it ends that word (a broken
    word at a torn edge); ``lost`` is the slots [a, b) of the columns left between (None if none). None
    when the witness has other words there (they are its own text: not for this rule)."""
    marks = [j for j in free if kinds[j] == LACUNA]
    before = [j for j in free if j < marks[0]]
    after = [j for j in free if j > marks[-1]]
    if len(before) > 1 or len(after) > 1 or any(j not in marks for j in free if marks[0] < j < marks[-1]):
        return None
    if any(c in fused for c in range(pi + 1, ni + 1)):
        return None
    lo, hi = pi + 1, ni - 1
    edges = []
    for j, opening in ((before, True), (after, False)):
        if not j:
            continue
        at, word = (lo if opening else hi), surf[j[0]]
        fits = str.startswith if opening else str.endswith  # "αλ" begins "ἀλλὰ" where the text breaks off
        if lo > hi or word is None or not columns[at].surfaces or not fits(_fold(columns[at].surfaces[0]), _fold(word)):
            return None
        edges.append((at, j[0]))
        lo, hi = (lo + 1, hi) if opening else (lo, hi - 1)
    return edges, ((columns[lo].slot, columns[hi].slot + 1) if lo <= hi else None)
