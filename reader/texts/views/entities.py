"""Entity pages: the index by kind (paged, filtered), and one entity with every mention in context."""

from __future__ import annotations

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from reader.entities.models import Entity, EntityKind
from reader.tei.parsing import from_string, retired_register_ids
from reader.tei.vocabulary import DATE, PIPELINE

from reader.params import answers_bad_parameters, whole_number

from ..models import CorpusFile, Document, Mention

KWIC_WIDTH = 60
MENTIONS_PER_PAGE = 200


#: Entries shown per page of each kind's group on the index.
INDEX_PER_PAGE = 100
#: The index's groups: the register's kinds, dates (mentions, no register entry), and entries no text marks.
DATE_GROUP, UNMARKED_GROUP = DATE.name, "unmarked"


def _index_groups() -> list[tuple[str, str]]:
    return [
        *EntityKind.choices,
        (DATE_GROUP, DATE.label.capitalize()),
        (UNMARKED_GROUP, "In the register, not marked in any text"),
    ]


def _matching_entities(q: str):
    """Register entries whose name or a variant name holds ``q`` (case-insensitive), with mention counts."""
    entities = Entity.objects.with_mention_counts()
    if q:
        entities = entities.filter(Q(name__icontains=q) | Q(names__name__icontains=q))
    return entities.order_by("name", "xml_id")


def _matching_dates(q: str):
    """Distinct dates (as written: ``@when`` or ``@from``–``@to``) with their mention counts."""
    dates = Mention.objects.filter(kind=Mention.Kind.DATE)
    if q:
        dates = dates.filter(Q(when__icontains=q) | Q(date_from__icontains=q) | Q(date_to__icontains=q))
    return (
        dates.values("when", "date_from", "date_to")
        .annotate(mention_count=Count("id"))
        .order_by("when", "date_from", "date_to")
    )


def _group_items(key: str, q: str):
    if key == DATE_GROUP:
        return _matching_dates(q)
    entities = _matching_entities(q)
    if key == UNMARKED_GROUP:
        return entities.filter(mention_count=0)
    return entities.filter(kind=key, mention_count__gt=0)


@require_safe
@answers_bad_parameters
def entity_index(request):
    """The register by kind, each kind paged on its own (``<kind>_page``), filtered by name (``q``)
    and by kind (``kind``), with the count of each kind; dates are listed from their mentions."""
    q = request.GET.get("q", "").strip()[:200]
    groups = _index_groups()
    kind = request.GET.get("kind", "")
    if kind and kind not in dict(groups):
        known = ", ".join(dict(groups))
        return HttpResponseBadRequest(
            f"The parameter 'kind' must be one of {known}; {kind[:40]!r} is not.",
            content_type="text/plain; charset=utf-8",
        )
    shown = []
    counts = []
    for key, label in groups:
        items = _group_items(key, q)
        paginator = Paginator(items, INDEX_PER_PAGE)
        counts.append((key, label, paginator.count))
        if kind and key != kind:
            continue
        number = whole_number(request.GET.get(f"{key}_page"), f"{key}_page", 1)
        page = paginator.get_page(number)
        shown.append(
            {
                "key": key,
                "label": label,
                "page": page,
                "count": paginator.count,
                "links": _page_links(request, key, page),
            }
        )
    return render(
        request,
        "texts/entity_index.html",
        {"groups": shown, "counts": counts, "q": q, "kind": kind, "kinds": groups},
    )


def _page_links(request, key: str, page) -> dict[str, str]:
    """Query strings for the group's previous and next pages, the other parameters kept."""
    links = {}
    for name, has, number in (
        ("previous", page.has_previous, page.number - 1),
        ("next", page.has_next, page.number + 1),
    ):
        if has():
            params = request.GET.copy()
            params[f"{key}_page"] = str(number)
            links[name] = "?" + params.urlencode()
    return links


def kwic(text: str, start: int, end: int, width: int = KWIC_WIDTH) -> tuple[str, str, str]:
    """Keyword in context: (left, keyword, right), cut at word boundaries."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start > width and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if end + width < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return left, text[start:end], right


def maker(mention) -> str:
    """Who says this is a mention, in words: a guess of the pipeline (with its certainty) is called one."""
    if mention.resp == PIPELINE:
        return "suggested by the pipeline, unconfirmed" + (f" (certainty {mention.cert})" if mention.cert else "")
    if mention.resp.startswith("#annotator-"):
        return f"confirmed by {mention.resp.removeprefix('#annotator-')}"
    return "marked in the source"


@require_safe
def entity(request, xml_id):
    """An entity: names, authority links, and every mention in context, by witness.

    A register id retired by a merge redirects (301) to the entity that absorbed it;
    one retired otherwise answers 410 with what it was: an id once published never 404s.
    """
    entity = Entity.objects.register_prefetch().filter(xml_id=xml_id).first()
    if entity is None:
        return _retired_entity(request, xml_id)
    all_mentions = entity.mentions.in_context()
    by_witness = list(
        entity.mentions.values("document__slug", "document__title", "document__siglum", "document__seed_name")
        .annotate(n=Count("id"))
        .order_by("document__slug")
    )
    confirmed = request.GET.get("confirmed") == "1"  # "confirmed only": the pipeline's guesses left out
    if confirmed:
        all_mentions = all_mentions.exclude(resp=PIPELINE)
    page = Paginator(all_mentions, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    mentions = []
    for m in page.object_list:
        left, word, right = kwic(m.paragraph.text, m.start, m.end)
        mentions.append({"mention": m, "left": left, "word": word, "right": right, "maker": maker(m)})
    total = sum(w["n"] for w in by_witness)
    witnesses = [
        {
            "slug": w["document__slug"],
            "title": w["document__title"],
            "n": w["n"],
            "label": Document(
                slug=w["document__slug"], siglum=w["document__siglum"], seed_name=w["document__seed_name"]
            ).label,
        }
        for w in by_witness
    ]
    return render(
        request,
        "texts/entity.html",
        {
            "entity": entity,
            "mentions": mentions,
            "page": page,
            "total": total,
            "unconfirmed": entity.mentions.filter(resp=PIPELINE).count(),
            "confirmed": confirmed,
            "document_count": len(witnesses),
            "witnesses": witnesses,
        },
    )


def _retired_entity(request, xml_id: str):
    """301 to the survivor of a merged id, 410 for an id retired otherwise, 404 for one never given."""
    if apps.is_installed("reader.annotations"):
        survivor = Entity.objects.filter(redirects__old_xml_id=xml_id).first()
        if survivor is not None:
            return HttpResponsePermanentRedirect(survivor.get_absolute_url())
    retired = retired_entity_ids().get(xml_id)
    if retired is None:
        raise Http404(f"No entity {xml_id}")
    name, successor = retired
    if successor and Entity.objects.filter(xml_id=successor).exists():
        return HttpResponsePermanentRedirect(reverse("texts:entity", args=[successor]))
    return render(request, "texts/entity_retired.html", {"xml_id": xml_id, "name": name}, status=410)


def retired_entity_ids() -> dict[str, tuple[str, str]]:
    """Retired register ids -> (name, successor id or ""), from the loaded register (cached by its digest)."""
    register = CorpusFile.objects.filter(kind=CorpusFile.Kind.REGISTER).only("sha256", "skeleton").first()
    if register is None:
        return {}
    key = f"parallax:retired-entities:{register.sha256}"
    found = cache.get(key)
    if found is None:
        found = retired_register_ids(from_string(register.skeleton, register.path))
        cache.set(key, found, None)
    return found
