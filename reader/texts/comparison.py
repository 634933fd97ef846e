"""The compare view's table: witnesses in aligned rows with every difference marked.

:func:`build_comparison` takes the witnesses' units (plain data) and a word
alignment, and returns rows of cells whose HTML marks each variant with its
type, an id for links and keyboard navigation, and screen-reader text. The
alignment comes from :func:`align`, which asks ``reader.tei.collate`` when it
is installed and otherwise uses a word-level difflib alignment against the
first witness.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape

TOKEN = re.compile(r"[\w\u00AD'’-]+|[^\w\s]", re.UNICODE)
MINOR_TYPES = {"orthographic", "punctuation", "editorial"}
TYPE_ORDER = ["substantive", "transposition", "omission", "addition", "orthographic", "punctuation", "editorial"]
TYPE_SYMBOLS = {
    "substantive": "≠",
    "omission": "∅",
    "addition": "+",
    "transposition": "⇄",
    "orthographic": "~",
    "punctuation": "·",
    "editorial": "†",
}


@dataclass(frozen=True)
class WitnessUnit:
    id: str
    text: str
    label: str
    url: str
    kind: str = "p"  #: p, head, item, bibl: the collation reports a missing heading as such
    section: object = None  #: units of one section share it: a section one witness lacks is one omission


@dataclass
class Witness:
    siglum: str
    title: str
    units: list[WitnessUnit]


@dataclass
class Token:
    text: str
    space: str  #: whitespace after it in the source
    unit: int  #: index of the unit it belongs to


@dataclass
class VariantMark:
    n: int
    type: str
    readings: dict[str, str]  #: siglum -> words ('' = omitted)
    where: float  #: 0..1, position in the first witness

    description_text: str = ""

    @property
    def description(self) -> str:
        if self.description_text:
            return self.description_text
        parts = [f"{s} reads ‘{t}’" if t else f"{s} omits it" for s, t in self.readings.items()]
        return f"{self.type} difference: " + "; ".join(parts)

    @property
    def minor(self) -> bool:
        return self.type in MINOR_TYPES

    @property
    def left(self) -> str:
        """CSS position of its mark on the summary strip."""
        return f"{self.where * 100:.2f}%"


@dataclass
class Cell:
    siglum: str
    units: list[tuple[WitnessUnit, str]]  #: (unit, marked-up HTML)


@dataclass
class Comparison:
    witnesses: list[Witness]
    rows: list[list[Cell]] = field(default_factory=list)
    variants: list[VariantMark] = field(default_factory=list)
    engine: str = ""

    @property
    def counts(self) -> list[tuple[str, int]]:
        c = Counter(v.type for v in self.variants)
        return [(t, c[t]) for t in TYPE_ORDER if c[t]] + [(t, n) for t, n in c.items() if t not in TYPE_ORDER]


def tokenize(units: list[WitnessUnit]) -> list[Token]:
    tokens = []
    for i, unit in enumerate(units):
        for m in TOKEN.finditer(unit.text):
            end = m.end()
            space = unit.text[end : end + 1] if end < len(unit.text) and unit.text[end].isspace() else ""
            tokens.append(Token(m.group(), space, i))
    return tokens


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def is_punctuation(words: list[str]) -> bool:
    return all(not any(ch.isalnum() for ch in w) for w in words)


def classify(a: list[str], b: list[str]) -> str:
    """Type of the difference between token runs ``a`` (first witness) and ``b``."""
    if not b:
        return "punctuation" if is_punctuation(a) else "omission"
    if not a:
        return "punctuation" if is_punctuation(b) else "addition"
    if [fold(w) for w in a] == [fold(w) for w in b]:
        return "orthographic"
    words_a = [fold(w) for w in a if not is_punctuation([w])]
    words_b = [fold(w) for w in b if not is_punctuation([w])]
    if words_a == words_b:
        return "punctuation"
    if len(words_a) > 1 and sorted(words_a) == sorted(words_b):
        return "transposition"
    return "substantive"


@dataclass
class Difference:
    """A difference between the first witness and another, in token indexes."""

    other: int  #: index of the other witness
    type: str
    base: tuple[int, int]  #: [start, end) in the first witness's tokens
    theirs: tuple[int, int]  #: [start, end) in the other witness's tokens


def difflib_alignment(base: list[Token], other: list[Token], index: int) -> tuple[list[Difference], list[tuple[int, int]]]:
    """Word differences of ``other`` against ``base`` and the matched token pairs."""
    a = [fold(t.text) for t in base]
    b = [fold(t.text) for t in other]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    diffs, pairs = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                pairs.append((i1 + k, j1 + k))
                if base[i1 + k].text != other[j1 + k].text:
                    diffs.append(Difference(index, "orthographic", (i1 + k, i1 + k + 1), (j1 + k, j1 + k + 1)))
            continue
        kind = classify([t.text for t in base[i1:i2]], [t.text for t in other[j1:j2]])
        diffs.append(Difference(index, kind, (i1, i2), (j1, j2)))
    return diffs, pairs


def align(witnesses: list[Witness], tokens: list[list[Token]]):
    """Differences of every witness against the first, and matched token pairs per witness."""
    differences, matches = [], {}
    for index in range(1, len(witnesses)):
        diffs, pairs = difflib_alignment(tokens[0], tokens[index], index)
        differences.extend(diffs)
        matches[index] = pairs
    return differences, matches, "word-level difflib against the first witness"


def _group_rows(witnesses: list[Witness], tokens: list[list[Token]], matches) -> list[list[list[int]]]:
    """Rows of aligned units: units sharing matched words fall in one row."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for w, units in enumerate(witnesses):
        for u in range(len(units.units)):
            find((w, u))
    for w, pairs in matches.items():
        seen = set()
        for i, j in pairs:
            key = (tokens[0][i].unit, tokens[w][j].unit)
            if key not in seen:
                seen.add(key)
                parent[find((0, key[0]))] = find((w, key[1]))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in sorted(parent):
        groups.setdefault(find(node), []).append(node)
    rows, emitted = [], set()
    nexts = [0] * len(witnesses)

    def emit(root):
        if root in emitted:
            return
        members = groups[root]
        # Units of any witness that come before this row's are shown first.
        for w in range(len(witnesses)):
            firsts = [u for ww, u in members if ww == w]
            if firsts:
                while nexts[w] < min(firsts):
                    emit(find((w, nexts[w])))
                    nexts[w] += 1
        emitted.add(root)
        row = [[u for ww, u in members if ww == w] for w in range(len(witnesses))]
        for w, units in enumerate(row):
            if units:
                nexts[w] = max(nexts[w], max(units) + 1)
        rows.append(row)

    for w in range(len(witnesses)):
        for u in range(len(witnesses[w].units)):
            emit(find((w, u)))
    return rows


