"""Fast word alignment of two int sequences (near-linear on real texts).

The strategy is that of patience/histogram diff, made to scale with numpy:

1. Trim the common prefix and suffix of the region.
2. Anchor on k-grams (``K`` tokens, hashed) that occur exactly once in each
   side of the region; chain the anchors with a heaviest increasing
   subsequence over runs of consecutive anchors; recurse into the gaps.
3. Where nothing is unique (repeated text: every k-gram recurs), pair the
   occurrences of k-grams that occur *equally often* on both sides, in order.
   This is what keeps a text repeated 700 times linear.
4. Small gaps get an exact O(ND) diff (Myers), bounded in D; large gaps with
   no shared k-gram at all (different texts, different scripts) stay
   unaligned instead of being matched word by word on "the" and "of".

The result is a list of matched runs ``(a_start, b_start, length)`` in order.
"""

from __future__ import annotations

import numpy as np

K = 4  # k-gram length for anchors
SMALL_GAP = 48  # gaps up to this many tokens a side go straight to Myers
MYERS_MAX_COST = 400_000  # (n + m) * D bound for the exact diff in a gap
SWAP_RUN = 3  # a match this short inside a local swap ("X and Y" / "Y and X") is dropped
SWAP_SPAN = 12  # longest span of tokens checked for a local swap
CLEANUP_RUN = 1  # matched runs this short between two larger edits are absorbed
STRAY_RUN = 2  # a match this short of common words between two rewordings is no anchor
STRAY_GAP = 3  # ... when the rewording on each side has this many tokens on one side at least

_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)

Run = tuple[int, int, int]


def kgram_hashes(seq: np.ndarray, k: int = K) -> np.ndarray:
    """Hash of every k-gram of ``seq`` (length ``len(seq) - k + 1``)."""
    n = len(seq) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    values = seq.astype(np.uint64) + np.uint64(1)
    out = values[:n].copy()
    with np.errstate(over="ignore"):
        for offset in range(1, k):
            out = out * _HASH_MULT + values[offset : offset + n]
            out ^= out >> np.uint64(29)
    return out


