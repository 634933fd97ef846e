"""The compare views of a work: columns side by side, the base text with its apparatus,
the table of variation units, and where variation clusters (density).

All four read one :class:`~reader.texts.comparison.Comparison`, built from the
same collation engine as the apparatus files. For the settings a page opens on,
``load`` stores it and the parts each page renders from it
(``reader.texts.stored_comparisons``), so a page with a cold cache only reads and
renders; other choices are built on request and cached per witnesses, base and
normalisation. They share the query parameters:

- ``w`` (repeated): the witnesses to show (default: all), by slug;
- ``base``: the base witness (slug or siglum; default: the earliest by date);
- ``ignore`` (repeated): kinds of difference normalised away (case, diacritics,
  punctuation, whitespace, editorial); none by default, so every difference shows;
- ``type`` (repeated): only units of these types are marked, listed and counted on the strip;
- ``at``: the current unit, outlined in every witness (previous/next are links to it).

Queries per page are fixed: the work, its witnesses, their units in one query (what the comparison's
key is made of), and for the default settings the stored parts the page needs.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode


from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from reader.params import BadParameter, whole_number
from reader.tei.collate.tokens import CollationOptions

from ..comparison import (
    LEVELS,
    MINOR_TYPES,
    TYPE_ORDER,
    TYPE_SYMBOLS,
    Comparison,
    Witness,
    WitnessUnit,
    apparatus_html,
    build_comparison,
    mark_current,
    units_table_html,
)
from ..models import Document, Paragraph, Work
from ..stored_comparisons import Shelf, content_key
from ..variation import APPARATUS_IGNORE, NORMALISATIONS, VariationCount, apparatus_variation

#: The compare views: URL name, label.
VIEWS = (
    ("compare", "Columns"),
    ("compare-apparatus", "Base text with apparatus"),
    ("compare-units", "Table of variation units"),
    ("compare-density", "Where variation clusters"),
)


def _witnesses_data(documents: list[Document]) -> list[Witness]:
    """The witnesses' units as the collation reads them (editorial markers kept, as in the apparatus): one query."""
    return witnesses_from_rows(documents, unit_rows(documents))


def unit_rows(documents: list[Document]) -> list[tuple]:
    """Every unit the collation reads of these documents, in one query: (document pk, xml:id, text,
    collation text, number, kind, section pk), by document and position."""
    return list(
        Paragraph.objects.filter(
            document__in=documents, supplied=False
        )  # headings the editor supplied are not collated
        .order_by("document_id", "position")
        .values_list("document_id", "xml_id", "text", "collation_text", "number", "kind", "section_id")
    )


def witnesses_from_rows(documents: list[Document], rows: list[tuple]) -> list[Witness]:
    """The :class:`Witness` of each document (in the given order) from :func:`unit_rows`'s rows."""
    units: dict[int, list[WitnessUnit]] = {d.pk: [] for d in documents}
    slugs = {d.pk: d.slug for d in documents}
    for document_id, xml_id, text, collation_text, number, kind, section_id in rows:
        units[document_id].append(
            WitnessUnit(
                id=xml_id,
                text=collation_text or text,
                label=f"¶ {number}" if number else "heading" if kind == Paragraph.Kind.HEAD else kind,
                url=reverse("texts:paragraph", args=[slugs[document_id], xml_id]),
                kind=kind,
                section=section_id,
            )
        )
    return [Witness(d.label, d.title, units[d.pk], d.date, d.author) for d in documents]


def collation_options(ignore) -> CollationOptions:
    """``CollationOptions`` with exactly these normalisations on (and every other kind of difference reported)."""
    return CollationOptions(**{f"ignore_{name}": name in ignore for name, _ in NORMALISATIONS})


def _comparison(base: Document, shown: list[Document], ignore: list[str], shelf: Shelf | None = None) -> Comparison:
    """Build (or fetch from the cache, else from the stored comparisons) the comparison: collated with the
    base first, columns in ``shown`` order. Its key names the witnesses' units as they are now (one query),
    so an edit of a witness, however made, is never answered with an earlier collation."""
    collated = [base] + [d for d in shown if d != base]
    rows = unit_rows(collated)
    key = "compare:" + content_key(collated, shown, ignore, rows)

    def build() -> Comparison:
        witnesses = {d.pk: w for d, w in zip(collated, witnesses_from_rows(collated, rows))}
        return build_comparison(
            [witnesses[d.pk] for d in collated],
            collation_options(ignore),
            order=[witnesses[d.pk].siglum for d in shown],
        )

    comparison = (shelf or Shelf(None, "")).get("comparison", key, build)
    comparison.cache_key = key
    return comparison


