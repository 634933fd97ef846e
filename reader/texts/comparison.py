"""The compare view's data: witnesses in aligned rows with every difference marked.

:func:`build_comparison` collates the witnesses' units (plain data) with
``reader.tei.collate``, the engine that writes the apparatus files, and
returns a :class:`Comparison`: rows of cells whose HTML marks each variation
unit with its type, an id for links and keyboard navigation and
screen-reader text, plus the units themselves (:class:`VariantMark`) for the
apparatus, the table of units and the density view.

The collation runs with the base witness first (omission and addition are
said relative to it); the columns are shown in the order the caller gives
(by date, then siglum).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from html import escape  # the standard library's: Django's lazy-aware wrapper costs 10× more per call

from reader.tei.collate import collate
from reader.tei.collate.model import MINOR_TYPES, TYPE_SYMBOLS, TYPES
from reader.tei.document import Unit

#: The variant types' order, "minor" ones and symbols come from the one table (reader.tei.collate.model).
TYPE_ORDER = TYPES
#: Number of bins of the position strip (each one a link at least 24 px wide).
STRIP_BINS = 20
#: Levels of the strip's and density view's bars (CSS classes ``level-0`` … ``level-8``).
LEVELS = 8


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
    date: str = ""
    author: str = ""


@dataclass
class ReadingMark:
    """One reading of a unit: its text ('' = the witnesses lack the passage) and where it stands."""

    sigla: tuple[str, ...]
    text: str
    type: str | None  #: difference from the base reading (None for the base's own)
    subtype: str | None
    places: list[tuple[str, WitnessUnit]]  #: (siglum, unit it stands in) for every witness and unit

    @property
    def label(self) -> str:
        return type_label(self.type, self.subtype) if self.type else "base"


@dataclass
class VariantMark:
    """A variation unit as the pages show it."""

    n: int
    type: str
    subtype: str | None
    readings: list[ReadingMark]
    where: float  #: 0..1, position in the base witness
    row: int = 0  #: index of the row (aligned group) it stands in
    partner: int | None = None  #: the other end of a transposition

    @property
    def label(self) -> str:
        return type_label(self.type, self.subtype)

    @property
    def symbol(self) -> str:
        return TYPE_SYMBOLS.get(self.type, "?")

    @property
    def description(self) -> str:
        parts = []
        for r in self.readings:
            who = _and(r.sigla)
            if r.text:
                parts.append(f"{who} {'reads' if len(r.sigla) == 1 else 'read'} ‘{_quote(r.text)}’")
            elif r.type == "lac":  # a lacuna: the witness's text is missing here, it does not omit it
                parts.append(f"{who} {'has' if len(r.sigla) == 1 else 'have'} a lacuna")
            else:
                parts.append(f"{who} {'omits' if len(r.sigla) == 1 else 'omit'} it")
        kind = f" ({self.subtype})" if self.subtype else ""
        return f"{self.type} difference: " + "; ".join(parts) + kind

    @property
    def minor(self) -> bool:
        return self.type in MINOR_TYPES

    @property
    def base_reading(self) -> ReadingMark:
        return self.readings[0]

    def differs_in(self, siglum: str) -> bool:
        """The witness reads otherwise than the base here."""
        return siglum not in self.readings[0].sigla

    def reading_of(self, siglum: str) -> ReadingMark | None:
        return next((r for r in self.readings if siglum in r.sigla), None)


@dataclass
class Cell:
    siglum: str
    units: list[tuple[WitnessUnit, str]]  #: (unit, marked-up HTML)
    gaps: str = ""  #: HTML of gaps where the witness has no unit in this passage


@dataclass
class Row:
    cells: list[Cell]  #: in display order
    variants: list[int] = field(default_factory=list)  #: numbers of the units in it
    words: int = 0  #: words of the base here

    def __iter__(self):  # a row reads as its cells (the loader links passages across witnesses so)
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index):
        return self.cells[index]


@dataclass
class Comparison:
    witnesses: list[Witness]  #: in display order
    base: str  #: siglum of the base witness
    rows: list[Row] = field(default_factory=list)
    variants: list[VariantMark] = field(default_factory=list)
    engine: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, int]]:
        c = Counter(v.type for v in self.variants)
        return [(t, c[t]) for t in TYPE_ORDER if c[t]] + [(t, n) for t, n in c.items() if t not in TYPE_ORDER]

    def subtype_counts(self) -> dict[str, list[tuple[str, int]]]:
        """type -> [(subtype, n), ...] for the subtypes that occur."""
        c = Counter((v.type, v.subtype) for v in self.variants if v.subtype)
        out: dict[str, list[tuple[str, int]]] = {}
        for (kind, subtype), n in sorted(c.items()):
            out.setdefault(kind, []).append((subtype, n))
        return out

    @property
    def base_witness(self) -> Witness:
        return next(w for w in self.witnesses if w.siglum == self.base)

    def variant(self, n: int) -> VariantMark | None:
        index = n - 1  # numbered in text order from 1
        if 0 <= index < len(self.variants) and self.variants[index].n == n:
            return self.variants[index]
        return next((v for v in self.variants if v.n == n), None)

    def select(self, types=(), witnesses=()) -> list[VariantMark]:
        """Units of these types (all if none) where one of these witnesses (any if none) differs from the base."""
        return [
            v
            for v in self.variants
            if (not types or v.type in types) and (not witnesses or any(v.differs_in(s) for s in witnesses))
        ]

    def strip(self, selected: list[VariantMark], bins: int = STRIP_BINS) -> list[dict]:
        """The position strip: the base text cut into ``bins`` equal stretches, with the units in each."""
        out = [{"index": i, "variants": [], "start": i / bins, "end": (i + 1) / bins} for i in range(bins)]
        for v in selected:
            out[min(bins - 1, int(v.where * bins))]["variants"].append(v)
        most = max((len(b["variants"]) for b in out), default=0)
        for b in out:
            b["count"] = len(b["variants"])
            b["level"] = level(b["count"], most)
            b["first"] = b["variants"][0] if b["variants"] else None
            b["from_percent"], b["to_percent"] = round(b["start"] * 100), round(b["end"] * 100)
        return out

    def density(self, selected: list[VariantMark]) -> list[dict]:
        """Per row (aligned passage): the units in it by type, and how dense they are."""
        by_row: dict[int, list[VariantMark]] = {}
        for v in selected:
            by_row.setdefault(v.row, []).append(v)
        base_index = next(i for i, w in enumerate(self.witnesses) if w.siglum == self.base)
        out = []
        for index, row in enumerate(self.rows):
            variants = by_row.get(index, [])
            places = row.cells[base_index].units or next((c.units for c in row.cells if c.units), [])
            siglum = self.base if row.cells[base_index].units else next((c.siglum for c in row.cells if c.units), "")
            per_100 = 100 * len(variants) / row.words if row.words else float(len(variants) > 0) * 100
            counts = Counter(v.type for v in variants)
            out.append(
                {
                    "row": index,
                    "siglum": siglum,
                    "units": [u for u, _ in places],
                    "variants": variants,
                    "count": len(variants),
                    "words": row.words,
                    "per_100": per_100,
                    "types": [(t, counts[t]) for t in TYPE_ORDER if counts[t]],
                    "in_base": bool(row.cells[base_index].units),
                }
            )
        most = max((r["count"] for r in out), default=0)
        for r in out:
            r["level"] = level(r["count"], most)
        return out


def level(count: int, most: int) -> int:
    """Bar height 0..LEVELS; any count above zero is at least 1, so it stays visible."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, round(LEVELS * count / most))