def align(
    a: np.ndarray,
    b: np.ndarray,
    edges_a: np.ndarray | None = None,
    edges_b: np.ndarray | None = None,
    weak_a: np.ndarray | None = None,
) -> list[Run]:
    """Matched runs between int arrays ``a`` and ``b``, in order, non-overlapping.

    ``edges_a``/``edges_b`` (length ``len + 1``) score the positions where a
    paragraph or section starts; an omission or addition that could equally
    stand a few tokens earlier or later is slid to the best-scoring place. ``weak_a`` (a mask
    over ``a``) names the words too short or too common to mean one place alone: a short match of
    them between two rewordings is dropped (:func:`drop_stray`); marks such as a full stop stay anchors.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    aligner = _Aligner(a, b)
    aligner.region(0, len(a), 0, len(b))
    runs = cleanup(a, b, _merge_adjacent(sorted(aligner.runs)))
    if weak_a is not None:
        runs = drop_stray(a, b, runs, weak_a)
    if edges_a is not None and edges_b is not None:
        runs = slide(a, b, runs, edges_a, edges_b)
    return runs


class _Aligner:
    def __init__(self, a: np.ndarray, b: np.ndarray) -> None:
        self.a, self.b = a, b
        self.ha, self.hb = kgram_hashes(a), kgram_hashes(b)
        self.runs: list[Run] = []

    def region(self, a0: int, a1: int, b0: int, b1: int) -> None:
        stack = [(a0, a1, b0, b1)]
        while stack:
            a0, a1, b0, b1 = stack.pop()
            a0, a1, b0, b1 = self._trim(a0, a1, b0, b1)
            if a0 >= a1 or b0 >= b1:
                continue
            if a1 - a0 <= SMALL_GAP and b1 - b0 <= SMALL_GAP:
                self._myers(a0, a1, b0, b1)
                continue
            chain = self._anchor(a0, a1, b0, b1)
            if not chain:
                self._myers(a0, a1, b0, b1)
                continue
            ea, eb = a0, b0
            for ra, rb, length in chain:
                stack.append((ea, ra, eb, rb))
                self.runs.append((ra, rb, length))
                ea, eb = ra + length, rb + length
            stack.append((ea, a1, eb, b1))

    def _trim(self, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
        n = min(a1 - a0, b1 - b0)
        if n <= 0:
            return a0, a1, b0, b1
        prefix = _common_prefix(self.a[a0 : a0 + n], self.b[b0 : b0 + n])
        if prefix:
            self.runs.append((a0, b0, prefix))
            a0, b0, n = a0 + prefix, b0 + prefix, n - prefix
        if n:
            suffix = _common_prefix(self.a[a1 - n : a1][::-1], self.b[b1 - n : b1][::-1])
            if suffix:
                self.runs.append((a1 - suffix, b1 - suffix, suffix))
                a1, b1 = a1 - suffix, b1 - suffix
        return a0, a1, b0, b1

    def _anchor(self, a0: int, a1: int, b0: int, b1: int) -> list[Run]:
        """Matched runs inside the region from k-gram anchors (empty if none)."""
        if a1 - a0 < K or b1 - b0 < K:
            return []
        ha = self.ha[a0 : a1 - K + 1]
        hb = self.hb[b0 : b1 - K + 1]
        pa, pb = _unique_pairs(ha, hb)
        if len(pa) == 0:
            pa, pb = _equal_count_pairs(ha, hb)
        if len(pa) == 0:
            return []
        chain = _heaviest_chain(_diagonal_spans(pa + a0, pb + b0))
        return self._verified(chain, a1, b1)

    def _verified(self, chain: list[tuple[int, int, int, int]], a1: int, b1: int) -> list[Run]:
        """Spans on one diagonal -> runs of equal tokens, overlaps trimmed.

        Between two anchors on one diagonal the tokens are compared in place:
        stretches of at least ``K`` equal tokens become runs; what differs is
        left in the gaps for the exact diff.
        """
        out: list[Run] = []
        ea = eb = -1
        for ra, rb, length, _weight in chain:
            length = min(length, a1 - ra, b1 - rb)
            shift = max(0, ea - ra, eb - rb)
            ra, rb, length = ra + shift, rb + shift, length - shift
            if length <= 0:
                continue
            differ = np.flatnonzero(self.a[ra : ra + length] != self.b[rb : rb + length])
            if len(differ) == 0:
                out.append((ra, rb, length))
            else:
                edges = np.concatenate(([-1], differ, [length]))
                sizes = np.diff(edges) - 1
                for index in np.flatnonzero(sizes >= K).tolist():
                    first = int(edges[index]) + 1
                    out.append((ra + first, rb + first, int(sizes[index])))
            if out:
                ea, eb = out[-1][0] + out[-1][2], out[-1][1] + out[-1][2]
        return out

    def _myers(self, a0: int, a1: int, b0: int, b1: int) -> None:
        n, m = a1 - a0, b1 - b0
        limit = min(n + m, MYERS_MAX_COST // (n + m))
        if limit < 1:
            return
        pairs = myers_matches(self.a[a0:a1].tolist(), self.b[b0:b1].tolist(), limit)
        if pairs is None:
            return
        for i, j, length in pairs:
            self.runs.append((a0 + i, b0 + j, length))


def _common_prefix(x: np.ndarray, y: np.ndarray) -> int:
    """Length of the common prefix of two equal-length arrays, scanning in blocks."""
    n = len(x)
    pos = 0
    block = 64
    while pos < n:
        end = min(n, pos + block)
        diff = np.flatnonzero(x[pos:end] != y[pos:end])
        if len(diff):
            return pos + int(diff[0])
        pos = end
        block *= 4
    return n


def _unique_pairs(ha: np.ndarray, hb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of hash values occurring exactly once on each side."""
    ua, ia, ca = np.unique(ha, return_index=True, return_counts=True)
    ub, ib, cb = np.unique(hb, return_index=True, return_counts=True)
    ua, ia = ua[ca == 1], ia[ca == 1]
    ub, ib = ub[cb == 1], ib[cb == 1]
    _, xa, xb = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    pa, pb = ia[xa], ib[xb]
    order = np.argsort(pa, kind="stable")
    return pa[order], pb[order]


