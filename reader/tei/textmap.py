"""Offsets in a unit's text <-> places in its lxml tree, and safe insertion.

A unit's text (``document.unit_text``) is made of text *slots*: the ``text``
of the unit or of a non-noise descendant, and the ``tail`` of any child
(a noise element's tail is running text again). :class:`TextMap` lists the
slots in reading order and maps offsets of the whitespace-collapsed unit
text back to (slot, offset) pairs.

:func:`wrap` puts an element around a span only where that keeps the tree
well formed and the noise untouched: the span must start and end in slots
of the same parent, and every element it encloses must be a non-noise
element. Otherwise it refuses (returns None) rather than cross a boundary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .document import NOISE_TAGS, unit_text

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Slot:
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
        self._collect(unit, is_root=True)
        raw_chars: list[tuple[int, int]] = []  # (slot index, offset)
        raw = []
        for i, slot in enumerate(self.slots):
            for j, ch in enumerate(slot.value):
                raw.append(ch)
                raw_chars.append((i, j))
        # Collapse whitespace exactly as unit_text does, remembering origins.
        text, origin = [], []
        pending_space = None
        for ch, where in zip(raw, raw_chars):
            if _SPACE.match(ch):
                if pending_space is None:
                    pending_space = where
                continue
            if pending_space is not None and text:
                text.append(" ")
                origin.append(pending_space)
            pending_space = None
            text.append(ch)
            origin.append(where)
        self.text = "".join(text)
        self.origin = origin
        assert self.text == unit_text(unit), "TextMap disagrees with document.unit_text"

    def _collect(self, el: etree._Element, is_root: bool = False) -> None:
        self.slots.append(Slot(el, "text"))
        for child in el:
            if isinstance(child.tag, str) and child.tag not in NOISE_TAGS:
                self._collect(child)
            if child.tail:
                self.slots.append(Slot(child, "tail"))

    def locate(self, start: int, end: int) -> tuple[Slot, int, Slot, int] | None:
        """(slot, offset) of the first character and just after the last one."""
        if not (0 <= start < end <= len(self.text)):
            return None
        s_slot, s_off = self.origin[start]
        e_slot, e_off = self.origin[end - 1]
        return self.slots[s_slot], s_off, self.slots[e_slot], e_off + 1


def element_span(tmap: TextMap, el: etree._Element) -> tuple[int, int] | None:
    """Offsets of ``el``'s content in the unit text of ``tmap`` (None if it holds no text)."""
    inside = {i for i, slot in enumerate(tmap.slots) if _slot_within(slot, el)}
    positions = [k for k, (slot, _off) in enumerate(tmap.origin) if slot in inside]
    if not positions:
        return None
    return positions[0], positions[-1] + 1


def _slot_within(slot: Slot, el: etree._Element) -> bool:
    node = slot.node
    if slot.attr == "text":
        return node is el or any(a is el for a in node.iterancestors())
    return node is not el and any(a is el for a in node.iterancestors())


def wrap(unit: etree._Element, start: int, end: int, tag: str, attrs: dict[str, str]) -> etree._Element | None:
    """Wrap characters ``start:end`` of the unit's text in a new element.

    Returns the new element, or None when the span cannot be wrapped without
    crossing an element boundary or enclosing noise.
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
    if any(not isinstance(c.tag, str) or c.tag in NOISE_TAGS for c in enclosed):
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
