"""Write the database back to ``corpus/tei/`` (the inverse of ``importer``).

Each file's skeleton (see ``parsing``) is filled from the tables: the header
of the document, each citable unit, the paragraph history, the register's
entries. A unit or entry whose data still matches the TEI it was loaded from
is written as loaded, so load → export gives back the same files; one whose
mentions or register fields changed (annotators, issue 6) is rebuilt from
the database.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from reader.tei.xml import XML_ID, XML_LANG, parse_bytes, serialize, tei, write_atomic

from .parsing import (
    HISTORY_TYPE,
    MENTION_KINDS,
    MENTION_TAGS,
    NAME_TAGS,
    NOISE_TAGS,
    REGISTER_LISTS,
    EarlierTextData,
    EntityData,
    MentionData,
    RetiredData,
    _history,
    from_string,
    parse_entry,
    parse_mentions,
    px,
)

REGISTER_PREFIX = "register.xml#"
ENTRY_TAGS = {"person": tei("person"), "place": tei("place"), "org": tei("org")}
NAME_TAG_OF = {"person": tei("persName"), "place": tei("placeName"), "org": tei("orgName")}


class MentionPlacementError(ValueError):
    """A mention that cannot be written inline (it crosses an element boundary)."""


# --------------------------------------------------------------------------- mentions → inline TEI


def _slots(el: etree._Element) -> Iterable[tuple[etree._Element, str]]:
    """Every non-noise text slot (node, 'text' | 'tail') of ``el``, in document order."""
    yield el, "text"
    for child in el:
        if isinstance(child.tag, str) and child.tag not in NOISE_TAGS:
            yield from _slots(child)
        yield child, "tail"


def _char_map(el: etree._Element) -> list[tuple[etree._Element, str, int]]:
    """For each character of the unit's (collapsed) text, where it is in the tree.

    Collapsed spaces map to the first raw whitespace character of their run.
    """
    positions: list[tuple[etree._Element, str, int]] = []
    pending: tuple[etree._Element, str, int] | None = None
    for node, which in _slots(el):
        raw = getattr(node, which) or ""
        for offset, ch in enumerate(raw):
            if ch.isspace():
                pending = pending or (node, which, offset)
                continue
            if pending and positions:
                positions.append(pending)
            pending = None
            positions.append((node, which, offset))
    return positions


def _container(node: etree._Element, which: str) -> tuple[etree._Element, int]:
    """The element whose children a slot sits among, and the child index after the slot."""
    if which == "text":
        return node, 0
    parent = node.getparent()
    return parent, parent.index(node) + 1


def _wrap(el: etree._Element, start: int, end: int, wrapper: etree._Element) -> None:
    chars = _char_map(el)
    if not (0 <= start < end <= len(chars)):
        raise MentionPlacementError(f"offsets {start}–{end} lie outside the text ({len(chars)} characters)")
    s_node, s_which, s_off = chars[start]
    e_node, e_which, e_off = chars[end - 1]
    e_off += 1
    s_parent, s_index = _container(s_node, s_which)
    e_parent, e_index = _container(e_node, e_which)
    if s_parent is not e_parent:
        raise MentionPlacementError(f"offsets {start}–{end} cross an element boundary")
    s_text = getattr(s_node, s_which) or ""
    if (s_node, s_which) == (e_node, e_which):
        wrapper.text = s_text[s_off:e_off]
        wrapper.tail = s_text[e_off:] or None
    else:
        e_text = getattr(e_node, e_which) or ""
        wrapper.text = s_text[s_off:] or None
        for child in list(s_parent[s_index:e_index]):
            wrapper.append(child)  # moves it, with its tail
        e_node.tail = e_text[:e_off] or None
        wrapper.tail = e_text[e_off:] or None
    setattr(s_node, s_which, s_text[:s_off] or None)
    s_parent.insert(s_index, wrapper)


def mention_element(m: MentionData) -> etree._Element:
    out = etree.Element(MENTION_TAGS[m.kind])
    if m.ref:
        out.set("ref", REGISTER_PREFIX + m.ref)
    for attr, value in (("when", m.when), ("from", m.date_from), ("to", m.date_to), ("resp", m.resp), ("cert", m.cert)):
        if value:
            out.set(attr, value)
    return out


def apply_mentions(el: etree._Element, mentions: list[MentionData]) -> etree._Element:
    """A copy of unit ``el`` with its inline mentions replaced by ``mentions``."""
    out = copy.deepcopy(el)
    etree.strip_tags(out, *MENTION_KINDS)
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        try:
            _wrap(out, m.start, m.end, mention_element(m))
        except MentionPlacementError as exc:
            raise MentionPlacementError(f"{el.get(XML_ID)}: mention {m.surface!r}: {exc}") from None
    return out


def _mention_key(m: MentionData):
    return (m.start, -m.end, m.kind, m.ref, m.resp, m.cert, m.when, m.date_from, m.date_to)


def mention_data(mention) -> MentionData:
    """A ``Mention`` row as the plain data the importer produces."""
    return MentionData(
        kind=mention.kind,
        start=mention.start,
        end=mention.end,
        surface=mention.surface,
        ref=mention.entity.xml_id if mention.entity_id else mention.ref,
        resp=mention.resp,
        cert=mention.cert,
        when=mention.when,
        date_from=mention.date_from,
        date_to=mention.date_to,
    )


def unit_element(paragraph, mentions: list[MentionData]) -> etree._Element:
    """The paragraph's TEI: as loaded if its mentions are unchanged, else rebuilt."""
    el = from_string(paragraph.tei, f"{paragraph.document.slug}#{paragraph.xml_id}")
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