def build_comparison(witnesses: list[Witness], options=None) -> Comparison:
    """The comparison table: from ``reader.tei.collate`` when it is there, else from difflib."""
    collated = collate_witnesses(witnesses, options)
    if collated is not None:
        return render_collation(witnesses, collated)
    return difflib_comparison(witnesses)


def collate_witnesses(witnesses: list[Witness], options=None):
    """Run ``reader.tei.collate.collate`` on the witnesses, or None if it is not installed."""
    try:
        from reader.tei.collate import collate
    except ImportError:
        return None
    from reader.tei.document import Unit

    inputs = [
        (w.siglum, [Unit(id=u.id, kind=u.kind, section_id=u.section, text=u.text, lang=None, inferred=False) for u in w.units])
        for w in witnesses
    ]
    return collate(inputs, options) if options is not None else collate(inputs)


def _reading_description(variant) -> str:
    parts = []
    for reading in variant.readings:
        for siglum in reading.witnesses:
            words = reading.text.strip()
            parts.append(f"{siglum} reads ‘{words}’" if words else f"{siglum} omits it")
    return f"{variant.type} difference: " + "; ".join(parts)


def render_collation(witnesses: list[Witness], collation) -> Comparison:
    """Rows of the compare view from a ``reader.tei.collate`` result (aligned groups of segments)."""
    comparison = Comparison(witnesses=witnesses, engine="reader.tei.collate (word level, parallel segmentation)")
    units = [{u.id: u for u in w.units} for w in witnesses]
    base = witnesses[0]
    base_offsets, total = {}, 0
    for u in base.units:
        base_offsets[u.id] = total
        total += len(u.text) + 1
    total = max(1, total)
    where = 0.0
    for group in collation.groups:
        pieces = [dict() for _ in witnesses]  # per witness: unit id -> list of html pieces
        cursor = [dict() for _ in witnesses]  # per witness: unit id -> last offset written
        current = [None] * len(witnesses)  # per witness: unit being written
        for w, witness in enumerate(witnesses):
            for unit_id in group.units.get(witness.siglum, ()):
                pieces[w].setdefault(unit_id, [])
        for segment in group.segments:
            if not segment.is_variant:
                for span in segment.spans:
                    w = _index(witnesses, span.siglum)
                    _write(pieces[w], cursor[w], units[w], span, escape(units[w][span.unit].text[span.start : span.end]))
                    current[w] = span.unit
                    if w == 0:
                        where = (base_offsets.get(span.unit, 0) + span.end) / total
                continue
            variant = segment
            mark = VariantMark(variant.n, variant.type, {}, where)
            mark.description_text = _reading_description(variant)
            for reading in variant.readings:
                for siglum in reading.witnesses:
                    mark.readings[siglum] = reading.text.strip()
            base_span = next((sp for r in variant.readings for sp in r.spans if sp.siglum == base.siglum), None)
            if base_span is not None:
                mark.where = where = (base_offsets.get(base_span.unit, 0) + base_span.start) / total
            comparison.variants.append(mark)
            for w, witness in enumerate(witnesses):
                reading = variant.reading_of(witness.siglum)
                spans = [sp for sp in reading.spans if sp.siglum == witness.siglum] if reading else []
                if not spans:
                    unit_id = current[w] or next(iter(pieces[w]), None)
                    if unit_id is not None:
                        pieces[w].setdefault(unit_id, []).append(_gap(mark, _first(mark)))
                    continue
                for span in spans:
                    # Marked words without their trailing space (the space is written as plain text).
                    words = units[w][span.unit].text[span.start : span.end].rstrip()
                    span = type(span)(span.siglum, span.unit, span.start, span.start + len(words))
                    _write(pieces[w], cursor[w], units[w], span, _open(mark, _first(mark)) + escape(words) + "</span></span>")
                    current[w] = span.unit
        row = []
        for w, witness in enumerate(witnesses):
            row.append(Cell(witness.siglum, [(units[w][unit_id], "".join(html)) for unit_id, html in pieces[w].items() if unit_id in units[w]]))
        comparison.rows.append(row)
    return comparison


