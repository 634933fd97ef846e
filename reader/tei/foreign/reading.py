"""Reading a foreign TEI file safely: size, DOCTYPE, entities, namespace.

``reader.tei.xml.parse_bytes`` refuses every DOCTYPE, which is right for our
own files but turns away much TEI made elsewhere. Here the prolog is read by
our own code before lxml sees anything:

- a DOCTYPE naming an external DTD is noted and removed; the DTD is never read;
- an internal subset may declare *plain character entities* only (a value of
  at most :data:`MAX_ENTITY_CHARS` characters, no markup, no reference to
  another entity); each use is replaced by numeric character references, so
  the expansion is never larger than the text and nothing recurses. Any other
  declaration (external or parameter entities, entities holding markup or
  text) refuses the file with a message naming the entity and its line;
- an entity used but not declared (the external DTD would have said what it
  is) is read as the HTML character entity of that name when there is one.

The DOCTYPE is blanked with as many line breaks as it had, so the line
numbers of every message are those of the original file.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..xml import MAX_TEI_BYTES, TEI_NS, TEIError, parse_bytes

#: Largest foreign file accepted (20 MiB; the benchmark's 2 MB / 200,000-word edition takes ~5 s).
MAX_FOREIGN_BYTES = 20 * 1024 * 1024
#: Longest value a declared entity may have to count as a character entity (ligatures, "&c;").
MAX_ENTITY_CHARS = 4
#: Roots accepted as TEI (P5, and P4's TEI.2 when it has no namespace).
TEI_ROOTS = {"TEI", "teiCorpus", "TEI.2"}

_DECL = re.compile(r"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", re.S)
_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+(?P<root>[^\s\[>]+)"
    r"(?:\s+(?:SYSTEM|PUBLIC\s+(?P<public>\"[^\"]*\"|'[^']*'))\s*(?P<system>\"[^\"]*\"|'[^']*'))?"
    r"\s*(?:\[(?P<subset>.*?)\]\s*)?>",
    re.S,
)
_ENTITY = re.compile(r"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s]+)\s+(?P<rest>(?:\"[^\"]*\"|'[^']*'|[^>\"'])*)>", re.S)
_QUOTED = re.compile(r"^(\"[^\"]*\"|'[^']*')\s*$", re.S)
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")
_ENTITY_REF = re.compile(r"&([A-Za-z_][\w.-]*);")
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_MARKUP_DECL = re.compile(r"<!(ELEMENT|ATTLIST|NOTATION)\b", re.S)


class ForeignError(TEIError):
    """A foreign file that cannot be imported at all; the message names the file and the problem."""


@dataclass
class ForeignTree:
    """A parsed foreign file and what reading it involved."""

    root: etree._Element
    data: bytes  #: the original bytes
    notes: list[str] = field(default_factory=list)  #: what was done to read it (for the header and report)
    namespace: str = "tei"  #: "tei" | "none" (elements put into the TEI namespace)


def read_foreign(path: str | Path, max_bytes: int = MAX_FOREIGN_BYTES) -> ForeignTree:
    """Read and parse ``path``; raises :class:`ForeignError` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ForeignError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ForeignError(f"{path}: {size:,} bytes is larger than the {max_bytes:,}-byte limit for one TEI file")
    data = path.read_bytes()
    if not data.strip():
        raise ForeignError(f"{path}: the file is empty")
    return parse_foreign(data, str(path))


def parse_foreign(data: bytes, name: str) -> ForeignTree:
    text = _decode(data, name)
    notes: list[str] = []
    text = _expand_prolog(text, name, notes)
    body = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    root = parse_bytes(body.encode("utf-8"), name)
    namespace = _normalise_namespace(root, name, notes)
    return ForeignTree(root=root, data=data, notes=notes, namespace=namespace)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        declared = _DECL.match(data[:200].decode("ascii", "replace"))
        encoding = declared.group(1) if declared else "utf-8"
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except LookupError:
        raise ForeignError(f"{name}: line 1: unknown character encoding {encoding!r} in the XML declaration") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ForeignError(f"{name}: line {line}: not valid {encoding} (byte {exc.start})") from None


def _expand_prolog(text: str, name: str, notes: list[str]) -> str:
    """Remove the DOCTYPE (noting it) and expand declared character entities by our own code."""
    start = text.find("<!DOCTYPE")
    root_start = _first_element(text)
    declared: dict[str, str] = {}
    if start != -1 and (root_start == -1 or start < root_start):
        match = _DOCTYPE.match(text, start)
        if match is None:
            raise ForeignError(f"{name}: line {text.count(chr(10), 0, start) + 1}: cannot read the DOCTYPE declaration")
        if match.group("system"):
            notes.append(
                f"The DOCTYPE names the external DTD {match.group('system')}; it was not read "
                "(nothing is fetched); the file was read as well-formed XML."
            )
        if match.group("subset"):
            declared = _entity_declarations(
                match.group("subset"), name, text.count("\n", 0, match.start("subset")) + 1, notes
            )
        blank = "\n" * match.group(0).count("\n")
        text = text[: match.start()] + blank + text[match.end() :]
    return _replace_entity_refs(text, declared, name, notes)


