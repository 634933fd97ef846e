"""Downloads: a document's TEI and plain text, the register, a work's apparatus.

Each is an entry of the export registry (:mod:`reader.exports.registry`), which gives their URLs and
builds those it marks ``cached`` once per corpus revision (:func:`reader.exports.built_once`): the
exporter's files of a 70,000-word work take seconds, and a reader's download should not."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from lxml import etree

from reader.exports import built_once  # noqa: F401 (its old home)

from ..exporter import CorpusExporter
from ..models import CorpusFile, Document, Paragraph, Work
from .reading import _document


def _tei_response(root: etree._Element, filename: str) -> HttpResponse:
    from reader.tei.xml import serialize

    response = HttpResponse(serialize(root), content_type="application/tei+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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
