"""DTS 1.0 JSON-LD objects for the corpus: the root collection, works, witnesses and citable units.

Identifiers: the root collection is ``parallax``, a work is ``work:<slug>``, a witness is its
document slug (the same as in ``/texts/<slug>/``). URI templates are RFC 6570, built on the
absolute URL of each endpoint.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from reader.tei.dts import DCT, CitableUnit, CitationTree, citation_trees
from reader.tei.vocabulary import KINDS
from reader.tei.xml import TEI_NS, parse_bytes
from reader.texts.models import Mention

CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_VERSION = "1.0"
ROOT_ID = "parallax"
WORK_PREFIX = "work:"
#: What the Document endpoint can return.
MEDIA_TYPES = ["application/tei+xml"]
#: Tags whose xml:id has a permalink page of its own (the reader's citable units).
PERMALINK_TAGS = {"p", "head", "item", "bibl"}


class Endpoints:
    """Absolute URLs of the DTS endpoints for one request, and the URI templates built on them."""

    def __init__(self, request):
        self.request = request
        self.entry = request.build_absolute_uri(reverse("api:dts-entry"))
        self.collection = request.build_absolute_uri(reverse("api:dts-collection"))
        self.navigation = request.build_absolute_uri(reverse("api:dts-navigation"))
        self.document = request.build_absolute_uri(reverse("api:dts-document"))

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def templates(self) -> dict[str, str]:
        return {
            "collection": self.collection + "{?id,page,nav}",
            "navigation": self.navigation + "{?resource,ref,start,end,down,tree,page}",
            "document": self.document + "{?resource,ref,start,end,tree,mediaType}",
        }

    def collection_of(self, identifier: str) -> str:
        return f"{self.collection}?id={identifier}{{&page,nav}}"


def work_id(work) -> str:
    return WORK_PREFIX + work.slug


def _lang_values(value: str, lang: str) -> list[dict]:
    return [{"lang": lang or "en", "value": value}]


def _languages(documents) -> list[str]:
    seen: list[str] = []
    for d in documents:
        for code in filter(None, d.languages.split(",")):
            if code not in seen:
                seen.append(code)
    return seen


def root_collection(endpoints: Endpoints, total: int) -> dict:
    return {
        "@id": ROOT_ID,
        "@type": "Collection",
        "title": "Parallax corpus",
        "description": "Every work of the corpus; each work's members are its witnesses (versions of the text).",
        "totalParents": 0,
        "totalChildren": total,
        "collection": endpoints.templates()["collection"],
        "dublinCore": {"title": _lang_values("Parallax corpus", "en"), "publisher": ["Parallax"]},
    }


def work_collection(endpoints: Endpoints, work, witnesses: list) -> dict:
    """A work as a Collection of its witnesses (``witnesses``: its documents, already fetched)."""
    lang = witnesses[0].language if witnesses else "en"
    dc: dict = {"title": _lang_values(work.title, lang)}
    creators = sorted({d.author for d in witnesses if d.author})
    if creators:
        dc["creator"] = creators
    languages = _languages(witnesses)
    if languages:
        dc["language"] = languages
    return {
        "@id": work_id(work),
        "@type": "Collection",
        "title": work.title,
        "description": f"A work in {len(witnesses)} witness{'es' if len(witnesses) != 1 else ''}.",
        "totalParents": 1,
        "totalChildren": len(witnesses),
        "collection": endpoints.collection_of(work_id(work)),
        "dublinCore": dc,
    }


def header_trees(document) -> list[CitationTree]:
    """The citation trees its stored TEI header declares."""
    return citation_trees(parse_bytes(document.tei_header.encode("utf-8"), f"{document.slug} header"))


def named_entities(endpoints: Endpoints, document) -> dict[str, list[dict]]:
    """The register entries a witness mentions, as DTS ``extensions``: one property per kind, named by
    the kind's TEI register list (``…/listBibl`` for works), each entry with its page and mention count."""
    rows = (
        Mention.objects.filter(document=document, entity__isnull=False)
        .values("entity__kind", "entity__xml_id", "entity__name")
        .annotate(n=Count("id"))
        .order_by("entity__kind", "entity__name", "entity__xml_id")
    )
    out: dict[str, list[dict]] = {}
    for row in rows:
        kind = KINDS.get(row["entity__kind"])
        if kind is None:
            continue
        out.setdefault(f"{TEI_NS}/{kind.list_tag}", []).append(
            {
                "@id": endpoints.absolute(reverse("texts:entity", args=[row["entity__xml_id"]])),
                "@type": kind.entry_tag,
                "name": row["entity__name"],
                "mentions": row["n"],
            }
        )
    return out


def resource(endpoints: Endpoints, document, trees: list[CitationTree] | None = None, entities: bool = False) -> dict:
    """A witness as a DTS Resource, with Dublin Core metadata and its citation trees; with ``entities``,
    the register entries it mentions (``extensions``, see :func:`named_entities`)."""
    trees = header_trees(document) if trees is None else trees
    lang = document.language
    dc: dict = {
        "title": _lang_values(document.title, lang),
        "identifier": [endpoints.absolute(document.get_absolute_url())],
    }
    if document.author:
        dc["creator"] = [document.author]
    if document.date:
        dc["date"] = [document.date]
    if document.languages:
        dc["language"] = [code for code in document.languages.split(",") if code]
    if document.licence_url:
        dc["license"] = [document.licence_url]
    if document.licence:
        dc["rights"] = _lang_values(document.licence, "en")
    if document.source.startswith(("http://", "https://")):
        dc["source"] = [document.source]
    dc["publisher"] = ["Parallax"]
    dc["isVersionOf"] = [endpoints.absolute(document.work.get_absolute_url())]
    slug = document.slug
    return {
        "@id": slug,
        "@type": "Resource",
        "title": document.title,
        "description": f"Witness {document.label} of “{document.work.title}”",
        "totalParents": 1,
        "totalChildren": 0,
        "dublinCore": dc,
        "collection": f"{endpoints.collection}?id={slug}{{&nav}}",
        "navigation": f"{endpoints.navigation}?resource={slug}{{&ref,start,end,down,tree,page}}",
        "document": f"{endpoints.document}?resource={slug}{{&ref,start,end,tree,mediaType}}",
        "download": endpoints.absolute(reverse("texts:document-tei", args=[slug])),
        "mediaTypes": MEDIA_TYPES,
        "citationTrees": [tree.json() for tree in trees],
        **({"extensions": named_entities(endpoints, document)} if entities else {}),
    }


def citable_unit(endpoints: Endpoints, document, unit: CitableUnit) -> dict:
    """A CitableUnit with its permalink (``@id``) and its citeData metadata."""
    out = unit.json()
    if unit.xml_id:
        path = (
            reverse("texts:paragraph", args=[document.slug, unit.xml_id])
            if unit.tag in PERMALINK_TAGS
            else f"{document.get_absolute_url()}#{unit.xml_id}"
        )
        out["@id"] = endpoints.absolute(path)
    lang = unit.lang or document.language
    if unit.dublin_core:
        out["dublinCore"] = {
            term: [{"lang": lang, "value": v} for v in values] for term, values in unit.dublin_core.items()
        }
    if unit.extensions:
        out["extensions"] = {prop: values for prop, values in unit.extensions.items()}
    return out


__all__ = [
    "CONTEXT",
    "DTS_VERSION",
    "DCT",
    "Endpoints",
    "resource",
    "work_collection",
    "root_collection",
    "citable_unit",
    "header_trees",
    "work_id",
]