def _index(witnesses: list[Witness], siglum: str) -> int:
    for i, w in enumerate(witnesses):
        if w.siglum == siglum:
            return i
    raise KeyError(siglum)


def _write(pieces: dict, cursor: dict, units: dict, span, html: str) -> None:
    """Append a span's HTML to its unit, with the source text between it and the previous span."""
    out = pieces.setdefault(span.unit, [])
    last = cursor.get(span.unit)
    if last is not None and span.start > last:
        out.append(escape(units[span.unit].text[last : span.start]))
    cursor[span.unit] = span.end
    out.append(html)


def difflib_comparison(witnesses: list[Witness]) -> Comparison:
    tokens = [tokenize(w.units) for w in witnesses]
    differences, matches, engine = align(witnesses, tokens)
    comparison = Comparison(witnesses=witnesses, engine=engine)
    # Per witness: token index -> variant, and gaps before token index.
    marks = [dict() for _ in witnesses]
    gaps = [dict() for _ in witnesses]
    total = max(1, len(tokens[0]))
    for n, d in enumerate(sorted(differences, key=lambda d: (d.base, d.other)), 1):
        base_words = _words(tokens[0], d.base)
        their_words = _words(tokens[d.other], d.theirs)
        sigla = (witnesses[0].siglum, witnesses[d.other].siglum)
        variant = VariantMark(n, d.type, {sigla[0]: base_words, sigla[1]: their_words}, d.base[0] / total)
        comparison.variants.append(variant)
        for w, (start, end) in ((0, d.base), (d.other, d.theirs)):
            if start == end:
                gaps[w].setdefault(min(start, len(tokens[w])), []).append(variant)
            for k in range(start, end):
                marks[w].setdefault(k, variant)
    for row in _group_rows(witnesses, tokens, matches):
        cells = []
        for w, unit_indexes in enumerate(row):
            cells.append(Cell(witnesses[w].siglum, [(witnesses[w].units[u], _unit_html(tokens[w], u, marks[w], gaps[w])) for u in unit_indexes]))
        comparison.rows.append(cells)
    return comparison


