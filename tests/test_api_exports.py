"""Exports on the real corpus: Web Annotation JSON-LD, CSV, a work's ZIP, the OpenAPI description,
and the links to them on the pages."""

from __future__ import annotations

import csv
import io
import zipfile

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from reader.tei.validate import validate_tree
from reader.tei.xml import XML_ID, parse_bytes
from reader.texts.loader import CorpusLoader
from reader.texts.models import Mention, Paragraph

pytestmark = pytest.mark.django_db

DOC = "soviet-partisans-in-latvia"

# The W3C Web Annotation Data Model's requirements (https://www.w3.org/TR/annotation-model/),
# as JSON Schema: no package on PyPI ships the W3C's own schemas, so the MUSTs are written here.
_IRI = {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:"}
_SELECTOR = {
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "exact"],
            "properties": {
                "type": {"const": "TextQuoteSelector"},
                "exact": {"type": "string", "minLength": 1},
                "prefix": {"type": "string"},
                "suffix": {"type": "string"},
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["type", "start", "end"],
            "properties": {
                "type": {"const": "TextPositionSelector"},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            },
            "additionalProperties": False,
        },
    ]
}
_BODY = {
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "value"],
            "properties": {
                "type": {"const": "TextualBody"},
                "value": {"type": "string"},
                "purpose": {"type": "string"},
                "format": {"type": "string"},
                "language": {"type": "string"},
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["id"],
            "properties": {"id": _IRI, "purpose": {"type": "string"}},
            "additionalProperties": False,
        },
    ]
}
_MOTIVATIONS = [
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
]
ANNOTATION = {
    "type": "object",
    "required": ["id", "type", "target"],
    "properties": {
        "id": _IRI,
        "type": {"const": "Annotation"},
        "motivation": {"enum": _MOTIVATIONS},
        "body": {"type": "array", "items": {"allOf": [_BODY, {"properties": {"purpose": {"enum": _MOTIVATIONS}}}]}},
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {"source": _IRI, "selector": {"type": "array", "items": _SELECTOR}},
            "additionalProperties": False,
        },
        "creator": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["Person", "Software", "Organization"]},
                "name": {"type": "string"},
                "nickname": {"type": "string"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
PAGE = {
    "type": "object",
    "required": ["id", "type", "items"],
    "properties": {
        "id": _IRI,
        "type": {"const": "AnnotationPage"},
        "items": {"type": "array", "items": ANNOTATION},
        "partOf": {},
        "startIndex": {"type": "integer", "minimum": 0},
        "next": _IRI,
        "prev": _IRI,
    },
}
COLLECTION = {
    "type": "object",
    "required": ["@context", "id", "type", "total", "first"],
    "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
        "id": _IRI,
        "type": {"const": "AnnotationCollection"},
        "label": {"type": "string"},
        "total": {"type": "integer"},
        "first": PAGE,
        "last": _IRI,
    },
    "additionalProperties": False,
}


@pytest.fixture
def corpus(corpus_dir):
    assert CorpusLoader(corpus_dir).run().failed == []


