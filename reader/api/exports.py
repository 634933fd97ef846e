"""Exports for other tools: a document's mentions as W3C Web Annotation JSON-LD and as CSV,
the register as CSV, a work as a ZIP of its TEI files, and the OpenAPI description.

Positions: every ``TextPositionSelector`` (and the CSV's start/end) counts Unicode code points
in the unit's text, the text ``reader.tei.document.unit_text`` gives (the TEI element's text
with note, gap and fw left out and whitespace collapsed to single spaces); the same text
each unit has in the plain-text download, after its list or heading mark.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.urls import reverse

from reader.csvcells import write_csv
from reader.entities.models import AuthorityId, Entity
from reader.tei.vocabulary import PIPELINE
from reader.tei.xml import serialize
from reader.texts.exporter import CorpusExporter
from reader.texts.models import CorpusFile, Document, Mention, Work

from .errors import ApiError, integer, json_errors, parameters
from .openapi import description

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Annotations per AnnotationPage.
ANNOTATION_PAGE_SIZE = 1000
#: Characters of context kept in TextQuoteSelector prefix and suffix.
QUOTE_CONTEXT = 32
#: The tag given to a mention of each kind.
from reader.tei.vocabulary import KIND_LABELS  # noqa: E402 (the kinds' labels are defined once, there)


def _document(slug: str) -> Document:
    document = Document.objects.select_related("work").filter(slug=slug).first()
    if document is None:
        raise ApiError(404, f"no document has the slug {slug!r}")
    return document


#: Mention fields the exports read (rows as dicts: no model instance per mention).
MENTION_FIELDS = (
    "paragraph_id",
    "entity_id",
    "kind",
    "start",
    "end",
    "surface",
    "ref",
    "resp",
    "cert",
    "when",
    "date_from",
    "date_to",
)


def _mentions(document):
    """The document's mentions in reading order, as dicts of ``MENTION_FIELDS``."""
    return (
        Mention.objects.filter(document=document)
        .order_by("paragraph__position", "start", "-end", "kind")
        .values(*MENTION_FIELDS)
    )


class _Entity:
    """What an export needs of a register entry: id, name, absolute URL, authority ids and their URLs."""

    __slots__ = ("xml_id", "name", "url", "authority_ids", "authority_urls")

    def __init__(self, entity, url):
        self.xml_id, self.name, self.url = entity.xml_id, entity.name, url
        ids = list(entity.authority_ids.all())
        self.authority_ids = [f"{a.scheme}:{a.value}" for a in ids]
        self.authority_urls = [a.url for a in ids if a.url]


def _entities(request, document) -> dict[int, _Entity]:
    """The entries the document mentions (two queries, each entry built once)."""
    base = request.build_absolute_uri(reverse("texts:entity", args=["ID"]))
    head, tail = base.rsplit("ID", 1)
    entries = (
        Entity.objects.filter(pk__in=Mention.objects.filter(document=document).values("entity_id"))
        .only("id", "xml_id", "name")
        .prefetch_related(Prefetch("authority_ids", queryset=AuthorityId.objects.order_by("position")))
    )
    return {e.pk: _Entity(e, f"{head}{e.xml_id}{tail}") for e in entries}


class _Unit:
    """What an export needs of a paragraph: its id, text and absolute permalink."""

    __slots__ = ("xml_id", "text", "url")

    def __init__(self, xml_id, text, url):
        self.xml_id, self.text, self.url = xml_id, text, url


def _units(request, document, with_text: bool) -> dict[int, _Unit]:
    fields = ("id", "xml_id", "text") if with_text else ("id", "xml_id")
    base = request.build_absolute_uri(reverse("texts:paragraph", args=[document.slug, "ID"]))
    head, tail = base.rsplit("ID", 1)
    return {
        row[0]: _Unit(row[1], row[2] if with_text else "", f"{head}{row[1]}{tail}")
        for row in document.paragraphs.values_list(*fields)
    }