def _words(tokens: list[Token], span: tuple[int, int]) -> str:
    run = tokens[span[0] : span[1]]
    parts = []
    for k, t in enumerate(run):
        boundary = k + 1 < len(run) and run[k + 1].unit != t.unit
        parts.append(t.text + (t.space or (" " if boundary else "")))
    return "".join(parts).strip()


def _open(variant: VariantMark, anchor: bool) -> str:
    ident = f' id="v{variant.n}"' if anchor else ""
    return (
        f'<span class="var var-{variant.type}{" minor" if variant.minor else ""}"{ident} data-v="{variant.n}"'
        f' tabindex="-1"><span class="visually-hidden">{escape(variant.description)}</span>'
        f'<span aria-hidden="true" class="var-text" data-symbol="{TYPE_SYMBOLS.get(variant.type, "?")}">'
    )


def _gap(variant: VariantMark, anchor: bool) -> str:
    ident = f' id="v{variant.n}"' if anchor else ""
    return (
        f'<span class="var gap var-{variant.type}{" minor" if variant.minor else ""}"{ident} data-v="{variant.n}" tabindex="-1">'
        f'<span class="visually-hidden">{escape(variant.description)}</span>'
        f'<span aria-hidden="true" class="gap-mark">⟨{TYPE_SYMBOLS.get(variant.type, "?")}⟩</span></span>'
    )


def _unit_html(tokens: list[Token], unit: int, marks: dict, gaps: dict) -> str:
    out: list[str] = []
    current = None
    indexes = [k for k, t in enumerate(tokens) if t.unit == unit] if tokens else []
    for k in indexes:
        for variant in gaps.get(k, ()):
            if current is not None:
                out.append("</span></span>")
                current = None
            out.append(_gap(variant, _first(variant)))
        variant = marks.get(k)
        if variant is not current:
            if current is not None:
                out.append("</span></span>")
            if variant is not None:
                out.append(_open(variant, _first(variant)))
            current = variant
        token = tokens[k]
        next_variant = marks.get(k + 1) if k + 1 in marks and tokens[k + 1].unit == unit else None
        if current is not None and next_variant is not current:
            out.append(escape(token.text) + "</span></span>" + escape(token.space))
            current = None
        else:
            out.append(escape(token.text + token.space))
    if current is not None:
        out.append("</span></span>")
    if indexes and indexes[-1] + 1 == len(tokens):
        for variant in gaps.get(len(tokens), ()):
            out.append(_gap(variant, _first(variant)))
    return "".join(out)


def _first(variant: VariantMark) -> bool:
    """Only the first occurrence of a variant carries its id (the strip links to it)."""
    if getattr(variant, "_anchored", False):
        return False
    variant._anchored = True
    return True
