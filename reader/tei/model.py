"""How each TEI element reads: one table, in the spirit of TEI's processing model (``<model behaviour>``).

The importer (:mod:`reader.tei.foreign.convert`) uses it to decide what is a block,
a speech, a verse line or a stage direction and how an element goes into the text
(a ``space`` is a word space, ``lb[@break='no']`` joins); the reading view
(:mod:`reader.tei.rendering`) uses it to decide the markup. The text of a unit
(search, the ``.txt`` download) is the TEI's own text, into which the importer
writes the spaces this table asks for, so all three follow the same rules.

An element the table does not name reads as ``inline``: its text is kept and shown
as it is (the importer counts it in its report as not understood).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

#: The behaviours (what a reader sees).
BEHAVIOURS = frozenset(
    {
        "block",  # a paragraph-like unit of its own
        "head",  # a heading
        "line",  # a verse line: on a line of its own, numbered (every fifth shown), @part indented
        "lines",  # a group of lines (stanza)
        "speech",  # a speech: its speaker and what is spoken, one unit
        "speaker",  # the speaker's label: part of its speech, never a unit of its own
        "stage",  # a stage direction: set apart, never numbered
        "cast",  # a cast list: a list of roles (front matter)
        "front",  # a text's front matter (title page, cast, setting): shown as its front, never numbered
        "note",  # a note: out of the running text
        "alternative",  # one of two readings (choice): shown by the diplomatic / normalised switch
        "supplied",  # Leiden [ ]: letters the editor supplied
        "unclear",  # Leiden: letters read with doubt (dotted underline)
        "expansion",  # Leiden ( ): the editor's expansion of an abbreviation
        "gap",  # Leiden [...]: text lost
        "space",  # a space in the source: a word space in the text
        "break",  # a line break: a word space, or nothing when @break='no'
        "pagebreak",  # a page break: a marker
        "milestone",  # a boundary marker with no text
        "label",  # a label set apart
        "inline",  # phrase content, shown as text
        "omit",  # not shown
    }
)


@dataclass(frozen=True)
class Rule:
    """``name`` (local name) with every ``(attribute, value)`` of ``when`` → ``behaviour``."""

    name: str
    behaviour: str
    when: tuple[tuple[str, str], ...] = ()


#: The table. The first rule whose name and attributes match decides (specific rules first).
RULES: tuple[Rule, ...] = (
    Rule("lb", "break"),
    Rule("pb", "pagebreak"),
    Rule("cb", "milestone"),
    Rule("gb", "milestone"),
    Rule("milestone", "milestone"),
    Rule("anchor", "milestone"),
    Rule("space", "space"),
    Rule("head", "head"),
    Rule("p", "block"),
    Rule("ab", "block"),
    Rule("l", "line"),
    Rule("lg", "lines"),
    Rule("sp", "speech"),
    Rule("speaker", "speaker"),
    Rule("stage", "stage"),
    Rule("castList", "cast"),
    Rule("list", "cast", (("type", "castList"),)),  # the importer's cast list
    Rule("front", "front"),
    Rule("titlePage", "front"),
    Rule("div", "front", (("subtype", "front"),)),  # the importer's section for a foreign ``front``
    Rule("note", "note"),
    Rule("orig", "alternative"),
    Rule("reg", "alternative"),
    Rule("abbr", "alternative"),
    Rule("expan", "alternative"),
    Rule("sic", "alternative"),
    Rule("corr", "alternative"),
    Rule("supplied", "supplied"),
    Rule("unclear", "unclear"),
    Rule("ex", "expansion"),
    Rule("gap", "gap"),
    Rule("label", "label"),
    Rule("fw", "omit"),
)
_BY_NAME: dict[str, list[Rule]] = {}
for _rule in RULES:
    assert _rule.behaviour in BEHAVIOURS, _rule
    _BY_NAME.setdefault(_rule.name, []).append(_rule)


def behaviour(el: etree._Element) -> str:
    """How ``el`` reads (``inline`` for an element the table does not name)."""
    if not isinstance(el.tag, str):
        return "omit"
    for rule in _BY_NAME.get(etree.QName(el).localname, ()):
        if all(el.get(attr) == value for attr, value in rule.when):
            return rule.behaviour
    return "inline"


def described(el: etree._Element) -> bool:
    """Whether the table names ``el``."""
    return isinstance(el.tag, str) and etree.QName(el).localname in _BY_NAME


#: Behaviours of front matter: a unit inside an element that reads so is unnumbered (like a stage direction).
FRONT_MATTER = frozenset({"front", "cast"})


def front_matter(el: etree._Element) -> bool:
    """Whether ``el`` is part of a text's front matter: it, or an element around it, is a ``front``, a title
    page or a cast list (``div[@subtype='front']``, ``list[@type='castList']`` once imported). Such units keep
    their ids and permalinks but take no ¶ number, so that a play's first speech is ¶ 1."""
    return any(behaviour(a) in FRONT_MATTER for a in (el, *el.iterancestors()))


def line_number(n: str | None) -> int | None:
    """A verse line's number from its ``@n``: ``12`` → 12, ``1.1.12`` (act.scene.line) → 12; else None."""
    last = (n or "").strip().rsplit(".", 1)[-1]
    return int(last) if last.isdigit() else None


def number_lines(container: etree._Element) -> dict[etree._Element, int]:
    """Every verse line of ``container`` → its number: its own ``@n`` when it has one, else the previous
    line's number + 1 (files that number only every fifth line, as many drama corpora do, or none).
    The middle or end of a line split between speakers (``@part`` M or F) is the same verse as its
    beginning: without an ``@n`` of its own it keeps the previous line's number."""
    numbers: dict[etree._Element, int] = {}
    previous = 0
    for el in container.iter(etree.Element):
        if etree.QName(el).localname == "l" and behaviour(el) == "line":
            own = line_number(el.get("n"))
            if own is not None:
                previous = own
            elif not (el.get("part") in ("M", "F") and previous):
                previous += 1
            numbers[el] = previous
    return numbers