def type_label(kind: str | None, subtype: str | None) -> str:
    return f"{kind} ({subtype})" if subtype else (kind or "")


#: Words of a reading quoted in screen-reader text and the status line; a longer one is cut, with its length.
QUOTE_WORDS = 12


def _quote(text: str) -> str:
    words = text.split()
    return (
        text
        if len(words) <= QUOTE_WORDS
        else " ".join(words[: QUOTE_WORDS - 2]) + f" … {words[-1]} ({len(words)} words)"
    )


def _and(sigla) -> str:
    sigla = list(sigla)
    return sigla[0] if len(sigla) == 1 else ", ".join(sigla[:-1]) + " and " + sigla[-1]


def build_comparison(witnesses: list[Witness], options=None, order: list[str] | None = None) -> Comparison:
    """The comparison, from the same collation engine as the apparatus files.

    ``witnesses[0]`` is the base; ``order`` (sigla) is the order of the columns (default: as given).
    """
    return render_collation(witnesses, collate_witnesses(witnesses, options), order)


def collate_witnesses(witnesses: list[Witness], options=None):
    """Run ``reader.tei.collate.collate`` on the witnesses."""
    inputs = [
        (
            w.siglum,
            [Unit(id=u.id, kind=u.kind, section_id=u.section, text=u.text, lang=None, inferred=False) for u in w.units],
        )
        for w in witnesses
    ]
    return collate(inputs, options)


