"""Namespaces and the one safe XML parser that every stage uses.

The parser never resolves external entities, never reads DTDs from the
network and refuses entity expansion bombs (lxml's ``huge_tree`` stays off,
``resolve_entities`` is off), so hostile TEI cannot read local files or eat
memory.
"""
from __future__ import annotations

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


class TEIError(ValueError):
    """A TEI file that cannot be used; the message names the file and the line."""


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_bytes(data: bytes, name: str = "<string>") -> etree._Element:
    """Parse XML bytes with the safe parser; errors name ``name`` and the line."""
    if b"<!ENTITY" in data[:4096] or b"<!DOCTYPE" in data[:4096]:
        # TEI never needs a DTD; refusing it outright defeats entity bombs and XXE.
        raise TEIError(f"{name}: line 1: DOCTYPE/ENTITY declarations are not accepted in TEI input")
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        raise TEIError(f"{name}: line {line}: not well-formed XML: {exc.msg}") from None


def parse_file(path: str | Path) -> etree._Element:
    """Parse a TEI file from disk; the root must be a TEI element."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TEIError(f"{path}: cannot be read: {exc.strerror}") from None
    root = parse_bytes(data, str(path))
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        raise TEIError(f"{path}: line {root.sourceline}: root element is <{etree.QName(root).localname}>, not TEI <TEI>")
    return root


# Elements whose content is running text. Pretty-printing must never add
# whitespace inside them: `<item><orgName>Forest Brothers</orgName></item>`
# would otherwise gain line breaks that become part of the item's text.
PHRASE_CONTAINERS = frozenset(
    "p head item bibl note title titlePart label hi foreign q quote seg rdg lem "
    "persName placeName orgName date name resp author editor publisher pubPlace "
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
    """
    import os
    import tempfile

    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
