"""Ids and their history: units and sections keep the ids of the previous version of the document, new
ones get fresh ids, and ids that go are retired with their successor."""

from __future__ import annotations

import re

from lxml import etree

from ..document import citable_units, is_supplied, unit_places, unit_text
from ..ids import OldUnit, assign_ids
from ..xml import NS, XML_ID, tei


def _citable(root: etree._Element) -> list[etree._Element]:
    """Units that get ids: not a ``bibl`` inside a note (an inline citation is part of its paragraph)."""
    return unit_places(root.find("tei:text/tei:body", NS))


def apply_ids(root: etree._Element, previous: etree._Element | None, revision: int, today: str) -> dict:
    """Give every unit and section its permanent id; returns counts for the revision note."""
    history = _previous_history(previous)
    old_units = [OldUnit(u.id, u.kind, u.text) for u in citable_units(previous)] if previous is not None else []
    elements = _citable(root)
    new = [(etree.QName(el).localname, unit_text(el)) for el in elements]
    assignment = assign_ids(new, old_units, {r.get("n") for r in history["retired"]})
    for el, ident in zip(elements, assignment.ids):
        el.set(XML_ID, ident)
    _apply_section_ids(root, previous, history)
    standoff = etree.SubElement(root, tei("standOff"), type="paragraph-history")
    retired_list = etree.SubElement(standoff, tei("listAnnotation"), type="retired")
    for note in history["retired"]:
        retired_list.append(note)
    for r in assignment.retired:
        note = etree.SubElement(retired_list, tei("note"), type="retired", n=r.id, subtype=r.reason)
        note.set("ana", f"#{r.kind}")
        if r.successor:
            note.set("corresp", f"#{r.successor}")
        etree.SubElement(note, tei("date"), when=today).tail = r.text  # note has no @when in tei_all
    earlier = etree.SubElement(standoff, tei("listAnnotation"), type="earlier-texts")
    for note in history["earlier"]:
        earlier.append(note)
    for ident, text in sorted(assignment.changed.items(), key=lambda kv: _id_key(kv[0])):
        note = etree.SubElement(earlier, tei("note"), type="earlier-text", target=f"#{ident}", n=str(revision - 1))
        note.text = text
    for lst in (retired_list, earlier):
        if len(lst) == 0:
            standoff.remove(lst)
    if len(standoff) == 0:
        root.remove(standoff)
    return {
        "retired": len(assignment.retired),
        "changed": len(assignment.changed),
        "added": sum(1 for i in assignment.ids if i not in {u.id for u in old_units}),
    }


def _id_key(ident: str):
    m = re.match(r"([a-z]+)(\d+)", ident)
    return (m.group(1), int(m.group(2))) if m else (ident, 0)


def _previous_history(previous: etree._Element | None) -> dict:
    history = {"retired": [], "earlier": []}
    if previous is None:
        return history
    for note in previous.iterfind("tei:standOff[@type='paragraph-history']/tei:listAnnotation/tei:note", NS):
        history["retired" if note.get("type") == "retired" else "earlier"].append(detached_copy(note))
    return history


def detached_copy(el: etree._Element) -> etree._Element:
    """A deep copy of ``el`` without its tail, to put into another tree."""
    import copy

    clone = copy.deepcopy(el)
    clone.tail = None
    return clone


def _apply_section_ids(root, previous, history) -> None:
    def label(div):
        head = div.find("tei:head", NS)
        if head is not None and not is_supplied(head):  # a supplied heading does not make the section
            return unit_text(head)
        first = next((el for el in div.iter(tei("p"), tei("item"), tei("bibl"))), None)
        return unit_text(first) if first is not None else ""

    divs = list(root.find("tei:text/tei:body", NS).iter(tei("div")))
    old = []
    if previous is not None:
        old = [
            OldUnit(d.get(XML_ID), "div", label(d))
            for d in previous.find("tei:text/tei:body", NS).iter(tei("div"))
            if d.get(XML_ID)
        ]
    assignment = assign_ids([("div", label(d)) for d in divs], old, {r.get("n") for r in history["retired"]})
    for div, ident in zip(divs, assignment.ids):
        div.set(XML_ID, ident)
