"""CSV cells a spreadsheet will not run as formulas (OWASP "CSV injection").

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets: an entity named ``=HYPERLINK(…)`` in ``register.csv`` would run on the
reader's machine. Such a cell gets a leading ``'``, which spreadsheets show as text and do not display.
Every CSV the reader serves goes through :func:`write_csv`.
"""

from __future__ import annotations

import csv
import io

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a cell no spreadsheet evaluates (numbers and other non-strings stay as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: list[str], rows) -> str:
    """The CSV text (RFC 4180 line ends) of ``header`` and ``rows``, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()
