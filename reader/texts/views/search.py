"""Full-text search over paragraphs (see ``searching``): every hit reachable through pages and a CSV
or JSON export, a passage several witnesses share as one result naming them, facets with counts, and
the whole search in the URL so that it can be cited.

Parameters (GET only; each one is a filter a facet link adds):

- ``q``: the query (the language is on the page);
- ``work``, ``doc``: a work or a witness, by slug; ``section``: a section heading, as written;
- ``entity``: a register id the paragraph mentions; ``type``: it mentions an entity of this type;
- ``from``, ``to``: the witness is dated within these years (inclusive);
- ``page``: the page of results (1, 2, …); ``format``: ``csv`` or ``json`` for every hit at once.

A malformed or unknown value answers 400 naming the parameter; a page past the last answers 404.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from reader import params
from reader.csvcells import neutralise
from reader.entities.models import Entity
from reader.exports.registry import EXPORTS

from .. import canonical, searching
from ..models import Document, Mention, Paragraph, PassageMember, Work

#: Results (passages) per page.
PER_PAGE = 20
#: Highest page number read (``HIT_LIMIT`` hits make at most this many pages).
MAX_PAGE = searching.HIT_LIMIT
#: Paragraphs read from the database at a time while an export streams.
EXPORT_CHUNK = 500
MENTION_KIND_LABELS = dict(Mention.Kind.choices)
#: The search parameters, in the order a canonical (citable) URL gives them.
FILTER_PARAMETERS = ("work", "doc", "section", "entity", "type", "from", "to")
#: No format (the page), or an extension of a "search" export of the registry.
FORMATS = ("", *(e.extension for e in EXPORTS if e.scope == "search"))
EXPORT_FIELDS = ("result", "siglum", "document", "title", "work", "unit", "label", "section", "hits", "url", "text")


class BadParameter(Exception):
    """A URL parameter the search cannot read: its name and what is wrong."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")


def whole_number(request, name: str, low: int, high: int) -> int | None:
    """The parameter as an integer from ``low`` to ``high`` (read by :mod:`reader.params`), None when absent."""
    raw = request.GET.get(name, "")
    try:
        value = params.whole_number(raw, name)
    except params.BadParameter:
        value = -1
    if value is not None and not low <= value <= high:
        raise BadParameter(name, f"expected a whole number from {low} to {high}, got {raw[:40]!r}")
    return value


@dataclass
class SearchState:
    """The search a URL asks for: query, filters (with what they name, for the page), page, format."""

    text: str
    query: searching.Query
    filters: searching.Filters
    values: dict[str, str]  #: the filter parameters as given (non-empty ones)
    named: dict[str, str]  #: how the page names each active filter
    page: int
    format: str

    def url(self, **change) -> str:
        """This search's URL with some filters changed ('' removes one), from page 1."""
        query = self.query_string(**change)
        return self.path + ("?" + query if query else "")

    def query_string(self, **change) -> str:
        """The query and filters of :meth:`url` (what the downloads carry)."""
        values = {**self.values, **change}
        pairs = [("q", self.text)] if self.text else []
        pairs += [(name, values[name]) for name in FILTER_PARAMETERS if values.get(name)]
        return urlencode(pairs)

    @cached_property
    def path(self) -> str:
        return reverse("texts:search")  # once: a page builds a hundred facet links

    def active(self) -> list[tuple[str, str]]:
        """Each active filter as the page names it, with the URL of this search without it."""
        return [(label, self.url(**{name: ""})) for name, label in self.named.items()]

    def page_url(self, page: int) -> str:
        url = self.url()
        return url if page == 1 else f"{url}{'&' if '?' in url else '?'}page={page}"


def read_state(request) -> SearchState:
    """The search the request asks for; ``BadParameter`` for a value that names nothing or is malformed."""
    values = {name: request.GET.get(name, "").strip() for name in FILTER_PARAMETERS}
    values = {name: value for name, value in values.items() if value}
    named = {}
    if "work" in values:
        work = Work.objects.filter(slug=values["work"]).values_list("title", flat=True).first()
        if work is None:
            raise BadParameter("work", f"no work {values['work'][:60]!r}")
        named["work"] = f"of the work “{work}”"
    if "doc" in values:
        document = Document.objects.filter(slug=values["doc"]).only("slug", "siglum", "seed_name", "title").first()
        if document is None:
            raise BadParameter("doc", f"no witness {values['doc'][:60]!r}")
        named["doc"] = f"of witness {document.label} ({document.title})"
    if "entity" in values:
        entity = Entity.objects.filter(xml_id=values["entity"]).values_list("name", flat=True).first()
        if entity is None:
            raise BadParameter("entity", f"no entity {values['entity'][:60]!r} in the register")
        named["entity"] = f"mentioning {entity}"
    if "type" in values:
        if values["type"] not in MENTION_KIND_LABELS:
            raise BadParameter("type", f"expected one of {', '.join(MENTION_KIND_LABELS)}, got {values['type'][:40]!r}")
        named["type"] = f"mentioning a {MENTION_KIND_LABELS[values['type']].lower()}"
    if "section" in values:
        named["section"] = f"in “{values['section']}”"
    year_from = whole_number(request, "from", 1, 9999)
    year_to = whole_number(request, "to", 1, 9999)
    if year_from is not None:
        named["from"] = f"of witnesses dated {year_from} or later"
    if year_to is not None:
        named["to"] = f"of witnesses dated {year_to} or earlier"
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise BadParameter("format", f"expected csv or json, got {fmt[:40]!r}")
    text = request.GET.get("q", "").strip()
    filters = searching.Filters(
        work=values.get("work", ""),
        doc=values.get("doc", ""),
        section=values.get("section", ""),
        entity=values.get("entity", ""),
        kind=values.get("type", ""),
        year_from=year_from,
        year_to=year_to,
    )
    page = whole_number(request, "page", 1, MAX_PAGE) or 1
    return SearchState(text, searching.parse(text), filters, values, named, page, fmt)


