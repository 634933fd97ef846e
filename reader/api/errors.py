"""Errors as JSON (RFC 9457 problem details) and the checks every query parameter goes through."""

from __future__ import annotations

import json
import re

from django.http import HttpResponse

#: Longest value accepted for any parameter (identifiers and references are far shorter).
MAX_PARAMETER_LENGTH = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 501: "Not Implemented"}


class ApiError(Exception):
    """A request we refuse, with the status, a message naming the problem, and the parameter at fault."""

    def __init__(self, status: int, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.parameter = status, detail, parameter


def problem(status: int, detail: str, parameter: str | None = None) -> HttpResponse:
    body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status, "detail": detail}
    if parameter:
        body["parameter"] = parameter
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json; charset=utf-8"
    )


def parameters(request, names: tuple[str, ...]) -> dict[str, str | None]:
    """The named query parameters, each given at most once, short, and without control characters."""
    values = {}
    for name in names:
        given = request.GET.getlist(name)
        if len(given) > 1:
            raise ApiError(400, f"{name} is given {len(given)} times; give it once", name)
        value = given[0] if given else None
        if value is not None:
            if len(value) > MAX_PARAMETER_LENGTH:
                raise ApiError(
                    400, f"{name} is {len(value)} characters long; the limit is {MAX_PARAMETER_LENGTH}", name
                )
            if _CONTROL.search(value):
                raise ApiError(400, f"{name} contains a control character (such as NUL)", name)
        values[name] = value
    return values


def integer(value: str | None, name: str, minimum: int) -> int | None:
    """``value`` as an integer of at least ``minimum`` (None stays None)."""
    if value is None:
        return None
    if not re.fullmatch(r"-?[0-9]{1,9}", value.strip()):  # ASCII: int() reads "١" as 1
        raise ApiError(400, f"{name} must be an integer, not {value!r}", name)
    number = int(value)
    if number < minimum:
        raise ApiError(400, f"{name} must be {minimum} or more, not {number}", name)
    return number


def json_errors(view):
    """Turn ``ApiError`` (and the citation tree's errors) into problem responses, and every write into the
    documented 405. The API is read-only, so it is exempt from CSRF: otherwise the CSRF check, which runs
    before the view, answers a write with Django's HTML 403 instead."""
    from functools import wraps

    from django.views.decorators.csrf import csrf_exempt

    from reader.tei.dts import CitationError

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = problem(405, f"{request.method} is not supported; use GET")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return problem(exc.status, exc.detail, exc.parameter)
        except CitationError as exc:
            return problem(exc.status, str(exc), exc.parameter)

    return csrf_exempt(wrapped)
