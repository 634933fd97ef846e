"""Reading pages: corpus home, reading view, paragraph permalinks (301/410 for retired ids)."""

from __future__ import annotations

import datetime
import html
import re

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from reader.entities.models import Entity
from reader.params import answers_bad_parameters, whole_number

from .. import canonical, citations, printing
from ..models import Document, Mention, Paragraph, ParagraphRevision, PassageMember, Reading, Section, Work
from ..variation import apparatus_variation

#: Longest chain of retired ids followed before giving up (a loop in the history).
MAX_REDIRECT_HOPS = 20

#: Works listed per page of the corpus home (a page stays quick however large the corpus grows).
WORKS_PER_PAGE = 50


@require_safe
def home(request):
    """Corpus home: works and their witnesses with source, licence, size, language and counts."""
    witnesses = Document.objects.with_counts().defer("tei_header", "front_html").in_witness_order()
    works = (
        Work.objects.annotate(apparatus_count=Count("collation__variants", distinct=True))
        .prefetch_related(Prefetch("witnesses", queryset=witnesses))
        .order_by("title", "slug")
    )
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    works = list(page.object_list)
    for work in works:  # the count the compare page states too, with its settings
        work.variation = apparatus_variation(work, len(work.witnesses.all()))
    totals = {
        "entities": Entity.objects.count(),
        "documents": Document.objects.count(),
        "works": page.paginator.count,
    }
    return render(request, "texts/home.html", {"works": works, "page": page, "totals": totals})


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


#: Longest reading page, in units: a longer document is read in parts, cut where a top-level section
#: starts (a section longer than this is cut between units), so that no page grows with the document.
UNITS_PER_PART = 300


