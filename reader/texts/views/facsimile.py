"""Facsimiles beside the text: page images, their zones, and a IIIF Presentation 3 manifest.

The pages come from the document's TEI file (:mod:`reader.tei.facsimile`), read once per loaded
version of the file (cached by its sha256). An image is shown when the site can reach it: a file
the editor put next to the TEI file in the corpus folder (served by :func:`facsimile_image`, only
the files the document names, never outside the corpus folder), or an image or IIIF Image API
service on a host of ``PARALLAX_IIIF_HOSTS`` (the CSP allows those hosts and no other).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe
from iiif_prezi3 import Manifest, ServiceV3, TextualBody

from reader.caching import remembered
from reader.tei.facsimile import Facsimile, Page, read_facsimile
from reader.tei.xml import TEIError, parse_file

from ..models import CorpusFile, Document

#: How long a document's facsimile data stays cached (keyed by the file's sha256, so never stale).
CACHE_SECONDS = 24 * 3600


def _tei_path(relative: str) -> Path:
    return Path(settings.CORPUS_TEI_DIR) / relative


def _read(document: Document) -> tuple[str, Facsimile | None]:
    """(the TEI file's path below the corpus folder, its facsimile)."""
    path, sha = CorpusFile.objects.filter(pk=document.file_id).values_list("path", "sha256").first() or ("", "")
    key = f"parallax:facsimile:{sha}:{path}"

    def read() -> tuple[str, Facsimile | None]:
        full = _tei_path(path)
        try:
            if path and full.is_file() and b"facs" in full.read_bytes():
                return path, read_facsimile(parse_file(full))
        except (OSError, TEIError):
            pass
        return path, None

    return remembered(key, read, CACHE_SECONDS)  # a broken cache costs a read, never the page


def _local_file(tei_relative: str, page: Page) -> Path | None:
    """The image file a page names next to its TEI file, if it exists inside the corpus folder."""
    if page.source is None or page.source.kind != "local":
        return None
    root = Path(settings.CORPUS_TEI_DIR).resolve()
    candidate = (_tei_path(tei_relative).parent / page.source.path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _allowed_host(url: str) -> bool:
    return any(url == h or url.startswith(h + "/") for h in settings.PARALLAX_IIIF_HOSTS)


def _page_image(document: Document, tei_relative: str, page: Page) -> dict | None:
    """How the browser gets a page's image: an OpenSeadragon tile source, or None when unreachable."""
    source = page.source
    if source is None:
        return None
    if source.kind == "local":
        if _local_file(tei_relative, page) is None:
            return None
        return {"type": "image", "url": reverse("texts:facsimile-image", args=[document.slug, source.path])}
    if not _allowed_host(source.url):
        return None
    if source.kind == "iiif":
        return {"type": "iiif", "url": f"{source.url}/info.json"}
    return {"type": "image", "url": source.url}


def _size(tei_relative: str, page: Page) -> tuple[float | None, float | None]:
    """The page's size in its zones' coordinates: the TEI's, else a local image's own."""
    if page.width and page.height:
        return page.width, page.height
    path = _local_file(tei_relative, page)
    if path is not None:
        try:
            from PIL import Image

            with Image.open(path) as image:
                return float(image.width), float(image.height)
        except (OSError, ValueError):
            return None, None
    return None, None


def facsimile_context(document: Document) -> dict | None:
    """The reading view's facsimile panel: pages with a reachable image, zones, units per page."""
    tei_relative, facsimile = _read(document)
    if facsimile is None:
        return None
    pages, index_of = [], {}
    for index, page in enumerate(facsimile.pages):
        image = _page_image(document, tei_relative, page)
        if image is None:
            continue
        width, height = _size(tei_relative, page)
        zones = []
        if width:  # OpenSeadragon's coordinates: the image's width is 1
            ox, oy = page.origin
            zones = [
                {
                    "id": z.id,
                    "x": (z.box[0] - ox) / width,
                    "y": (z.box[1] - oy) / width,
                    "w": z.box[2] / width,
                    "h": z.box[3] / width,
                    "units": z.units,
                    "label": z.label,
                }
                for z in page.zones
            ]
        index_of[index] = len(pages)
        pages.append({"id": page.id, "label": page.label, "image": image, "zones": zones})
    if not pages:
        return None
    units = {u: [index_of[i] for i in idx if i in index_of] for u, idx in facsimile.unit_pages.items()}
    pointers = {t: [index_of[i], z] for t, (i, z) in facsimile.pointers.items() if i in index_of}
    return {
        "data": {"pages": pages, "units": {u: p for u, p in units.items() if p}, "pointers": pointers},
        "manifest_url": reverse("texts:document-manifest", args=[document.slug]),
        "count": len(pages),
    }


@require_safe
def facsimile_image(request, doc, name):
    """An image the editor put next to the document's TEI file: only one its facsimile names."""
    document = get_object_or_404(Document, slug=doc)
    tei_relative, facsimile = _read(document)
    for page in facsimile.pages if facsimile else []:
        if page.source is not None and page.source.kind == "local" and page.source.path == name:
            break
    else:
        page = None
    path = _local_file(tei_relative, page) if page is not None else None
    if path is None:
        raise Http404("this document's facsimile names no such image")
    content_type = page.source.format or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path.open("rb"), content_type=content_type)


@require_safe
def document_manifest(request, doc):
    """The document's facsimile as a IIIF Presentation 3 manifest (built with iiif-prezi3): a canvas
    per page, its image painted on it, and each zone that holds a unit's text as a supplementing
    annotation with that text."""
    document = get_object_or_404(Document, slug=doc)
    tei_relative, facsimile = _read(document)
    if facsimile is None:
        raise Http404(f"{document.title} has no facsimile")
    base = request.build_absolute_uri(reverse("texts:document-manifest", args=[document.slug]))
    root = base.rsplit("/", 1)[0]
    manifest = Manifest(
        id=base,
        label={"en": [document.title]},
        homepage=[
            {
                "id": request.build_absolute_uri(document.get_absolute_url()),
                "type": "Text",
                "label": {"en": [document.title]},
                "format": "text/html",
            }
        ],
    )
    if any(h in document.licence_url for h in ("creativecommons.org/", "rightsstatements.org/")):
        manifest.rights = document.licence_url
    if document.licence:
        manifest.requiredStatement = {"label": {"en": ["Licence"]}, "value": {"en": [document.licence]}}
    texts = dict(document.paragraphs.values_list("xml_id", "text"))
    labels = {}
    for number, page in enumerate(facsimile.pages, 1):
        width, height = _size(tei_relative, page)
        if page.source is None or not width or not height:
            continue
        if page.source.kind == "local" and _local_file(tei_relative, page) is None:
            continue  # a file the editor has not supplied (a viewer elsewhere reaches any other image)
        canvas_id = f"{root}/canvas/{number}"
        canvas = manifest.make_canvas(id=canvas_id, label={"none": [page.label]}, width=int(width), height=int(height))
        image_kwargs = {"width": int(width), "height": int(height)}
        if page.source.format:  # a handle or an address without an extension: the format is not known
            image_kwargs["format"] = page.source.format
        if page.source.kind == "local":
            url = request.build_absolute_uri(reverse("texts:facsimile-image", args=[document.slug, page.source.path]))
        elif page.source.kind == "iiif":
            url = page.url if not page.url.endswith("/info.json") else f"{page.source.url}/full/max/0/default.jpg"
            if url.endswith(".jpg"):
                image_kwargs["format"] = "image/jpeg"
            image_kwargs["service"] = [ServiceV3(id=page.source.url, type="ImageService3", profile="level0")]
        else:
            url = page.url
        canvas.add_image(image_url=url, anno_page_id=f"{canvas_id}/page", anno_id=f"{canvas_id}/image", **image_kwargs)
        ox, oy = page.origin
        for zone in page.zones:
            text = " ".join(texts.get(u, "") for u in zone.units).strip()
            if not text:
                continue
            x, y, w, h = (round(v) for v in (zone.box[0] - ox, zone.box[1] - oy, zone.box[2], zone.box[3]))
            canvas.make_annotation(
                id=f"{canvas_id}/zone/{zone.id}",
                anno_page_id=f"{canvas_id}/zones",
                motivation="supplementing",
                body=TextualBody(
                    type="TextualBody", value=text, format="text/plain", language=document.language or "none"
                ),
                target=f"{canvas_id}#xywh={x},{y},{w},{h}",
            )
        labels[number] = page.label
    if not labels:
        raise Http404(f"{document.title}: no page of its facsimile has an image of known size")
    response = HttpResponse(
        manifest.jsonld(), content_type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    )
    response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers elsewhere open it
    return response
