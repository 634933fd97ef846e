"""Plain data → TEI: the inverse of ``parsing`` (no database here).

``texts.exporter`` turns rows into the plain data of ``parsing`` and calls
these functions to fill a file's skeleton back in: a unit with its mentions,
a register entry, the paragraph history. Whatever still matches the TEI it
was read from is written as read, so load → export gives back the same bytes;
only what changed is rebuilt.
"""

from __future__ import annotations

import copy

from lxml import etree

from .parsing import EarlierTextData, EntityData, MentionData, RetiredData, from_string, history_data, parse_entry
from .parsing import parse_mentions
from .textmap import TextMap, wrap
from .vocabulary import (
    HISTORY_TYPE,
    KINDS,
    MENTION_TAG_OF,
    MENTION_TAGS,
    NAME_TAGS,
    REGISTER_LISTS,
    REGISTER_PREFIX,
    mention_attributes,
    mention_kind,
)
from .xml import XML_ID, XML_LANG, remove_keeping_tail, tei

#: A mention element's tag while it is being stripped.
_STRIPPED = "stripped-mention"


class MentionPlacementError(ValueError):
    """A mention that cannot be written inline (it crosses an element boundary)."""


# --------------------------------------------------------------------------- mentions → inline TEI


def mention_element(m: MentionData) -> etree._Element:
    out = etree.Element(MENTION_TAG_OF[m.kind], mention_attributes(m.kind))
    if m.ref:
        out.set("ref", REGISTER_PREFIX + m.ref)
    for attr, value in (("when", m.when), ("from", m.date_from), ("to", m.date_to), ("resp", m.resp), ("cert", m.cert)):
        if value:
            out.set(attr, value)
    return out


def apply_mentions(el: etree._Element, mentions: list[MentionData]) -> etree._Element:
    """A copy of unit ``el`` with its inline mentions replaced by ``mentions``."""
    out = copy.deepcopy(el)
    for old in [m for m in out.iter(*MENTION_TAGS) if mention_kind(m)]:  # an ``rs`` of another type stays
        old.tag = _STRIPPED
    etree.strip_tags(out, _STRIPPED)
    length = len(TextMap(out).text)
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        where = f"{el.get(XML_ID)}: mention {m.surface!r}: offsets {m.start}–{m.end}"
        if not 0 <= m.start < m.end <= length:
            raise MentionPlacementError(f"{where} lie outside the text ({length} characters)")
        new = mention_element(m)
        if wrap(out, m.start, m.end, new.tag, dict(new.attrib), enclose_noise=True) is None:
            raise MentionPlacementError(f"{where} cross an element boundary")
    return out


def _mention_key(m: MentionData):
    return (m.start, -m.end, m.kind, m.ref, m.resp, m.cert, m.when, m.date_from, m.date_to)


def unit_element(tei_xml: str, mentions: list[MentionData], name: str) -> etree._Element:
    """A unit's TEI as loaded (``tei_xml``) if its mentions are unchanged, else rebuilt with ``mentions``."""
    el = from_string(tei_xml, name)
    _, loaded = parse_mentions(el)
    if sorted(map(_mention_key, loaded)) == sorted(map(_mention_key, mentions)):
        return el
    return apply_mentions(el, mentions)


# --------------------------------------------------------------------------- paragraph history


def history_element(retired: list[RetiredData], earlier: list[EarlierTextData]) -> etree._Element:
    stand_off = etree.Element(tei("standOff"), type=HISTORY_TYPE)
    if retired:
        listing = etree.SubElement(stand_off, tei("listAnnotation"), type="retired")
        for r in retired:
            note = etree.SubElement(listing, tei("note"), type="retired", n=r.id)
            if r.successor:
                note.set("corresp", "#" + r.successor)
            note.set("subtype", r.change)
            if r.when:  # tei_all gives note no @when: the date is a child
                etree.SubElement(note, tei("date"), when=r.when).tail = r.text
            else:
                note.text = r.text
    if earlier:
        listing = etree.SubElement(stand_off, tei("listAnnotation"), type="earlier-texts")
        for e in earlier:
            note = etree.SubElement(listing, tei("note"), type="earlier-text", target="#" + e.target, n=e.revision)
            note.text = e.text
    return stand_off


