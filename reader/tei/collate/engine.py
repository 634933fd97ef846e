"""n-witness collation: align every witness to the first, merge, classify, group.

Positions are counted in *slots* of the first witness (the base): slot
``2i + 1`` is its token ``i``, slot ``2i`` the gap before it. For every other
witness, each stretch between two tokens it shares with the base is a
*block* of slots; overlapping blocks of all witnesses form one variation
site, so a passage several witnesses change gets one ``app``. Tokens every
witness shares but writes differently (case, diacritics, punctuation) form
sites of their own, so "Sarkanā" / "Sarkana" stays orthographic even next to
a rewording. Inside each site the witnesses are then aligned with each other
(:func:`reader.tei.collate.multiple.split_site`), so that the site is cut into the places where
they depart independently: a place ends where the witnesses agree again.
"""

from __future__ import annotations

import gc

import numpy as np

from .align import align
from .multiple import split_site
from .classify import Classifier, most_significant
from .model import WORD_LEVEL_TYPES, AlignedGroup, Agreement, Collation, CollationError, Reading, Span, Variant
from .tokens import EDITORIAL, LACUNA, PUNCT, WORD, CollationOptions, TokenizedWitness, Vocabulary, tokenize_texts

IGNORED = -1  # report key of tokens whose differences are normalised away
JOIN_GAP = 1  # variants parted by at most this many shared words can be one revision
COMMON = 3  # a word this frequent in the base is no anchor alone between two rewordings
SHORT = 3  # nor is a word of this many characters or fewer
SENTENCE_ENDS = (".", "!", "?", "…")
WORD_LEVEL = WORD_LEVEL_TYPES
LAC = "lac"  # type of the reading of a witness that has a lacuna at this place (it reads nothing)


