"""Namespaces and the one safe XML parser that every stage uses.

The parser never resolves external entities, never reads DTDs from the
network and refuses entity expansion bombs (lxml's ``huge_tree`` stays off,
``resolve_entities`` is off), so hostile TEI cannot read local files or eat
memory.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(tag: str) -> str:
    """Clark name of a TEI element: ``tei("p")`` -> ``{http://www.tei-c.org/ns/1.0}p``."""
    return f"{{{TEI_NS}}}{tag}"


def append_text(parent: etree._Element, text: str | None) -> None:
    """Add ``text`` at the end of ``parent``'s content (its text, or the last child's tail)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def remove_keeping_tail(el: etree._Element) -> None:
    """Take ``el`` out of the tree, keeping the text that followed it where it stood."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


class TEIError(ValueError):
    """A TEI file that cannot be used; the message names the file and the line."""


#: Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF;
#: lone surrogates): lxml refuses a string with one, so a name holding one breaks every export.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: What a one-line value (a name, an id) never holds: every control character (C0, DEL, C1) and the above.
NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def bad_character(text: str, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored as XML text (one line, or with ``multiline`` several), or None."""
    found = (NOT_XML if multiline else NOT_IN_A_LINE).search(text or "")
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X} at character {found.start() + 1}"


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (for data stored before they were refused)."""
    return NOT_XML.sub("", text)


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


#: Largest TEI file accepted (a 2 MB TEI is ~200,000 words; past this, memory and page size get out of hand).
MAX_TEI_BYTES = 16 * 1024 * 1024
#: Largest apparatus file accepted: collate writes it, and it grows with witnesses × places of
#: variation (84 witnesses of a 10,000-word text make 39 MB).
MAX_APPARATUS_BYTES = 256 * 1024 * 1024


def utf16_name(data: bytes) -> str | None:
    """``"UTF-16LE"``/``"UTF-16BE"`` if ``data`` is UTF-16: by its byte order mark, or by the zero bytes that
    Latin letters leave on one side of every pair (most of them on one side, almost none on the other)."""
    if data[:2] == b"\xff\xfe":
        return "UTF-16LE"
    if data[:2] == b"\xfe\xff":
        return "UTF-16BE"
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "UTF-16LE"
    if even > 0.3 * half and odd < 0.05 * half:
        return "UTF-16BE"
    return None


#: Deepest element nesting accepted (the root is depth 1). TEI rarely goes past 20; 200 nested notes
#: passed the parser and tei_all, then made `load` fail with RecursionError on every run.
MAX_DEPTH = 100
_PROLOG_ITEM = re.compile(r"\ufeff|\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _prolog_text(data: bytes) -> str:
    """The start of ``data`` as text, enough to read its prolog (ASCII-compatible unless UTF-16)."""
    encoding = utf16_name(data)
    return data.decode(encoding, errors="replace") if encoding else data.decode("latin-1")


def _refuse_declarations(data: bytes, name: str) -> None:
    """Refuse a DOCTYPE before parsing: it can only stand in the prolog, before the root element, so
    reading past the XML declaration, comments and processing instructions finds it at once, however
    large the rest of the file (a DTD's entities are where expansion bombs and XXE live)."""
    text, pos = _prolog_text(data), 0
    while (item := _PROLOG_ITEM.match(text, pos)) is not None and item.end() > pos:
        pos = item.end()
    if text.startswith(("<!DOCTYPE", "<!ENTITY"), pos):
        line = text.count("\n", 0, pos) + 1
        raise TEIError(f"{name}: line {line}: DOCTYPE/ENTITY declarations are not accepted in TEI input")


#: The elements one level past the limit, from the root: libxml2 walks it level by level in C.
_TOO_DEEP = etree.XPath("/".join(["*"] * MAX_DEPTH))


def _refuse_depth(root: etree._Element, name: str, data: bytes) -> None:
    """Refuse elements nested deeper than :data:`MAX_DEPTH` (our code walks trees recursively)."""
    if data.count(b"<") <= MAX_DEPTH:
        return  # too few tags to nest that deep (most unit fragments)
    too_deep = _TOO_DEEP(root)
    if too_deep:
        raise TEIError(f"{name}: line {too_deep[0].sourceline}: elements nested deeper than {MAX_DEPTH}")


def parse_bytes(data: bytes, name: str = "<string>", limit: int = MAX_TEI_BYTES) -> etree._Element:
    """Parse XML bytes with the safe parser; errors name ``name`` and the line.

    A DOCTYPE or entity declaration is refused before parsing (TEI never needs a DTD;
    this defeats entity bombs and XXE), in any encoding; so is a file of more than
    ``limit`` bytes. Elements nested deeper than :data:`MAX_DEPTH` are refused too.
    """
    if len(data) > limit:
        raise TEIError(f"{name}: {len(data):,} bytes is larger than the {limit:,}-byte limit for one TEI file")
    _refuse_declarations(data, name)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        encoding = utf16_name(data)
        read_as = f" (read as {encoding})" if encoding else ""
        raise TEIError(f"{name}: line {line}: not well-formed XML{read_as}: {exc.msg}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # an encoding the prolog scan cannot read
        raise TEIError(f"{name}: line 1: DOCTYPE/ENTITY declarations are not accepted in TEI input")
    _refuse_depth(root, name, data)
    return root


def parse_file(path: str | Path, limit: int = MAX_TEI_BYTES) -> etree._Element:
    """Parse a TEI file from disk; the root must be a TEI element."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TEIError(f"{path}: cannot be read: {exc.strerror}") from None
    root = parse_bytes(data, str(path), limit)
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        raise TEIError(
            f"{path}: line {root.sourceline}: root element is <{etree.QName(root).localname}>, not TEI <TEI>"
        )
    return root


# Elements whose content is running text. Pretty-printing must never add
# whitespace inside them: `<item><orgName>Forest Brothers</orgName></item>`
# would otherwise gain line breaks that become part of the item's text.
PHRASE_CONTAINERS = frozenset(
    "p head item bibl note title titlePart label hi foreign q quote seg rdg lem "
    "persName placeName orgName rs date name resp author editor publisher pubPlace "
    "edition idno ref term gloss abbr expan sic corr orig reg add del unclear "
    "supplied change l cell".split()
)


def _protect_mixed_content(root: etree._Element) -> None:
    """Give phrase containers an empty text node so libxml2 leaves them unindented."""
    for element in root.iter(etree.Element):
        if element.text is None and len(element) and etree.QName(element).localname in PHRASE_CONTAINERS:
            element.text = ""


def serialize(root: etree._Element) -> bytes:
    """Deterministic serialisation used for every TEI file we write."""
    _protect_mixed_content(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True) + b"\n"


def write_atomic(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and rename.

    Returns False (and leaves the file untouched) when the content is already
    identical, so re-runs keep files byte-identical and their mtimes too.
    Temporary files that a killed run left beside ``path`` are removed first.
    """
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None:  # a full disk's write or fsync names no file: name the one being written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


#: A temporary file without a process id (older runs) counts as abandoned after this many seconds.
STALE_TEMPORARY_SECONDS = 3600


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove ``.<name>.<pid>.*.tmp`` files beside ``path`` whose writing process is gone."""
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit():
            alive = _process_alive(int(pid))
        else:
            try:
                alive = time.time() - tmp.stat().st_mtime < STALE_TEMPORARY_SECONDS
            except FileNotFoundError:
                continue
        if not alive:
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True