#: How a pipeline suggestion's annotation says it is unconfirmed (an ``assessing`` body).
GUESS = "suggested by the Parallax pipeline, not confirmed by an annotator"


def _creator(resp: str) -> dict | None:
    if resp == PIPELINE:
        return {"type": "Software", "name": "Parallax pipeline"}
    if resp.startswith("#annotator-"):
        return {"type": "Person", "nickname": resp[len("#annotator-") :]}
    return None


def _date_value(m: dict) -> str:
    if m["when"]:
        return m["when"]
    return "/".join(v for v in (m["date_from"], m["date_to"]) if v)


def annotation(collection_id: str, m: dict, unit: _Unit, entity: _Entity | None) -> dict:
    """One mention (a ``_mentions`` row) as a Web Annotation on its unit's permalink."""
    text, start, end = unit.text, m["start"], m["end"]
    bodies: list[dict] = [
        {
            "type": "TextualBody",
            "purpose": "tagging",
            "value": KIND_LABELS.get(m["kind"], m["kind"]),
            "format": "text/plain",
            "language": "en",
        }
    ]
    if entity is not None:
        bodies.append({"id": entity.url, "purpose": "identifying"})
        bodies += [{"id": url, "purpose": "identifying"} for url in entity.authority_urls]
    if m["resp"] == PIPELINE:  # a guess stays a guess in the export: the model has no certainty, so say it
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": GUESS + (f" (certainty: {m['cert']})" if m["cert"] else ""),
                "format": "text/plain",
                "language": "en",
            }
        )
    date = _date_value(m)
    if date:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": date, "format": "text/plain"})
    out = {
        "id": f"{collection_id}#{unit.xml_id}-{start}-{end}-{m['kind']}",
        "type": "Annotation",
        "motivation": "identifying" if entity is not None else "tagging",
        "body": bodies,
        "target": {
            "source": unit.url,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[start:end],
                    "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
                    "suffix": text[end : end + QUOTE_CONTEXT],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }
    creator = _creator(m["resp"])
    if creator:
        out["creator"] = creator
    return out


@json_errors
def annotations(request, doc):
    """``AnnotationCollection`` with the first page embedded; ``?page=N`` gives page N alone."""
    p = parameters(request, ("page",))
    page = integer(p["page"], "page", 1)
    document = _document(doc)
    collection_id = request.build_absolute_uri(request.path)
    total = Mention.objects.filter(document=document).count()
    last = max(1, -(-total // ANNOTATION_PAGE_SIZE))
    number = page or 1
    if number > last:
        raise ApiError(404, f"page {number} does not exist; the last page is {last}", "page")
    units = _units(request, document, with_text=True)
    mentions = _mentions(document)[(number - 1) * ANNOTATION_PAGE_SIZE : number * ANNOTATION_PAGE_SIZE]
    entities = _entities(request, document)
    items = [annotation(collection_id, m, units[m["paragraph_id"]], entities.get(m["entity_id"])) for m in mentions]
    at = lambda n: f"{collection_id}?page={n}"  # noqa: E731
    annotation_page = {
        "id": at(number),
        "type": "AnnotationPage",
        "partOf": collection_id,
        "startIndex": (number - 1) * ANNOTATION_PAGE_SIZE,
        "items": items,
    }
    if number < last:
        annotation_page["next"] = at(number + 1)
    if number > 1:
        annotation_page["prev"] = at(number - 1)
    if page is None:
        body = {
            "@context": ANNO_CONTEXT,
            "id": collection_id,
            "type": "AnnotationCollection",
            "label": f"Entity mentions and dates in “{document.title}” (positions count Unicode characters "
            f"of each unit's text: notes, gaps and fw left out, whitespace collapsed)",
            "total": total,
            "first": annotation_page,
            "last": at(last),
        }
    else:
        body = {
            "@context": ANNO_CONTEXT,
            **annotation_page,
            "partOf": {"id": collection_id, "type": "AnnotationCollection", "total": total},
        }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
    )
    response["Content-Disposition"] = f'inline; filename="{document.slug}-annotations.jsonld"'
    return response


def _csv_response(rows: list[list], header: list[str], filename: str) -> HttpResponse:
    response = HttpResponse(
        write_csv(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8; header=present"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


MENTION_COLUMNS = [
    "document",
    "unit",
    "unit_url",
    "kind",
    "start",
    "end",
    "text",
    "entity",
    "entity_name",
    "entity_url",
    "authority_ids",
    "when",
    "from",
    "to",
    "resp",
    "cert",
]


@json_errors
def mentions_csv(request, doc):
    document = _document(doc)
    units = _units(request, document, with_text=False)
    entities = _entities(request, document)
    rows = []
    for m in _mentions(document):
        entity, unit = entities.get(m["entity_id"]), units[m["paragraph_id"]]
        rows.append(
            [
                document.slug,
                unit.xml_id,
                unit.url,
                m["kind"],
                m["start"],
                m["end"],
                m["surface"],
                entity.xml_id if entity else m["ref"],
                entity.name if entity else "",
                entity.url if entity else "",
                " ".join(entity.authority_ids) if entity else "",
                m["when"],
                m["date_from"],
                m["date_to"],
                m["resp"],
                m["cert"],
            ]
        )
    return _csv_response(rows, MENTION_COLUMNS, f"{document.slug}-mentions.csv")


REGISTER_COLUMNS = ["id", "kind", "name", "other_names", "authority_ids", "authority_urls", "mentions", "url", "resp"]


@json_errors
def register_csv(request):
    """The register as CSV; its rows hold absolute URLs (the registry caches it per site address)."""
    entities = (
        Entity.objects.annotate(mention_count=Count("mentions"))
        .prefetch_related("names", Prefetch("authority_ids", queryset=AuthorityId.objects.order_by("position")))
        .order_by("kind", "xml_id")
    )
    rows = [
        [
            e.xml_id,
            e.kind,
            e.name,
            " | ".join(n.name for n in e.names.all()),
            " ".join(f"{a.scheme}:{a.value}" for a in e.authority_ids.all()),
            " ".join(a.url for a in e.authority_ids.all() if a.url),
            e.mention_count,
            request.build_absolute_uri(e.get_absolute_url()),
            e.resp,
        ]
        for e in entities
    ]
    return _csv_response(rows, REGISTER_COLUMNS, "register.csv")


@json_errors
def work_zip(request, work):
    """The work's witnesses, its collation and the register, as the exporter writes them now,
    laid out as in ``corpus/tei/`` so that every ``@ref`` and ``relatedItem`` resolves."""
    found = (
        Work.objects.filter(slug=work)
        .prefetch_related(Prefetch("witnesses", queryset=Document.objects.select_related("file").order_by("slug")))
        .first()
    )
    if found is None:
        raise ApiError(404, f"no work has the slug {work!r}")
    exporter = CorpusExporter(".")
    files = [(f"{d.slug}.xml", exporter.document_tree(d)) for d in found.witnesses.all()]
    collation_file = CorpusFile.objects.filter(collation__work=found).first()
    if collation_file is not None:
        files.append((collation_file.path, exporter.file_tree(collation_file)))
    register = CorpusFile.objects.filter(kind=CorpusFile.Kind.REGISTER).first()
    if register is not None:
        files.append((register.path, exporter.register_tree(register)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, root in files:
            info = zipfile.ZipInfo(f"{found.slug}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, serialize(root))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.zip"'
    return response


@json_errors
def openapi(request):
    return HttpResponse(
        json.dumps(description(), indent=1, ensure_ascii=False),
        content_type="application/vnd.oai.openapi+json; charset=utf-8",
    )