# --------------------------------------------------------------------------- register entries


def entity_data(entity) -> EntityData:
    """An ``Entity`` row as the plain data ``importer.parse_entry`` produces."""
    return EntityData(
        id=entity.xml_id,
        kind=entity.kind,
        name=entity.name,
        variants=tuple((n.name, n.lang, n.type) for n in entity.names.all()),
        authority=tuple((a.scheme, a.value) for a in entity.authority_ids.all()),
        note=entity.note,
        resp=entity.resp,
    )


def entry_element(entity) -> etree._Element:
    """The register entry: as loaded if its fields are unchanged, else rebuilt."""
    data = entity_data(entity)
    loaded = from_string(entity.tei, entity.xml_id) if entity.tei else None
    if loaded is not None and parse_entry(loaded) == data:
        return loaded
    out = etree.Element(ENTRY_TAGS[data.kind])
    out.set(XML_ID, data.id)
    if loaded is not None:
        for key, value in loaded.attrib.items():
            out.set(key, value)
    if data.resp:
        out.set("resp", data.resp)
    elif "resp" in out.attrib:
        del out.attrib["resp"]
    old_names = [n for n in loaded if n.tag in NAME_TAGS] if loaded is not None else []
    canonical = etree.SubElement(out, NAME_TAG_OF[data.kind])
    if old_names:
        canonical.attrib.update({k: v for k, v in old_names[0].attrib.items() if k != XML_LANG})
    canonical.text = data.name
    for name, lang, kind in data.variants:
        variant = etree.SubElement(out, NAME_TAG_OF[data.kind], type=kind or "variant")
        if lang:
            variant.set(XML_LANG, lang)
        variant.text = name
    for scheme, value in data.authority:
        etree.SubElement(out, tei("idno"), type=scheme).text = value
    if data.note:
        etree.SubElement(out, tei("note")).text = data.note
    return out


# --------------------------------------------------------------------------- files


def _fill(placeholder: etree._Element, element: etree._Element | None) -> None:
    """Replace a placeholder by ``element`` (or drop it), keeping its tail."""
    parent = placeholder.getparent()
    if element is None:
        previous = placeholder.getprevious()
        if placeholder.tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + placeholder.tail
            else:
                parent.text = (parent.text or "") + placeholder.tail
        parent.remove(placeholder)
        return
    element.tail = placeholder.tail
    parent.replace(placeholder, element)


def _indent_rebuilt_lists(root: etree._Element) -> None:
    """Lay out a register list again when it holds a rebuilt (unindented) entry,
    so a changed entry reads like its neighbours and the diff shows only the change."""
    for tag in REGISTER_LISTS.values():
        for listing in root.iter(tag):
            laid_out = listing.text is not None and not listing.text.strip()  # a compact file stays compact
            rebuilt = any(entry.text is None and len(entry) for entry in listing) or any(e.tail is None for e in listing)
            if laid_out and rebuilt:
                etree.indent(listing, space="  ", level=sum(1 for _ in listing.iterancestors()))


