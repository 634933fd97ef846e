"""OpenAPI 3.1 description of DTS and of every export (the export registry's, wherever its URL is);
served at ``/api/openapi.json``."""

from __future__ import annotations

import re

from reader import exports

from .errors import MAX_PARAMETER_LENGTH

_STRING = {"type": "string", "maxLength": MAX_PARAMETER_LENGTH}
_PROBLEM = {"$ref": "#/components/responses/Problem"}


def _query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema or _STRING}


def _path(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "pattern": "^[^/]+$"},
    }


def _ok(media_type: str, description: str, schema: dict | None = None) -> dict:
    return {"description": description, "content": {media_type: {"schema": schema or {"type": "string"}}}}


_RESOURCE = _query("resource", "Id of a Resource (a witness: its document slug).", required=True)
_REF = _query("ref", "Identifier of one citable unit (not with start/end).")
_START = _query("start", "First unit of a range (with end).")
_END = _query("end", "Last unit of a range (with start), inclusive.")
_TREE = _query("tree", "Identifier of a non-default citation tree (e.g. 'units': every unit by its id).")
_PAGE = _query("page", "Page of a paginated answer, from 1.", {"type": "integer", "minimum": 1})


def _operation_id(name: str) -> str:
    head, *rest = re.split(r"[-_.]", name)
    return head + "".join(word.capitalize() for word in rest)


def export_paths() -> dict:
    """One path per export of the registry; formats that share a URL and differ by a query parameter
    (the search's ``format``) are one operation with that parameter required and enumerated."""
    groups: dict[str, list] = {}
    for export in exports.exports():
        groups.setdefault(export.openapi_path, []).append(export)
    paths = {}
    for path, family in groups.items():
        first = family[0]
        parameters = [_path(name, exports.PATH_PARAMETERS[name]) for name in first.path_parameters]
        for name in first.query:
            values = [e.query[name] for e in family]
            parameters.append(_query(name, "The format.", {"type": "string", "enum": values}, required=True))
        parameters += [_query(name, text, required=required) for name, text, required in first.parameters]
        problems = {"404": _PROBLEM} if path.startswith("/api/") else {"404": {"description": "No such object."}}
        if first.parameters or first.query:
            problems["400"] = _PROBLEM if path.startswith("/api/") else {"description": "A bad parameter."}
        content = {
            e.base_type: {
                "schema": e.schema
                or ({"type": "string"} if _text(e) else {"type": "string", "contentEncoding": "binary"})
            }
            for e in family
        }
        operation = {
            "operationId": _operation_id(first.name if len(family) == 1 else first.scope),
            "summary": first.summary,
            "tags": [first.scope],
            "responses": {"200": {"description": first.label, "content": content}, **problems},
        }
        if parameters:
            operation["parameters"] = parameters
        paths[path] = {"get": operation}
    return paths


def _text(export) -> bool:
    return (
        export.base_type.startswith("text/")
        or "charset" in export.media_type
        or export.base_type.endswith(("json", "xml"))
    )


