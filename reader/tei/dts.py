"""Citation trees of a TEI document, read from its ``refsDecl/citeStructure`` (for DTS 1.0).

Plain data, no Django: ``citation_trees`` reads the declarations, ``CitationIndex`` resolves
them against the document (every citable unit with its identifier, level, parent and
metadata, in document order), ``CitationIndex.select`` answers the Navigation endpoint's
``ref``/``start``/``end``/``down`` combinations, and ``fragment`` cuts a unit or a range
out of the document as TEI inside ``dts:wrapper`` (the Document endpoint).

References follow the TEI Guidelines (16.2.5.4): a unit's reference is its parent's,
then the child structure's ``@delim``, then the value of ``@use``. ``@match`` and
``@use`` are XPath with the TEI namespace as the default element namespace.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from .document import unit_text
from .xml import NS, TEI_NS, XML_ID, XML_LANG, XML_NS, tei

#: Namespace of ``dts:wrapper`` (DTS 1.0, Document endpoint).
DTS_NS = "https://w3id.org/api/dts#"
#: Dublin Core terms: ``citeData/@property`` in this namespace go to ``dublinCore``.
DCT = "http://purl.org/dc/terms/"


class CitationError(ValueError):
    """A request the citation tree cannot answer; ``status`` is the HTTP status it deserves."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.parameter = parameter


# --- XPath with TEI as the default element namespace -------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:(?P<literal>"[^"]*"|'[^']*')|(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<op>::|\.\.|//|!=|<=|>=|[/|+\-=<>()\[\],@$*.])"""
    r"""|(?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?))"""
)
#: Tokens after which a name or ``*`` is a name test, not an operator (XPath 1.0, 3.7).
_BEFORE_NAME_TEST = {"@", "::", "(", "[", ","}
_OPERATORS = {"/", "//", "|", "+", "-", "=", "!=", "<", "<=", ">", ">="}


def tei_xpath(expression: str) -> str:
    """``expression`` with every unprefixed element name test given the ``tei:`` prefix."""
    tokens: list[tuple[str, str]] = []
    pos, expression = 0, expression.strip()
    while pos < len(expression):
        m = _TOKEN.match(expression, pos)
        if not m or not m.lastgroup:
            raise ValueError(f"cannot read the XPath {expression!r} at character {pos}")
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    out: list[str] = []
    prev, prev_is_operator = None, False
    for i, (kind, value) in enumerate(tokens):
        following = tokens[i + 1][1] if i + 1 < len(tokens) else None
        name_position = prev is None or prev in _BEFORE_NAME_TEST or prev_is_operator
        is_operator = value in _OPERATORS or (value == "*" or kind == "name") and not name_position
        if (
            kind == "name"
            and not is_operator
            and ":" not in value
            and following not in ("(", "::")
            and prev not in ("@", "$")
            and not (prev == "::" and out[-2] in ("attribute", "namespace"))
        ):
            value = "tei:" + value
        out.append(value)
        prev, prev_is_operator = tokens[i][1], is_operator
    return " ".join(out)


_NAMESPACES = {"tei": TEI_NS, "xml": XML_NS}


@functools.lru_cache(maxsize=256)
def _compiled(expression: str) -> etree.XPath:
    try:
        return etree.XPath(tei_xpath(expression), namespaces=_NAMESPACES)
    except (etree.XPathError, ValueError) as exc:
        raise CitationError(
            501, f"the citeStructure XPath {expression!r} cannot be evaluated (XPath 1.0 is supported): {exc}"
        ) from exc


def _xpath(node: etree._Element, expression: str):
    try:
        return _compiled(expression)(node)
    except etree.XPathError as exc:
        raise CitationError(501, f"the citeStructure XPath {expression!r} cannot be evaluated: {exc}") from exc


# --- Declarations -----------------------------------------------------------------------


