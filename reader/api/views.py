"""DTS 1.0 endpoints: entry, collection, navigation, document (https://dtsapi.org/versions/v1.0).

Navigation and document resolve the header's citeStructure (``reader.tei.dts``) on the
document's TEI as stored (``corpus_tei``), so the same rules serve any TEI the corpus holds;
the units a Document answer returns are rebuilt with the annotators' latest changes, and the
whole Resource is the exporter's. Every endpoint runs a fixed number of queries.
"""

from __future__ import annotations

import json
import logging
import math
from urllib.parse import urlencode


from reader.caching import remembered
from django.http import HttpResponse
from django.db.models import Prefetch

from reader.tei.dts import CitationIndex, citation_trees, fragment
from reader.tei.xml import NS, XML_ID, parse_bytes, serialize
from reader.texts.exporter import CorpusExporter
from reader.texts.models import Document, Work

from . import serialisers as s
from .corpus_tei import passage_tree, refresh_units, structure_tree
from .errors import ApiError, integer, json_errors, parameters

log = logging.getLogger("reader.api")

#: Members per page of a collection and of a navigation answer.
COLLECTION_PAGE_SIZE = 100
NAVIGATION_PAGE_SIZE = 500


def _json(data: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/ld+json; charset=utf-8"
    )


@json_errors
def entry(request):
    endpoints = s.Endpoints(request)
    return _json(
        {
            "@context": s.CONTEXT,
            "dtsVersion": s.DTS_VERSION,
            "@id": endpoints.entry,
            "@type": "EntryPoint",
            **endpoints.templates(),
        }
    )


# --- Collection ----------------------------------------------------------------------------


def _witnesses():
    return Prefetch("witnesses", queryset=Document.objects.select_related("work").order_by("date", "slug"))


def _page(items_total: int, page: int | None, size: int) -> tuple[int, int]:
    last = max(1, math.ceil(items_total / size))
    number = page or 1
    if number > last:
        raise ApiError(404, f"page {number} does not exist; the last page is {last}", "page")
    return number, last


def _view(url_without_page: str, number: int, last: int) -> dict:
    join = "&" if "?" in url_without_page else "?"
    at = lambda n: f"{url_without_page}{join}page={n}"  # noqa: E731
    return {
        "@id": at(number),
        "@type": "Pagination",
        "first": at(1),
        "previous": at(max(1, number - 1)),
        "next": at(min(last, number + 1)),
        "last": at(last),
    }


@json_errors
def collection(request):
    p = parameters(request, ("id", "page", "nav"))
    page = integer(p["page"], "page", 1)
    nav = p["nav"] or "children"
    if nav not in ("children", "parents"):
        raise ApiError(400, f"nav must be 'children' or 'parents', not {nav!r}", "nav")
    endpoints = s.Endpoints(request)
    identifier = p["id"] or s.ROOT_ID
    if identifier == s.ROOT_ID:
        out = _root(endpoints, page, nav)
    elif identifier.startswith(s.WORK_PREFIX):
        out = _work(endpoints, identifier[len(s.WORK_PREFIX) :], page, nav)
    else:
        out = _resource(endpoints, identifier, nav)
    return _json(out)


def _paged_url(endpoints, identifier, nav) -> str:
    url = f"{endpoints.collection}?id={identifier}"
    return url + ("&nav=parents" if nav == "parents" else "")


def _root(endpoints, page, nav):
    total = Work.objects.count()
    out = {"@context": s.CONTEXT, "dtsVersion": s.DTS_VERSION, **s.root_collection(endpoints, total)}
    if nav == "parents":
        out["member"] = []
        return out
    number, last = _page(total, page, COLLECTION_PAGE_SIZE)
    works = Work.objects.order_by("title", "slug").prefetch_related(_witnesses())
    works = works[(number - 1) * COLLECTION_PAGE_SIZE : number * COLLECTION_PAGE_SIZE]
    out["member"] = [s.work_collection(endpoints, w, list(w.witnesses.all())) for w in works]
    if page or last > 1:
        out["view"] = _view(_paged_url(endpoints, s.ROOT_ID, nav), number, last)
    return out


