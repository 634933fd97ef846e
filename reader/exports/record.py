"""The record of one export (:class:`Export`) and the once-per-corpus-revision cache of its answers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
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
