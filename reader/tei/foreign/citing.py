"""A foreign file's own citation scheme (``refsDecl/cRefPattern``, as Perseus and First1KGreek
publish it) → a ``refsDecl/citeStructure`` for the imported document, so that ``1.2.1`` (book 1,
poem 2, line 1) stays the reference the reader, DTS (:mod:`reader.tei.dts`) and citations use.

The deepest ``cRefPattern`` names the levels: each ``$k`` of its ``replacementPattern`` XPath
stands in one step (``tei:div[@n='$1']``, ``//tei:l[@n='$3']``). The importer keeps those steps'
elements and their ``@n`` (sections keep ``@n``, the foreign ``@type`` becomes ``@subtype``;
lines keep ``@n`` but now stand inside a unit), so each level becomes a ``citeStructure`` whose
``@match`` is the step in the imported document. A pattern this reading does not understand is
reported and no scheme is written (the importer's own, by section and unit id, remains).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..xml import NS, tei

_XPATH = re.compile(r"#xpath\((.*)\)\s*$", re.S)
#: One location step: axis ('/' or '//'), prefixed name, predicates.
_STEP = re.compile(r"(//|/)?\s*(?:[\w-]+:)?([\w-]+)((?:\[[^\]]*\])*)")
_PREDICATE = re.compile(r"\[\s*@([\w:-]+)\s*=\s*['\"]([^'\"]*)['\"]\s*\]")


@dataclass(frozen=True)
class Level:
    unit: str  #: its name (cRefPattern/@n): book, poem, line
    match: str  #: XPath in the imported document, relative to the level above (absolute for the first)
    use: str  #: the attribute giving its value ("@n")


class SchemeError(ValueError):
    """A citation pattern this reading does not understand (the message says which and why)."""


def canonical_structures(header: etree._Element | None) -> list[etree._Element]:
    """A file with ``citeStructure`` and no ``cRefPattern`` (TEI P5 4.x): its first such ``refsDecl``'s
    structures, with each ``@match`` rewritten for the imported document ([] when it declares none)."""
    if header is None or header.find(".//tei:refsDecl/tei:cRefPattern", NS) is not None:
        return []
    refs = next(
        (r for r in header.iterfind(".//tei:refsDecl", NS) if r.find("tei:citeStructure", NS) is not None), None
    )
    if refs is None:
        return []
    out = []
    for structure in refs.findall("tei:citeStructure", NS):
        out.append(_rewrite(structure, top=True))
    return out


def _rewrite(structure: etree._Element, top: bool) -> etree._Element:
    match, use = structure.get("match") or "", structure.get("use") or ""
    if not match or not use:
        raise SchemeError(f"line {structure.sourceline}: citeStructure without @match or @use")
    out = etree.Element(tei("citeStructure"), match=_our_path(match, structure.sourceline or 0), use=use)
    for key in ("unit", "delim"):
        if structure.get(key) is not None:
            out.set(key, structure.get(key))
    for child in structure.findall("tei:citeStructure", NS):
        out.append(_rewrite(child, top=False))
    return out


def _our_path(path: str, line: int) -> str:
    """A citeStructure ``@match`` in the imported document: ``div[@type='x']`` → ``div[@subtype='x']``,
    lines (now inside a unit) as descendants; other steps as they are."""
    steps = [m for m in _STEP.finditer(path) if m.group(0).strip()]
    if "".join(m.group(0) for m in steps).replace(" ", "") != path.replace(" ", ""):
        raise SchemeError(f"line {line}: citeStructure @match {path!r} is not a plain path of steps: left out")
    out = []
    for i, step in enumerate(steps):
        axis, name, predicates = step.group(1) or "", step.group(2), step.group(3)
        pairs = _PREDICATE.findall(predicates)
        if "".join(f"[@{a}='{v}']" for a, v in pairs) != predicates.replace(" ", "").replace('"', "'"):
            raise SchemeError(f"line {line}: step {step.group(0)!r} has a predicate other than @name='value'")
        fixed = "".join(_our_predicate(name, a, v) for a, v in pairs)
        if name == "l" and axis != "//":
            axis = ".//" if i == 0 and not axis else "//"
        out.append(f"{axis}{name}{fixed}")
    return "".join(out)


def canonical_levels(header: etree._Element | None) -> list[Level]:
    """The levels of the file's deepest ``cRefPattern`` ([] when it declares none)."""
    if header is None:
        return []
    patterns = header.findall(".//tei:refsDecl/tei:cRefPattern", NS)
    if not patterns:
        return []
    deepest = max(patterns, key=lambda p: len(re.findall(r"\$\d", p.get("replacementPattern") or "")))
    names = {len(re.findall(r"\$\d", p.get("replacementPattern") or "")): p.get("n") or "" for p in patterns}
    found = _XPATH.match((deepest.get("replacementPattern") or "").strip())
    if not found:
        raise SchemeError(f"line {deepest.sourceline}: cRefPattern is not #xpath(…): left out")
    return _levels(found.group(1), names, deepest.sourceline or 0)


def _levels(xpath: str, names: dict[int, str], line: int) -> list[Level]:
    steps = [m for m in _STEP.finditer(xpath) if m.group(0).strip()]
    if "".join(m.group(0) for m in steps).replace(" ", "") != xpath.replace(" ", ""):
        raise SchemeError(f"line {line}: cRefPattern XPath {xpath!r} is not a plain path of steps: left out")
    levels: list[Level] = []
    prefix = ""
    for step in steps:
        axis, name, predicates = step.group(1) or "/", step.group(2), step.group(3)
        pairs = _PREDICATE.findall(predicates)
        if "".join(f"[@{a}='{v}']" for a, v in pairs).replace('"', "'") != predicates.replace(" ", "").replace(
            '"', "'"
        ):
            raise SchemeError(f"line {line}: step {step.group(0)!r} has a predicate other than @name='value'")
        cited = [(a, v) for a, v in pairs if v.startswith("$")]
        fixed = "".join(_our_predicate(name, a, v) for a, v in pairs if not v.startswith("$"))
        if not cited:
            if levels:
                raise SchemeError(f"line {line}: a step without a $ value below a cited level: {step.group(0)!r}")
            prefix += f"{axis}{name}{fixed}"
            continue
        attribute = cited[0][0]
        our = f"{name}{fixed}[@{attribute}]"
        # lines now stand inside a unit (a poem's p, a speech): always a descendant
        relative = f".//{our}" if name == "l" or axis == "//" else our
        depth = len(levels) + 1
        match = f"{prefix}{axis}{our}" if not levels else relative
        levels.append(Level(names.get(depth) or f"level{depth}", match, f"@{attribute}"))
    if not levels:
        raise SchemeError(f"line {line}: cRefPattern XPath {xpath!r} cites nothing ($1…)")
    return levels


def _our_predicate(name: str, attribute: str, value: str) -> str:
    """A fixed predicate of the foreign step, as the importer rewrote it: ``div/@type`` → ``@subtype``."""
    if name == "div" and attribute == "type":  # the importer keeps a section's kind in @subtype
        return "" if value == "textpart" else f"[@subtype='{value}']"
    return f"[@{attribute}='{value}']"


def canonical_refs_decl(levels: list[Level]) -> etree._Element:
    """``refsDecl[@n='canonical'][@default='true']`` with one ``citeStructure`` per level."""
    refs = etree.Element(tei("refsDecl"), n="canonical", default="true")
    parent = refs
    for depth, level in enumerate(levels):
        structure = etree.SubElement(parent, tei("citeStructure"), unit=level.unit, match=level.match, use=level.use)
        if depth:
            structure.set("delim", ".")
        parent = structure
    return refs
