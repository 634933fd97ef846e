"""Where and when: a map of the places a document, a work or the corpus mentions, and a timeline of its dates.

The scope is chosen by ``?document=<slug>`` or ``?work=<slug>`` (neither: the whole corpus). The map is
drawn by ``reader/static/reader/maps.js`` (Leaflet, vendored) from the JSON of :func:`map_places`, over a
bundled outline of the world, so it needs no network; tiles only when ``PARALLAX_MAP_TILES`` is set.
The timeline is server-rendered SVG and HTML: it works without JavaScript.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from reader.entities.models import Entity, EntityKind
from reader.params import answers_bad_parameters, whole_number

from ..models import Document, Mention, Work
from .entities import kwic

#: Mentions listed per page under the timeline.
MENTIONS_PER_PAGE = 100
#: Above this many years between the first and the last date, the timeline counts by decade.
YEARS_SHOWN_ONE_BY_ONE = 60
#: Width of one year's (or decade's) bar and the gap after it, in the timeline's SVG units (pixels).
BAR_SLOT = 28
#: A year as ISO 8601 begins a date: ``1848``, ``1848-03``, ``-0044-03-15``.
_YEAR = re.compile(r"(-?\d{4})")


@dataclass
class Scope:
    """What the map or timeline covers: the mentions of a document, of a work's witnesses, or of all."""

    label: str
    query: str  #: the query string that chose it (``document=…``), "" for the corpus
    mentions: Q

    @property
    def is_corpus(self) -> bool:
        return not self.query


def scope_of(request) -> Scope:
    """The scope the request names; 404 naming the slug when no document or work has it."""
    slug = request.GET.get("document")
    if slug:
        document = Document.objects.filter(slug=slug).first()
        if document is None:
            raise Http404(f"No document {slug[:120]!r}")
        return Scope(document.title, f"document={slug}", Q(document=document))
    slug = request.GET.get("work")
    if slug:
        work = Work.objects.filter(slug=slug).first()
        if work is None:
            raise Http404(f"No work {slug[:120]!r}")
        return Scope(work.title, f"work={slug}", Q(document__work=work))
    return Scope("the corpus", "", Q())


def _scope_choices() -> dict:
    """The works and documents the page's scope form offers."""
    return {"works": Work.objects.order_by("title"), "documents": Document.objects.order_by("title", "slug")}


# --------------------------------------------------------------------------- map


def places_with_coordinates(scope: Scope):
    """The places of ``scope`` that have coordinates, with their mention count in it; for the corpus,
    every place of the register with coordinates (mentioned or not)."""
    places = Entity.objects.filter(kind=EntityKind.PLACE, latitude__isnull=False, longitude__isnull=False)
    in_scope = Q(mentions__isnull=False) & _prefixed(scope.mentions, "mentions")
    places = places.annotate(mention_count=Count("mentions", filter=in_scope, distinct=True))
    if not scope.is_corpus:
        places = places.filter(mention_count__gt=0)
    return places.order_by("name", "xml_id")


def _prefixed(q: Q, prefix: str) -> Q:
    """``Q(document=d)`` on mentions → ``Q(mentions__document=d)`` on entities."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [(f"{prefix}__{key}", value) for key, value in q.children]
    return out


@require_safe
def map_page(request):
    scope = scope_of(request)
    places = list(places_with_coordinates(scope))
    data_url = reverse("texts:map-places") + (f"?{scope.query}" if scope.query else "")
    return render(
        request,
        "texts/map.html",
        {
            "scope": scope,
            "data_url": data_url,
            "tiles": settings.PARALLAX_MAP_TILES,
            "places": places,
            **_scope_choices(),
        },
    )


@require_safe
def map_places(request):
    """The places of the scope as JSON: name, coordinates, mention count and the entity page's URL."""
    scope = scope_of(request)
    places = [
        {
            "id": p.xml_id,
            "name": p.name,
            "lat": p.latitude,
            "lon": p.longitude,
            "mentions": p.mention_count,
            "url": p.get_absolute_url(),
        }
        for p in places_with_coordinates(scope)
    ]
    return JsonResponse({"scope": scope.label, "places": places})


# --------------------------------------------------------------------------- timeline


def date_year(when: str, date_from: str, date_to: str) -> int | None:
    """The year a date mention stands at: ``@when``'s, else ``@from``'s, else ``@to``'s."""
    for value in (when, date_from, date_to):
        found = _YEAR.match(value or "")
        if found:
            return int(found[1])
    return None


def _dates(scope: Scope) -> tuple[list[tuple[int, int]], int]:
    """(mention id, year) of every date mention in scope with a year, and how many have none
    (a date the text gives but no ``@when``/``@from``/``@to`` normalises)."""
    rows = Mention.objects.filter(scope.mentions, kind=Mention.Kind.DATE).values_list(
        "id", "when", "date_from", "date_to"
    )
    years = [(pk, date_year(*value)) for pk, *value in rows]
    return [(pk, y) for pk, y in years if y is not None], sum(y is None for _, y in years)


def _bars(counts: Counter, step: int) -> list[dict]:
    """One bar per year (or decade) from the first to the last, empty ones included, heights in 0..100."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    top = max(counts.values())
    bars = []
    for i, start in enumerate(range(first, last + 1, step)):
        n = counts.get(start, 0)
        height = max(2, round(100 * n / top)) if n else 0  # a single mention still shows
        labelled = start in (first, last) or (start % (10 * step) == 0 and last - start >= 3 * step)
        bars.append(
            {"start": start, "n": n, "x": i * BAR_SLOT, "height": height, "y": 100 - height, "labelled": labelled}
        )
    return bars


@require_safe
@answers_bad_parameters
def timeline(request):
    """Counts of date mentions per year (or decade, over a long span) as bars, each linking to the
    mentions at that date, listed below in context."""
    scope = scope_of(request)
    dated, undated = _dates(scope)
    years = [y for _, y in dated]
    step = 10 if years and max(years) - min(years) > YEARS_SHOWN_ONE_BY_ONE else 1
    counts = Counter(y - y % step for y in years)
    year = whole_number(request.GET.get("year"), "year")
    chosen = [pk for pk, y in dated if year is not None and y - y % step == year - year % step]
    page = None
    if year is not None:
        mentions = Mention.objects.filter(pk__in=chosen).in_context()
        number = whole_number(request.GET.get("page"), "page", 1)
        page = Paginator(mentions, MENTIONS_PER_PAGE).get_page(number)
    bars = _bars(counts, step)
    return render(
        request,
        "texts/timeline.html",
        {
            "scope": scope,
            "bars": bars,
            "width": BAR_SLOT * len(bars),
            "step": step,
            "total": len(dated),
            "undated": undated,
            "year": None if year is None else year - year % step,
            "page": page,
            "last": bars[-1]["start"] if bars else None,
            **_scope_choices(),
            "mentions": [_in_context(m) for m in page.object_list] if page else [],
        },
    )


def _in_context(m) -> dict:
    left, word, right = kwic(m.paragraph.text, m.start, m.end)
    date = m.when or "–".join(v for v in (m.date_from, m.date_to) if v)
    return {"mention": m, "left": left, "word": word, "right": right, "date": date}