class _Renderer:
    """Writes every witness's units as HTML, variant by variant, group by group."""

    def __init__(self, witnesses: list[Witness], order: list[str]) -> None:
        self.witnesses = witnesses
        self.units = [{u.id: u for u in w.units} for w in witnesses]
        self.display = [next(i for i, w in enumerate(witnesses) if w.siglum == s) for s in order]
        self.column = {witnesses[i].siglum: c for c, i in enumerate(self.display)}
        self.base_offsets, total = {}, 0
        for u in witnesses[0].units:
            self.base_offsets[u.id] = total
            total += len(u.text) + 1
        self.total = max(1, total)
        self.where = 0.0

    def group(self, group, row_index: int, comparison: Comparison) -> Row:
        witnesses = self.witnesses
        pieces = [dict() for _ in witnesses]  # per witness: unit id -> list of html pieces
        cursor = [dict() for _ in witnesses]  # per witness: unit id -> last offset written
        current = [None] * len(witnesses)  # per witness: unit being written
        gaps = [[] for _ in witnesses]  # per witness: gaps where it has no unit in this passage
        for w, witness in enumerate(witnesses):
            for unit_id in group.units.get(witness.siglum, ()):
                pieces[w].setdefault(unit_id, [])
        row = Row(cells=[])
        for segment in group.segments:
            if not segment.is_variant:
                for span in segment.spans:
                    w = self._index(span.siglum)
                    text = self.units[w][span.unit].text[span.start : span.end]
                    _write(pieces[w], cursor[w], self.units[w], span, escape(text))
                    current[w] = span.unit
                    if w == 0:
                        self.where = (self.base_offsets.get(span.unit, 0) + span.end) / self.total
                        row.words += len(text.split())
                continue
            mark = self._mark(segment, row_index)
            comparison.variants.append(mark)
            row.variants.append(mark.n)
            for w, witness in enumerate(witnesses):
                reading = segment.reading_of(witness.siglum)
                spans = [sp for sp in reading.spans if sp.siglum == witness.siglum] if reading else []
                occurrence = _ident(mark.n, w == 0, self.column[witness.siglum])
                if not spans or all(sp.start == sp.end for sp in spans):
                    gap = _gap(mark, occurrence, witness.siglum)
                    if spans and spans[0].unit in pieces[w]:  # at the very place, in a unit of this passage
                        _write(pieces[w], cursor[w], self.units[w], spans[0], gap)
                    elif current[w] in pieces[w] or pieces[w]:
                        pieces[w][current[w] if current[w] in pieces[w] else next(iter(pieces[w]))].append(gap)
                    else:  # the witness has nothing here: the gap stands alone, on no neighbouring unit
                        gaps[w].append(gap)
                    continue
                for k, span in enumerate(spans):
                    # Marked words without their trailing space (the space is written as plain text).
                    text = self.units[w][span.unit].text
                    words = text[span.start : span.end].rstrip()
                    span = type(span)(span.siglum, span.unit, span.start, span.start + len(words))
                    if w == 0:
                        row.words += len(words.split())
                    html = _open(mark, occurrence if k == 0 else "", witness.siglum) + escape(words) + "</span></span>"
                    _write(pieces[w], cursor[w], self.units[w], span, html)
                    current[w] = span.unit
        for w in self.display:
            units = self.units[w]
            cells = [(units[u], "".join(html)) for u, html in pieces[w].items() if u in units]
            row.cells.append(Cell(witnesses[w].siglum, cells, "".join(gaps[w])))
        return row

    def _mark(self, variant, row_index: int) -> VariantMark:
        readings = []
        for reading in variant.readings:
            places = []
            for span in reading.spans:
                unit = self.units[self._index(span.siglum)].get(span.unit)
                if unit is not None and (span.siglum, unit) not in places:
                    places.append((span.siglum, unit))
            readings.append(
                ReadingMark(tuple(reading.witnesses), reading.text.strip(), reading.type, reading.subtype, places)
            )
        base = self.witnesses[0].siglum
        base_span = next((sp for r in variant.readings for sp in r.spans if sp.siglum == base), None)
        if base_span is not None:
            self.where = (self.base_offsets.get(base_span.unit, 0) + base_span.start) / self.total
        return VariantMark(
            variant.n,
            variant.type,
            variant.subtype,
            readings,
            min(1.0, self.where),
            row_index,
            getattr(variant, "partner", None),
        )

    def _index(self, siglum: str) -> int:
        for i, w in enumerate(self.witnesses):
            if w.siglum == siglum:
                return i
        raise KeyError(siglum)