@require_safe
def search(request):
    """Full-text search over paragraphs: ranked passages, pages, facets, exports."""
    try:
        state = read_state(request)
    except BadParameter as error:
        return HttpResponseBadRequest(f"Bad request: {error}.\n", content_type="text/plain; charset=utf-8")
    found = searching.search(state.query, state.filters) if state.query else None
    if state.format:
        if found is None:
            return HttpResponseBadRequest(
                "Bad request: q: nothing to search for.\n", content_type="text/plain; charset=utf-8"
            )
        return _export(request, state, found)
    context = {
        "state": state,
        "query": state.text,
        "parsed": state.query,
        "results": [],
        "total": 0,
        "hit_limit_help": f"{searching.HIT_LIMIT:,}",
    }
    if found is not None:
        paginator = Paginator(list(zip(found.groups, found.passages)), PER_PAGE)
        if state.page > paginator.num_pages:
            raise Http404(f"Page {state.page} of a search with {paginator.num_pages} page(s)")
        page = paginator.page(state.page)
        context.update(
            found=found,
            total=found.total,
            page=page,
            results=_results(state.query, page.object_list),
            pages={
                "first": state.page_url(1),
                "previous": state.page_url(page.number - 1) if page.has_previous() else "",
                "next": state.page_url(page.number + 1) if page.has_next() else "",
                "last": state.page_url(paginator.num_pages),
            },
            facets=_facet_links(state, searching.facets(state.query, state.filters, found)),
            permalink=request.build_absolute_uri(state.url()),
            hit_limit=searching.HIT_LIMIT,
        )
    return render(request, "texts/search.html", context)


# --------------------------------------------------------------------------- results


def _units(ids: list[int], with_work: bool = False) -> dict[int, Paragraph]:
    related = ["document", "section"] + (["document__work"] if with_work else [])
    return (
        Paragraph.objects.select_related(*related)
        .only(
            "xml_id",
            "kind",
            "number",
            "text",
            "search_text",
            "document__slug",
            "document__title",
            "document__siglum",
            "document__seed_name",
            "section__head",
            *(["document__work__slug"] if with_work else []),
        )
        .in_bulk(ids)
    )


def _kwic(query: searching.Query, unit: Paragraph) -> dict:
    """The unit in context: its pieces (text, is a hit), and as HTML with every hit marked and the corpus
    text escaped (joined here: a template loop over the pieces cost 20 ms a page)."""
    spans = searching.hits(query, unit.search_text)  # the fold keeps offsets: the same places in unit.text
    pieces = searching.marked(unit.text, spans)
    html = mark_safe("".join(f"<mark>{escape(p)}</mark>" if hit else escape(p) for p, hit in pieces))
    return {"unit": unit, "pieces": pieces, "hits": len(spans), "html": html}


def _without_hits(page: list[tuple[list[int], int | None]]) -> dict[int, list[Paragraph]]:
    """The paragraphs of the page's passages that the search did not find (the passage in a witness that
    reads otherwise), by passage, in witness order."""
    found = {pk for group, _ in page for pk in group}
    members = (
        PassageMember.objects.filter(passage_id__in=[p for _, p in page if p is not None])
        .exclude(paragraph_id__in=found)
        .select_related("paragraph__document")
        .only(
            "passage_id",
            "paragraph__xml_id",
            "paragraph__kind",
            "paragraph__number",
            "paragraph__section",
            "paragraph__document__slug",
            "paragraph__document__siglum",
            "paragraph__document__seed_name",
            "paragraph__document__date",
        )
    )
    by_passage: dict[int, list[Paragraph]] = {}
    for m in members:
        by_passage.setdefault(m.passage_id, []).append(m.paragraph)
    for units in by_passage.values():
        units.sort(key=lambda u: (u.document.date == "", u.document.date, u.document.seed_name, u.document.slug))
    return by_passage


