"""The printed reading edition (issue 20): each paragraph's apparatus as one footnote, from the stored
collation of the document's work (``Variant``/``Reading``), and the PDF of a document built from the
same HTML by WeasyPrint. Two queries whatever the document's length."""

from __future__ import annotations

import logging
from collections import defaultdict

from .models import Document, Paragraph, Reading


def _said(text: str) -> str:
    return text or "om."


def apparatus_notes(document: Document, paragraphs: list[Paragraph]) -> dict[int, list[str]]:
    """Paragraph pk -> its apparatus entries, in the collation's order, each
    ``lemma] SIGLUM; reading OTHER, OTHER`` where the lemma is this document's reading."""
    mine = list(
        Reading.objects.filter(
            document=document,
            paragraph__in=[p.pk for p in paragraphs],
            variant__collation__work_id=document.work_id,
        )
        .select_related("variant")
        .order_by("variant__position")
    )
    others = defaultdict(dict)  # variant -> reading text -> sigla
    for r in (
        Reading.objects.filter(variant__in=[r.variant_id for r in mine])
        .exclude(document=document)
        .select_related("document")
        .order_by("variant_id", "document__date", "document__slug")
    ):
        others[r.variant_id].setdefault(r.text, []).append(r.document.label)
    notes = defaultdict(list)
    own = document.label
    for r in mine:
        readings = others.get(r.variant_id, {})
        same = readings.pop(r.text, [])
        if not readings:
            continue  # every other witness reads as this one here
        variants = "; ".join(f"{_said(text)} {', '.join(sigla)}" for text, sigla in readings.items())
        notes[r.paragraph_id].append(f"{_said(r.text)}] {', '.join([own, *same])}; {variants}")
    return dict(notes)


def attach_notes(document: Document, paragraphs: list[Paragraph]) -> bool:
    """Set ``p.apparatus`` on each paragraph (a list, maybe empty); True if any has an entry."""
    notes = apparatus_notes(document, paragraphs)
    for p in paragraphs:
        p.apparatus = notes.get(p.pk, [])
    return bool(notes)


#: The reader's own stylesheets, in the page's order, then what only a typeset page can do.
STYLESHEETS = ("reader/entities.css", "reader/reader.css", "reader/pdf.css")


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system's Pango library is missing."""


def pdf(html: str, base_url: str) -> bytes:
    """``html`` (a reading page) typeset as PDF under its print stylesheet. WeasyPrint fetches nothing:
    the stylesheets are read from the static files, and any other URL in the page is refused."""
    from django.contrib.staticfiles import finders

    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: Pango is not installed (WeasyPrint loads it at import)
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint and Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}"
        ) from error

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"not fetched while making a PDF: {url}")

    # WeasyPrint warns of each screen-only rule it skips (media queries, sticky, scrolling): expected here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = NoFetching()
    sheets = [CSS(filename=finders.find(name), url_fetcher=fetcher) for name in STYLESHEETS]
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(stylesheets=sheets)