def _equal_count_pairs(ha: np.ndarray, hb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair the i-th occurrence on each side of values that occur equally often on both."""
    oa = np.argsort(ha, kind="stable")
    ob = np.argsort(hb, kind="stable")
    sa, sb = ha[oa], hb[ob]
    va, ca = np.unique(sa, return_counts=True)
    vb, cb = np.unique(sb, return_counts=True)
    common, xa, xb = np.intersect1d(va, vb, assume_unique=True, return_indices=True)
    keep = common[ca[xa] == cb[xb]]
    if len(keep) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # Both sides are sorted by value (stable: by position within a value), and the kept
    # values have blocks of equal size, so the masked positions pair up one to one.
    pa = oa[np.isin(sa, keep, assume_unique=False)]
    pb = ob[np.isin(sb, keep, assume_unique=False)]
    order = np.argsort(pa, kind="stable")
    return pa[order], pb[order]


def _diagonal_spans(pa: np.ndarray, pb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Group anchor pairs (sorted by ``pa``) by diagonal: consecutive pairs on one
    diagonal form one span ``(a, b, token length, anchor count)``."""
    diagonal = pa - pb
    brk = np.flatnonzero(np.diff(diagonal) != 0) + 1
    starts = np.concatenate(([0], brk))
    stops = np.concatenate((brk, [len(pa)]))
    lengths = pa[stops - 1] - pa[starts] + K
    return list(zip(pa[starts].tolist(), pb[starts].tolist(), lengths.tolist(), (stops - starts).tolist()))


def _heaviest_chain(runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Heaviest subsequence of spans increasing in both a and b (weight = anchor count).

    Runs come sorted by a. A Fenwick tree over the ranks of b gives the best
    chain ending below each b in O(R log R).
    """
    if len(runs) == 1:
        return runs
    ranks = {v: i + 1 for i, v in enumerate(sorted({rb for _, rb, _, _ in runs}))}
    size = len(ranks)
    tree_score = [0] * (size + 1)
    tree_index = [-1] * (size + 1)
    best_score = [0] * len(runs)
    previous = [-1] * len(runs)
    for index, (_, rb, _, length) in enumerate(runs):
        rank = ranks[rb]
        score, prev, pos = 0, -1, rank - 1
        while pos > 0:
            if tree_score[pos] > score:
                score, prev = tree_score[pos], tree_index[pos]
            pos -= pos & -pos
        best_score[index] = score + length
        previous[index] = prev
        pos = rank
        while pos <= size:
            if best_score[index] > tree_score[pos]:
                tree_score[pos], tree_index[pos] = best_score[index], index
            pos += pos & -pos
    index = max(range(len(runs)), key=best_score.__getitem__)
    chain = []
    while index >= 0:
        chain.append(runs[index])
        index = previous[index]
    chain.reverse()
    return chain


def myers_matches(a: list[int], b: list[int], max_d: int) -> list[Run] | None:
    """Matched runs of a shortest edit script (Myers' O(ND)); None if D > ``max_d``."""
    n, m = len(a), len(b)
    offset = max_d + 1
    v = [0] * (2 * max_d + 3)
    trace = []
    for d in range(max_d + 1):
        trace.append(v[:])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b, d, k, offset)
    return None


def _backtrack(trace, a, b, d, k, offset) -> list[Run]:
    x = len(a)
    runs: list[Run] = []
    for depth in range(d, 0, -1):
        v = trace[depth]
        if k == -depth or (k != depth and v[offset + k - 1] < v[offset + k + 1]):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = v[offset + prev_k]
        start_x = prev_x if prev_k == k + 1 else prev_x + 1
        start_y = start_x - k
        if x > start_x:
            runs.append((start_x, start_y, x - start_x))
        x, k = prev_x, prev_k
    if x > 0:
        runs.append((0, 0, x))
    runs.reverse()
    return runs


def _merge_adjacent(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for ra, rb, length in runs:
        if length <= 0:
            continue
        if out and out[-1][0] + out[-1][2] == ra and out[-1][1] + out[-1][2] == rb:
            pa, pb, pl = out[-1]
            out[-1] = (pa, pb, pl + length)
        else:
            out.append((ra, rb, length))
    return out


def cleanup(a: np.ndarray, b: np.ndarray, runs: list[Run]) -> list[Run]:
    """Drop short matches that split one edit in two.

    - "X and Y and" / "and": the shortest edit script may match the first
      "and" and report two omissions; a one-token match between edits at
      least as long is dropped when the merged edit, given back the tokens
      that match at its edges, is one clean omission or addition.
    - "Courland and Kurzeme" / "Kurzeme and Courland": a short match inside
      a local swap is dropped, so the whole is one transposition.
    """
    runs = list(runs)
    out: list[Run] = []
    for index, (ra, rb, length) in enumerate(runs):
        if length <= SWAP_RUN and out and index + 1 < len(runs) and _swapped(a, b, out[-1], runs[index + 1]):
            continue
        if length <= CLEANUP_RUN and out and index + 1 < len(runs):
            pa, pb, pl = out[-1]
            na, nb, nl = runs[index + 1]
            ga0, gb0, ga1, gb1 = pa + pl, pb + pl, na, nb
            left = (ra - ga0, rb - gb0)
            right = (ga1 - ra - length, gb1 - rb - length)
            if min(max(left), max(right)) >= length:
                forward = _match_len(a, b, ga0, gb0, ga1, gb1, 1)
                back = _match_len(a, b, ga1 - 1, gb1 - 1, ga0 + forward - 1, gb0 + forward - 1, -1)
                clean = (ga1 - back) - (ga0 + forward) == 0 or (gb1 - back) - (gb0 + forward) == 0
                if clean:
                    out[-1] = (pa, pb, pl + forward)
                    runs[index + 1] = (na - back, nb - back, nl + back)
                    continue
        out.append((ra, rb, length))
    return _merge_adjacent(out)


def drop_stray(a: np.ndarray, b: np.ndarray, runs: list[Run], weak_a: np.ndarray) -> list[Run]:
    """Drop a short match of common words ("the", "of life") that stands between two rewordings:
    where one text rewrites a passage, the words it happens to share with the other are no anchor
    (an anchor must be long or rare enough to mean the same place), so the rewritten passage is one
    edit, not a shower of substitutions around stray shared words."""
    if len(runs) < 3:
        return runs
    out: list[Run] = [runs[0]]
    for index in range(1, len(runs) - 1):
        ra, rb, length = runs[index]
        if length <= STRAY_RUN and weak_a[ra : ra + length].all():
            pa, pb, pl = out[-1]
            na, nb, _ = runs[index + 1]
            before = (ra - pa - pl, rb - pb - pl)
            after = (na - ra - length, nb - rb - length)
            if min(before) > 0 and min(after) > 0 and max(before) >= STRAY_GAP and max(after) >= STRAY_GAP:
                continue
        out.append(runs[index])
    out.append(runs[-1])
    return out


def _swapped(a, b, previous: Run, following: Run) -> bool:
    """ "X and Y" / "Y and X": the gap around a short match holds the same tokens on both sides."""
    ga0, gb0 = previous[0] + previous[2], previous[1] + previous[2]
    ga1, gb1 = following[0], following[1]
    if ga1 - ga0 != gb1 - gb0 or not 1 < ga1 - ga0 <= SWAP_SPAN:
        return False
    x, y = a[ga0:ga1], b[gb0:gb1]
    return not np.array_equal(x, y) and np.array_equal(np.sort(x), np.sort(y))


def _match_len(a, b, i: int, j: int, stop_i: int, stop_j: int, step: int) -> int:
    count = 0
    while i != stop_i and j != stop_j and a[i] == b[j]:
        i += step
        j += step
        count += 1
    return count


def slide(a: np.ndarray, b: np.ndarray, runs: list[Run], edges_a: np.ndarray, edges_b: np.ndarray) -> list[Run]:
    """Slide each pure omission/addition to where it best fits the paragraph breaks.

    "The partisan warfare | The first ..." against "The first ...": the
    omitted heading can be read as "The partisan warfare" or "partisan
    warfare The"; the first starts and ends at unit breaks and wins.
    """
    runs = list(runs)
    for index in range(len(runs) - 1):
        pa, pb, pl = runs[index]
        na, nb, nl = runs[index + 1]
        ga, gb = na - (pa + pl), nb - (pb + pl)
        if (ga == 0) == (gb == 0):
            continue
        seq, edges, other_edges = (a, edges_a, edges_b) if ga else (b, edges_b, edges_a)
        start = (pa if ga else pb) + pl  # gap start in the sequence that has the gap
        end = start + (ga or gb)
        point = (pb if ga else pa) + pl  # where the gap stands in the other sequence

        def score(shift: int) -> int:
            return int(edges[start + shift]) + int(edges[end + shift]) + int(other_edges[point + shift])

        best, best_score = 0, score(0)
        shift = -1
        while pl + shift >= 1 and seq[start + shift] == seq[end + shift]:
            if score(shift) > best_score:
                best, best_score = shift, score(shift)
            shift -= 1
        shift = 1
        while nl - shift >= 1 and seq[start + shift - 1] == seq[end + shift - 1]:
            if score(shift) > best_score:
                best, best_score = shift, score(shift)
            shift += 1
        if best:
            runs[index] = (pa, pb, pl + best)
            runs[index + 1] = (na + best, nb + best, nl - best)
    return runs
