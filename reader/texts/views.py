"""Reader pages: corpus home, reading view, paragraph permalinks, compare, entities, search, downloads.

Every page runs a fixed number of queries whatever the document's length
(paragraph HTML is rendered at import time; tests check the counts).
"""
from __future__ import annotations

import datetime
import hashlib

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from lxml import etree

from reader.entities.models import Entity, EntityKind
from reader.tei.collate.tokens import CollationOptions

from . import citations
from .comparison import MINOR_TYPES, TYPE_ORDER, TYPE_SYMBOLS, Witness, WitnessUnit, build_comparison
from .exporter import CorpusExporter
from .folding import fold
from .models import CorpusFile, Document, Mention, Paragraph, ParagraphLink, ParagraphRevision, Reading, Section, Work

#: Longest chain of retired ids followed before giving up (a loop in the history).
MAX_REDIRECT_HOPS = 20
SEARCH_LIMIT = 100
KWIC_WIDTH = 60
MENTIONS_PER_PAGE = 200
MENTION_KIND_LABELS = dict(Mention.Kind.choices)


def _tei_response(root: etree._Element, filename: str) -> HttpResponse:
    from reader.tei.xml import serialize

    response = HttpResponse(serialize(root), content_type="application/tei+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


#: Works listed per page of the corpus home (a page stays quick however large the corpus grows).
WORKS_PER_PAGE = 50


@require_safe
def home(request):
    """Corpus home: works and their witnesses with source, licence, size, language and counts."""
    witnesses = Document.objects.with_counts().defer("tei_header", "front_html").order_by("slug")
    works = (
        Work.objects.annotate(apparatus_count=Count("collation__variants", distinct=True))
        .prefetch_related(Prefetch("witnesses", queryset=witnesses))
        .order_by("title", "slug")
    )
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    totals = {
        "entities": Entity.objects.count(),
        "documents": Document.objects.count(),
        "works": page.paginator.count,
    }
    return render(request, "texts/home.html", {"works": page.object_list, "page": page, "totals": totals})


def _document(slug: str) -> Document:
    return get_object_or_404(Document.objects.select_related("work"), slug=slug)


def _blocks(document: Document, paragraphs: list[Paragraph], sections: dict[int, Section]):
    """The reading view's blocks: section starts, headings, paragraphs and lists of items."""
    blocks = []
    current_section = None
    for p in paragraphs:
        if p.section_id != current_section:
            current_section = p.section_id
            section = sections.get(p.section_id)
            blocks.append({"type": "section", "section": section})
        if p.kind in (Paragraph.Kind.ITEM, Paragraph.Kind.BIBL):
            last = blocks[-1]
            if last["type"] == "list" and last["kind"] == p.kind:
                last["units"].append(p)
            else:
                blocks.append({"type": "list", "kind": p.kind, "units": [p]})
        elif p.kind == Paragraph.Kind.HEAD:
            level = min(6, (sections[p.section_id].level if p.section_id in sections else 1) + 1)
            blocks.append({"type": "head", "unit": p, "level": level})
        else:
            blocks.append({"type": "p", "unit": p})
    return blocks


@require_safe
def document(request, doc):
    """Reading view: table of contents, sections, ¶ numbers, permalinks, entities, noise switch."""
    document = _document(doc)
    sections = {s.id: s for s in document.sections.all()}
    paragraphs = list(document.paragraphs.defer("tei", "collation_text").order_by("position"))
    for p in paragraphs:
        p.document = document  # so get_absolute_url needs no query
    counts = dict(document.mentions.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    legend = [(kind, label, counts.get(kind, 0)) for kind, label in Mention.Kind.choices]
    witnesses = list(document.work.witnesses.exclude(pk=document.pk).order_by("slug"))
    return render(
        request,
        "texts/document.html",
        {
            "document": document,
            "toc": [s for s in sections.values() if s.head],
            "blocks": _blocks(document, paragraphs, sections),
            "legend": legend,
            "has_noise": bool(document.front_html) or any("noise" in p.html for p in paragraphs),
            "other_witnesses": witnesses,
        },
    )


def _resolve_retired(document: Document, pid: str):
    """Follow retired ids to a live paragraph id; returns (live id or None, first retired record)."""
    retired = {r.xml_id: r for r in document.retired_ids.all()}
    first = retired.get(pid)
    current, hops = pid, 0
    while current in retired and hops < MAX_REDIRECT_HOPS:
        successor = retired[current].successor_id
        if not successor:
            return None, first
        current, hops = successor, hops + 1
    if current in retired:
        return None, first
    return current, first


@require_safe
def paragraph(request, doc, pid):
    """Permalink of one unit: context, citations, meta tags, the passage in other witnesses."""
    document = _document(doc)
    unit = document.paragraphs.select_related("section").filter(xml_id=pid).first()
    if unit is None:
        return _retired_paragraph(request, document, pid)
    unit.document = document
    neighbours = {
        p.position: p
        for p in document.paragraphs.defer("tei", "collation_text").filter(position__in=[unit.position - 1, unit.position + 1])
    }
    for p in neighbours.values():
        p.document = document
    earlier = list(ParagraphRevision.objects.filter(document=document, xml_id=pid).order_by("position"))
    cited_revision = request.GET.get("rev", "")
    permalink = request.build_absolute_uri(unit.get_absolute_url())
    cited = _cited_passage(document, unit, permalink)
    return render(
        request,
        "texts/paragraph.html",
        {
            "document": document,
            "unit": unit,
            "previous": neighbours.get(unit.position - 1),
            "next": neighbours.get(unit.position + 1),
            "parallels": ParagraphLink.objects.filter(source=unit)
            .select_related("target__document")
            .only("kind", "target__xml_id", "target__kind", "target__number", "target__document__slug",
                  "target__document__siglum", "target__document__seed_name")
            .order_by("kind", "target__document__slug", "target__position"),
            "earlier": earlier,
            "cited_revision": cited_revision,
            "cited_text": next((e for e in earlier if e.revision == cited_revision), None),
            "entities": Entity.objects.filter(mentions__paragraph=unit)
            .annotate(n=Count("mentions"))
            .order_by("kind", "name"),
            "variant_counts": Reading.objects.filter(paragraph=unit)
            .values_list("variant__type")
            .annotate(n=Count("variant", distinct=True))
            .order_by("variant__type"),
            "permalink": permalink,
            "citations": [(key, label, fmt(cited)) for key, label, fmt in citations.FORMATS],
            "meta_tags": citations.meta_tags(cited),
        },
    )


def _retired_paragraph(request, document: Document, pid: str):
    """301 to the successor of a retired id, 410 with what it said, or 404 if it never existed."""
    successor, retired = _resolve_retired(document, pid)
    if retired is None:
        raise Http404(f"No paragraph {pid} in {document.title}")
    if successor and document.paragraphs.filter(xml_id=successor).exists():
        return HttpResponsePermanentRedirect(reverse("texts:paragraph", args=[document.slug, successor]))
    earlier = ParagraphRevision.objects.filter(document=document, xml_id=pid).order_by("position")
    return render(request, "texts/retired.html", {"document": document, "retired": retired, "earlier": earlier}, status=410)


def _cited_passage(document: Document, unit: Paragraph, permalink: str) -> citations.CitedPassage:
    """What a citation of ``unit`` says; its URL names the revision quoted (``?rev=``)."""
    return citations.CitedPassage(
        document_title=document.title,
        document_slug=document.slug,
        paragraph_id=unit.xml_id,
        label=unit.label,
        section=unit.section.head if unit.section else "",
        url=permalink + (f"?rev={document.revision}" if document.revision else ""),
        revision=document.revision,
        revision_date=document.revision_date,
        language=unit.lang or document.language,
        accessed=datetime.date.today(),
    )


@require_safe
def document_tei(request, doc):
    """The document's TEI as the exporter writes it (with annotators' changes)."""
    document = get_object_or_404(Document.objects.select_related("file"), slug=doc)
    return _tei_response(CorpusExporter(".").document_tree(document), f"{document.slug}.xml")


@require_safe
def document_text(request, doc):
    """Plain text of the document: one unit per paragraph, noise left out."""
    document = _document(doc)
    lines = [document.title, ""]
    for kind, text in document.paragraphs.order_by("position").values_list("kind", "text"):
        lines.append(("## " if kind == Paragraph.Kind.HEAD else "- " if kind in ("item", "bibl") else "") + text)
        lines.append("")
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{document.slug}.txt"'
    return response


@require_safe
def register_tei(request):
    """The entity register as TEI."""
    corpus_file = get_object_or_404(CorpusFile, kind=CorpusFile.Kind.REGISTER)
    return _tei_response(CorpusExporter(".").register_tree(corpus_file), "register.xml")


@require_safe
def collation_tei(request, work):
    """A work's collation (apparatus) as TEI."""
    work = get_object_or_404(Work.objects.select_related("collation__file"), slug=work)
    if not hasattr(work, "collation"):
        raise Http404(f"No collation for {work.title}")
    return _tei_response(CorpusExporter(".").file_tree(work.collation.file), f"{work.slug}.xml")


# --------------------------------------------------------------------------- compare


def _witness_data(document: Document) -> Witness:
    """A witness's units as the collation reads them (editorial markers kept, as in the apparatus)."""
    rows = document.paragraphs.order_by("position").values_list(
        "xml_id", "text", "collation_text", "number", "kind", "section_id"
    )
    units = [
        WitnessUnit(
            id=xml_id,
            text=collation_text or text,
            label=f"¶ {number}" if number else "heading" if kind == Paragraph.Kind.HEAD else kind,
            url=reverse("texts:paragraph", args=[document.slug, xml_id]),
            kind=kind,
            section=section_id,
        )
        for xml_id, text, collation_text, number, kind, section_id in rows
    ]
    return Witness(siglum=document.label, title=document.title, units=units)


#: Normalisations the reader can switch on in the compare view (``?ignore=case``…).
NORMALISATIONS = (("case", "letter case"), ("diacritics", "diacritics"), ("punctuation", "punctuation"))


def _collation_options(ignore: list[str]) -> CollationOptions:
    """``CollationOptions`` for the chosen normalisations."""
    return CollationOptions(**{f"ignore_{name}": True for name, _ in NORMALISATIONS if name in ignore})


def _comparison(work: Work, documents: list[Document], ignore: list[str]):
    """Build (or fetch from the cache) the comparison of these witnesses."""
    key = "compare:" + hashlib.sha256(
        ("|".join(f"{d.slug}:{d.file.sha256}" for d in documents) + "|" + ",".join(ignore)).encode()
    ).hexdigest()
    comparison = cache.get(key)
    if comparison is None:
        comparison = build_comparison([_witness_data(d) for d in documents], _collation_options(ignore))
        cache.set(key, comparison, 3600)
    return comparison


@require_safe
def compare(request, work):
    """Witnesses of a work side by side, every difference marked by type."""
    work = get_object_or_404(Work, slug=work)
    available = list(work.witnesses.select_related("file").order_by("slug"))
    if not available:
        raise Http404("This work has no witnesses")
    wanted = request.GET.getlist("w")
    by_slug = {d.slug: d for d in available}
    unknown = [w for w in wanted if w not in by_slug]
    if unknown:
        raise Http404(f"Not a witness of {work.title}: {', '.join(unknown)}")
    chosen = [by_slug[w] for w in dict.fromkeys(wanted)] or available
    ignore = sorted(set(request.GET.getlist("ignore")) & {name for name, _ in NORMALISATIONS})
    comparison = _comparison(work, chosen, ignore) if len(chosen) >= 2 else None
    return render(
        request,
        "texts/compare.html",
        {
            "work": work,
            "available": available,
            "chosen": chosen,
            "comparison": comparison,
            "type_symbols": TYPE_SYMBOLS,
            "type_order": TYPE_ORDER,
            "minor_types": MINOR_TYPES,
            "normalisations": NORMALISATIONS,
            "ignore": ignore,
        },
    )


# --------------------------------------------------------------------------- entities


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


# --------------------------------------------------------------------------- search


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
            "section__head",
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
