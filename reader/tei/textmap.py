"""Offsets in a unit's text <-> places in its lxml tree, and safe insertion: the one offset map.

A unit's text (``document.unit_text``) is made of text *slots*: the ``text``
of the unit or of a non-noise descendant, and the ``tail`` of any child
(a noise element's tail is running text again). :class:`TextMap` lists the
slots in reading order and maps offsets of the whitespace-collapsed unit
text back to (slot, offset) pairs, and elements to spans of that text.
Parsing (mentions as offsets), export (offsets back to elements),
recognition and the annotators' edits all go through it.

:func:`wrap` puts an element around a span only where that keeps the tree
well formed: the span must start and end in slots of the same parent, and
(unless asked to) enclose no noise element. Otherwise it refuses (returns
None) rather than cross a boundary.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from lxml import etree

from .document import walk_text
from .vocabulary import NOISE_TAGS

_RUN = re.compile(r"\s+|\S+")
_SPACES = re.compile(r"\s+")
_LEAD = re.compile(r"\s*")
_TRAIL = re.compile(r"\s*\Z")


class Slot(NamedTuple):
    node: etree._Element
    attr: str  # "text" | "tail"

    @property
    def value(self) -> str:
        return getattr(self.node, self.attr) or ""

    @property
    def container(self) -> etree._Element:
        """The element whose content this string is part of."""
        return self.node if self.attr == "text" else self.node.getparent()


class TextMap:
    """The unit's collapsed text and, for each of its characters, where it lives."""

    def __init__(self, unit: etree._Element):
        self.unit = unit
        self.slots: list[Slot] = []
        #: element → (index of its text slot, index of the first slot after its content)
        self._ranges: dict[etree._Element, tuple[int, int]] = {}
        self._collect(unit)
        # Collapse whitespace exactly as unit_text does, remembering origins: a run of
        # spaces becomes one, placed at the run's first character, and only between words.
        # Kept per segment (a collapsed space, or one slot's words), not per character.
        parts: list[str] = []
        self._starts: list[int] = []  #: where each segment starts in the text
        self._segments: list[tuple[int, int, bool]] = []  #: (slot index, offset in its string, is words)
        length = 0
        pending_space = None
        for i, slot in enumerate(self.slots):
            value = slot.value
            words = _SPACES.sub(" ", value).strip(" ")
            if not words:
                if value and pending_space is None:
                    pending_space = (i, 0)
                continue
            lead = _LEAD.match(value).end()
            if lead and pending_space is None:
                pending_space = (i, 0)
            if pending_space is not None and length:
                self._starts.append(length)
                self._segments.append((*pending_space, False))
                parts.append(" ")
                length += 1
            self._starts.append(length)
            self._segments.append((i, lead, True))
            parts.append(words)
            length += len(words)
            trail = _TRAIL.search(value).start()
            pending_space = (i, trail) if trail < len(value) else None
        self.text = "".join(parts)  # == document.unit_text(unit); tests/test_tei_codec.py checks it on the corpus
        self._run_slots = [i for i, _, _ in self._segments]

    def _origin(self, position: int) -> tuple[int, int]:
        """(slot index, offset in its string) of the character at ``position`` of the text."""
        k = bisect_right(self._starts, position) - 1
        slot, offset, is_words = self._segments[k]
        if not is_words:
            return slot, offset
        left = position - self._starts[k]  # characters of the collapsed words still to pass
        for run in _RUN.finditer(self.slots[slot].value, offset):
            size = 1 if run.group().isspace() else len(run.group())
            if left < size:
                return slot, run.start() + left
            left -= size
        raise AssertionError("position beyond its segment")

    def _collect(self, unit: etree._Element) -> None:
        for event, el in walk_text(unit):  # the walk unit_text makes, so that the texts agree
            if event == "start":
                first = len(self.slots)
                self._ranges[el] = (first, first)  # placed now so the dict keeps document order
                self.slots.append(Slot(el, "text"))
            elif event == "tail":
                self.slots.append(Slot(el, "tail"))
            else:
                self._ranges[el] = (self._ranges[el][0], len(self.slots))  # the element's tail slot comes after

    def locate(self, start: int, end: int) -> tuple[Slot, int, Slot, int] | None:
        """(slot, offset) of the first character and just after the last one."""
        if not (0 <= start < end <= len(self.text)):
            return None
        s_slot, s_off = self._origin(start)
        e_slot, e_off = self._origin(end - 1)
        return self.slots[s_slot], s_off, self.slots[e_slot], e_off + 1

    def span(self, el: etree._Element) -> tuple[int, int] | None:
        """Offsets of ``el``'s content in the unit text, without a space at either end.

        An element holding no text gets an empty span where it stands; one the
        map does not hold (inside noise, or not in the unit) gets None.
        """
        found = self._ranges.get(el)
        if found is None or el is self.unit:
            return (0, len(self.text)) if el is self.unit else None
        first, after = found
        runs = bisect_left(self._run_slots, first), bisect_left(self._run_slots, after)
        start, end = (self._starts[k] if k < len(self._starts) else len(self.text) for k in runs)
        if start < end and self.text[start] == " ":
            start += 1
        if start < end and self.text[end - 1] == " ":
            end -= 1
        if start == end and start and self.text[start - 1] == " ":
            start = end = start - 1  # an empty element after a space stands before it
        return start, end

    def elements(self, tags) -> list[tuple[etree._Element, int, int]]:
        """Every mapped element with one of ``tags`` (not inside noise), with its span, in document order."""
        wanted = set(tags)
        return [(el, *self.span(el)) for el in self._ranges if el is not self.unit and el.tag in wanted]


