"""Full-text search over paragraphs: phrases, prefixes, ranked, every hit marked (see ``searching``)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import searching
from ..models import Document, Mention, Paragraph

SEARCH_LIMIT = 100
MENTION_KIND_LABELS = dict(Mention.Kind.choices)


@require_safe
def search(request):
    """Full-text search over paragraphs, ranked, filterable by document and entity type."""
    text = request.GET.get("q", "").strip()
    doc_filter = request.GET.get("doc", "")
    kind_filter = request.GET.get("type", "")
    kind_filter = kind_filter if kind_filter in MENTION_KIND_LABELS else ""
    documents = Document.objects.order_by("title").only("slug", "title", "siglum", "seed_name")
    query = searching.parse(text)
    results, total = [], 0
    if query:
        ids, total = searching.run(query, doc_filter, kind_filter, SEARCH_LIMIT)
        units = (
            Paragraph.objects.select_related("document", "section")
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
            )
            .in_bulk(ids)
        )
        for pk in ids:
            unit = units[pk]
            spans = searching.hits(query, unit.search_text)  # the fold keeps offsets: the same places in unit.text
            results.append({"unit": unit, "pieces": searching.marked(unit.text, spans), "hits": len(spans)})
    return render(
        request,
        "texts/search.html",
        {
            "query": text,
            "parsed": query,
            "results": results,
            "total": total,
            "limit": SEARCH_LIMIT,
            "documents": documents,
            "doc_filter": doc_filter,
            "kind_filter": kind_filter,
            "kinds": Mention.Kind.choices,
        },
    )