def _work(endpoints, slug, page, nav):
    work = Work.objects.filter(slug=slug).prefetch_related(_witnesses()).first()
    if work is None:
        raise ApiError(404, f"no collection has the id {s.WORK_PREFIX + slug!r}", "id")
    witnesses = list(work.witnesses.all())
    out = {"@context": s.CONTEXT, "dtsVersion": s.DTS_VERSION, **s.work_collection(endpoints, work, witnesses)}
    out["collection"] = endpoints.templates()["collection"]
    if nav == "parents":
        out["member"] = [s.root_collection(endpoints, Work.objects.count())]
        return out
    number, last = _page(len(witnesses), page, COLLECTION_PAGE_SIZE)
    out["member"] = [
        s.resource(endpoints, d) for d in witnesses[(number - 1) * COLLECTION_PAGE_SIZE : number * COLLECTION_PAGE_SIZE]
    ]
    if page or last > 1:
        out["view"] = _view(_paged_url(endpoints, s.work_id(work), nav), number, last)
    return out


def _document(slug: str, parameter: str, related=("work",)) -> Document:
    document = Document.objects.select_related(*related).filter(slug=slug).first()
    if document is None:
        raise ApiError(404, f"no resource has the id {slug!r}", parameter)
    return document


def _resource(endpoints, slug, nav):
    document = _document(slug, "id")
    out = {"@context": s.CONTEXT, "dtsVersion": s.DTS_VERSION, **s.resource(endpoints, document, entities=True)}
    if nav == "parents":
        work = Work.objects.prefetch_related(_witnesses()).get(pk=document.work_id)
        out["member"] = [s.work_collection(endpoints, work, list(work.witnesses.all()))]
    return out


# --- Navigation and document -----------------------------------------------------------------


def _index(document, tree) -> CitationIndex:
    """The citation index of ``tree`` on the stored document; problems of the TEI are logged, not hidden."""
    index = CitationIndex(structure_tree(document), tree)
    for problem in index.problems:
        log.warning("%s, citation tree %s: %s", document.slug, tree.identifier or "(default)", problem)
    return index


def _navigation_index(document, tree) -> CitationIndex:
    """The index without elements, cached while the document's file is the one loaded (a load or a
    publication changes its sha256; annotators' edits change mentions, never the citation tree)."""
    key = f"dts-index:{document.pk}:{document.file.sha256}:{tree.identifier or ''}"
    return remembered(key, lambda: _index(document, tree).detached(), 3600)


def canonical_citation_index(document) -> CitationIndex | None:
    """The cached index of the document's own citation scheme (``refsDecl[@n='canonical']``, kept by
    importtei as the default tree), None without one: the one resolution of canonical references,
    for the reader's permalinks and citations as for DTS."""
    header = parse_bytes(document.tei_header.encode("utf-8"), f"{document.slug} header")
    if header.find(".//tei:refsDecl[@n='canonical']", NS) is None:
        return None
    trees = citation_trees(header)
    return _navigation_index(document, trees[0]) if trees else None


def _tree(document, tree_name: str | None):
    """The requested citation tree of the document (the default one without ``tree``), or None."""
    trees = s.header_trees(document)
    if tree_name is None:
        return trees, (trees[0] if trees else None)
    tree = next((t for t in trees if t.identifier == tree_name), None)
    if tree is None:
        names = ", ".join(repr(t.identifier) for t in trees[1:]) or "none besides the default"
        raise ApiError(404, f"tree {tree_name!r} is not a citation tree of {document.slug} (others: {names})", "tree")
    return trees, tree