@dataclass(frozen=True)
class CiteStructure:
    """One ``citeStructure``: a kind of unit, how it is found and how it is named."""

    cite_type: str  # empty: a level that is not cited itself (CTS files: body with @xml:base)
    match: str  # XPath as declared
    use: str
    delim: str = ""
    data: tuple[tuple[str, str], ...] = ()  # (property, use) of its citeData
    children: tuple["CiteStructure", ...] = ()

    def json(self) -> list[dict]:
        """As DTS ``CiteStructure`` objects (a level without @unit gives its children's)."""
        children = [c for child in self.children for c in child.json()]
        if not self.cite_type:
            return children
        out = {"@type": "CiteStructure", "citeType": self.cite_type}
        if children:
            out["citeStructure"] = children
        return [out]


@dataclass(frozen=True)
class CitationTree:
    """One ``refsDecl``: the first is the default tree and has no identifier."""

    identifier: str | None
    structures: tuple[CiteStructure, ...]
    description: str = ""

    def json(self) -> dict:
        out: dict = {"@type": "CitationTree"}
        if self.identifier:
            out["identifier"] = self.identifier
        if self.description:
            out["description"] = self.description
        out["citeStructure"] = [c for s in self.structures for c in s.json()]
        return out


def citation_trees(header: etree._Element) -> list[CitationTree]:
    """The citation trees declared in a ``teiHeader`` (or a whole TEI document), default first:
    the ``refsDecl`` with ``@default='true'``, else the first. Every other tree is named by its
    ``@n`` or ``@xml:id`` (``tree-N`` for the N-th ``refsDecl`` if it has neither)."""
    declared = []
    for n, refs in enumerate(header.iter(tei("refsDecl")), 1):
        structures = tuple(_structure(el) for el in refs.findall("tei:citeStructure", NS))
        if structures:  # a refsDecl in prose or with cRefPattern only gives no tree
            name = refs.get("n") or refs.get(f"{{{XML_NS}}}id") or f"tree-{n}"
            description = " ".join(unit_text(p) for p in refs.findall("tei:p", NS))
            declared.append((refs.get("default") == "true", name, structures, description))
    declared.sort(key=lambda d: not d[0])  # stable: the default first, the others in order
    return [
        CitationTree(None if i == 0 else name, structures, description)
        for i, (_, name, structures, description) in enumerate(declared)
    ]


def _structure(el: etree._Element) -> CiteStructure:
    if not el.get("match") or not el.get("use"):
        raise ValueError(f"citeStructure unit={el.get('unit')!r} needs @match and @use")
    return CiteStructure(
        cite_type=el.get("unit") or "",
        match=el.get("match"),
        use=el.get("use"),
        delim=el.get("delim", ""),
        data=tuple(
            (d.get("property"), d.get("use"))
            for d in el.findall("tei:citeData", NS)
            if d.get("property") and d.get("use")
        ),
        children=tuple(_structure(child) for child in el.findall("tei:citeStructure", NS)),
    )


# --- Resolution ---------------------------------------------------------------------------


@dataclass
class CitableUnit:
    """A node of a citation tree."""

    identifier: str
    level: int
    parent: str | None
    cite_type: str
    element: etree._Element | None = field(repr=False)  # None in a detached index
    xml_id: str | None = None  # of the element, for links
    tag: str = ""  # local name of the element
    lang: str | None = None  # xml:lang in force on the element
    dublin_core: dict[str, list[str]] = field(default_factory=dict)
    extensions: dict[str, list[str]] = field(default_factory=dict)
    position: int = 0  # index in document order
    last: int = 0  # index of its last descendant (itself if none)

    def json(self) -> dict:
        return {
            "identifier": self.identifier,
            "@type": "CitableUnit",
            "level": self.level,
            "parent": self.parent,
            "citeType": self.cite_type,
        }


