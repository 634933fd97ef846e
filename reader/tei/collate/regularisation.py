"""The editor's regularisation list: a CSV of ``form,regular`` rows (``connexion,connection``).

A form is read as its regular word for alignment, and the difference is typed
orthographic with subtype ``regularised`` (or hidden, with
``CollationOptions(ignore_regularised=True)``). Forms and regular words are
single words (letters and digits: what the tokeniser calls a word); a form is
matched whatever its case. An optional header row ``form,regular``, blank lines
and lines starting with ``#`` are skipped.

A chain (``a,b`` and ``b,c``) is resolved: every form of it is read as the word at its
end (``c``), so all three align. A loop (``a,b`` and ``b,a``) has no end: it is refused,
naming its rows. Every error names the CSV row (records, counted from 1 as a
spreadsheet numbers them).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .model import CollationError

_WORD = re.compile(r"\w+")


def load_regularisations(path: str | Path) -> tuple[tuple[str, str], ...]:
    """Pairs (form, regular) from a CSV file; CollationError naming the file and row otherwise."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CollationError(f"{path}: cannot read the regularisation list ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CollationError(f"{path}: not UTF-8 (byte {exc.start})") from None
    return parse_regularisations(text, str(path))


def parse_regularisations(text: str, name: str = "regularisation list") -> tuple[tuple[str, str], ...]:
    pairs: dict[str, tuple[str, str]] = {}
    rows: dict[str, int] = {}  #: the row of each form
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and [c.casefold() for c in cells] == ["form", "regular"]:
            continue
        if len(cells) != 2 or not all(cells):
            raise CollationError(f"{name}: row {number}: expected two columns 'form,regular', got {row!r}")
        form, regular = cells
        for cell in cells:
            if not _WORD.fullmatch(cell):
                raise CollationError(f"{name}: row {number}: {cell!r} is not a single word (letters and digits only)")
        key = form.casefold()
        if key == regular.casefold():
            raise CollationError(f"{name}: row {number}: {form!r} is its own regular form")
        if key in pairs and pairs[key][1].casefold() != regular.casefold():
            raise CollationError(
                f"{name}: row {number}: {form!r} is regularised twice ({pairs[key][1]!r} and {regular!r})"
            )
        pairs[key] = (form, regular)
        rows.setdefault(key, number)
    return tuple((form, _end_of_chain(key, pairs, rows, name)) for key, (form, _) in pairs.items())


def _end_of_chain(key: str, pairs: dict[str, tuple[str, str]], rows: dict[str, int], name: str) -> str:
    """The regular word ``key`` leads to, following rows whose form is another row's regular word."""
    seen = [key]
    regular = pairs[key][1]
    while regular.casefold() in pairs:
        step = regular.casefold()
        if step in seen:
            loop = seen[seen.index(step) :]
            words = " → ".join(pairs[k][0] for k in loop) + f" → {pairs[step][0]}"
            numbers = sorted(rows[k] for k in loop)
            raise CollationError(
                f"{name}: rows {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} regularise in a loop ({words}); "
                "a loop has no regular form: remove one of its rows"
            )
        seen.append(step)
        regular = pairs[step][1]
    return regular
