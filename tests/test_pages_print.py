"""The printed reading edition (issue 20): the apparatus of each paragraph as a footnote, and the PDF of
a document built from the reading page's print HTML by WeasyPrint, read back with pypdf."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "soviet-partisans-in-latvia"


@pytest.fixture
def corpus(tmp_path):
    """The real corpus: the partisan article, its second witness and their collation."""
    from reader.texts.loader import CorpusLoader

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    assert CorpusLoader(directory).run().failed == []


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_reading_page_carries_each_paragraphs_apparatus_from_the_stored_collation(client, corpus):
    from reader.texts.models import Document, Reading

    document = Document.objects.get(slug=ARTICLE)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'class="app-note print-only"' in page
    # A stored reading of another witness that differs from this one's appears in this paragraph's note.
    other = (
        Reading.objects.filter(variant__readings__document=document)
        .exclude(document=document)
        .exclude(text="")
        .select_related("document", "variant")
        .first()
    )
    mine = Reading.objects.get(variant=other.variant, document=document)
    assert mine.text != other.text
    unit = re.search(rf'id="{mine.paragraph.xml_id}".*?</div>', page, re.S).group(0)
    assert f"{other.text} {other.document.label}" in unit.replace("&#x27;", "'").replace("&quot;", '"')
    assert f"{document.label}" in unit
    assert 'href="/texts/soviet-partisans-in-latvia.pdf"' in page


def test_pdf_of_the_article_holds_its_first_paragraph_and_an_apparatus_note(client, corpus):
    from reader.texts.models import Document, Reading

    document = Document.objects.get(slug=ARTICLE)
    response = client.get(f"/texts/{ARTICLE}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    first = document.paragraphs.filter(kind="p").order_by("position").first()
    assert _words(first.text)[:80] in text
    assert document.title in text
    other = (
        Reading.objects.filter(variant__readings__document=document).exclude(document=document).exclude(text="").first()
    )
    assert f"] {document.label}" in text, "no apparatus entry in the PDF"
    assert _words(other.text)[:30] in text
    # The print HTML leaves out the navigation and the display controls.
    assert "Skip to content" not in text and "Highlight entities" not in text


def test_pdf_is_built_once_per_corpus_revision(client, corpus, monkeypatch):
    from reader.caching import bump_corpus_revision
    from reader.texts import printing

    built = []
    real = printing.pdf
    monkeypatch.setattr(printing, "pdf", lambda *a: built.append(1) or real(*a))
    first = client.get(f"/texts/{ARTICLE}.pdf").content
    assert client.get(f"/texts/{ARTICLE}.pdf").content == first
    assert len(built) == 1
    bump_corpus_revision()
    client.get(f"/texts/{ARTICLE}.pdf")
    assert len(built) == 2


def test_pdf_of_an_unknown_document_is_404_and_fetches_nothing(client, corpus, monkeypatch):
    from weasyprint.urls import URLFetcher

    assert client.get("/texts/no-such-text.pdf").status_code == 404
    fetched = []
    monkeypatch.setattr(URLFetcher, "open", lambda self, *a, **k: fetched.append(a) or None)
    assert client.get(f"/texts/{ARTICLE}.pdf").status_code == 200
    assert fetched == []


def test_without_pango_the_pdf_is_a_503_saying_what_to_install(client, corpus, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = client.get(f"/texts/{ARTICLE}.pdf")
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.content.decode()