#: The stored parts each view reads (``stored_comparisons``), in one query.
PARTS = {
    "compare": ("comparison", "rows"),
    "compare-apparatus": ("comparison", "apparatus"),
    "compare-units": ("comparison", "units"),
    "compare-density": ("comparison",),
}
#: Witnesses shown when the reader has chosen none: the earliest ones (a work of many witnesses would
#: otherwise be a page of a hundred columns); ``?w=all`` shows every one.
DEFAULT_SHOWN = 10


class CompareState:
    """What the reader chose (witnesses, base, normalisation, types, current unit), read from the query."""

    def __init__(self, params, work: Work, available: list[Document], parts=()) -> None:
        """``params``: the query (``request.GET``)."""
        by_slug = {d.slug: d for d in available}
        by_label = {d.label: d for d in available}
        wanted = params.getlist("w")
        every = wanted == ["all"]
        wanted = [] if every else wanted
        unknown = [w for w in wanted if w not in by_slug]
        if unknown:
            raise Http404(f"Not a witness of {work.title}: {', '.join(unknown)}")
        base_name = params.get("base", "")
        base = by_slug.get(base_name) or by_label.get(base_name)
        if base_name and base is None:
            raise Http404(f"Not a witness of {work.title}: {base_name}")
        chosen = {by_slug[w] for w in wanted} or set(available if every else available[:DEFAULT_SHOWN])
        if base is not None:
            chosen.add(base)
        self.available = available
        self.chosen = bool(wanted) or every  #: the reader chose the witnesses (else the default)
        self.shown = [d for d in available if d in chosen]  # date order
        self.base = base or self.shown[0]
        self.base_given = base is not None
        self.ignore = sorted(set(params.getlist("ignore")) & {name for name, _ in NORMALISATIONS})
        self.types = [t for t in TYPE_ORDER if t in params.getlist("type")]
        try:  # a cursor on the page, not a choice: a bad one is ignored, like a bogus type or ignore
            self.at = whole_number(params.get("at"), "at")
        except BadParameter:
            self.at = None
        #: The stored parts of this choice, if it is one of the defaults ``load`` stores (else kept in the cache only).
        self.shelf = Shelf(work if self.stored_setting is not None else None, self.stored_setting or "", parts)

    @property
    def stored_setting(self) -> str | None:
        """The normalisation's name when the page is a default one whose parts are stored (the witnesses
        and base it opens on, no type filter, no normalisation or the apparatus files'), else None."""
        if self.chosen or self.base_given or self.types or self.ignore not in ([], sorted(APPARATUS_IGNORE)):
            return None
        return ",".join(self.ignore)

    def _witness_pairs(self) -> list[str]:
        """``w`` for the query: nothing for the default choice, ``all`` for every witness."""
        if self.shown == self.available[:DEFAULT_SHOWN]:
            return []
        if self.shown == self.available:
            return ["all"]
        return [d.slug for d in self.shown]

    def pairs(self, **change) -> list[tuple[str, str]]:
        """The query as (name, value) pairs, with some parameters changed (None drops one)."""
        values = {
            "w": self._witness_pairs(),
            "base": [self.base.slug] if self.base_given else [],
            "ignore": self.ignore,
            "type": self.types,
        }
        for name, value in change.items():
            values[name] = [] if value is None else value if isinstance(value, list) else [value]
        return [(name, v) for name, vs in values.items() for v in vs]

    def query(self, **change) -> str:
        return urlencode(self.pairs(**change))

    @property
    def all_query(self) -> str:
        return self.query(w="all")


