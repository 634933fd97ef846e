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
    if name == "div" and attribute == "type":
        return f"[@subtype='{value}']"
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