@dataclass
class ExportReport:
    """Which files export wrote and which were already up to date."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class CorpusExporter:
    """Write every loaded file back below ``directory``.

    ``document_tree``, ``register_tree`` and ``file_tree`` build one file's
    TEI without writing it (the reader's downloads use them).
    """

    def __init__(self, directory: str | Path, progress: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.progress = progress or (lambda message: None)

    def run(self, record_as_loaded: bool = False) -> ExportReport:
        """Write every file; with ``record_as_loaded`` (writing back to the corpus itself)
        the database then counts as published: the next ``load`` skips these files."""
        from .models import CorpusFile

        report = ExportReport()
        files = list(CorpusFile.objects.order_by("path"))
        for n, corpus_file in enumerate(files, 1):
            data = serialize(self.file_tree(corpus_file))
            written = write_atomic(self.directory / corpus_file.path, data)
            if record_as_loaded:
                self.record_as_loaded(corpus_file, data)
            if written:
                report.written.append(corpus_file.path)
                self.progress(f"[{n}/{len(files)}] {corpus_file.path}: written")
            else:
                report.unchanged.append(corpus_file.path)
                self.progress(f"[{n}/{len(files)}] {corpus_file.path}: unchanged")
        return report

    @staticmethod
    def record_as_loaded(corpus_file, data: bytes) -> None:
        """Remember ``data`` as the file's loaded state (its bytes and canonical form)."""
        from .models import CorpusFile
        from .parsing import canonical_sha256

        CorpusFile.objects.filter(pk=corpus_file.pk).update(
            sha256=hashlib.sha256(data).hexdigest(),
            canonical_sha256=canonical_sha256(parse_bytes(data, corpus_file.path)),
        )

    def file_tree(self, corpus_file) -> etree._Element:
        from .models import CorpusFile

        if corpus_file.kind == CorpusFile.Kind.DOCUMENT:
            return self.document_tree(corpus_file.document)
        if corpus_file.kind == CorpusFile.Kind.REGISTER:
            return self.register_tree(corpus_file)
        return from_string(corpus_file.skeleton, corpus_file.path)

    def document_tree(self, document) -> etree._Element:
        root = from_string(document.file.skeleton, document.file.path)
        header = root.find(px("header"))
        _fill(header, from_string(document.tei_header, f"{document.slug} header"))
        mentions: dict[int, list[MentionData]] = {}
        for m in document.mentions.select_related("entity").order_by("paragraph_id", "start"):
            mentions.setdefault(m.paragraph_id, []).append(mention_data(m))
        paragraphs = {p.xml_id: p for p in document.paragraphs.select_related("document")}
        for placeholder in list(root.iter(px("unit"))):
            paragraph = paragraphs.pop(placeholder.get("ref"), None)
            element = unit_element(paragraph, mentions.get(paragraph.id, [])) if paragraph else None
            _fill(placeholder, element)
        retired = [
            RetiredData(r.xml_id, r.successor_id, r.change, r.when, r.text) for r in document.retired_ids.all()
        ]
        earlier = [EarlierTextData(e.xml_id, e.revision, e.text) for e in document.earlier_texts.all()]
        history = root.find(px("history"))
        if history is None and (retired or earlier):
            history = etree.SubElement(root, px("history"))
        if history is not None:
            _fill(history, self._history_element(history, retired, earlier))
        return root

    @staticmethod
    def _history_element(placeholder, retired, earlier) -> etree._Element | None:
        if not retired and not earlier:
            return None
        loaded = placeholder.find(tei("standOff"))
        if loaded is not None:
            wrapper = etree.Element(tei("TEI"))
            wrapper.append(copy.deepcopy(loaded))
            _, old_retired, old_earlier = _history(wrapper)
            if old_retired == retired and old_earlier == earlier:
                return copy.deepcopy(loaded)
        return history_element(retired, earlier)

    def register_tree(self, corpus_file) -> etree._Element:
        from reader.entities.models import Entity

        root = from_string(corpus_file.skeleton, corpus_file.path)
        entities = {e.xml_id: e for e in Entity.objects.register_prefetch().order_by("position", "xml_id")}
        placed = set()
        for placeholder in list(root.iter(px("entry"))):
            entity = entities.get(placeholder.get("ref"))
            _fill(placeholder, entry_element(entity) if entity else None)
            placed.add(placeholder.get("ref"))
        for xml_id, entity in entities.items():
            if xml_id not in placed:
                self._list_for(root, entity.kind).append(entry_element(entity))
        _indent_rebuilt_lists(root)
        return root

    @staticmethod
    def _list_for(root: etree._Element, kind: str) -> etree._Element:
        tag = REGISTER_LISTS[kind]
        found = next(root.iter(tag), None)
        if found is not None:
            return found
        stand_off = next(root.iter(tei("standOff")), None)
        if stand_off is None:
            stand_off = etree.SubElement(root, tei("standOff"))
        return etree.SubElement(stand_off, tag)