def render_collation(witnesses: list[Witness], collation, order: list[str] | None = None) -> Comparison:
    """Rows of the compare view from a ``reader.tei.collate`` result (aligned groups of segments)."""
    order = order or [w.siglum for w in witnesses]
    renderer = _Renderer(witnesses, order)
    comparison = Comparison(
        witnesses=[witnesses[i] for i in renderer.display],
        base=witnesses[0].siglum,
        engine="reader.tei.collate (word level, parallel segmentation)",
        notes=list(collation.notes),
    )
    for index, group in enumerate(collation.groups):
        comparison.rows.append(renderer.group(group, index, comparison))
    return comparison


def _write(pieces: dict, cursor: dict, units: dict, span, html: str) -> None:
    """Append a span's HTML to its unit, with the source text between it and the previous span."""
    out = pieces.setdefault(span.unit, [])
    last = cursor.get(span.unit)
    if last is not None and span.start > last:
        out.append(escape(units[span.unit].text[last : span.start]))
    cursor[span.unit] = span.end
    out.append(html)


def _ident(n: int, base: bool, column: int) -> str:
    """The base's occurrence of unit ``n`` is ``v<n>`` (what links aim at); the others' ``v<n>-<column>``."""
    return f"v{n}" if base else f"v{n}-{column + 1}"


def _classes(variant: VariantMark) -> str:
    return f"var var-{variant.type}{' minor' if variant.minor else ''}"


def _subtype(variant: VariantMark) -> str:
    return f' data-subtype="{escape(variant.subtype)}"' if variant.subtype else ""


def _open(variant: VariantMark, ident: str, siglum: str) -> str:
    """Start of a marked reading. ``data-v`` comes first so that the page can mark the current unit."""
    attr = f' id="{ident}"' if ident else ""
    return (
        f'<span data-v="{variant.n}" class="{_classes(variant)}"{_subtype(variant)}{attr} tabindex="-1">'
        f'<span class="visually-hidden">{escape(siglum)}: {escape(variant.description)}</span>'
        f'<span aria-hidden="true" class="var-text" data-symbol="{TYPE_SYMBOLS.get(variant.type, "?")}">'
    )


