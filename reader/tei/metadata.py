"""Witness metadata: the editor's CSV in, the TEI header's fields out and back.

An editor describes witnesses in a CSV file (header row; columns
``file,title,author,date,siglum,work,source,licence``; only ``file`` is
required), given to ``manage.py ingest --meta FILE``. :func:`read_metadata`
checks the whole file before anything is written; :func:`apply_metadata`
puts a row into a TEI header, every element it writes marked
``@resp="#editor"`` (see docs/tei-conventions.md, "Witness metadata");
:func:`header_metadata` reads those elements back, so that a re-ingest
without the CSV keeps them; :func:`witness_info` is what collation and the
site read (siglum, author, date, work), whoever wrote it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

from lxml import etree

from .xml import NS, XML_ID, bad_character, tei

COLUMNS = ("file", "title", "author", "date", "siglum", "work", "source", "licence", "fragment")
#: ``fragment``: where the witness's text is missing: "start" (it begins late), "end" (it breaks
#: off), both ("start end" or "both"); collation reads nothing there (docs/collation.md, "Lacunae").
FRAGMENT_VALUES = ("start", "end")
#: Other spellings of a column name accepted as that column.
ALIASES = {"license": "licence"}
EDITOR = "#editor"
#: Longest values the site stores (``Document`` field sizes).
MAX_LENGTH = {"title": 500, "author": 500, "siglum": 60, "work": 120}
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)  # "١٨٥٩" is no @when
_URL = re.compile(r"https?://\S+")
#: Licence URLs with the name shown for them when the CSV gives only the URL.
KNOWN_LICENCES = {
    "creativecommons.org/licenses/by-sa/4.0": "Creative Commons Attribution-ShareAlike 4.0",
    "creativecommons.org/licenses/by-sa/3.0": "Creative Commons Attribution-ShareAlike 3.0",
    "creativecommons.org/licenses/by/4.0": "Creative Commons Attribution 4.0",
    "creativecommons.org/licenses/by/3.0": "Creative Commons Attribution 3.0",
    "creativecommons.org/publicdomain/zero/1.0": "CC0 1.0 (public domain dedication)",
    "creativecommons.org/publicdomain/mark/1.0": "Public Domain Mark 1.0",
}
_FREE = re.compile(r"public domain|creative ?commons|\bCC[- ]?(BY|0)\b|creativecommons\.org|\bGPL\b|\bMIT\b", re.I)


class MetadataError(ValueError):
    """A metadata file that cannot be used; the message names the file and each bad row."""


@dataclass(frozen=True)
class WitnessMeta:
    """One witness's metadata; an empty string means "not given"."""

    title: str = ""
    author: str = ""
    date: str = ""
    siglum: str = ""
    work: str = ""
    source: str = ""
    licence: str = ""
    #: "", "start", "end" or "start end" (see FRAGMENT_VALUES)
    fragment: str = ""

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass
class Metadata:
    """A checked metadata file: rows by source file name, and what was ignored."""

    rows: dict[str, WitnessMeta]
    warnings: list[str]


# --- the CSV --------------------------------------------------------------------------------