def _context(params, work_slug: str, view: str, store: bool = False) -> tuple[dict, Comparison | None, CompareState]:
    """What every compare view shows, for the query ``params``; ``store``: load's precomputation (every
    stored part read at once, each written unless the table holds it under its current key)."""
    work = get_object_or_404(Work, slug=work_slug)
    available = list(work.witnesses.defer("tei_header", "front_html").in_witness_order())
    if not available:
        raise Http404("This work has no witnesses")
    state = CompareState(params, work, available, PARTS.get(view, ()) if not store else ())
    state.shelf.ensuring = store
    comparison = _comparison(state.base, state.shown, state.ignore, state.shelf) if len(state.shown) >= 2 else None
    selected = comparison.select(state.types) if comparison else []
    query = state.query()
    columns_url = reverse("texts:compare", args=[work.slug])
    tabs = [
        (name, label, reverse(f"texts:{name}", args=[work.slug]) + (f"?{query}" if query else ""), name == view)
        for name, label in VIEWS
    ]
    context = {
        "work": work,
        "state": state,
        "available": available,
        "shown": state.shown,
        "base": state.base,
        "comparison": comparison,
        "selected": selected,
        "query": query,
        "columns_url": columns_url,
        "link": lambda n: f"{columns_url}?{query + '&' if query else ''}at={n}#v{n}",
        "tabs": tabs,
        "view": view,
        "type_symbols": TYPE_SYMBOLS,
        "type_order": TYPE_ORDER,
        "minor_types": MINOR_TYPES,
        "normalisations": NORMALISATIONS,
        "ignore": state.ignore,
        "apparatus_ignore": APPARATUS_IGNORE,
        "apparatus_query": state.query(ignore=APPARATUS_IGNORE),
        "types": state.types,
        "levels": range(LEVELS + 1),
    }
    context["variation"] = apparatus_variation(work, len(available))  # as the corpus home states it
    if comparison:
        context["page_variation"] = VariationCount(
            len(comparison.variants), len(state.shown), tuple(state.ignore), len(state.shown) == len(available)
        )
        context["type_filters"] = _type_filters(comparison, state)
        context["strip"] = comparison.strip(selected)
        # The editor's regularisation list, when the options carry one (``CollationOptions.regularisations``).
        context["regularisation"] = getattr(collation_options(state.ignore), "regularisations", ())
    return context, comparison, state


def _type_filters(comparison: Comparison, state: CompareState) -> list[dict]:
    """The type counts, each a filter: checked when shown."""
    subtypes = comparison.subtype_counts()
    return [
        {
            "type": t,
            "count": n,
            "symbol": TYPE_SYMBOLS.get(t, "?"),
            "subtypes": subtypes.get(t, []),
            "checked": not state.types or t in state.types,
        }
        for t, n in comparison.counts
    ]


def _navigation(comparison: Comparison, selected, state: CompareState) -> dict:
    """The current unit and the previous/next ones among the selected (links work without JavaScript)."""
    numbers = [v.n for v in selected]
    current = comparison.variant(state.at) if state.at is not None else None
    if current is not None and current.n in numbers:
        i = numbers.index(current.n)
        previous, following = (selected[i - 1] if i else None), (selected[i + 1] if i + 1 < len(selected) else None)
        position = i + 1
    else:
        later = [v for v in selected if current is None or v.n > current.n]
        earlier = [v for v in selected if current is not None and v.n < current.n]
        previous, following, position = (earlier[-1] if earlier else None), (later[0] if later else None), None
    return {"current": current, "previous": previous, "next": following, "position": position, "total": len(selected)}


@require_safe
def compare(request, work):
    """Witnesses of a work side by side in columns (date order), every difference marked by type."""
    context, comparison, state = _context(request.GET, work, "compare")
    if comparison:
        nav = _navigation(comparison, context["selected"], state)
        context["nav"] = nav
        context["rows_html"] = _rows_html(comparison, nav["current"], state.shelf)
        context["many"] = len(comparison.witnesses) > 3
    return render(request, "texts/compare.html", context)


def _rows_html(comparison: Comparison, current, shelf: Shelf) -> str:
    """The columns' rows as HTML: each row rendered once per comparison (cached and stored beside it); the
    row of the current unit is rendered again with the unit outlined."""
    rows = shelf.get("rows", f"{comparison.cache_key}:rows", lambda: _rows(comparison))
    if current is not None:
        rows = list(rows)
        rows[current.row] = _row_html(_marked(comparison.rows[current.row], current.n), current.row)
    return mark_safe("".join(rows))