def _gap(variant: VariantMark, ident: str, siglum: str) -> str:
    """Where a witness lacks the text another has: a visible gap mark, not a strike-through."""
    lacks = "not here" if variant.type in ("addition", "transposition") else "omitted"
    return (
        f'<span data-v="{variant.n}" class="{_classes(variant)} gap"{_subtype(variant)} id="{ident}" tabindex="-1">'
        f'<span class="visually-hidden">{escape(siglum)}: {escape(variant.description)}</span>'
        f'<span aria-hidden="true" class="gap-mark">⟨{TYPE_SYMBOLS.get(variant.type, "?")} {lacks}⟩</span></span>'
    )


def mark_current(html: str, n: int) -> str:
    """The cell HTML with unit ``n`` marked as the current difference (outlined in every witness)."""
    return html.replace(f'<span data-v="{n}" class="var ', f'<span data-v="{n}" class="current var ')


# --- the table of units and the apparatus, rendered here: hundreds of units, each a few links ----------------


def _legend(v: VariantMark) -> str:
    return (
        f'<span class="var var-{v.type} legend-sample"><span class="var-text" data-symbol="{v.symbol}">'
        f"{escape(v.label)}</span></span>"
    )


def _places(places) -> str:
    return ", ".join(f'<a href="{escape(u.url)}">{escape(siglum)} {escape(u.label)}</a>' for siglum, u in places)


def _reading_item(r: ReadingMark) -> str:
    text = f"‘{escape(r.text)}’" if r.text else ("<em>lacuna</em>" if r.type == "lac" else "<em>omitted</em>")
    kind = f' <span class="rdg-type">{escape(r.label)}</span>' if r.type else ""
    return f'<li><span class="rdg">{text}</span> — {_places(r.places) or escape(", ".join(r.sigla))}{kind}</li>'


def units_table_html(variants: list[VariantMark], link) -> str:
    """Rows of the table of units; ``link(n)`` is the address of unit ``n`` in the columns."""
    out = []
    for v in variants:
        readings = "".join(_reading_item(r) for r in v.readings)
        partner = f' <a href="#u{v.partner}">moved: see {v.partner}</a>' if v.partner else ""
        out.append(
            f'<tr id="u{v.n}"><td>{v.n}</td><td>{_places(v.base_reading.places) or "—"}</td>'
            f'<td><ul class="readings">{readings}</ul></td><td>{_legend(v)}{partner}</td>'
            f'<td><a href="{escape(link(v.n))}">show<span class="visually-hidden"> difference {v.n} in every witness</span></a></td></tr>'
        )
    return "\n".join(out)


def _empty(r: ReadingMark) -> str:
    return "<em>lac.</em>" if r.type == "lac" else "<em>om.</em>"


def apparatus_html(entries: list[VariantMark], link) -> str:
    """Entries of a passage's apparatus: lemma ] its witnesses; each other reading and its witnesses."""
    out = []
    for v in entries:
        lemma = escape(v.base_reading.text) if v.base_reading.text else "<em>om.</em>"
        others = "".join(
            f'; <span class="rdg">{escape(r.text) if r.text else _empty(r)}</span> {escape(" ".join(r.sigla))}'
            for r in v.readings[1:]
        )
        out.append(
            f'<li id="app{v.n}" value="{v.n}"><span class="app-n">{v.n}</span> '
            f'<a class="lemma" href="#v{v.n}">{lemma}</a>] {escape(" ".join(v.base_reading.sigla))}{others} '
            f'<span class="app-type">{_legend(v)}</span> '
            f'<a href="{escape(link(v.n))}">in every witness<span class="visually-hidden"> (difference {v.n})</span></a></li>'
        )
    return "".join(out)
