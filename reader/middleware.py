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
        problem = self.problem(request)
        if problem:
            return HttpResponseBadRequest(f"Bad request: {problem}.\n", content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str | None:
        raw_path = request.META.get("PATH_INFO", "")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in raw_path or b"\x00" in unquote_to_bytes(query):
            return "the URL contains a NUL byte"
        if len(raw_path) > MAX_PATH:
            return f"the path is longer than {MAX_PATH} characters"
        try:
            items = list(request.GET.lists())
        except Exception:  # noqa: BLE001 - Django refuses too many fields with its own exception
            return "the query string could not be read"
        if sum(len(values) for _, values in items) > MAX_PARAMETERS:
            return f"more than {MAX_PARAMETERS} query parameters"
        for name, values in items:
            for value in values:
                if len(value) > MAX_PARAMETER:
                    return f"the parameter {name[:40]!r} is longer than {MAX_PARAMETER} characters"
                if "\ufffd" in value and "%EF%BF%BD" not in query.upper():
                    return f"the parameter {name[:40]!r} is not valid UTF-8"
        return None
