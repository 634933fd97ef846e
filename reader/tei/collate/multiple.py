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

from .tokens import EDITORIAL, LACUNA, WORD, fold_letters, strip_diacritics

#: Largest site (base tokens × witness tokens) aligned inside; a larger one stays as it is.
MAX_CELLS = 4096
#: Near spellings of one word align in one column: folded, at least this long and this similar.
NEAR_MIN_LENGTH = 4
NEAR_SIMILARITY = 0.7


@lru_cache(maxsize=65536)
def _fold(surface: str) -> str:
    return fold_letters(strip_diacritics(surface).casefold())


def _near(a: str, b: str) -> bool:
    a, b = _fold(a), _fold(b)
    return min(len(a), len(b)) >= NEAR_MIN_LENGTH and Indel.normalized_similarity(a, b) >= NEAR_SIMILARITY


def _pairs(base_keys, base_surf, keys, surf) -> list[tuple[int, int]]:
    """Heaviest order-keeping pairing of two short token lists: equal keys weigh 2, near
    spellings 1; other tokens stay unpaired (a substitution)."""
    n, m = len(base_keys), len(keys)
    score = np.zeros((n + 1, m + 1), dtype=np.int32)
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1, j], score[i, j + 1])
            if base_keys[i] == keys[j]:
                best = max(best, score[i + 1, j + 1] + 2)
            elif base_surf[i] is not None and surf[j] is not None and _near(base_surf[i], surf[j]):
                best = max(best, score[i + 1, j + 1] + 1)
            score[i, j] = best
    out, i, j = [], 0, 0
    while i < n and j < m:
        if base_keys[i] == keys[j] and score[i, j] == score[i + 1, j + 1] + 2:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif (
            base_surf[i] is not None
            and surf[j] is not None
            and score[i, j] == score[i + 1, j + 1] + 1
            and base_keys[i] != keys[j]
            and _near(base_surf[i], surf[j])
        ):
            out.append((i, j))
            i, j = i + 1, j + 1
        elif score[i, j] == score[i + 1, j]:
            i += 1
        else:
            j += 1
    return out


def split_site(wits, ranges, lacunose, surfaces) -> list[list[tuple[int, int]]]:
    """The site's per-witness token ranges cut into the places where the witnesses depart
    independently (see the module docstring); ``[ranges]`` when it is one place."""
    base = wits[0]
    b0, b1 = ranges[0]
    n = b1 - b0
    if n < 2 or sum(s < e for s, e in ranges[1:]) < 2:
        return [ranges]  # one witness against the base: its departures are the places already
    aligned_kinds = (WORD,)
    base_keys = base.akey[b0:b1].tolist()
    base_kind = base.kind[b0:b1].tolist()
    base_surf = [surfaces[t] if k == WORD else None for t, k in zip(base.t.surface[b0:b1].tolist(), base_kind)]
    if any(k in (EDITORIAL, LACUNA) for k in base_kind):
        return [ranges]
    intervals: list[tuple[int, int]] = []
    slots: list[np.ndarray | None] = [None]
    for w, (s, e) in zip(wits[1:], ranges[1:]):
        if s >= e:
            slots.append(None)  # it reads nothing here: it reads nothing in each place
            continue
        kinds = w.kind[s:e].tolist()
        if any(k in (EDITORIAL, LACUNA) for k in kinds) or n * (e - s) > MAX_CELLS:
            return [ranges]
        keys = w.akey[s:e].tolist()
        surf = [surfaces[t] if k in aligned_kinds else None for t, k in zip(w.t.surface[s:e].tolist(), kinds)]
        pairs = _pairs(base_keys, base_surf, keys, surf)
        if not any(base_kind[i] == WORD for i, _ in pairs):
            pairs = []  # no word in common: other words, or another script, not marks to align on
        paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
        moved_a = sorted(k for i, k in enumerate(base_keys) if i not in paired_a)
        moved_b = sorted(k for j, k in enumerate(keys) if j not in paired_b)
        if moved_a and moved_a == moved_b:
            pairs = []  # the same words in another order: one transposition, one place
        slot = np.empty(e - s, dtype=np.int64)
        bounds = [(-1, -1), *pairs, (n, e - s)]
        for (pi, pj), (ni, nj) in zip(bounds, bounds[1:]):
            if ni < n and nj < e - s:
                slot[nj] = 2 * ni + 1
                if w.rkey.item(s + nj) != base.rkey.item(b0 + ni):
                    intervals.append((2 * ni + 1, 2 * ni + 2))
            if nj - pj > 1 or ni - pi > 1:
                if ni - pi > 1:  # base words replaced or omitted: the place is on them
                    start, end = 2 * pi + 3, 2 * ni
                    slot[pj + 1 : nj] = 2 * pi + 3
                else:  # words added between two columns: the place is the gap
                    start, end = 2 * pi + 2, 2 * pi + 3
                    slot[pj + 1 : nj] = 2 * pi + 2
                intervals.append((start, end))
        slots.append(slot)
    if not intervals:
        return [ranges]
    intervals.sort()
    places = [list(intervals[0])]
    for start, end in intervals[1:]:
        if start < places[-1][1]:
            places[-1][1] = max(places[-1][1], end)
        else:
            places.append([start, end])
    if len(places) == 1 and places[0][0] <= 1 and places[0][1] >= 2 * n:
        return [ranges]
    # Pieces of slots [0, 2n + 1): the places and the stretches between them.
    cuts = sorted({0, 2 * n + 1, *(x for p in places for x in p)})
    cuts = [c for c in cuts if 0 <= c <= 2 * n + 1]
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        piece = [(b0 + lo // 2, b0 + hi // 2) if hi > lo else (b0 + lo // 2, b0 + lo // 2)]
        if lo == 0:
            piece[0] = (b0, b0 + hi // 2)
        if hi == 2 * n + 1:
            piece[0] = (piece[0][0], b1)
        for (s, e), slot in zip(ranges[1:], slots[1:]):
            if slot is None:
                at = s if lo < 2 * n else e
                piece.append((at, at) if hi < 2 * n + 1 else (e, e))
                continue
            a = s + int(np.searchsorted(slot, lo, side="left")) if lo > 0 else s
            z = s + int(np.searchsorted(slot, hi, side="left")) if hi < 2 * n + 1 else e
            piece.append((a, max(a, z)))
        if any(x < y for x, y in piece):
            out.append(piece)
    return out or [ranges]
