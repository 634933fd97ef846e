"""Whole numbers read from a request's query string or form, parsed strictly.

``str.isdigit()`` is true for '²' and '٣', which ``int()`` refuses or reads as 3, and an
unbounded integer overflows the database's columns: both became 500s. Here only ASCII digits
are numbers, bounded by the largest database integer, and a bad value answers 400 naming the
parameter (:func:`answers_bad_parameters`).
"""

from __future__ import annotations

import functools
import re

from django.http import HttpResponseBadRequest

#: The largest value a database ``integer`` column holds (PostgreSQL's and every primary key's bound).
LARGEST = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


class BadParameter(ValueError):
    """A request parameter that is not a whole number in range."""

    def __init__(self, name: str, value: str):
        self.name, self.value = name, value
        super().__init__(
            f"The parameter {name!r} must be a whole number from 0 to {LARGEST} in digits 0-9; {value[:40]!r} is not."
        )


def whole_number(value: str | None, name: str, default: int | None = None) -> int | None:
    """``value`` as a non-negative int (ASCII digits, at most :data:`LARGEST`); ``default`` when absent or empty."""
    if value is None or value == "":
        return default
    text = value.strip()
    if not _DIGITS.fullmatch(text) or int(text) > LARGEST:
        raise BadParameter(name, value)
    return int(text)


def whole_numbers(values, name: str) -> list[int]:
    """Every value of a repeated parameter (or the items of a comma-separated one) as whole numbers."""
    return [whole_number(v, name) for v in values if v.strip()]


def bad_parameter_response(exc: BadParameter) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


def answers_bad_parameters(view):
    """A view whose :class:`BadParameter` answers 400 with its message instead of a 500."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except BadParameter as exc:
            return bad_parameter_response(exc)

    return wrapped
