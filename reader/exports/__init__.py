"""Every export and download of the site in one place: :data:`reader.exports.registry.EXPORTS`.

An :class:`Export` says what one file format of one kind of thing is (scope, media type, extension,
the function that builds it, whether it is built once per corpus revision). From the registry come

- the URL patterns (:func:`url_patterns`, included by ``reader/texts/urls.py`` and ``reader/api/urls.py``),
- the pages' download links (:func:`links`, through the ``{% downloads %}`` template tag),
- the OpenAPI paths (:func:`openapi_paths`, in ``reader/api/openapi.py``).

Adding an export: ``docs/adding-an-export.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.urls import path

from .record import DOWNLOAD_CACHE_SECONDS, PATH_PARAMETERS, SCOPES, Export, built_once

__all__ = [
    "DOWNLOAD_CACHE_SECONDS",
    "PATH_PARAMETERS",
    "SCOPES",
    "Export",
    "built_once",
    "exports",
    "get",
    "links",
    "url_patterns",
]


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