class _Witness:
    """One witness's tokens with their keys and its match to the base."""

    def __init__(self, index, siglum, units, tokens: TokenizedWitness, tables, options: CollationOptions):
        align_of, report_of, kind_of = tables
        self.index, self.siglum, self.units = index, siglum, units
        self.t = tokens
        self.size = len(tokens)
        self.kind = kind_of[tokens.surface]
        self.akey = align_of[tokens.surface]
        rkey = report_of[tokens.surface]
        if not options.ignore_whitespace:
            glued = np.zeros(self.size, dtype=np.int64)
            if self.size > 1:
                glued[1:] = (tokens.unit[1:] == tokens.unit[:-1]) & (tokens.start[1:] == tokens.end[:-1])
            rkey = rkey * 2 + glued
        ignored = np.zeros(self.size, dtype=bool)
        if options.ignore_editorial:
            ignored |= self.kind == EDITORIAL
        if options.ignore_punctuation:
            ignored |= self.kind == PUNCT
        ignored |= self.kind == LACUNA  # a lacuna marker is no text: it only says where text is missing
        self.rkey = np.where(ignored, IGNORED, rkey)
        self.aligned = np.flatnonzero((self.kind != EDITORIAL) & (self.kind != LACUNA))  # markers never anchor
        self.lacuna_before = np.concatenate(([0], np.cumsum(self.kind == LACUNA)))  # markers among tokens [0, t)
        numbers: dict = {}
        sections = [numbers.setdefault(getattr(u, "section_id", None), len(numbers)) for u in units]
        self.section_of = np.array(sections, dtype=np.int64)[tokens.unit] if units else np.empty(0, dtype=np.int64)
        self.match: np.ndarray | None = None

    def edges(self) -> np.ndarray:
        """Per aligned token: 2 where a section starts, 1 where a unit starts (plus the end)."""
        unit = self.t.unit[self.aligned]
        section = self.section_of[self.aligned]
        out = np.full(len(unit) + 1, 2, dtype=np.int8)
        if len(unit) > 1:
            out[1:-1] = np.where(section[1:] != section[:-1], 2, (unit[1:] != unit[:-1]).astype(np.int8))
        return out

    def weak(self) -> np.ndarray:
        """Per aligned token: a word too short (three characters or fewer) or too common (three times or
        more in the text) to mean one place alone ("the", "of", "and"): see ``align.drop_stray``."""
        keys = self.akey[self.aligned]
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        lengths = self.t.end[self.aligned] - self.t.start[self.aligned]
        return (self.kind[self.aligned] == WORD) & ((counts[inverse] >= COMMON) | (lengths <= SHORT))

    def match_to(self, base: "_Witness") -> int:
        """Fill ``match`` (base token -> own token or -1); returns how many tokens matched."""
        runs = align(base.akey[base.aligned], self.akey[self.aligned], base.edges(), self.edges(), base.weak())
        match = np.full(base.size, -1, dtype=np.int64)
        if runs:
            ra, rb, length = (np.array(col, dtype=np.int64) for col in zip(*runs))
            total = int(length.sum())
            within = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
            match[base.aligned[np.repeat(ra, length) + within]] = self.aligned[np.repeat(rb, length) + within]
        self._keep_units_together(base, match)
        self.match = match
        self.prevmax = np.empty(base.size + 1, dtype=np.int64)
        self.prevmax[0] = -1
        self.prevmax[1:] = np.maximum.accumulate(match) if base.size else []
        self.nextmin = np.empty(base.size + 1, dtype=np.int64)
        self.nextmin[-1] = self.size
        if base.size:
            self.nextmin[:-1] = np.minimum.accumulate(np.where(match >= 0, match, self.size)[::-1])[::-1]
        self.slot = self._slots(base.size)
        return int((match >= 0).sum())

    def _slots(self, base_size: int) -> np.ndarray:
        """Base slot of each own token: ``2c + 1`` for one matched to base token ``c``; an unmatched
        token between matches at columns ``p`` and ``q`` stands in the gap after ``p`` when it is
        an addition (``q == p + 1``), else on the first base token it replaces (``2p + 3``)."""
        slot = np.empty(self.size, dtype=np.int64)
        columns = np.flatnonzero(self.match >= 0)
        own = self.match[columns]
        matched = np.zeros(self.size, dtype=bool)
        matched[own] = True
        slot[own] = 2 * columns + 1
        free = np.flatnonzero(~matched)
        if len(free):
            k = np.searchsorted(own, free)  # matches before each unmatched token
            bounds = np.concatenate(([-1], columns, [base_size]))
            previous, following = bounds[k], bounds[k + 1]
            slot[free] = np.where(following - previous > 1, 2 * previous + 3, 2 * previous + 2)
        return slot

    def _keep_units_together(self, base: "_Witness", match: np.ndarray) -> None:
        """Where this witness stays in one unit but its next match jumps the base into a later
        unit, an equal base token still in the earlier unit takes the match: the "." after
        "Dzimtenes" is the one after "Dzimteni", not the one after a reference only the base has."""
        columns = np.flatnonzero(match >= 0)
        if len(columns) < 2:
            return
        before, after = columns[:-1], columns[1:]
        base_unit, own_unit = base.t.unit, self.t.unit
        jumps = (base_unit[before] != base_unit[after]) & (own_unit[match[before]] == own_unit[match[after]])
        for k in np.flatnonzero(jumps & (after - before > 1)).tolist():
            previous, column = int(before[k]), int(after[k])
            between = np.arange(previous + 1, column)
            equal = between[
                (base_unit[between] == base_unit[previous])
                & (base.akey[between] == base.akey[column])
                & (base.kind[between] != EDITORIAL)
            ]
            if len(equal):
                match[equal[-1]], match[column] = match[column], -1

    def blocks(self, base_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Slot intervals [start, end) where this witness departs from the base, whether it has
        text of its own there (False: it only omits base words), and whether it marks a lacuna
        there (then it reads nothing there, whatever else it has: the stretch is not its text)."""
        columns = np.flatnonzero(self.match >= 0)
        c = np.concatenate(([-1], columns, [base_size]))
        m = np.concatenate(([-1], self.match[columns], [self.size]))
        departs = (np.diff(c) > 1) | (np.diff(m) > 1)
        lo, hi = m[:-1][departs] + 1, m[1:][departs]
        markers = self.lacuna_before[hi] - self.lacuna_before[lo]
        lacuna = markers > 0
        own = (hi - lo - markers > 0) & ~lacuna
        return 2 * c[:-1][departs] + 2, 2 * c[1:][departs] + 1, own, lacuna

    def block_words(self, base_size: int) -> list[frozenset]:
        """Per block of :meth:`blocks`, in order: the alignment keys of the words it has."""
        columns = np.flatnonzero(self.match >= 0)
        c = np.concatenate(([-1], columns, [base_size]))
        m = np.concatenate(([-1], self.match[columns], [self.size]))
        departs = (np.diff(c) > 1) | (np.diff(m) > 1)
        lo, hi = m[:-1][departs] + 1, m[1:][departs]
        return [frozenset(self.akey[a:b][self.kind[a:b] == WORD].tolist()) for a, b in zip(lo.tolist(), hi.tolist())]

    def lacunose(self, s0: int, s1: int) -> bool:
        """Slots [s0, s1) lie in a lacuna this witness marks."""
        starts, ends = self.lacunae
        k = int(np.searchsorted(starts, s0, side="right")) - 1
        return k >= 0 and ends.item(k) >= s1

    def piece(self, s: int, e: int) -> tuple[str, tuple[Span, ...]]:
        """Source text (with trailing whitespace) and spans of tokens ``s:e``."""
        t = self.t
        if s >= e:
            return "", self._point(s)
        first_unit, last_unit = t.unit.item(s), t.unit.item(e - 1)
        if first_unit == last_unit:
            unit = self.units[first_unit]
            follow = t.follow.item(e - 1)
            text = unit.text[t.start.item(s) : follow]
            if follow == len(unit.text) and e < self.size:
                text += " "  # units are separated by a space in running text
            return text, (Span(self.siglum, unit.id, t.start.item(s), t.end.item(e - 1)),)
        cuts = [s, *(np.flatnonzero(np.diff(t.unit[s:e])) + s + 1).tolist(), e]
        parts, spans = [], []
        for ps, pe in zip(cuts, cuts[1:]):
            text, span = self.piece(ps, pe)
            parts.append(text)
            spans.extend(span)
        return "".join(parts), tuple(spans)

    def _point(self, t: int) -> tuple[Span, ...]:
        """Zero-length span where an omission stands (end of the token before it)."""
        if self.size == 0:
            return (Span(self.siglum, self.units[0].id, 0, 0),) if self.units else ()
        if t > 0:
            end = int(self.t.end[t - 1])
            return (Span(self.siglum, self.units[int(self.t.unit[t - 1])].id, end, end),)
        return (Span(self.siglum, self.units[int(self.t.unit[0])].id, 0, 0),)

    def space_before(self, t: int) -> bool:
        t_ = self.t
        return 0 < t < self.size and t_.unit.item(t - 1) == t_.unit.item(t) and t_.end.item(t - 1) < t_.start.item(t)

    def at_unit_boundary(self, t: int) -> bool:
        """Token ``t`` starts a unit (or the text ends there): nothing of a unit lies on both sides."""
        return t <= 0 or t >= self.size or self.t.unit.item(t - 1) != self.t.unit.item(t)

    def unit_break(self, t: int) -> bool:
        return 0 < t < self.size and self.t.unit.item(t - 1) != self.t.unit.item(t)


def collate(witnesses, options: CollationOptions | None = None) -> Collation:
    """Collate witnesses ``[(siglum, [Unit, ...]), ...]``; the first is the base."""
    options = options or CollationOptions()
    sigla, unit_lists = _checked(witnesses)
    # Millions of short-lived objects and no reference cycles: the cyclic collector
    # would only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _collate(sigla, unit_lists, options)
    finally:
        if collecting:
            gc.enable()


def _collate(sigla, unit_lists, options: CollationOptions) -> Collation:
    collation = Collation(tuple(sigla), options)
    builder = _prepared(sigla, unit_lists, options, collation.notes)
    collation.groups = builder.groups()
    return collation


def _prepared(sigla, unit_lists, options: CollationOptions, notes: list[str]) -> "_Builder":
    """Tokenise and align every witness with the base; notes say what the reader should know."""
    vocab = Vocabulary()
    tokens = [tokenize_texts([u.text for u in units], vocab) for units in unit_lists]
    tables = vocab.tables(options)
    wits = [_Witness(i, s, u, t, tables, options) for i, (s, u, t) in enumerate(zip(sigla, unit_lists, tokens))]
    first_with: dict[tuple, str] = {}
    for w, units in zip(wits, unit_lists):
        if w.size == 0:
            notes.append(f"witness {w.siglum} has no text")
            continue
        text = tuple(u.text for u in units)
        if text in first_with:
            notes.append(f"witness {w.siglum} has the same text as {first_with[text]}")
        first_with.setdefault(text, w.siglum)
    base = wits[0]
    if (base.kind == LACUNA).any():
        notes.append(
            f"witness {base.siglum}, the base, has lacunae: the others' text there is reported as additions "
            "(make a witness without lacunae the first)"
        )
    for w in wits[1:]:
        w.match_to(base)
        shared_words = int(((w.match >= 0) & (base.kind == WORD)).sum())
        if shared_words == 0 and base.size and w.size:
            notes.append(f"witnesses {base.siglum} and {w.siglum} share no text (different texts or scripts?)")
    return _Builder(wits, vocab, options)


def aligned_token_pairs(witnesses, options: CollationOptions | None = None):
    """What the collation aligns, token by token (for comparing with other collators).

    Returns ``(tokens, pairs)``: ``tokens[i]`` the surface tokens of witness ``i`` (words
    and single punctuation marks, as collated), ``pairs`` the set of ``(i, a, j, b)``
    (``i < j``) where token ``a`` of witness ``i`` and token ``b`` of witness ``j`` are
    aligned: matched through the base by the aligner, or at the same place of one reading
    that both witnesses share.
    """
    options = options or CollationOptions()
    sigla, unit_lists = _checked(witnesses)
    builder = _prepared(sigla, unit_lists, options, [])
    wits = builder.wits
    pairs: set[tuple[int, int, int, int]] = set()
    for j, w in enumerate(wits[1:], 1):
        columns = np.flatnonzero(w.match >= 0)
        pairs.update((0, a, j, b) for a, b in zip(columns.tolist(), w.match[columns].tolist()))
    for i, wi in enumerate(wits[1:], 1):
        for j in range(i + 1, len(wits)):
            both = np.flatnonzero((wi.match >= 0) & (wits[j].match >= 0))
            pairs.update((i, a, j, b) for a, b in zip(wi.match[both].tolist(), wits[j].match[both].tolist()))
    for segment, ranges in builder.segments():
        if not segment.is_variant:
            continue
        for reading in segment.readings:
            members = [builder.sigla.index(s) for s in reading.witnesses]
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    (sa, ea), (sb, eb) = ranges[i], ranges[j]
                    if ea - sa == eb - sb:
                        pairs.update((i, sa + k, j, sb + k) for k in range(ea - sa))
    surfaces = builder.classifier.surfaces
    tokens = [[surfaces[t] for t in w.t.surface.tolist()] for w in wits]
    return tokens, pairs


def _checked(witnesses) -> tuple[list[str], list[list]]:
    witnesses = list(witnesses)
    if not witnesses:
        raise CollationError("collation needs at least one witness; got none")
    sigla, unit_lists = [], []
    for number, item in enumerate(witnesses, 1):
        try:
            siglum, units = item
        except (TypeError, ValueError):
            raise CollationError(
                f"witness {number}: expected (siglum, list of units), got {type(item).__name__}"
            ) from None
        if not isinstance(siglum, str) or not siglum.strip():
            raise CollationError(f"witness {number}: siglum must be a non-empty string, got {siglum!r}")
        if siglum in sigla:
            raise CollationError(f"witness {number}: siglum {siglum!r} is used twice")
        units = list(units)
        for unit in units:
            if not hasattr(unit, "text") or not hasattr(unit, "id"):
                raise CollationError(f"witness {siglum}: {unit!r} is not a Unit (needs .id and .text)")
        sigla.append(siglum)
        unit_lists.append(units)
    return sigla, unit_lists


class _Builder:
    """Turns the matches into segments, then into aligned groups."""

    def __init__(self, wits: list[_Witness], vocab: Vocabulary, options: CollationOptions) -> None:
        self.wits = wits
        self.base = wits[0]
        self.others = wits[1:]
        self.sigla = [w.siglum for w in wits]
        stops = np.array([vocab[mark] for mark in SENTENCE_ENDS], dtype=np.int64)
        for w in wits:
            w.stop = np.isin(w.t.surface, stops)
            starts = np.zeros(w.size, dtype=bool)
            if w.size > 1:
                starts[1:] = w.stop[:-1] | (w.t.unit[1:] != w.t.unit[:-1])
            w.sentence = np.cumsum(starts)
        self.classifier = Classifier(vocab, wits, options)

    # --- sites ---------------------------------------------------------------------------

    def sites(self) -> list[tuple[int, int]]:
        """Variation sites as slot intervals, in order.

        Blocks where a witness has words of its own overlap into one site. A block where a
        witness only omits base words does not join the sites it overlaps: it is cut where
        they and other omissions begin and end, so a fragmentary witness (or one that lacks a
        long passage) does not merge every variant of the others in that stretch into one unit;
        there it simply reads nothing."""
        n = self.base.size
        blocks = [w.blocks(n) for w in self.others]
        for w, b in zip(self.others, blocks):
            w.lacunae = (b[0][b[3]], b[1][b[3]])
        if blocks:
            starts = np.concatenate([b[0] for b in blocks])
            ends = np.concatenate([b[1] for b in blocks])
            own = np.concatenate([b[2] for b in blocks])
        else:
            starts = ends = np.empty(0, dtype=np.int64)
            own = np.empty(0, dtype=bool)
        # A witness's substitution stands on the base words it replaces, not on the gaps beside
        # them (its text goes with the first of them, see ``ranges``): two witnesses changing
        # neighbouring words are two places, not one, unless they change a word in common.
        # A witness's addition beside them of a word they read too ("nice" added before "cruel"
        # where another reads "nice" for "cruel") joins them: the witnesses agree against the base.
        words = [x for w in self.others for x in w.block_words(n)]
        added: dict[int, frozenset] = {}
        for k in np.flatnonzero(own & (ends - starts == 1)).tolist():
            added[starts.item(k)] = added.get(starts.item(k), frozenset()) | words[k]
        starts, ends = starts.copy(), ends.copy()
        for k in np.flatnonzero(own & (ends - starts > 1)).tolist():
            if not words[k] & added.get(starts.item(k), frozenset()):
                starts[k] += 1
            if not words[k] & added.get(ends.item(k) - 1, frozenset()):
                ends[k] -= 1
        hard = _merge_overlapping(starts[own], ends[own])
        columns = [(2 * c + 1, 2 * c + 2) for c in self._differing_columns(hard).tolist()]
        fixed = sorted(hard + columns)
        pieces = _omission_pieces(starts[~own], ends[~own], fixed)
        # per witness, in order; a lacuna is not an omission (its full stops stay where they were)
        omitted = [(b[0][~b[2] & ~b[3]], b[1][~b[2] & ~b[3]]) for b in blocks]

        def silent(lo: int, hi: int) -> bool:
            """Some witness omits all of slots [lo, hi)."""
            for s, e in omitted:
                k = int(np.searchsorted(s, lo, side="right")) - 1
                if k >= 0 and e[k] >= hi:
                    return True
            return False

        unit = self.base.t.unit
        # Wordless pieces that end a base unit (its full stop) or begin one may join their neighbour.
        edge = {
            (a, b)
            for a, b in pieces
            if b // 2 >= n
            or a // 2 == 0
            or unit.item(b // 2 - 1) != unit.item(min(b // 2, n - 1))
            or unit.item(a // 2) != unit.item(max(a // 2 - 1, 0))
        }
        intervals = _merge_wordless(sorted(fixed + pieces), edge, self.base.kind, silent)
        return _merge_touching_columns(intervals, unit, set(columns))

    def _differing_columns(self, sites: list[tuple[int, int]]) -> np.ndarray:
        """Base tokens outside ``sites`` that a witness writes differently (the others there have
        the token too, or omit it)."""
        if not self.others or self.base.size == 0:
            return np.empty(0, dtype=np.int64)
        eligible = np.ones(self.base.size, dtype=bool)
        for s, e in sites:
            eligible[s // 2 : e // 2] = False
        columns = np.flatnonzero(eligible)
        differ = np.zeros(len(columns), dtype=bool)
        for w in self.others:
            if w.size == 0:
                continue
            own = w.match[columns]
            differ |= (own >= 0) & (w.rkey[np.maximum(own, 0)] != self.base.rkey[columns])
        return columns[differ]

    def ranges(self, s0: int, s1: int) -> list[tuple[int, int]]:
        """Token range of every witness inside slots [s0, s1) (empty where it omits them)."""
        i0, i1 = s0 // 2, s1 // 2
        out = [(i0, i1)]
        for w in self.others:
            start = int(np.searchsorted(w.slot, s0, side="left"))
            end = int(np.searchsorted(w.slot, s1, side="left"))
            out.append((start, max(start, end)))
        return out

    # --- segments ------------------------------------------------------------------------

    def segments(self) -> list[tuple[object, list[tuple[int, int]]]]:
        """(segment, per-witness token ranges) in text order."""
        out = []
        cut = self._unit_changes()
        previous = 0
        for s0, s1 in self.sites() + [(2 * self.base.size + 1, 2 * self.base.size + 1)]:
            i0, i1 = previous // 2, s0 // 2
            if i1 > i0:
                bounds = [i0, *(np.flatnonzero(cut[i0 + 1 : i1]) + i0 + 1).tolist(), i1]
                for a, b in zip(bounds, bounds[1:]):
                    ranges = [(a, b)] + [(int(w.match[a]), int(w.match[b - 1]) + 1) for w in self.others]
                    out.append((self._agreement(ranges), ranges))
            if s1 > s0:
                lacunose = frozenset(i for i, w in enumerate(self.others, 1) if w.lacunose(s0, s1))
                for ranges, lost in split_site(self.wits, self.ranges(s0, s1), lacunose, self.classifier.surfaces):
                    out.extend(self._site(ranges, lacunose | lost))
            previous = s1
        out = self._join_revisions(out)
        out = self._split_partial_moves(out)
        variants = [segment for segment, _ in out if segment.is_variant]
        for n, variant in enumerate(variants, 1):
            variant.n = n
        for segment, ranges in out:
            if segment.is_variant:
                self.classifier.remember(segment, ranges)
        self.classifier.link_transpositions(variants)
        self._space_readings(out)
        return out

    # --- variation units: one revision, one app ------------------------------------------

    def _join_revisions(self, items):
        """Neighbouring variants of one revision become one app, the finer ones kept as its parts.

        "The most active one was the Sarkanā bulta ('The Red Arrow')" / "Most noted was
        "Sarkana bulta"" is one substantive reading, not an omission of "The", a case
        difference, a substitution and two quotation marks. See :meth:`_chain` for which
        variants go together; a chain becomes one app when it rewords (other words, or words
        dropped beside words added). Variants left alone have words replaced by bare
        punctuation split (:meth:`_split_wordless`).
        """
        out = []
        index = 0
        while index < len(items):
            last = self._chain(items, index)
            members = [segment for segment, _ in items[index : last + 1] if segment.is_variant]
            if len(members) > 1 and _rewords(members):
                first, final = items[index][1], items[last][1]
                ranges = [(a[0], b[1]) for a, b in zip(first, final)]
                parts = tuple(
                    part
                    for segment, rng in items[index : last + 1]
                    if segment.is_variant
                    for part, _ in self._split_wordless(segment, rng)
                    if part.is_variant
                )
                lacunose = frozenset.intersection(*(self._lacunose(seg) for seg, _ in items[index : last + 1]))
                pieces = self._by_kind(ranges)
                if len(pieces) > 1:  # a heading against paragraph text, cut at stray shared marks: no revision
                    out.extend((self._segment(piece, lacunose=lacunose), piece) for piece in pieces)
                    index = last + 1
                    continue
                out.append((self._segment(ranges, parts=parts, lacunose=lacunose), ranges))
            else:
                for segment, ranges in items[index : last + 1]:
                    out.extend(self._split_wordless(segment, ranges))
            index = last + 1
        return out

    def _split_partial_moves(self, items):
        """An omission whose words begin or end with the words a witness adds elsewhere in the
        sentence (or an addition, with words omitted elsewhere) is cut there, so that the moved words can be linked as a transposition:
        "differ much more from each other" / "differ from each other more" is "much" omitted
        and "more" moved, not "much more" omitted and "more" added."""

        def extant(segment):
            return [r for r in segment.readings if r.type != LAC]

        def key(segment, ranges):
            if not segment.is_variant or len(extant(segment)) != 2 or segment.parts:
                return None
            reading = extant(segment)[1]
            if reading.type not in ("omission", "addition"):
                return None
            index = self.sigla.index(reading.witnesses[0])
            c = self.classifier
            return reading.type, reading.witnesses, (c._sentence(0, ranges[0]), c._sentence(index, ranges[index]))

        found: dict[tuple, list] = {}
        for segment, ranges in items:
            k = key(segment, ranges)
            if k:
                index = 0 if k[0] == "omission" else self.sigla.index(k[1][0])
                found.setdefault(k, []).append(tuple(self.classifier._words(index, ranges[index])[0]))
        out = []
        for segment, ranges in items:
            k = key(segment, ranges)
            if k is None:
                out.append((segment, ranges))
                continue
            other = ("addition" if k[0] == "omission" else "omission", *k[1:])
            index = 0 if k[0] == "omission" else self.sigla.index(k[1][0])
            cut = self._cut_for(index, ranges[index], found.get(other, ()))
            if cut is None:
                out.append((segment, ranges))
                continue
            # Every witness of the reading with the words is cut at the same place (they read
            # alike); the empty reading's witnesses stay where they are.
            holders = [self.sigla.index(w) for w in extant(segment)[0 if k[0] == "omission" else 1].witnesses]
            offset = cut - ranges[index][0]
            if len({ranges[h][1] - ranges[h][0] for h in holders}) != 1:
                out.append((segment, ranges))
                continue
            for first in (True, False):
                piece = list(ranges)
                for h in holders:
                    s0, e0 = ranges[h]
                    piece[h] = (s0, s0 + offset) if first else (s0 + offset, e0)
                out.append((self._segment(piece, lacunose=self._lacunose(segment)), piece))
        return out

    def _cut_for(self, index: int, rng: tuple[int, int], moved) -> int | None:
        """Token where the words of ``rng`` split into (rest, moved words) or (moved words, rest)."""
        w = self.wits[index]
        positions = [t for t in range(*rng) if w.kind.item(t) == WORD]
        words = [int(w.akey.item(t)) for t in positions]
        for candidate in moved:
            size = len(candidate)
            if not 0 < size < len(words):
                continue
            if tuple(words[-size:]) == candidate:
                return positions[-size]
            if tuple(words[:size]) == candidate:
                return positions[size]
        return None

    def _chain(self, items, start: int) -> int:
        """Index of the last item of the chain of variants that starts at ``start``.

        Variants touching each other (or parted by punctuation only) form a cluster, when
        they stand in one unit of every witness and share a witness that differs. Two
        clusters parted by at most ``JOIN_GAP`` shared words and no sentence end join when
        the same witnesses differ in both, both change words, and neither is one
        self-contained edit (words only added or only omitted, or moved): "unit, fought
        hard" / "band, fought" stays a substitution and an addition, "Par Dzimteni, the Red
        arrow" / "Par Dzimtenes, the red Arrow" an inflection and a case difference.
        """
        end, units, members = self._cluster(items, start)
        if units is None:
            return start
        while end + 2 < len(items) and not items[end + 1][0].is_variant:
            if self._gap_words(items[end + 1][1]) > JOIN_GAP:
                break
            nxt_end, nxt_units, nxt_members = self._cluster(items, end + 2)
            if nxt_units is None or not _compatible(units, nxt_units):
                break
            if _differing(members) != _differing(nxt_members) or not _nested(members, nxt_members):
                break
            if not (_changes_words(members) and _changes_words(nxt_members)):
                break
            if (len(members) == 1 and _clean(members[0])) or (len(nxt_members) == 1 and _clean(nxt_members[0])):
                break
            units = tuple(a if a is not None else b for a, b in zip(units, nxt_units))
            end, members = nxt_end, nxt_members
        return end

    def _cluster(self, items, start: int):
        """(last index, units per witness, variants) of the run of touching variants at ``start``;
        units None when ``start`` cannot begin one."""
        segment, ranges = items[start]
        units = self._units_of(ranges) if segment.is_variant and self._joinable(segment) else None
        if units is None:
            return start, None, []
        end, members = start, [segment]
        while end + 1 < len(items):
            nxt = end + 1
            if not items[nxt][0].is_variant:
                if self._gap_words(items[nxt][1]) or nxt + 1 >= len(items):
                    break
                nxt += 1  # punctuation only between the two
            segment, ranges = items[nxt]
            other = self._units_of(ranges) if segment.is_variant and self._joinable(segment) else None
            if (
                other is None
                or not _compatible(units, other)
                or not _tied(members[-1], segment)
                or not _nested(members, [segment])
            ):
                break
            units = tuple(a if a is not None else b for a, b in zip(units, other))
            end = nxt
            members.append(segment)
        return end, units, members

    def _joinable(self, variant) -> bool:
        return variant.type != "editorial" and variant.subtype != "heading"

    def _units_of(self, ranges):
        """Per witness: the unit its range stands in (None if empty); None if one spans units."""
        out = []
        for w, (s, e) in zip(self.wits, ranges):
            if s >= e:
                out.append(None)
                continue
            unit = w.t.unit
            if unit.item(s) != unit.item(e - 1):
                return None
            out.append(unit.item(s))
        return tuple(out)

    def _gap_words(self, ranges) -> int:
        """Words of shared text between two variants (a sentence end counts as a long gap)."""
        s, e = ranges[0]
        if self.base.stop[s:e].any():
            return JOIN_GAP + 1
        return int((self.base.kind[s:e] == WORD).sum())

    def _space_readings(self, segments) -> None:
        """Shared text is the base's; where the base has no space before a variant
        but another witness has, that witness's reading starts with one."""
        for (before, _), (segment, ranges) in zip(segments, segments[1:]):
            if not segment.is_variant or before.is_variant or not before.text or before.text[-1].isspace():
                continue
            for reading in segment.readings:
                index = self.sigla.index(reading.witnesses[0])
                start = ranges[index][0]
                if reading.text and self.wits[index].space_before(start):
                    reading.text = " " + reading.text

    def _unit_changes(self) -> np.ndarray:
        """cut[i]: some witness starts a new unit at base column i (where all share it)."""
        base = self.base
        cut = np.zeros(base.size + 1, dtype=bool)
        if base.size > 1:
            cut[1 : base.size] = base.t.unit[1:] != base.t.unit[:-1]
            for w in self.others:
                units = w.t.unit[np.maximum(w.match, 0)] if w.size else np.zeros(base.size, dtype=np.int32)
                cut[1 : base.size] |= units[1:] != units[:-1]
        return cut

    def _agreement(self, ranges, lacunose=frozenset()) -> Agreement:
        text, spans = self.base.piece(*ranges[0])
        for index, (w, (s, e)) in enumerate(zip(self.others, ranges[1:]), 1):
            if index not in lacunose:
                spans += w.piece(s, e)[1]
        return Agreement(text, spans, tuple(self.sigla[i] for i in sorted(lacunose)))

    def _lacunose(self, segment) -> frozenset:
        """Indices of the witnesses that read nothing in ``segment`` because of a lacuna."""
        if segment.is_variant:
            sigla = [s for r in segment.readings if r.type == LAC for s in r.witnesses]
        else:
            sigla = segment.lacunose
        return frozenset(self.sigla.index(s) for s in sigla)

    def _site(self, ranges, lacunose=frozenset()):
        """A site, with editorial markers at its edges peeled off into sites of their own."""
        pre, main, post = [], [], []
        for w, (s, e) in zip(self.wits, ranges):
            a, b = s, e
            kind = w.kind
            while a < b and kind.item(a) == EDITORIAL:
                a += 1
            while b > a and kind.item(b - 1) == EDITORIAL:
                b -= 1
            pre.append((s, a))
            main.append((a, b))
            post.append((b, e))
        out = []
        parts = [
            piece for part in self._by_section(main) for split in self._by_unit(part) for piece in self._by_kind(split)
        ]
        for part in (pre, *parts, post):
            if any(s < e for s, e in part):
                out.append((self._segment(part, lacunose=lacunose), part))
        return out

    def _by_section(self, ranges):
        """A passage only one witness has is cut where its sections change,
        so an omitted section is one omission, apart from the next heading."""
        present = [i for i, (s, e) in enumerate(ranges) if s < e]
        if len(present) != 1:
            return [ranges]
        index = present[0]
        s, e = ranges[index]
        section_of = self.wits[index].section_of
        if section_of.item(s) == section_of.item(e - 1):
            return [ranges]  # section ids do not recur, so the range stays in one section
        sections = section_of[s:e]
        cuts = (np.flatnonzero(sections[1:] != sections[:-1]) + s + 1).tolist()
        if not cuts:
            return [ranges]
        parts = []
        for a, b in zip([s, *cuts], [*cuts, e]):
            part = list(ranges)
            part[index] = (a, b)
            parts.append(part)
        return parts

    def _by_unit(self, ranges):
        """Whole units that only one reading runs on into are an omission or addition of their
        own: "Dzimteni. | Forest Brothers | Я.П. …" against "Dzimtenes." is a substitution inside
        the paragraph, then the item and the reference omitted, not one substitution of three
        units by one word. Several witnesses reading the same words across the boundary are cut
        alike: no reading pairs the end of one unit and the start of the next with words that
        lie inside one unit (issue 18, item 4)."""
        spanning = [i for i, (s, e) in enumerate(ranges) if s < e and self._units_in(i, s, e) > 1]
        others = [i for i in range(len(ranges)) if i not in spanning]
        if not spanning or all(ranges[i][0] == ranges[i][1] for i in others):
            return [ranges]
        if len(spanning) > 1:  # one reading of several witnesses, whose words differ from every other's
            keys = {tuple(self.wits[i].rkey[slice(*ranges[i])].tolist()) for i in spanning}
            words = {tuple(sorted(self.classifier._words(i, ranges[i])[0])) for i in spanning}
            if len(keys) != 1 or any(
                tuple(sorted(self.classifier._words(i, ranges[i])[0])) in words
                for i in others
                if ranges[i][0] < ranges[i][1]
            ):
                return [ranges]
        if all(self._starts_inside(i, ranges[i][0]) for i in spanning):  # the others' words go there
            first, rest = list(ranges), [(r[1], r[1]) for r in ranges]
            for i in others:  # ... unless they begin a unit themselves: then they stand with its next unit
                a, b = ranges[i]
                if a < b and a > 0 and self.wits[i].unit_break(a):
                    first[i], rest[i] = (a, a), (a, b)
            for i in spanning:
                s, e = ranges[i]
                unit = self.wits[i].t.unit
                cut = s + int(np.flatnonzero(unit[s:e] != unit.item(s))[0])
                first[i], rest[i] = (s, cut), (cut, e)
            return [first, rest]
        if all(self._ends_inside(i, ranges[i][1]) for i in spanning):  # the others' words go there
            rest, last = [(r[0], r[0]) for r in ranges], list(ranges)
            for i in spanning:
                s, e = ranges[i]
                unit = self.wits[i].t.unit
                cut = s + int(np.flatnonzero(unit[s:e] != unit.item(e - 1))[-1]) + 1
                rest[i], last[i] = (s, cut), (cut, e)
            return [rest, last]
        return [ranges]

    def _starts_inside(self, index: int, s: int) -> bool:
        unit = self.wits[index].t.unit
        return s > 0 and unit.item(s - 1) == unit.item(s)

    def _ends_inside(self, index: int, e: int) -> bool:
        w = self.wits[index]
        return e < w.size and w.t.unit.item(e) == w.t.unit.item(e - 1)

    def _by_kind(self, ranges):
        """Heading text read against paragraph text is no substitution: a title page one witness
        has and the clauses another adds in a paragraph are an omission and an addition, each
        what it is (issue 18, item 4) — unless the words are the same, moved."""
        present = [i for i, (s, e) in enumerate(ranges) if s < e and (self.wits[i].kind[s:e] == WORD).any()]
        heads = [i for i in present if self._kinds(i, *ranges[i]) == {True}]
        prose = [i for i in present if self._kinds(i, *ranges[i]) == {False}]
        if not heads or not prose or len(heads) + len(prose) != len(present):
            return [ranges]
        words = {tuple(sorted(self.classifier._words(i, ranges[i])[0])) for i in present}
        if len(words) == 1:
            return [ranges]  # the same words: a transposition, as the classifier says
        first, second = sorted((heads, prose), key=min)  # the base's side first; wordless readings with it
        return [
            [(s, e) if i in first or i not in present else (s, s) for i, (s, e) in enumerate(ranges)],
            [(s, e) if i in second else (e, e) for i, (s, e) in enumerate(ranges)],
        ]

    def _kinds(self, index: int, s: int, e: int) -> set[bool]:
        """Per unit of the witness's tokens ``s:e``: is it a heading."""
        w = self.wits[index]
        return {getattr(w.units[u], "kind", None) == "head" for u in np.unique(w.t.unit[s:e]).tolist()}

    def _split_wordless(self, segment, ranges):
        """Where some witnesses have words and others only punctuation ("(For Soviet Latvia)" /
        a closing quotation mark), the words are an omission or addition with an empty reading
        and the marks a punctuation difference of their own, on the side they are attached to."""
        if not segment.is_variant:
            return [(segment, ranges)]
        lacunose = self._lacunose(segment)
        present = [(i, w, s, e) for i, (w, (s, e)) in enumerate(zip(self.wits, ranges)) if s < e and i not in lacunose]
        wordless = [i for i, w, s, e in present if not (w.kind[s:e] == WORD).any()]
        worded = [i for i, w, s, e in present if (w.kind[s:e] == WORD).any()]
        if not wordless or not worded:
            return [(segment, ranges)]
        lead = wordless[0]
        glued = not self.wits[lead].space_before(ranges[lead][0])  # 'Latviju"': closes what precedes
        marks, words = [], []
        for i, (s, e) in enumerate(ranges):
            if i in wordless:
                marks.append((s, e))
                words.append((e, e) if glued else (s, s))
            else:
                marks.append((s, s) if glued else (e, e))
                words.append((s, e))
        pieces = [marks, words] if glued else [words, marks]
        return [(self._segment(piece, lacunose=lacunose), piece) for piece in pieces]

    def _units_in(self, index: int, s: int, e: int) -> int:
        unit = self.wits[index].t.unit
        return int(unit.item(e - 1) - unit.item(s)) + 1

    def _segment(self, ranges, parts: tuple = (), lacunose=frozenset()):
        """Agreement or Variant of the witnesses' ``ranges``; the witnesses of ``lacunose`` (indices)
        that have no text here read nothing (a reading typed 'lac'), and agree with no one."""
        keys = []
        lacking = set()
        for index, (w, (s, e)) in enumerate(zip(self.wits, ranges)):
            key = w.rkey[s:e]
            key = tuple(key[key != IGNORED].tolist())
            if index in lacunose and not key:
                lacking.add(index)
            else:
                keys.append((index, key))
        groups: dict[tuple, list[int]] = {}
        for index, key in keys:
            groups.setdefault(key, []).append(index)
        if len(groups) == 1:
            return self._agreement(ranges, frozenset(lacking))
        readings = []
        base_range = ranges[0]
        whole = self._whole_units(ranges)
        for members in groups.values():
            first = members[0]
            text, spans = self._reading_piece(first, ranges[first], whole)
            for m in members[1:]:
                spans += self._reading_piece(m, ranges[m], whole)[1]
            kind, subtype = (None, None) if first == 0 else self.classifier.classify(base_range, first, ranges[first])
            readings.append(Reading(tuple(self.wits[m].siglum for m in members), text, kind, subtype, spans))
        if lacking:
            readings.append(Reading(tuple(self.sigla[m] for m in sorted(lacking)), "", LAC, None, ()))
        kind, subtype = most_significant(readings)
        if kind in ("omission", "addition") and self._only_headings(ranges):
            subtype = "heading"
        return Variant(0, kind, subtype, tuple(readings), parts=parts)

    def _reading_piece(self, index: int, rng: tuple[int, int], whole: bool):
        """Text and spans of a reading. The gap of a witness that lacks whole units the others
        have, and lacks them between two of its own units, stands in none of its units: its
        neighbouring paragraph does not vary."""
        w = self.wits[index]
        s, e = rng
        if s >= e and whole and w.at_unit_boundary(s):
            return "", ()
        return w.piece(s, e)

    def _whole_units(self, ranges) -> bool:
        """Every witness that has text here has whole units."""
        present = [(w, s, e) for w, (s, e) in zip(self.wits, ranges) if s < e]
        return bool(present) and all(w.at_unit_boundary(s) and w.at_unit_boundary(e) for w, s, e in present)

    def _only_headings(self, ranges) -> bool:
        """Every witness that has text here has whole headings and nothing else."""
        present = [(w, s, e) for w, (s, e) in zip(self.wits, ranges) if s < e]
        for w, s, e in present:
            first, last = int(w.t.unit[s]), int(w.t.unit[e - 1])
            whole = (s == 0 or w.t.unit[s - 1] != first) and (e == w.size or w.t.unit[e] != last)
            if not whole or any(getattr(u, "kind", None) != "head" for u in w.units[first : last + 1]):
                return False
        return bool(present)

    # --- groups --------------------------------------------------------------------------

    def groups(self) -> list[AlignedGroup]:
        groups: list[AlignedGroup] = []
        current: list = []
        unit_spans: list[list[int]] = []
        for segment, ranges in self.segments():
            if current and any(w.unit_break(s) for w, (s, e) in zip(self.wits, ranges) if s < e):
                groups.append(self._group(current, unit_spans))
                current, unit_spans = [], []
            if not unit_spans:
                unit_spans = [[-1, -1] for _ in self.wits]
            for w, (s, e), span in zip(self.wits, ranges, unit_spans):
                if s < e:
                    if span[0] < 0:
                        span[0] = w.t.unit.item(s)
                    span[1] = w.t.unit.item(e - 1)
            current.append(segment)
        if current:
            groups.append(self._group(current, unit_spans))
        return groups

    def _group(self, segments, unit_spans) -> AlignedGroup:
        units = {}
        for w, (first, last) in zip(self.wits, unit_spans):
            units[w.siglum] = tuple(u.id for u in w.units[first : last + 1]) if first >= 0 else ()
        return AlignedGroup(units, _merge_agreements(segments))


def _merge_overlapping(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    order = np.argsort(starts, kind="stable")
    out: list[list[int]] = []
    for s, e in zip(starts[order].tolist(), ends[order].tolist()):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _omission_pieces(starts: np.ndarray, ends: np.ndarray, sites: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The slots omission blocks cover outside ``sites``, cut wherever a block or a site begins or ends."""
    if not len(starts):
        return []
    cuts = sorted({*starts.tolist(), *ends.tolist(), *(x for site in sites for x in site)})
    covered = np.zeros(len(cuts), dtype=np.int64)  # omission blocks open over [cuts[k], cuts[k + 1])
    index = {x: k for k, x in enumerate(cuts)}
    for s, e in zip(starts.tolist(), ends.tolist()):
        covered[index[s]] += 1
        covered[index[e]] -= 1
    open_blocks = np.cumsum(covered)
    inside = np.zeros(len(cuts), dtype=bool)
    for s, e in sites:
        inside[index[s] : index[e]] = True
    return [(a, b) for k, (a, b) in enumerate(zip(cuts, cuts[1:])) if open_blocks[k] > 0 and not inside[k]]


def _merge_wordless(intervals, pieces: set, kind: np.ndarray, silent) -> list[tuple[int, int]]:
    """An omission piece without base words (the full stop of a sentence a witness lacks) joins the
    site it touches, before it or else after it, when a witness omits both: punctuation goes with
    its words. ``silent(lo, hi)``: some witness omits all of slots [lo, hi)."""
    out: list[tuple[int, int]] = []
    pending = None  # a wordless piece waiting for the site after it
    for s, e in intervals:
        wordless = (s, e) in pieces and not (kind[s // 2 : e // 2] == WORD).any()
        if wordless and out and out[-1][1] == s and silent(out[-1][0], e):
            out[-1] = (out[-1][0], e)
            continue
        if pending is not None and pending[1] == s and not wordless and silent(pending[0], e):
            out.append((pending[0], e))
            pending = None
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        if wordless:
            pending = (s, e)
        else:
            out.append((s, e))
    if pending is not None:
        out.append(pending)
    return out


def _merge_touching_columns(intervals: list[tuple[int, int]], unit: np.ndarray, columns: set) -> list[tuple[int, int]]:
    """Neighbouring single-token orthographic sites ("Sarkanā Bulta") of one base unit become one site
    (not across units: the items of a list written without capitals stay apart). ``columns``: the
    sites that are such tokens (not a witness's substitution of one word)."""
    out: list[tuple[int, int]] = []
    for s, e in intervals:
        if (
            out
            and (s, e) in columns
            and (out[-1][1] - 1, out[-1][1]) in columns
            and s == out[-1][1] + 1
            and s % 2 == 1
            and out[-1][0] % 2 == 1
            and e - s == 1
            and out[-1][1] % 2 == 0
            and unit.item(s // 2) == unit.item(out[-1][0] // 2)
        ):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _merge_agreements(segments: list) -> list:
    out: list = []
    for segment in segments:
        if out and not segment.is_variant and not out[-1].is_variant and out[-1].lacunose == segment.lacunose:
            previous = out[-1]
            out[-1] = Agreement(
                previous.text + segment.text, _join_spans(previous.spans, segment.spans), previous.lacunose
            )
        else:
            out.append(segment)
    return out


def _join_spans(a: tuple[Span, ...], b: tuple[Span, ...]) -> tuple[Span, ...]:
    spans = list(a)
    for span in b:
        index = next((k for k, old in enumerate(spans) if old.siglum == span.siglum and old.unit == span.unit), None)
        if index is None:
            spans.append(span)
        else:
            old = spans[index]
            spans[index] = Span(old.siglum, old.unit, min(old.start, span.start), max(old.end, span.end))
    return tuple(spans)


def _differing(variants) -> set[str]:
    """Sigla whose reading differs from the base's in any of ``variants`` (a witness that reads
    nothing there for a lacuna does not differ: it is not extant)."""
    return {w for v in variants for r in v.readings if r.type and r.type != LAC for w in r.witnesses}


def _tied(a, b) -> bool:
    """Touching variants ``a`` and ``b`` are one edit's when a witness differs in both, other than
    by reading nothing in both (a witness whose text breaks off ties nothing together)."""
    silent = _silent(a) & _silent(b)
    return bool((_differing([a]) & _differing([b])) - silent)


def _groups(variants, witnesses) -> int:
    """How many readings ``witnesses`` form over ``variants`` together (alike in every one of them)."""
    keys: dict[str, list[int]] = {w: [] for w in witnesses}
    for variant in variants:
        for index, reading in enumerate(variant.readings):
            for w in reading.witnesses:
                if w in keys:
                    keys[w].append(index)
    return len({tuple(k) for k in keys.values()})


def _nested(a, b) -> bool:
    """The witnesses group alike in ``a`` and ``b`` or one grouping refines the other: joining them
    makes no reading the witnesses' independent changes combine (with many witnesses, touching
    variants of different witnesses would otherwise chain into one place of every combination)."""
    lacking = {w for v in (*a, *b) for r in v.readings if r.type == LAC for w in r.witnesses}
    witnesses = {w for v in (*a, *b) for r in v.readings for w in r.witnesses} - lacking
    both = _groups([*a, *b], witnesses)
    return both <= max(_groups(a, witnesses), _groups(b, witnesses))


def _silent(variant) -> set[str]:
    return {w for r in variant.readings if r.type and not r.text.strip() for w in r.witnesses}


def _changes_words(variants) -> bool:
    return any(r.type in WORD_LEVEL for v in variants for r in v.readings)


def _compatible(units, other) -> bool:
    return all(a is None or b is None or a == b for a, b in zip(units, other))


def _clean(variant) -> bool:
    """A self-contained edit: words only omitted or only added (an empty reading), or moved."""
    return variant.type == "transposition" or any(not r.text.strip() and r.type != LAC for r in variant.readings)


def _rewords(members) -> bool:
    """A chain of variants is one revision when it rewords: other words, or words dropped
    beside words added."""
    kinds = {r.type for v in members for r in v.readings if r.type}
    return "substantive" in kinds or {"omission", "addition"} <= kinds