def _first_element(text: str) -> int:
    for match in re.finditer(r"<([A-Za-z_])", text):
        return match.start()
    return -1


def _entity_declarations(subset: str, name: str, first_line: int, notes: list[str]) -> dict[str, str]:
    declared: dict[str, str] = {}
    for match in _ENTITY.finditer(subset):
        line = first_line + subset.count("\n", 0, match.start())
        entity, rest = match.group("name"), match.group("rest").strip()
        where = f"{name}: line {line}: entity {entity!r}"
        if match.group("pe"):
            raise ForeignError(f"{where} is a parameter entity; only plain character entities are accepted")
        quoted = _QUOTED.match(rest)
        if not quoted:
            raise ForeignError(
                f"{where} refers to an external resource ({rest[:60]}); only plain character "
                "entities are accepted, nothing is fetched"
            )
        raw = quoted.group(1)[1:-1]
        value = _CHAR_REF.sub(lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))), raw)
        if "&" in value or "<" in value or not value or len(value) > MAX_ENTITY_CHARS:
            raise ForeignError(
                f"{where} stands for {raw[:60]!r}, not a plain character; only character entities "
                f"(at most {MAX_ENTITY_CHARS} characters, no markup, no other entity) are accepted: "
                "expand it in the file and import again"
            )
        declared[entity] = value
    if _MARKUP_DECL.search(subset):
        notes.append(
            "Element and attribute declarations in the internal DTD subset were not applied "
            "(no default attributes are added)."
        )
    if declared:
        notes.append(
            f"{len(declared)} character entit{'y' if len(declared) == 1 else 'ies'} declared in the "
            f"internal DTD subset ({', '.join(sorted(declared)[:10])}{'…' if len(declared) > 10 else ''}) "
            "replaced by the characters they stand for."
        )
    return declared


def _char_refs(value: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in value)


def _refuse_growth(text: str, name: str, at: int, size: int) -> None:
    line = text.count("\n", 0, at) + 1
    raise ForeignError(
        f"{name}: line {line}: its entities would expand the file to {size:,} characters or more, over the "
        f"{MAX_TEI_BYTES:,}-byte limit for one TEI file; expand them in the file and import again"
    )


def _check_expansion(text: str, declared: dict[str, str], name: str) -> None:
    """Refuse before any work a file whose declared entities would expand past the size limit
    (a 20 MB file of one 4-character entity took 26-55 s and 840 MB to be refused after expanding)."""
    size, first_use = len(text), len(text)
    for entity, value in declared.items():
        ref = f"&{entity};"
        uses = text.count(ref)
        size += uses * (len(_char_refs(value)) - len(ref))
        first_use = min(first_use, text.find(ref) if uses else first_use)
    if size > MAX_TEI_BYTES:
        _refuse_growth(text, name, first_use, size)


def _replace_entity_refs(text: str, declared: dict[str, str], name: str, notes: list[str]) -> str:
    html_used: set[str] = set()
    _check_expansion(text, declared, name)
    room = [MAX_TEI_BYTES - len(text)]  # HTML entities are not declared: counted as they are replaced

    def replace(match: re.Match) -> str:
        entity = match.group(1)
        if entity in _PREDEFINED:
            return match.group(0)
        value = declared.get(entity)
        if value is None and entity in html.entities.name2codepoint:
            html_used.add(entity)
            value = chr(html.entities.name2codepoint[entity])
        if value is None:
            line = text.count("\n", 0, match.start()) + 1
            raise ForeignError(
                f"{name}: line {line}: entity &{entity}; is used but never declared "
                "(and is not an HTML character entity)"
            )
        expanded = _char_refs(value)
        room[0] -= len(expanded) - len(match.group(0))
        if room[0] < 0:
            _refuse_growth(text, name, match.start(), MAX_TEI_BYTES - room[0])
        return expanded

    if "&" not in text:
        return text
    out = _ENTITY_REF.sub(replace, text)
    if html_used:
        notes.append(
            f"Undeclared entities read as the HTML characters of that name: "
            f"{', '.join('&' + e + ';' for e in sorted(html_used))}."
        )
    return out


def _normalise_namespace(root: etree._Element, name: str, notes: list[str]) -> str:
    """Put un-namespaced TEI into the TEI namespace; refuse XML that is not TEI."""
    qname = etree.QName(root)
    if qname.localname not in TEI_ROOTS:
        raise ForeignError(
            f"{name}: line {root.sourceline}: not TEI: the root element is <{qname.localname}>"
            f"{' in namespace ' + qname.namespace if qname.namespace else ''}, not <TEI> or <teiCorpus>"
        )
    if qname.namespace == TEI_NS:
        return "tei"
    if qname.namespace:
        raise ForeignError(
            f"{name}: line {root.sourceline}: not TEI: <{qname.localname}> is in namespace "
            f"{qname.namespace}, not the TEI namespace {TEI_NS}"
        )
    for el in root.iter(etree.Element):
        if etree.QName(el).namespace is None:
            el.tag = f"{{{TEI_NS}}}{etree.QName(el).localname}"
    etree.cleanup_namespaces(root)
    notes.append("The file uses no namespace; its elements were read as TEI (namespace " + TEI_NS + ").")
    return "none"