def reading_parts(document: Document, sections: dict[int, Section]) -> list[tuple[int, int]]:
    """The parts of the reading view as (first, last) unit positions; one part for a short document."""
    rows = list(document.paragraphs.order_by("position").values_list("position", "section_id"))
    if len(rows) <= UNITS_PER_PART:
        return [(rows[0][0], rows[-1][0])] if rows else [(0, 0)]

    def top(section_id):
        section = sections.get(section_id)
        while section is not None and section.parent_id in sections:
            section = sections[section.parent_id]
        return section.pk if section else None

    parts, start, count, previous_top = [], rows[0][0], 0, top(rows[0][1])
    for position, section_id in rows:
        section_top = top(section_id)
        new_section = section_top != previous_top
        if count and (count >= UNITS_PER_PART or (new_section and count >= UNITS_PER_PART // 3)):
            parts.append((start, position - 1))
            start, count = position, 0
        count += 1
        previous_top = section_top
    parts.append((start, rows[-1][0]))
    return parts


def part_url(document: Document, parts: list[tuple[int, int]], position: int, anchor: str = "") -> str:
    """The reading view's URL that shows the unit at ``position`` (``?part=`` for a long document)."""
    number = next((k for k, (first, last) in enumerate(parts, 1) if first <= position <= last), 1)
    query = f"?part={number}" if len(parts) > 1 else ""
    return f"{document.get_absolute_url()}{query}" + (f"#{anchor}" if anchor else "")


@require_safe
@answers_bad_parameters
def document(request, doc):
    """Reading view: table of contents, sections, ¶ numbers, permalinks, entities, noise switch;
    a long document in parts (``?part=``)."""
    document = _document(doc)
    sections = {s.id: s for s in document.sections.all()}
    parts = reading_parts(document, sections)
    number = whole_number(request.GET.get("part"), "part", default=1)
    if not 1 <= number <= len(parts):
        raise Http404(f"{document.title} has {len(parts)} part(s); there is no part {number}")
    first, last = parts[number - 1]
    paragraphs = list(
        document.paragraphs.defer("tei", "collation_text")
        .filter(position__gte=first, position__lte=last)
        .order_by("position")
    )
    context = _reading_context(request, document, sections, paragraphs)
    starts = _section_starts(document) if len(parts) > 1 else {}
    for s in context["toc"]:
        s.url = part_url(document, parts, starts[s.id], s.xml_id) if s.id in starts else f"#{s.xml_id}"
    context.update(
        part=number,
        parts=len(parts),
        previous_part=number - 1 if number > 1 else None,
        next_part=number + 1 if number < len(parts) else None,
    )
    return render(request, "texts/document.html", context)


def _reading_context(request, document: Document, sections: dict[int, Section], paragraphs: list[Paragraph]) -> dict:
    """What the reading view shows of ``paragraphs`` (one part, or the whole text for the PDF)."""
    for p in paragraphs:
        p.document = document  # so get_absolute_url needs no query
    canonical.attach(document, paragraphs)
    has_apparatus = printing.attach_notes(document, paragraphs)  # printed as footnotes (print CSS)
    counts = dict(document.mentions.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    legend = [(kind, label, counts.get(kind, 0)) for kind, label in Mention.Kind.choices]
    witnesses = list(document.work.witnesses.exclude(pk=document.pk).in_witness_order())
    toc = [s for s in sections.values() if s.head]
    for s in toc:
        s.url = f"#{s.xml_id}"
    return {
        "document": document,
        "toc": toc,
        "blocks": _blocks(document, paragraphs, sections),
        "legend": legend,
        "has_noise": bool(document.front_html) or any("noise" in p.html for p in paragraphs),
        "has_citations": any("inline-citation" in p.html for p in paragraphs),
        "other_witnesses": witnesses,
        "has_apparatus": has_apparatus,
        "part": 1,
        "parts": 1,
        **citation_tags(cited_record(document, None, request.build_absolute_uri(document.get_absolute_url()))),
    }


@require_safe
def document_pdf(request, doc):
    """The whole reading edition as PDF, each paragraph's apparatus as a footnote: the reading page's
    HTML under its print stylesheet, typeset by WeasyPrint (the export registry keeps it per corpus revision)."""
    document = _document(doc)
    sections = {s.id: s for s in document.sections.all()}
    paragraphs = list(document.paragraphs.defer("tei", "collation_text").order_by("position"))
    context = _reading_context(request, document, sections, paragraphs)
    html = render_to_string("texts/document.html", {**context, "pdf": True}, request=request)
    try:
        pdf = printing.pdf(html, request.build_absolute_uri("/"))
    except printing.PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.slug}.pdf"'
    return response


def _section_starts(document: Document) -> dict[int, int]:
    """Section pk -> position of its first unit (for table-of-contents links across parts)."""
    from django.db.models import Min

    return dict(document.paragraphs.exclude(section=None).values_list("section").annotate(first=Min("position")))


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
@answers_bad_parameters
def paragraph(request, doc, pid):
    """Permalink of one unit: context, citations, meta tags, the passage in other witnesses."""
    document = _document(doc)
    unit = document.paragraphs.select_related("section").filter(xml_id=pid).first()
    if unit is None:
        section = document.sections.filter(xml_id=pid).first()
        if section is not None:  # section ids are permanent too: the section in place, in its part
            start = section.paragraphs.order_by("position").values_list("position", flat=True).first() or 0
            sections = {s.id: s for s in document.sections.all()}
            return HttpResponsePermanentRedirect(part_url(document, reading_parts(document, sections), start, pid))
        return _canonical_reference(document, pid) or _retired_paragraph(request, document, pid)
    unit.document = document
    neighbours = {
        p.position: p
        for p in document.paragraphs.defer("tei", "collation_text").filter(
            position__in=[unit.position - 1, unit.position + 1]
        )
    }
    for p in neighbours.values():
        p.document = document
    canonical.attach(document, [unit, *neighbours.values()])
    rev = whole_number(request.GET.get("rev"), "rev")
    cited_revision = "" if rev is None else str(rev)  # revisions are stored as text ("3")
    if rev is not None and not _known_revision(document, rev):
        return _unknown_revision(request, document, unit, cited_revision)
    earlier = list(ParagraphRevision.objects.filter(document=document, xml_id=pid).order_by("position"))
    permalink = request.build_absolute_uri(unit.get_absolute_url())
    cited = cited_record(document, unit, permalink)
    return render(
        request,
        "texts/paragraph.html",
        {
            "document": document,
            "unit": unit,
            "previous": neighbours.get(unit.position - 1),
            "next": neighbours.get(unit.position + 1),
            "parallels": _parallels(unit),
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
            **citation_tags(cited),
        },
    )


def citation_tags(cited: citations.Cited) -> dict:
    """The citation a reference manager reads from a page: the head's meta tags and the COinS span."""
    return {"meta_tags": citations.meta_tags(cited), "coins": citations.coins(cited)}


def _parallels(unit: Paragraph) -> list[PassageMember]:
    """The other documents' paragraphs in the passages ``unit`` belongs to, once each per kind."""
    members = (
        PassageMember.objects.filter(passage__members__paragraph=unit)
        .exclude(paragraph__document_id=unit.document_id)
        .select_related("passage", "paragraph__document")
        .only(
            "passage__kind",
            "paragraph__xml_id",
            "paragraph__kind",
            "paragraph__number",
            "paragraph__document__slug",
            "paragraph__document__siglum",
            "paragraph__document__seed_name",
            "paragraph__document__date",
            "paragraph__document__title",
        )
        .order_by("passage__kind", "paragraph__document__date", "paragraph__document__slug", "paragraph__position")
    )
    seen, out = set(), []
    for member in members:
        if (member.passage.kind, member.paragraph_id) not in seen:
            seen.add((member.passage.kind, member.paragraph_id))
            out.append(member)
    return out


def _canonical_reference(document: Document, ref: str):
    """A reference of the document's own citation scheme (``1.2.1``): 302 to the unit or section that
    holds it, at the line's anchor; None if the scheme has no such reference (or there is no scheme)."""
    from reader.api.views import canonical_citation_index  # DTS resolves references: one resolution

    index = canonical_citation_index(document)
    cited = index.by_id.get(ref) if index is not None else None
    if cited is None:
        return None
    if cited.xml_id:  # a section or a unit of its own (a book, a poem, a speech)
        return HttpResponseRedirect(reverse("texts:paragraph", args=[document.slug, cited.xml_id]))
    # a line inside a unit: the unit whose reading text carries the line's anchor
    anchor = f"l-{ref}"
    unit = document.paragraphs.filter(html__contains=f'id="{html.escape(anchor)}"').only("xml_id").first()
    if unit is not None:
        return HttpResponseRedirect(reverse("texts:paragraph", args=[document.slug, unit.xml_id]) + f"#{anchor}")
    holder = cited
    while holder is not None and not holder.xml_id:
        holder = index.by_id.get(holder.parent) if holder.parent else None
    if holder is None:
        return None
    return HttpResponseRedirect(reverse("texts:paragraph", args=[document.slug, holder.xml_id]))


def _retired_paragraph(request, document: Document, pid: str):
    """301 to the successor of a retired id, 410 with what it said, or 404 if it never existed."""
    successor, retired = _resolve_retired(document, pid)
    if retired is None:
        raise Http404(f"No paragraph or reference {pid} in {document.title}")
    if successor and document.paragraphs.filter(xml_id=successor).exists():
        return HttpResponsePermanentRedirect(reverse("texts:paragraph", args=[document.slug, successor]))
    earlier = ParagraphRevision.objects.filter(document=document, xml_id=pid).order_by("position")
    return render(
        request, "texts/retired.html", {"document": document, "retired": retired, "earlier": earlier}, status=410
    )


def _known_revision(document: Document, rev: int) -> bool:
    """Revisions are numbered 1 … the document's latest (``revisionDesc/change/@n``)."""
    latest = document.revision
    return latest.isascii() and latest.isdigit() and 1 <= rev <= int(latest)


def _unknown_revision(request, document: Document, unit: Paragraph | None, rev: str):
    """A citation naming a revision that does not exist: say so (404), and point to what does."""
    return render(
        request,
        "texts/unknown_revision.html",
        {
            "document": document,
            "unit": unit,
            "rev": rev,
            "target": unit.get_absolute_url() if unit else document.get_absolute_url(),
        },
        status=404,
    )


def _authors(document: Document) -> tuple[str, ...]:
    """The witness's author(s) from the header; a text taken from Wikipedia is by its contributors."""
    if document.author:
        return tuple(a.strip() for a in document.author.split(";") if a.strip())
    return (citations.WIKIPEDIA_AUTHOR,) if _from_wikipedia(document) else ()


def _from_wikipedia(document: Document) -> bool:
    return "wikipedia" in f"{document.licence} {document.source} {document.tei_header}".lower()


def _source(document: Document) -> str:
    """The original source (article, website): the header's, else "Wikipedia" for a Wikipedia text."""
    source = " ".join(document.source.split())
    if source and not re.fullmatch(r".*\d+ words", source):  # not just the title and extent of the seed
        return source
    return f"Wikipedia, “{document.title}”" if _from_wikipedia(document) else ""


def cited_record(document: Document, unit: Paragraph | None, permalink: str) -> citations.Cited:
    """What a citation of ``document`` (or of ``unit`` in it) says; its URL names the revision quoted."""
    if unit is not None and not unit.canonical:
        canonical.attach(document, [unit])
    return citations.Cited(
        title=document.title,
        slug=document.slug,
        witness=document.label,
        witness_date=document.date,
        authors=_authors(document),
        source=_source(document),
        url=permalink + (f"?rev={document.revision}" if document.revision else ""),
        revision=document.revision,
        revision_date=document.revision_date,
        language=(unit.lang if unit else "") or document.language,
        accessed=datetime.date.today(),
        paragraph_id=unit.xml_id if unit else "",
        label=unit.label if unit else "",
        section=unit.section.head if unit and unit.section else "",
    )


def _download(record: citations.Cited, ext: str, filename: str) -> HttpResponse:
    if ext not in citations.DOWNLOADS:
        raise Http404(f"No citation format .{ext}; there are .bib, .ris and .json")
    function, content_type = citations.DOWNLOADS[ext]
    response = HttpResponse(function(record), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return response


@require_safe
def document_citation(request, doc, ext):
    """The citation of a whole document as a file (.bib, .ris, CSL-JSON .json)."""
    document = _document(doc)
    record = cited_record(document, None, request.build_absolute_uri(document.get_absolute_url()))
    return _download(record, ext, record.key)


@require_safe
def paragraph_citation(request, doc, pid, ext):
    """The citation of one unit as a file; a retired id redirects like its permalink."""
    document = _document(doc)
    unit = document.paragraphs.select_related("section").filter(xml_id=pid).first()
    if unit is None:
        successor, retired = _resolve_retired(document, pid)
        if retired is None:
            raise Http404(f"No paragraph {pid} in {document.title}")
        if successor and document.paragraphs.filter(xml_id=successor).exists():
            return HttpResponsePermanentRedirect(reverse("texts:paragraph-cite", args=[document.slug, successor, ext]))
        raise Http404(f"Paragraph {pid} of {document.title} was retired; its permalink says what it said")
    unit.document = document
    record = cited_record(document, unit, request.build_absolute_uri(unit.get_absolute_url()))
    return _download(record, ext, record.key)