class CitationIndex:
    """Every unit of one citation tree of a document, by identifier and in document order."""

    def __init__(self, root: etree._Element, tree: CitationTree):
        self.root = root
        self.tree = tree
        self.units: list[CitableUnit] = []
        self.by_id: dict[str, CitableUnit] = {}
        #: Problems met while resolving (duplicate references, empty @use values).
        self.problems: list[str] = []
        self._walk(root, tree.structures, None, 1)
        for unit in reversed(self.units):  # last descendant, children first
            unit.last = max(unit.last, unit.position)
            if unit.parent is not None:
                parent = self.by_id[unit.parent]
                parent.last = max(parent.last, unit.last)

    def detached(self) -> "CitationIndex":
        """A copy without the document's elements: enough for navigation, and small enough to cache."""
        clone = object.__new__(CitationIndex)
        clone.root, clone.tree, clone.problems = None, self.tree, list(self.problems)
        clone.units = [dataclasses.replace(u, element=None) for u in self.units]
        clone.by_id = {u.identifier: u for u in clone.units}
        return clone

    def _walk(self, context, structures, parent: CitableUnit | None, level: int) -> None:
        matched: dict[etree._Element, CiteStructure] = {}
        for structure in structures:
            for el in _xpath(context, structure.match):
                if isinstance(el, etree._Element):
                    matched.setdefault(el, structure)
        if len(structures) > 1:  # a union of the matches gives them in document order
            union = " | ".join(f"({s.match})" for s in structures)
            ordered = [el for el in _xpath(context, union) if el in matched]
        else:
            ordered = list(matched)
        counters: dict[int, int] = {}
        for el in ordered:
            structure = matched[el]
            counters[id(structure)] = counters.get(id(structure), 0) + 1
            if not structure.cite_type:
                value = ""
            elif structure.use.replace(" ", "") == "position()":  # the n-th node this structure matches here
                value = str(counters[id(structure)])
            else:
                value = _string(_xpath(el, structure.use))
            if not value and structure.cite_type:
                self.problems.append(f"a {structure.cite_type} has no value for {structure.use}")
                continue
            if not structure.cite_type:  # not cited itself: its children hang from our parent
                if structure.children:
                    self._walk(el, structure.children, parent, level)
                continue
            identifier = (parent.identifier if parent else "") + structure.delim + value
            if identifier in self.by_id:
                self.problems.append(f"reference {identifier!r} is given twice; the second is left out")
                continue
            unit = CitableUnit(
                identifier,
                level,
                parent.identifier if parent else None,
                structure.cite_type,
                el,
                el.get(XML_ID),
                etree.QName(el).localname,
                next((a.get(XML_LANG) for a in (el, *el.iterancestors()) if a.get(XML_LANG)), None),
            )
            for prop, use in structure.data:
                values = [v for v in (_string([r]) for r in _xpath(el, use)) if v]
                if values:
                    target = unit.dublin_core if prop.startswith(DCT) else unit.extensions
                    target.setdefault(prop[len(DCT) :] if prop.startswith(DCT) else prop, []).extend(values)
            unit.position = unit.last = len(self.units)
            self.units.append(unit)
            self.by_id[identifier] = unit
            if structure.children:
                self._walk(el, structure.children, unit, level + 1)

    def get(self, identifier: str, parameter: str) -> CitableUnit:
        unit = self.by_id.get(identifier)
        if unit is None:
            raise CitationError(404, f"{parameter} {identifier!r} is not a reference of this citation tree", parameter)
        return unit

    def select(self, ref=None, start=None, end=None, down: int | None = None):
        """Answer a Navigation request: ``(ref, start, end, members)`` as the DTS 1.0 table says.

        ``members`` is None when the response has no ``member`` property.
        """
        if ref is not None and (start is not None or end is not None):
            raise CitationError(400, "ref cannot be used together with start or end", "ref")
        if (start is None) != (end is None):
            raise CitationError(400, "start and end must be given together", "end" if end is None else "start")
        if down is not None and down < -1:
            raise CitationError(400, "down must be -1 (the whole tree), 0 or a positive number", "down")
        limit = lambda base: None if down == -1 else base + down  # noqa: E731 (deepest level included)
        if ref is not None:
            unit = self.get(ref, "ref")
            if down is None:
                return unit, None, None, None
            if down == 0:
                return unit, None, None, [u for u in self.units if u.parent == unit.parent]
            return unit, None, None, self._span(unit.position, unit.last, limit(unit.level))
        if start is not None:
            first, last = self.get(start, "start"), self.get(end, "end")
            if last.position < first.position:
                raise CitationError(400, f"end {end!r} comes before start {start!r} in the document", "end")
            if down is None:
                return None, first, last, None
            if down == 0:
                raise CitationError(400, "down=0 cannot be used with start and end", "down")
            return (
                None,
                first,
                last,
                self._span(first.position, max(first.last, last.last), limit(max(first.level, last.level))),
            )
        if down is None or down == 0:
            raise CitationError(400, "give ref, start and end, or down (1 or more, or -1)", "down")
        return None, None, None, self._span(0, len(self.units) - 1, limit(0))

    def _span(self, first: int, last: int, deepest: int | None) -> list[CitableUnit]:
        return [u for u in self.units[first : last + 1] if deepest is None or u.level <= deepest]