@json_errors
def navigation(request):
    p = parameters(request, ("resource", "ref", "start", "end", "down", "tree", "page"))
    if p["resource"] is None:
        raise ApiError(400, "resource is required (the id of a Resource, as the collection gives it)", "resource")
    down = integer(p["down"], "down", -1)
    page = integer(p["page"], "page", 1)
    endpoints = s.Endpoints(request)
    document = _document(p["resource"], "resource", ("work", "file"))
    trees, tree = _tree(document, p["tree"])
    index = _navigation_index(document, tree) if tree else None
    out = {
        "@context": s.CONTEXT,
        "dtsVersion": s.DTS_VERSION,
        "@type": "Navigation",
        "@id": request.build_absolute_uri(),
        "resource": s.resource(endpoints, document, trees),
    }
    if index is None:  # no citation tree: an empty member array, never an error
        out["member"] = []
        return _json(out)
    ref, start, end, members = index.select(p["ref"], p["start"], p["end"], down)
    for key, unit in (("ref", ref), ("start", start), ("end", end)):
        if unit is not None:
            out[key] = s.citable_unit(endpoints, document, unit)
    if members is not None:
        number, last = _page(len(members), page, NAVIGATION_PAGE_SIZE)
        chunk = members[(number - 1) * NAVIGATION_PAGE_SIZE : number * NAVIGATION_PAGE_SIZE]
        out["member"] = [s.citable_unit(endpoints, document, u) for u in chunk]
        if page or last > 1:
            base = (
                request.build_absolute_uri(request.path)
                + "?"
                + urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
            )
            out["view"] = _view(base, number, last)
    elif page:
        raise ApiError(400, "page is only used with down (a request that lists members)", "page")
    return _json(out)


def _passage(document, tree, start: str, end: str, parameter: str):
    """The TEI of the passage from ``start`` to ``end`` (the same for one ``ref``), in dts:wrapper,
    with its units as they are now in the database.

    References are resolved on the cached index; when both units have an id in the stored
    skeleton, only the units of the passage are read, else (a line, which has no id of its own)
    the whole document is, and the passage is cut from inside its units, never widened to them."""
    index = _navigation_index(document, tree)
    first, last = index.get(start, parameter), index.get(end, "end" if parameter == "start" else parameter)
    if last.position < first.position:
        raise ApiError(400, f"end {end!r} comes before start {start!r} in the document", "end")
    partial = passage_tree(document, first.xml_id, last.xml_id) if first.xml_id and last.xml_id else None
    if partial is not None:
        root = fragment(*partial)
        refresh_units(document, root)
        return root
    full = _index(document, tree)
    _refresh_overlapping(document, full.root, full.by_id[first.identifier].element, full.by_id[last.identifier].element)
    full = CitationIndex(full.root, tree)  # the units were replaced: find the passage in the new ones
    return fragment(full.root, full.by_id[first.identifier].element, full.by_id[last.identifier].element)


def _refresh_overlapping(document, root, first, last) -> None:
    """Rebuild from the database (current mentions) every unit that holds or overlaps the passage."""
    ids = set(document.paragraphs.values_list("xml_id", flat=True))
    order = list(root.iter())
    position = {el: n for n, el in enumerate(order)}
    low, high = position[first], position[last] + sum(1 for _ in last.iterdescendants())
    for el in [el for el in order if el.get(XML_ID) in ids]:
        if position[el] <= high and position[el] + sum(1 for _ in el.iterdescendants()) >= low:
            refresh_units(document, el)


@json_errors
def document(request):
    p = parameters(request, ("resource", "ref", "start", "end", "tree", "mediaType"))
    if p["resource"] is None:
        raise ApiError(400, "resource is required (the id of a Resource, as the collection gives it)", "resource")
    media_type = p["mediaType"] or s.MEDIA_TYPES[0]
    if media_type not in s.MEDIA_TYPES:
        raise ApiError(
            404, f"mediaType {media_type!r} is not available; available: {', '.join(s.MEDIA_TYPES)}", "mediaType"
        )
    if p["ref"] is not None and (p["start"] is not None or p["end"] is not None):
        raise ApiError(400, "ref cannot be used together with start or end", "ref")
    if (p["start"] is None) != (p["end"] is None):
        raise ApiError(400, "start and end must be given together", "end" if p["end"] is None else "start")
    endpoints = s.Endpoints(request)
    document = _document(p["resource"], "resource", ("work", "file"))
    if p["ref"] is None and p["start"] is None:  # the whole Resource, as the TEI download; tree has no effect
        root = CorpusExporter(".").document_tree(document)
    else:
        _, tree = _tree(document, p["tree"])
        if tree is None:
            raise ApiError(404, f"{document.slug} declares no citation tree, so it has no references", "ref")
        root = _passage(document, tree, p["ref"] or p["start"], p["ref"] or p["end"], "ref" if p["ref"] else "start")
    response = HttpResponse(serialize(root), content_type=f"{media_type}; charset=utf-8")
    response["Link"] = f'<{endpoints.collection}?id={document.slug}>; rel="collection"'
    return response