def test_mentions_as_web_annotations(client, corpus, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = client.get(f"/api/texts/{DOC}/annotations.jsonld")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    collection = response.json()
    jsonschema.validate(collection, COLLECTION)
    items = collection["first"]["items"]
    mentions = list(
        Mention.objects.filter(document__slug=DOC)
        .select_related("paragraph", "entity")
        .order_by("paragraph__position", "start", "-end", "kind")
    )
    assert collection["total"] == len(items) == len(mentions) > 100
    assert len({a["id"] for a in items}) == len(items)
    for annotation, mention in zip(items, mentions):
        quote, position = annotation["target"]["selector"]
        text = mention.paragraph.text
        assert text[position["start"] : position["end"]] == quote["exact"] == mention.surface
        assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"] :].startswith(
            quote["suffix"]
        )
        assert annotation["target"]["source"] == f"http://testserver/texts/{DOC}/{mention.paragraph.xml_id}/"
    latvia = next(a for a in items if a["target"]["selector"][0]["exact"] == "Latvia")
    assert {"id": "http://testserver/entities/pla-latvia/", "purpose": "identifying"} in latvia["body"]
    assert {"id": "https://www.wikidata.org/wiki/Q211", "purpose": "identifying"} in latvia["body"]
    dated = next(a for a in items if a["motivation"] == "tagging")
    assert {
        "type": "TextualBody",
        "purpose": "describing",
        "value": "1941-06/1941-07",
        "format": "text/plain",
    } in dated["body"]
    page = client.get(f"/api/texts/{DOC}/annotations.jsonld?page=1").json()
    jsonschema.validate({k: v for k, v in page.items() if k != "@context"}, PAGE)
    assert page["items"] == items and page["partOf"]["total"] == len(items)
    assert client.get(f"/api/texts/{DOC}/annotations.jsonld?page=2").status_code == 404
    assert client.get(f"/api/texts/{DOC}/annotations.jsonld?page=x%00").status_code == 400
    assert client.get("/api/texts/nothing-here/annotations.jsonld").json()["status"] == 404


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def test_mentions_and_register_as_csv(client, corpus, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get(f"/api/texts/{DOC}/mentions.csv")
    rows = _csv(response)
    assert list(rows[0]) == [
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
    assert len(rows) == Mention.objects.filter(document__slug=DOC).count()
    texts = dict(Paragraph.objects.filter(document__slug=DOC).values_list("xml_id", "text"))
    for row in rows:
        assert texts[row["unit"]][int(row["start"]) : int(row["end"])] == row["text"]
    assert {"entity": "pla-latvia", "authority_ids": "wikidata:Q211"}.items() <= next(
        r for r in rows if r["text"] == "Latvia"
    ).items()
    with django_assert_num_queries(3):
        response = client.get("/api/register.csv")
    register = _csv(response)
    assert list(register[0])[:3] == ["id", "kind", "name"]
    by_id = {r["id"]: r for r in register}
    assert by_id["pla-latvia"]["authority_urls"] == "https://www.wikidata.org/wiki/Q211"
    assert int(by_id["pla-latvia"]["mentions"]) >= 20
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in r["other_names"]) for r in register)  # Cyrillic kept


def test_a_work_as_a_zip_of_valid_tei_with_annotators_changes(client, corpus, django_assert_num_queries):
    removed = Mention.objects.filter(document__slug=DOC, surface="Latvia").first()
    unit = removed.paragraph.xml_id
    before = Mention.objects.filter(paragraph=removed.paragraph, surface="Latvia").count()
    removed.delete()  # as an annotator's deletion in the admin
    with django_assert_num_queries(7 + 4 * 2):  # 4 per witness: the exporter builds each file
        response = client.get(f"/api/works/{DOC}.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        f"{DOC}/collations/{DOC}.xml",
        f"{DOC}/register.xml",
        f"{DOC}/{DOC}-2.xml",
        f"{DOC}/{DOC}.xml",
    ]
    for name in archive.namelist():
        root = parse_bytes(archive.read(name), name)
        assert validate_tree(root, name) == [], name
    root = parse_bytes(archive.read(f"{DOC}/{DOC}.xml"))
    paragraph = next(el for el in root.iter("{http://www.tei-c.org/ns/1.0}p") if el.get(XML_ID) == unit)
    names = [el.text for el in paragraph.iter("{http://www.tei-c.org/ns/1.0}placeName")]
    assert names.count("Latvia") == before - 1
    assert archive.read(f"{DOC}/{DOC}.xml") == client.get(f"/texts/{DOC}.xml").content
    assert client.get("/api/works/nothing.zip").status_code == 404


def test_openapi_description_is_valid_and_every_path_answers(client, corpus):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    description = response.json()
    validate_openapi(description)
    assert description["openapi"].startswith("3.1")
    samples = {"doc": DOC, "work": DOC, "pid": Paragraph.objects.filter(document__slug=DOC).first().xml_id}
    for path, item in description["paths"].items():
        url = path.format(**samples)
        query = (
            "?resource=" + DOC + "&down=1" if "navigation" in path else "?resource=" + DOC if "document" in path else ""
        )
        formats = [p for p in item["get"].get("parameters", []) if p["name"] == "format"]
        queries = [f"?q=Latvia&format={f}" for f in formats[0]["schema"]["enum"]] if formats else [query]
        for query, declared in zip(queries, item["get"]["responses"]["200"]["content"], strict=True):
            got = client.get(url + query)
            assert got.status_code == 200, (path, got.content[:200])
            assert got["Content-Type"].split(";")[0] == declared, path


def test_pages_link_to_the_exports(client, corpus):
    page = client.get(f"/texts/{DOC}/").content.decode()
    assert f'href="/api/texts/{DOC}/annotations.jsonld"' in page and f'href="/api/texts/{DOC}/mentions.csv"' in page
    assert f'href="/api/dts/collection/?id={DOC}"' in page
    assert f'href="/api/works/{DOC}.zip"' in client.get(f"/compare/{DOC}/").content.decode()
    assert 'href="/api/register.csv"' in client.get("/entities/pla-latvia/").content.decode()
