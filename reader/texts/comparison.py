"""The compare view's table: witnesses in aligned rows with every difference marked.

:func:`build_comparison` collates the witnesses' units (plain data) with
``reader.tei.collate``, the engine that writes the apparatus files, and
returns rows of cells whose HTML marks each variant with its type, an id for
links and keyboard navigation, and screen-reader text.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape

from reader.tei.collate import collate
from reader.tei.document import Unit

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


def build_comparison(witnesses: list[Witness], options=None) -> Comparison:
    """The comparison table, from the same collation engine as the apparatus files."""
    return render_collation(witnesses, collate_witnesses(witnesses, options))


def collate_witnesses(witnesses: list[Witness], options=None):
    """Run ``reader.tei.collate.collate`` on the witnesses."""
    inputs = [
        (w.siglum, [Unit(id=u.id, kind=u.kind, section_id=u.section, text=u.text, lang=None, inferred=False) for u in w.units])
        for w in witnesses
    ]
    return collate(inputs, options)


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


def _first(variant: VariantMark) -> bool:
    """Only the first occurrence of a variant carries its id (the strip links to it)."""
    if getattr(variant, "_anchored", False):
        return False
    variant._anchored = True
    return True
