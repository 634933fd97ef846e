"""Every export and download of the site in one place: :data:`reader.exports.registry.EXPORTS`.

An :class:`Export` says what one file format of one kind of thing is (scope, media type, extension,
the function that builds it, whether it is built once per corpus revision). From the registry come

- the URL patterns (:func:`url_patterns`, included by ``reader/texts/urls.py`` and ``reader/api/urls.py``),
- the pages' download links (:func:`links`, through the ``{% downloads %}`` template tag),
- the OpenAPI paths (:func:`openapi_paths`, in ``reader/api/openapi.py``).

Adding an export: ``docs/adding-an-export.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.module_loading import import_string

#: What an export is of; a template asks for the links of one scope.
SCOPES = ("corpus", "work", "document", "unit", "search")
#: The site's path parameters, as the OpenAPI description names them.
PATH_PARAMETERS = {"doc": "Document slug.", "pid": "Id of a unit (paragraph) of the document.", "work": "Work slug."}
_PARAMETER = re.compile(r"<(?:str:)?(\w+)>")

#: A download stays cached until the corpus changes (its key holds the revision), a day at most.
DOWNLOAD_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Export:
    """One file format of one kind of thing, and where and how it is served."""

    #: Unique id (also the OpenAPI operationId, camel-cased).
    name: str
    #: One of :data:`SCOPES`.
    scope: str
    #: Link text on the pages.
    label: str
    #: The Content-Type the response has (parameters included).
    media_type: str
    #: File extension (the URL's ``<str:ext>`` where several formats share a route).
    extension: str
    #: Django route below the site root, e.g. ``texts/<str:doc>.xml``.
    route: str
    #: The URL's name with its namespace (``texts:document-tei``); formats sharing a route share it.
    url_name: str
    #: Dotted path of the view that builds it: ``view(request, **url parameters)``.
    build: str
    #: One line for the OpenAPI description and the link's title.
    summary: str = ""
    #: Built once per corpus revision (and address): the registry keeps the 200 answers.
    cached: bool = False
    #: "attachment" (the link says ``download``) or "inline".
    disposition: str = "attachment"
    #: Links are grouped on a page (e.g. "cite": citation files, "relations": stemmatology files).
    group: str = ""
    #: Fixed query parameters that select this format on a shared URL (e.g. ``{"format": "csv"}``).
    query: dict = field(default_factory=dict)
    #: Documented query parameters: (name, description, required).
    parameters: tuple = ()
    #: JSON Schema of the body, for OpenAPI (default: a string, binary for non-text types).
    schema: dict | None = None
    #: The route is a page's own (search): the registry documents and links it but adds no URL pattern.
    page_route: bool = False

    @property
    def base_type(self) -> str:
        """The media type without parameters (``text/csv``)."""
        return self.media_type.split(";")[0].strip()

    @property
    def shares_route(self) -> bool:
        return "<str:ext>" in self.route

    @property
    def openapi_path(self) -> str:
        """``/texts/{doc}/cite.bib``: the route with this format's extension and OpenAPI's parameters."""
        route = self.route.replace("<str:ext>", self.extension)
        return "/" + _PARAMETER.sub(r"{\1}", route)

    @property
    def path_parameters(self) -> list[str]:
        return [p for p in _PARAMETER.findall(self.route) if p != "ext"]

    @cached_property
    def view(self) -> Callable[..., HttpResponse]:
        return import_string(self.build)

    def url(self, query: str = "", **kwargs) -> str:
        """The export's URL for these path parameters (others are left out), with ``query`` (an encoded
        query string) and then its fixed query."""
        args = {k: v for k, v in kwargs.items() if k in self.path_parameters}
        if self.shares_route:
            args["ext"] = self.extension
        url = reverse(self.url_name, kwargs=args)
        query = "&".join(q for q in (query, urlencode(self.query)) if q)
        return url + ("?" + query if query else "")

    def respond(self, request, **kwargs) -> HttpResponse:
        """The view's answer; a cached export's 200 is kept per corpus revision and full address."""
        if not self.cached or request.method not in ("GET", "HEAD"):
            return self.view(request, **kwargs)
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return built_once(f"{self.name}:{address}", lambda: self.view(request, **kwargs))


def built_once(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response ``build()`` makes, made once per corpus revision: a later revision (a load, an
    annotator's save) has another key. Only a 200 is kept; an error is built again next time."""
    from reader.caching import corpus_revision, remembered

    full_key = f"parallax:download:{corpus_revision()}:{key}"
    return remembered(full_key, build, DOWNLOAD_CACHE_SECONDS, keep=lambda response: response.status_code == 200)


def exports() -> tuple[Export, ...]:
    from .registry import EXPORTS

    return EXPORTS


def get(name: str) -> Export:
    return next(e for e in exports() if e.name == name)


def _dispatcher(family: list[Export]):
    """The view of one URL pattern: the family's one export, or the one the URL's extension names."""
    first = family[0]
    by_extension = {e.extension: e for e in family}

    def view(request, **kwargs):
        if not first.shares_route:
            return first.respond(request, **kwargs)
        export = by_extension.get(kwargs["ext"])
        if export is None:
            names = ", ".join(e.openapi_path.rsplit("/", 1)[-1] for e in family)
            raise Http404(f"No such download: .{kwargs['ext']}; there are {names}.")
        return export.respond(request, **kwargs)

    view.__doc__ = first.view.__doc__
    view.__name__ = first.view.__name__
    if getattr(first.view, "csrf_exempt", False):  # the API answers a write with its own 405
        view.csrf_exempt = True
    return view


def url_patterns(namespace: str) -> list:
    """One URL pattern per route of the namespace's exports, named as the registry says."""
    families: dict[str, list[Export]] = {}
    for export in exports():
        if export.page_route or not export.url_name.startswith(namespace + ":"):
            continue
        families.setdefault(export.url_name, []).append(export)
    prefix = "api/" if namespace == "api" else ""
    return [
        path(family[0].route.removeprefix(prefix), _dispatcher(family), name=url_name.split(":", 1)[1])
        for url_name, family in families.items()
    ]


@dataclass(frozen=True)
class Link:
    """A download link as a page shows it."""

    export: Export
    url: str

    @property
    def label(self) -> str:
        return self.export.label

    @property
    def media_type(self) -> str:
        return self.export.base_type

    @property
    def download(self) -> bool:
        return self.export.disposition == "attachment"


def links(scope: str, group: str = "", query: str = "", **kwargs) -> list[Link]:
    """The links to every export of ``scope`` (and ``group``) for the object the parameters name;
    ``query`` (an encoded query string) is carried to each (the relations page's choices)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown export scope {scope!r}; the scopes are {', '.join(SCOPES)}")
    out = []
    for export in exports():
        if export.scope == scope and export.group == group:
            out.append(Link(export, export.url(query, **kwargs)))
    return out
