"""Entity pages: the index by type, and one entity with every mention in context."""
from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reader.entities.models import Entity, EntityKind

KWIC_WIDTH = 60
MENTIONS_PER_PAGE = 200


@require_safe
def entity_index(request):
    """All register entries by type, with how often each is mentioned."""
    entities = Entity.objects.with_mention_counts().order_by("kind", "name")
    groups = {kind: [] for kind, _ in EntityKind.choices}
    for e in entities:
        groups.setdefault(e.kind, []).append(e)
    return render(
        request,
        "texts/entity_index.html",
        {"groups": [(kind, label, groups.get(kind, [])) for kind, label in EntityKind.choices]},
    )


def kwic(text: str, start: int, end: int, width: int = KWIC_WIDTH) -> tuple[str, str, str]:
    """Keyword in context: (left, keyword, right), cut at word boundaries."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start > width and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if end + width < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return left, text[start:end], right


@require_safe
def entity(request, xml_id):
    """An entity: names, authority links, and every mention in context.

    A register id retired by a merge (``reader.annotations``) redirects to the
    entity that absorbed it.
    """
    entity = Entity.objects.register_prefetch().filter(xml_id=xml_id).first()
    if entity is None:
        if apps.is_installed("reader.annotations"):
            survivor = Entity.objects.filter(redirects__old_xml_id=xml_id).first()
            if survivor is not None:
                return HttpResponsePermanentRedirect(survivor.get_absolute_url())
        raise Http404(f"No entity {xml_id}")
    all_mentions = entity.mentions.in_context()
    totals = all_mentions.aggregate(n=Count("id"), documents=Count("document", distinct=True))
    page = Paginator(all_mentions, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    mentions = []
    for m in page.object_list:
        left, word, right = kwic(m.paragraph.text, m.start, m.end)
        mentions.append({"mention": m, "left": left, "word": word, "right": right})
    return render(
        request,
        "texts/entity.html",
        {"entity": entity, "mentions": mentions, "page": page, "total": totals["n"], "document_count": totals["documents"]},
    )