def history_for(loaded: etree._Element | None, retired, earlier) -> etree._Element | None:
    """The history ``standOff``: ``loaded`` (a copy) if it says the same, else rebuilt; None if empty."""
    if not retired and not earlier:
        return None
    if loaded is not None and history_data(loaded) == (retired, earlier):
        return copy.deepcopy(loaded)
    return history_element(retired, earlier)


# --------------------------------------------------------------------------- register entries


def entry_element(data: EntityData, loaded_xml: str = "") -> etree._Element:
    """The register entry: as loaded (``loaded_xml``) if its fields are unchanged, else rebuilt."""
    loaded = from_string(loaded_xml, data.id) if loaded_xml else None
    if loaded is not None and parse_entry(loaded) == data:
        return loaded
    kind = KINDS[data.kind]
    out = etree.Element(tei(kind.entry_tag))
    out.set(XML_ID, data.id)
    if loaded is not None:
        for key, value in loaded.attrib.items():
            out.set(key, value)
    if data.resp:
        out.set("resp", data.resp)
    elif "resp" in out.attrib:
        del out.attrib["resp"]
    old_names = [n for n in loaded if n.tag in NAME_TAGS[loaded.tag]] if loaded is not None else []
    canonical = etree.SubElement(out, tei(kind.entry_name_tag))
    if old_names:
        canonical.attrib.update({k: v for k, v in old_names[0].attrib.items() if k != XML_LANG})
    canonical.text = data.name
    for name, lang, name_type in data.variants:
        variant = etree.SubElement(out, tei(kind.entry_name_tag), type=name_type or "variant")
        if lang:
            variant.set(XML_LANG, lang)
        variant.text = name
    if data.geo is not None:  # TEI's default notation: "latitude longitude"
        location = etree.SubElement(out, tei("location"))
        etree.SubElement(location, tei("geo")).text = f"{data.geo[0]!r} {data.geo[1]!r}"
    for scheme, value in data.authority:
        etree.SubElement(out, tei("idno"), type=scheme).text = value
    if data.note:
        etree.SubElement(out, tei("note")).text = data.note
    return out


def list_for(root: etree._Element, kind: str) -> etree._Element:
    """The register list of ``kind`` in ``root``, made (in a ``standOff``) if missing."""
    tag = REGISTER_LISTS[kind]
    found = next(root.iter(tag), None)
    if found is not None:
        return found
    stand_off = next(root.iter(tei("standOff")), None)
    if stand_off is None:
        stand_off = etree.SubElement(root, tei("standOff"))
    return etree.SubElement(stand_off, tag)


def indent_rebuilt_lists(root: etree._Element) -> None:
    """Lay out a register list again when it holds a rebuilt (unindented) entry,
    so a changed entry reads like its neighbours and the diff shows only the change."""
    for tag in REGISTER_LISTS.values():
        for listing in root.iter(tag):
            laid_out = listing.text is not None and not listing.text.strip()  # a compact file stays compact
            rebuilt = any(entry.text is None and len(entry) for entry in listing) or any(
                e.tail is None for e in listing
            )
            if laid_out and rebuilt:
                etree.indent(listing, space="  ", level=sum(1 for _ in listing.iterancestors()))


# --------------------------------------------------------------------------- skeletons


def fill(placeholder: etree._Element, element: etree._Element | None) -> None:
    """Replace a skeleton's placeholder by ``element`` (or drop it), keeping its tail."""
    if element is None:
        remove_keeping_tail(placeholder)
        return
    element.tail = placeholder.tail
    placeholder.getparent().replace(placeholder, element)
