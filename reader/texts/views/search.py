"""Full-text search over paragraphs."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..folding import fold
from ..models import Document, Mention, Paragraph
from .entities import kwic

SEARCH_LIMIT = 100
MENTION_KIND_LABELS = dict(Mention.Kind.choices)


@require_safe
def search(request):
    """Full-text search over paragraphs, filterable by document and entity type."""
    query = request.GET.get("q", "").strip()
    doc_filter = request.GET.get("doc", "")
    kind_filter = request.GET.get("type", "")
    documents = Document.objects.order_by("title").only("slug", "title")
    results, total = [], 0
    if query:
        terms = query.split()[:8]
        qs = Paragraph.objects.select_related("document", "section").only(
            "xml_id", "kind", "number", "text", "search_text", "position", "document__slug", "document__title",
            "document__siglum", "document__seed_name", "section__head",
        )
        folded = [fold(term) for term in terms]  # case and diacritics ignored: "sprogis" finds "Sproģis"
        for term in folded:
            qs = qs.filter(search_text__contains=term)
        if doc_filter:
            qs = qs.filter(document__slug=doc_filter)
        if kind_filter in MENTION_KIND_LABELS:
            qs = qs.filter(mentions__kind=kind_filter).distinct()
        total = qs.count()
        for p in qs.order_by("document_id", "position")[:SEARCH_LIMIT]:  # index order: stops after the first matches
            at = p.search_text.find(folded[0])  # the fold keeps offsets: the same place in p.text
            left, word, right = kwic(p.text, at, at + len(folded[0])) if at >= 0 else ("", "", p.text[:120])
            results.append({"unit": p, "left": left, "word": word, "right": right})
    return render(
        request,
        "texts/search.html",
        {
            "query": query,
            "results": results,
            "total": total,
            "limit": SEARCH_LIMIT,
            "documents": documents,
            "doc_filter": doc_filter,
            "kind_filter": kind_filter,
            "kinds": Mention.Kind.choices,
        },
    )