def element_span(tmap: TextMap, el: etree._Element) -> tuple[int, int] | None:
    """Offsets of ``el``'s content in the unit text of ``tmap`` (None if it holds no text)."""
    span = tmap.span(el)
    return span if span is not None and span[0] < span[1] else None


def wrap(
    unit: etree._Element, start: int, end: int, tag: str, attrs: dict[str, str], enclose_noise: bool = False
) -> etree._Element | None:
    """Wrap characters ``start:end`` of the unit's text in a new element.

    Returns the new element, or None when the span cannot be wrapped without
    crossing an element boundary or (unless ``enclose_noise``: a mention read
    from a file may hold a note) enclosing noise, comments or processing instructions.
    """
    located = TextMap(unit).locate(start, end)
    if located is None:
        return None
    a_slot, a_off, b_slot, b_off = located
    parent = a_slot.container
    if b_slot.container is not parent:
        return None
    children = list(parent)
    first = 0 if a_slot.attr == "text" else children.index(a_slot.node) + 1
    last = 0 if b_slot.attr == "text" else children.index(b_slot.node) + 1  # exclusive
    enclosed = children[first:last]
    if not enclose_noise and any(not isinstance(c.tag, str) or c.tag in NOISE_TAGS for c in enclosed):
        return None
    new = etree.Element(tag, attrs)
    a_value = a_slot.value
    if a_slot == b_slot:
        new.text = a_value[a_off:b_off]
        new.tail = a_value[b_off:] or None
    else:
        b_value = b_slot.value
        new.text = a_value[a_off:] or None
        for child in enclosed:
            new.append(child)  # moves it, with its tail
        enclosed[-1].tail = b_value[:b_off] or None
        new.tail = b_value[b_off:] or None
    setattr(a_slot.node, a_slot.attr, a_value[:a_off] or None)
    parent.insert(first, new)
    return new


def unwrap(el: etree._Element) -> None:
    """Remove ``el`` but keep its content and tail in place."""
    parent = el.getparent()
    index = parent.index(el)
    previous = parent[index - 1] if index > 0 else None

    def append_text(s: str | None) -> None:
        if not s:
            return
        if previous is None:
            parent.text = (parent.text or "") + s
        else:
            previous.tail = (previous.tail or "") + s

    append_text(el.text)
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "") or None
        parent.remove(el)
    else:
        parent.remove(el)
        append_text(el.tail)