def _string(result) -> str:
    """String value of an XPath result: the first node's text (noise left out) or the value itself."""
    if isinstance(result, list):
        if not result:
            return ""
        result = result[0]
    if isinstance(result, etree._Element):
        return unit_text(result)
    if isinstance(result, bool):
        return ""
    if isinstance(result, float):
        return str(int(result)) if result.is_integer() else str(result)
    return " ".join(str(result).split())


# --- Fragments ------------------------------------------------------------------------------


def fragment(root: etree._Element, first: etree._Element, last: etree._Element | None = None) -> etree._Element:
    """A TEI document holding the header and the passage from ``first`` to ``last`` (inclusive,
    with its descendants) inside ``dts:wrapper``; the elements enclosing the passage are kept
    as shells (attributes only) so that the passage keeps its context and stays valid TEI."""
    last = first if last is None else last
    if first is last or _inside(last, first):
        container, content = first.getparent(), [_detached(first)]
    else:
        container = _common_ancestor(first, last)
        content = _cut(container, first, last)
    out = etree.Element(root.tag, root.attrib, nsmap={None: TEI_NS, "dts": DTS_NS})
    header = root.find("tei:teiHeader", NS)
    if header is not None:
        out.append(copy.deepcopy(header))
    chain = [a for a in reversed(list(container.iterancestors())) if a is not root]
    chain = chain + [container] if container is not root else chain
    parent, wrapper = out, None
    for ancestor in chain:
        parent = etree.SubElement(parent, ancestor.tag, ancestor.attrib)
        if wrapper is None and etree.QName(ancestor).localname in ("body", "front", "back"):
            parent = wrapper = etree.SubElement(parent, f"{{{DTS_NS}}}wrapper")
    if wrapper is None:
        parent = etree.SubElement(parent, f"{{{DTS_NS}}}wrapper")
    parent.extend(content)
    return out


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _child_holding(container: etree._Element, el: etree._Element) -> etree._Element:
    while el.getparent() is not container:
        el = el.getparent()
    return el


def _detached(el: etree._Element) -> etree._Element:
    clone = copy.deepcopy(el)
    clone.tail = None
    return clone


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    ancestors = set(a.iterancestors())
    return next(x for x in b.iterancestors() if x in ancestors)


_MARK = f"{{{DTS_NS}}}mark"


def _cut(container: etree._Element, first: etree._Element, last: etree._Element) -> list[etree._Element]:
    """Copies of ``container``'s children from the one holding ``first`` to the one holding
    ``last``, with everything before ``first`` and after ``last`` removed."""
    children = list(container)
    begin = children.index(_child_holding(container, first))
    end = children.index(_child_holding(container, last))
    if end < begin:
        raise ValueError("the last element of a passage comes before its first")
    first.set(_MARK, "first")
    last.set(_MARK, "last")
    try:
        copies = [copy.deepcopy(c) for c in children[begin : end + 1]]
    finally:
        first.attrib.pop(_MARK)
        last.attrib.pop(_MARK)
    copies[-1].tail = None
    for mark, top, before in (("first", copies[0], True), ("last", copies[-1], False)):
        target = next(el for el in top.iter() if el.get(_MARK) == mark)
        target.attrib.pop(_MARK)
        _prune(top, target, before)
    return copies


def _prune(top: etree._Element, target: etree._Element, before: bool) -> None:
    """Remove what lies before (or after) ``target`` inside ``top``."""
    node = target
    if not before:
        node.tail = None
    while node is not top:
        parent = node.getparent()
        if before:
            parent.text = None
            for sibling in list(node.itersiblings(preceding=True)):
                parent.remove(sibling)
        else:
            node.tail = None
            for sibling in list(node.itersiblings()):
                parent.remove(sibling)
        node = parent