def read_metadata(csv_path: str | Path, paths: list[str | Path]) -> Metadata:
    """Read and check ``csv_path`` against the source files to ingest (``paths``).

    Raises :class:`MetadataError` listing every bad row; nothing is returned
    half-checked. A row's ``file`` is matched to a path by location (relative
    to the CSV's folder, then to the current folder), else by file name.
    """
    csv_path = Path(csv_path)
    text = _read_text(csv_path)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales save CSV with ';' (or tabs): take the header row's separator.
    delimiter = next((d for d in ",;\t" if d in first_line), ",")
    table = _table(csv_path, text, delimiter)
    if not table or not any(cell.strip() for cell in table[0]):
        raise MetadataError(f"{csv_path}: no header row (expected columns {','.join(COLUMNS)})")
    columns, warnings = _columns(csv_path, table[0])
    given = [Path(p) for p in paths]
    rows: dict[str, WitnessMeta] = {}
    first_row: dict[str, int] = {}
    sigla: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    for number, cells in enumerate(table[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        where = f"row {number}"
        if len(cells) != len(table[0]):
            errors.append(f"{where}: {len(cells)} field(s), but the header has {len(table[0])}")
            continue
        values = {name: " ".join(cells[i].split()) for i, name in columns.items()}
        file_value = values.pop("file")
        if not file_value:
            errors.append(f"{where}: the 'file' cell is empty")
            continue
        where = f"row {number} ({file_value})"
        problems = _check_values(values)
        name, problem = _match_file(file_value, csv_path.parent, given)
        if problem:
            problems.insert(0, problem)
        elif name in first_row:
            problems.insert(0, f"names the same file as row {first_row[name]}")
        key = (values.get("work", "").casefold(), values.get("siglum", ""))
        if key[1] and key in sigla:
            problems.append(
                f"siglum {key[1]!r} is already used by row {sigla[key]}" + (" in the same work" if key[0] else "")
            )
        if problems:
            errors.extend(f"{where}: {p}" for p in problems)
            continue
        first_row[name] = number
        if key[1]:
            sigla[key] = number
        if "fragment" in values:
            values["fragment"] = fragment_value(values["fragment"])
        rows[name] = WitnessMeta(**values)
    if errors:
        raise MetadataError(f"{csv_path}: nothing was ingested; fix these rows:\n  " + "\n  ".join(errors))
    return Metadata(rows, warnings)


def _table(csv_path: Path, text: str, delimiter: str) -> list[list[str]]:
    """The CSV's rows; an unreadable one is named by its row and line (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: list[list[str]] = []
    try:
        for row in reader:
            table.append(row)
    except csv.Error as exc:
        raise MetadataError(
            f"{csv_path}: row {len(table) + 1} (line {reader.line_num}): not readable as CSV: {exc}"
        ) from None
    return table


def _read_text(csv_path: Path) -> str:
    try:
        data = csv_path.read_bytes()
    except FileNotFoundError:
        raise MetadataError(f"{csv_path}: no such metadata file") from None
    except OSError as exc:
        raise MetadataError(f"{csv_path}: cannot be read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MetadataError(
            f"{csv_path}: line {line}: not UTF-8 (invalid byte at offset {exc.start}); save it as UTF-8 CSV"
        ) from None


def _columns(csv_path: Path, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> known column name; unknown columns become warnings."""
    columns: dict[int, str] = {}
    unknown = []
    for i, raw in enumerate(header):
        name = raw.strip().casefold()
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            unknown.append(raw.strip() or f"(column {i + 1}, no name)")
        elif name in columns.values():
            raise MetadataError(f"{csv_path}: row 1: column {name!r} appears twice")
        else:
            columns[i] = name
    if "file" not in columns.values():
        raise MetadataError(
            f"{csv_path}: row 1: no 'file' column (the header row must name the columns: "
            f"{','.join(COLUMNS)}; only 'file' is required)"
        )
    warnings = (
        [f"{csv_path}: unknown column(s) ignored: {', '.join(repr(u) for u in unknown)} (known: {','.join(COLUMNS)})"]
        if unknown
        else []
    )
    return columns, warnings


def _check_values(values: dict[str, str]) -> list[str]:
    problems = []
    for name, value in values.items():
        problem = bad_character(value)  # the header's XML cannot hold most control characters
        if problem:
            problems.append(f"{name} {problem}")
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if values.get("date") and not is_iso_date(values["date"]):
        problems.append(f"date {values['date']!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if values.get("fragment") and fragment_value(values["fragment"]) is None:
        problems.append(
            f"fragment {values['fragment']!r} is not 'start' (begins late), 'end' (breaks off) or 'start end'"
        )
    return problems


def fragment_value(value: str) -> str | None:
    """The ``fragment`` cell normalised to '', 'start', 'end' or 'start end'; None if not one of them."""
    words = set(re.split(r"[\s,;+/]+", value.strip().casefold())) - {""}
    if "both" in words:
        words = (words - {"both"}) | set(FRAGMENT_VALUES)
    if not words <= set(FRAGMENT_VALUES):
        return None
    return " ".join(v for v in FRAGMENT_VALUES if v in words)


def is_iso_date(value: str) -> bool:
    """A year, year-month or calendar date in ISO 8601 (``1859``, ``1859-11``, ``1859-11-24``)."""
    m = _ISO_DATE.fullmatch(value)
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:  # month 13, 30 February, year 0
        return False
    return True


def _match_file(value: str, csv_dir: Path, given: list[Path]) -> tuple[str, str | None]:
    """(source file name, problem) for a row's ``file`` cell."""
    wanted = Path(value)
    located = [p for p in ((csv_dir / wanted), wanted) if p.exists()]
    for candidate in located:
        same = [g for g in given if g.exists() and g.resolve() == candidate.resolve()]
        if same:
            return same[0].name, None
    by_name = [g for g in given if g.name == wanted.name]
    if len({g.resolve() for g in by_name}) > 1:
        return "", f"file name {wanted.name!r} matches several files given: {', '.join(map(str, by_name))}"
    if by_name and (not located or wanted.name == value):
        return by_name[0].name, None
    if located:
        return "", "is not among the files given to ingest"
    return "", f"file not found (looked for {wanted.name!r} among the files given and in {csv_dir or '.'})"


# --- the TEI header -------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, tei(tag), attrs)
    if text is not None:
        el.text = text
    return el


def apply_metadata(root: etree._Element, meta: WitnessMeta) -> None:
    """Write ``meta`` into the header ``reader.tei.ingest`` built, replacing its guesses.

    Every element written carries ``@resp="#editor"``, declared by a
    ``titleStmt/respStmt[@xml:id='editor']``."""
    if not meta:
        return
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    title_stmt = file_desc.find("tei:titleStmt", NS)
    bibl = file_desc.find("tei:sourceDesc/tei:bibl", NS)
    if meta.title:
        for title in (title_stmt.find("tei:title", NS), bibl.find("tei:title", NS)):
            title.text = meta.title
            title.set("resp", EDITOR)
    after = bibl.find("tei:title", NS)
    if meta.author:
        author = etree.Element(tei("author"), resp=EDITOR)
        author.text = meta.author
        title_stmt.find("tei:title", NS).addnext(author)
        after = _insert_after(after, _element("author", meta.author, resp=EDITOR))
    if meta.date:
        after = _insert_after(after, _element("date", meta.date, when=meta.date, resp=EDITOR))
    for kind in ("siglum", "work"):
        if getattr(meta, kind):
            after = _insert_after(after, _element("idno", getattr(meta, kind), type=kind, resp=EDITOR))
    if meta.source:
        _source_note(bibl, meta.source)
    if meta.fragment:
        _sub(bibl, "note", meta.fragment, type="fragment", resp=EDITOR)
    if meta.licence:
        _licence(file_desc.find("tei:publicationStmt/tei:availability", NS), meta.licence)
    resp_stmt = _sub(title_stmt, "respStmt")
    resp_stmt.set(XML_ID, "editor")
    _sub(
        resp_stmt,
        "resp",
        "Witness metadata (title, author, date, siglum, work, source, licence, fragment: the elements "
        'with resp="#editor"), from the editor\'s metadata file given to ingest',
    )
    _sub(resp_stmt, "name", "The editor of the corpus")


def _element(tag: str, text: str, **attrs) -> etree._Element:
    el = etree.Element(tei(tag), attrs)
    el.text = text
    return el


def _insert_after(anchor: etree._Element, el: etree._Element) -> etree._Element:
    anchor.addnext(el)
    return el


def _source_note(bibl: etree._Element, source: str) -> None:
    """The source statement as ``note[@type='source']``, its URLs as ``ref``."""
    note = _sub(bibl, "note", type="source", resp=EDITOR)
    last = None
    position = 0
    for m in _URL.finditer(source):
        url = m.group().rstrip(".,;)")
        end = m.start() + len(url)
        before = source[position : m.start()]
        if last is None:
            note.text = before
        else:
            last.tail = before
        last = _sub(note, "ref", url, target=url)
        position = end
    rest = source[position:]
    if last is None:
        note.text = rest
    else:
        last.tail = rest or None


def _licence(availability: etree._Element, value: str) -> None:
    """Replace the guessed licence with the editor's: a name, a URL, or both."""
    for child in list(availability):
        availability.remove(child)
    url_match = _URL.search(value)
    url = url_match.group().rstrip(".,;)") if url_match else ""
    name = " ".join((value.replace(url, " ") if url else value).split()).strip(" ,;:-")
    if not name:
        name = next((label for key, label in KNOWN_LICENCES.items() if key in url), url)
    availability.set("status", "free" if _FREE.search(value) else "unknown")
    licence = _sub(availability, "licence", name, resp=EDITOR)
    if url:
        licence.set("target", url)


def header_metadata(root: etree._Element | None) -> WitnessMeta:
    """The metadata an editor gave (the ``@resp="#editor"`` elements) of a TEI file we wrote."""
    if root is None:
        return WitnessMeta()
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    if file_desc is None:
        return WitnessMeta()
    bibl = file_desc.find("tei:sourceDesc/tei:bibl", NS)

    def text(el):
        return " ".join("".join(el.itertext()).split()) if el is not None else ""

    def mine(parent, path):
        found = parent.find(path, NS) if parent is not None else None
        return found if found is not None and found.get("resp") == EDITOR else None

    date = mine(bibl, "tei:date")
    licence = mine(file_desc, "tei:publicationStmt/tei:availability/tei:licence")
    licence_value = ""
    if licence is not None:
        licence_value = text(licence)
        if licence.get("target") and licence.get("target") != licence_value:
            licence_value = f"{licence_value} {licence.get('target')}"
    return WitnessMeta(
        title=text(mine(file_desc, "tei:titleStmt/tei:title")),
        author=text(mine(file_desc, "tei:titleStmt/tei:author")),
        date=date.get("when", "") if date is not None else "",
        siglum=text(mine(bibl, "tei:idno[@type='siglum']")),
        work=text(mine(bibl, "tei:idno[@type='work']")),
        source=text(mine(bibl, "tei:note[@type='source']")),
        licence=licence_value,
        fragment=text(mine(bibl, "tei:note[@type='fragment']")),
    )


@dataclass(frozen=True)
class WitnessInfo:
    """What collation and the site show of a witness, from any TEI header."""

    siglum: str
    author: str
    date: str
    work: str
    source: str
    #: where its text is missing: '', 'start', 'end' or 'start end' (the editor's ``fragment``)
    fragment: str = ""


def witness_info(root: etree._Element) -> WitnessInfo:
    """Siglum, author(s), date (ISO), work name and source statement, '' where the header has none."""
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    if file_desc is None:
        return WitnessInfo("", "", "", "", "")

    def text(path):
        el = file_desc.find(path, NS)
        return " ".join("".join(el.itertext()).split()) if el is not None else ""

    authors = [" ".join("".join(a.itertext()).split()) for a in file_desc.iterfind("tei:titleStmt/tei:author", NS)]
    date = file_desc.find("tei:sourceDesc/tei:bibl/tei:date", NS)
    when = (date.get("when") or "") if date is not None else ""
    return WitnessInfo(
        siglum=text("tei:sourceDesc/tei:bibl/tei:idno[@type='siglum']"),
        author="; ".join(a for a in authors if a),
        date=when if is_iso_date(when) else "",
        work=text("tei:sourceDesc/tei:bibl/tei:idno[@type='work']"),
        source=text("tei:sourceDesc/tei:bibl/tei:note[@type='source']"),
        fragment=fragment_value(text("tei:sourceDesc/tei:bibl/tei:note[@type='fragment']")) or "",
    )