def _rows(comparison: Comparison) -> list[str]:
    return [_row_html(row, i) for i, row in enumerate(comparison.rows)]


def _row_html(row, index: int) -> str:
    return render_to_string("texts/compare_row.html", {"row": row, "index": index})


def _marked(row, n: int):
    """The row with unit ``n`` outlined in every witness."""
    cells = [
        type(c)(c.siglum, [(u, mark_current(h, n)) for u, h in c.units], mark_current(c.gaps, n)) for c in row.cells
    ]
    return type(row)(cells, row.variants, row.words)


@require_safe
def compare_apparatus(request, work):
    """The base witness's text, each variation unit's readings by siglum beneath its paragraph."""
    context, comparison, state = _context(request.GET, work, "compare-apparatus")
    if comparison:
        context["passages"] = _apparatus_part(comparison, state, context)
    return render(request, "texts/compare_apparatus.html", context)


def _apparatus_part(comparison: Comparison, state: CompareState, context: dict) -> list[dict]:
    return _fragment(
        comparison, "apparatus", state, lambda: _passages(comparison, context["selected"], context["link"])
    )


def _passages(comparison: Comparison, selected, link) -> list[dict]:
    """The apparatus view's passages: the base's units of each row and the entries of its variation units."""
    base_index = [w.siglum for w in comparison.witnesses].index(comparison.base)
    chosen = set(v.n for v in selected)
    passages = []
    for index, row in enumerate(comparison.rows):
        entries = [comparison.variant(n) for n in row.variants if n in chosen]
        cell = row.cells[base_index]
        if not cell.units and not entries:
            continue
        elsewhere = [(c.siglum, [u for u, _ in c.units]) for c in row.cells if c.units] if not cell.units else []
        passages.append(
            {
                "row": index,
                "units": cell.units,
                "gaps": cell.gaps,
                "entries": entries,
                "elsewhere": elsewhere,
                "entries_html": mark_safe(apparatus_html(entries, link)),
            }
        )
    return passages


def _fragment(comparison: Comparison, name: str, state: CompareState, build, *extra):
    """What ``build()`` makes of a comparison for this view's choices (types, query, ``extra``): made once,
    cached beside the comparison (its key names the witnesses' texts); stored too for a default page."""
    choice = repr((state.types, state.query(), extra))
    key = f"{comparison.cache_key}:{name}:{hashlib.sha256(choice.encode()).hexdigest()}"
    shelf = state.shelf if not any(extra) else Shelf(None, "")
    return shelf.get(name, key, build)


@require_safe
def compare_units(request, work):
    """Every variation unit in a table: place, readings with sigla, type; filterable by type and witness."""
    context, comparison, state = _context(request.GET, work, "compare-units")
    if comparison:
        slugs = {d.slug: d for d in state.shown}
        _units_part(comparison, state, context, [slugs[s] for s in request.GET.getlist("differ") if s in slugs])
    return render(request, "texts/compare_units.html", context)


def _units_part(comparison: Comparison, state: CompareState, context: dict, differ: list[Document]) -> None:
    context["differ"] = differ
    context["units"] = units = comparison.select(state.types, [d.label for d in differ])
    context["units_html"] = _fragment(
        comparison,
        "units",
        state,
        lambda: mark_safe(units_table_html(units, context["link"])),
        [d.slug for d in differ],
    )


@require_safe
def compare_density(request, work):
    """Where the variation clusters: units per passage of the base, as numbers and bars."""
    context, comparison, state = _context(request.GET, work, "compare-density")
    if comparison:
        context["density"] = comparison.density(context["selected"])
    return render(request, "texts/compare_density.html", context)


def store_defaults(work: Work) -> None:
    """Store what the work's compare pages show under their default settings: the comparison, the
    columns' rows, the apparatus and the table of units (``load`` calls it for every work it touched;
    a part the table holds under its current key is not built again)."""
    context, comparison, state = _context(QueryDict(), work.slug, "compare", store=True)
    if comparison is None:
        return
    _rows_html(comparison, None, state.shelf)
    _apparatus_part(comparison, state, context)
    _units_part(comparison, state, context, [])
