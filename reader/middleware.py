"""Requests no page can answer are refused with 400 before any view or database sees them.

A NUL byte cannot be stored or searched by PostgreSQL (a 500 there), and an
overlong parameter only costs work; both are the client's mistake, so the
answer names it.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest

#: Longest path and longest single query parameter value accepted (characters).
MAX_PATH = 2000
MAX_PARAMETER = 1000
#: Most query parameters accepted in one request.
MAX_PARAMETERS = 100


class RefuseMalformedRequests:
    """400 for NUL bytes or undecodable bytes in the URL, and for overlong paths or parameters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self.problem(request)
        if found and request.path_info.startswith("/api/"):
            from reader.api.errors import problem as api_problem  # the API answers every error as JSON

            return api_problem(400, f"Bad request: {found[0]}", found[1])
        if found:
            return HttpResponseBadRequest(f"Bad request: {found[0]}.\n", content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def problem(request) -> tuple[str, str | None] | None:
        """(what is wrong, the parameter at fault or None), or None for a sound request."""
        raw_path = request.META.get("PATH_INFO", "")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in raw_path:
            return "the URL contains a NUL byte", None
        if len(raw_path) > MAX_PATH:
            return f"the path is longer than {MAX_PATH} characters", None
        try:
            items = list(request.GET.lists())
        except Exception:  # noqa: BLE001 - Django refuses too many fields with its own exception
            return "the query string could not be read", None
        if sum(len(values) for _, values in items) > MAX_PARAMETERS:
            return f"more than {MAX_PARAMETERS} query parameters", None
        for name, values in items:
            label = name[:40]
            for value in values:
                if "\x00" in value or "\x00" in name:
                    return f"the parameter {label!r} contains a NUL byte", label
                if len(value) > MAX_PARAMETER:
                    return f"the parameter {label!r} is longer than {MAX_PARAMETER} characters", label
                if "\ufffd" in value and "%EF%BF%BD" not in query.upper():
                    return f"the parameter {label!r} is not valid UTF-8", label
        if b"\x00" in unquote_to_bytes(query):
            return "the URL contains a NUL byte", None
        return None