def description() -> dict:
    dts = "https://dtsapi.org/versions/v1.0"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Parallax machine interfaces",
            "version": "1.0",
            "summary": "DTS 1.0 over the corpus, and every export of the site (the export registry's).",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "externalDocs": {"description": "Distributed Text Services 1.0", "url": dts},
        "paths": {
            "/api/dts/": {
                "get": {
                    "operationId": "dtsEntry",
                    "summary": "DTS entry point: the URI templates of the three endpoints.",
                    "responses": {
                        "200": _ok("application/ld+json", "EntryPoint", {"$ref": "#/components/schemas/EntryPoint"})
                    },
                }
            },
            "/api/dts/collection/": {
                "get": {
                    "operationId": "dtsCollection",
                    "summary": "The root collection (works), a work (its witnesses as Resources) or one Resource.",
                    "parameters": [
                        _query("id", "'parallax' (root, the default), 'work:<slug>' or a Resource id."),
                        _PAGE,
                        _query(
                            "nav",
                            "Members are children (default) or parents.",
                            {"type": "string", "enum": ["children", "parents"]},
                        ),
                    ],
                    "responses": {
                        "200": _ok(
                            "application/ld+json",
                            "Collection or Resource",
                            {"$ref": "#/components/schemas/CollectionOrResource"},
                        ),
                        "400": _PROBLEM,
                        "404": _PROBLEM,
                    },
                }
            },
            "/api/dts/navigation/": {
                "get": {
                    "operationId": "dtsNavigation",
                    "summary": "Citable units of a Resource (sections and their units) from its TEI citeStructure.",
                    "parameters": [
                        _RESOURCE,
                        _REF,
                        _START,
                        _END,
                        _query(
                            "down",
                            "Depth below ref, start/end or the root; -1 for all.",
                            {"type": "integer", "minimum": -1},
                        ),
                        _TREE,
                        _PAGE,
                    ],
                    "responses": {
                        "200": _ok("application/ld+json", "Navigation", {"$ref": "#/components/schemas/Navigation"}),
                        "400": _PROBLEM,
                        "404": _PROBLEM,
                    },
                }
            },
            "/api/dts/document/": {
                "get": {
                    "operationId": "dtsDocument",
                    "summary": "The Resource as TEI, or one unit or a range of units inside dts:wrapper.",
                    "parameters": [
                        _RESOURCE,
                        _REF,
                        _START,
                        _END,
                        _TREE,
                        _query(
                            "mediaType",
                            "Only application/tei+xml.",
                            {"type": "string", "enum": ["application/tei+xml"]},
                        ),
                    ],
                    "responses": {"200": _ok("application/tei+xml", "TEI document"), "400": _PROBLEM, "404": _PROBLEM},
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description.",
                    "responses": {"200": _ok("application/vnd.oai.openapi+json", "OpenAPI 3.1", {"type": "object"})},
                }
            },
            **export_paths(),
        },
        "components": {
            "responses": {
                "Problem": {
                    "description": "The request cannot be answered; detail says why.",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            },
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict:
    template = {"type": "string", "description": "RFC 6570 URI template"}
    unit = {
        "type": "object",
        "required": ["identifier", "@type", "level", "parent"],
        "properties": {
            "identifier": {"type": "string"},
            "@type": {"const": "CitableUnit"},
            "level": {"type": "integer"},
            "parent": {"type": ["string", "null"]},
            "citeType": {"type": "string"},
            "@id": {"type": "string"},
            "dublinCore": {"type": "object"},
            "extensions": {"type": "object"},
        },
    }
    return {
        "Problem": {
            "type": "object",
            "required": ["title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "parameter": {"type": "string"},
            },
        },
        "EntryPoint": {
            "type": "object",
            "required": ["@context", "@id", "@type", "dtsVersion", "collection", "navigation", "document"],
            "properties": {
                "@context": {"type": "string"},
                "@id": {"type": "string"},
                "@type": {"const": "EntryPoint"},
                "dtsVersion": {"const": "1.0"},
                "collection": template,
                "navigation": template,
                "document": template,
            },
        },
        "CollectionOrResource": {
            "type": "object",
            "required": ["@id", "@type", "dtsVersion", "title", "totalParents", "collection"],
            "properties": {
                "@type": {"enum": ["Collection", "Resource"]},
                "member": {"type": "array", "items": {"type": "object"}},
                "navigation": template,
                "document": template,
                "collection": template,
            },
        },
        "CitableUnit": unit,
        "Navigation": {
            "type": "object",
            "required": ["@context", "@id", "@type", "dtsVersion", "resource"],
            "properties": {
                "@type": {"const": "Navigation"},
                "resource": {"type": "object"},
                "ref": {"$ref": "#/components/schemas/CitableUnit"},
                "start": {"$ref": "#/components/schemas/CitableUnit"},
                "end": {"$ref": "#/components/schemas/CitableUnit"},
                "member": {"type": "array", "items": {"$ref": "#/components/schemas/CitableUnit"}},
            },
        },
        "AnnotationContainer": {
            "type": "object",
            "required": ["@context", "id", "type"],
            "properties": {
                "type": {"enum": ["AnnotationCollection", "AnnotationPage"]},
                "total": {"type": "integer"},
                "first": {"type": "object"},
                "items": {"type": "array", "items": {"type": "object"}},
            },
        },
    }