def _results(query: searching.Query, page: list[tuple[list[int], int | None]]) -> list[dict]:
    """Each passage as one result: the first witness's paragraph in context, the witnesses that read the
    same, the other readings (witnesses grouped by their text) for the page to expand, and the witnesses
    whose text of the passage the search did not find."""
    units = _units([pk for group, _ in page for pk in group])
    without = _without_hits(page)
    canonical.attach_all([*units.values(), *(u for members in without.values() for u in members)])
    results = []
    for group, passage in page:
        readings: dict[str, list[Paragraph]] = {}
        for pk in group:
            readings.setdefault(units[pk].text, []).append(units[pk])
        agree, *others = readings.values()
        result = _kwic(query, agree[0])
        result["agree"] = agree
        result["others"] = [{**_kwic(query, same[0]), "units": same} for same in others]
        result["witnesses"] = len(group)
        result["without"] = without.get(passage, [])
        results.append(result)
    return results


def _facet_links(state: SearchState, facets: searching.Facets) -> list[dict]:
    """The facets as the page lists them: each value with its count and the URL that adds it as a filter."""

    def entries(name: str, rows) -> list[dict]:
        return [
            {
                "label": label,
                "count": count,
                "url": state.url(**{name: value}),
                "active": state.values.get(name) == value,
            }
            for value, label, count in rows
        ]

    return [
        {"name": "work", "title": "Work", "entries": entries("work", facets.works)},
        {
            "name": "doc",
            "title": "Witness",
            "entries": entries("doc", [(slug, f"{label} · {title}", n) for slug, label, title, n in facets.witnesses]),
        },
        {"name": "section", "title": "Section", "entries": entries("section", [(h, h, n) for h, n in facets.sections])},
        {
            "name": "entity",
            "title": "Entity mentioned",
            "entries": entries(
                "entity",
                [(i, f"{name} ({MENTION_KIND_LABELS.get(k, k).lower()})", n) for i, name, k, n in facets.entities],
            ),
        },
        {
            "name": "type",
            "title": "Mentions an entity of type",
            "entries": entries("type", [(k, MENTION_KIND_LABELS.get(k, k), n) for k, n in facets.kinds]),
        },
        {
            "name": "year",
            "title": "Witness dated",
            "entries": [
                {
                    "label": year or "undated",
                    "count": n,
                    "url": state.url(**{"from": year.lstrip("0"), "to": year.lstrip("0")}) if year.isdigit() else "",
                    "active": year.isdigit() and state.values.get("from") == state.values.get("to") == year.lstrip("0"),
                }
                for year, n in facets.years
            ],
        },
    ]


# --------------------------------------------------------------------------- exports


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(request, state: SearchState, found: searching.Found):
    """Every hit as a dict of ``EXPORT_FIELDS``, result by result, read ``EXPORT_CHUNK`` paragraphs at a time."""
    numbered = [(n, pk) for n, group in enumerate(found.groups, 1) for pk in group]
    for start in range(0, len(numbered), EXPORT_CHUNK):
        chunk = numbered[start : start + EXPORT_CHUNK]
        units = _units([pk for _, pk in chunk], with_work=True)
        canonical.attach_all(units.values())
        for n, pk in chunk:
            unit = units[pk]
            yield {
                "result": n,
                "siglum": unit.document.label,
                "document": unit.document.slug,
                "title": unit.document.title,
                "work": unit.document.work.slug,
                "unit": unit.xml_id,
                "label": unit.label,
                "section": unit.section.head if unit.section else "",
                "hits": len(searching.hits(state.query, unit.search_text)),
                "url": request.build_absolute_uri(unit.get_absolute_url()),
                "text": unit.text,
            }


def _export(request, state: SearchState, found: searching.Found) -> StreamingHttpResponse:
    """Every hit (at most ``HIT_LIMIT``, and it says when cut) as CSV or JSON, streamed."""
    note = (
        f"cut: the best {found.hits} of {found.total} hits; narrow the search (a facet) to export the rest"
        if found.cut
        else ""
    )
    if state.format == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(EXPORT_FIELDS)
            for row in _rows(request, state, found):
                yield writer.writerow([neutralise(row[f]) for f in EXPORT_FIELDS])
            if note:
                yield writer.writerow([note])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        head = {
            "query": state.text,
            "filters": state.values,
            "url": request.build_absolute_uri(state.url()),
            "total": found.total,
            "exported": found.hits,
            "cut": found.cut,
            "limit": searching.HIT_LIMIT,
            "note": note,
        }

        def chunks():
            yield json.dumps(head, ensure_ascii=False)[:-1] + ', "hits": ['
            for i, row in enumerate(_rows(request, state, found)):
                yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
            yield "\n]}\n"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="search.{state.format}"'
    response["X-Search-Total"] = str(found.total)
    response["X-Search-Exported"] = str(found.hits)
    return response
