"""Write the database back to ``corpus/tei/`` (the inverse of ``loader``).

Rows become the plain data of ``reader.tei.parsing`` here; ``reader.tei.writing``
fills each file's skeleton with it: the header of the document, each citable
unit, the paragraph history, the register's entries. A unit or entry whose
data still matches the TEI it was loaded from is written as loaded, so load →
export gives back the same files; one whose mentions or register fields
changed (annotators, issue 6) is rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree

from reader.tei.parsing import EarlierTextData, EntityData, MentionData, RetiredData, canonical_sha256, from_string, px
from reader.tei.writing import entry_element, fill, history_for, indent_rebuilt_lists, list_for, unit_element
from reader.tei.lock import corpus_lock
from reader.tei.vocabulary import REGISTER_ENTRIES
from reader.tei.xml import NS, XML_ID, TEIError, parse_bytes, parse_file, serialize, tei, write_atomic, xml_text

log = logging.getLogger(__name__)


def mention_data(mention) -> MentionData:
    """A ``Mention`` row as the plain data the loader reads from TEI."""
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


def entity_data(entity) -> EntityData:
    """An ``Entity`` row as the plain data ``parsing.parse_entry`` produces."""
    data = EntityData(
        id=entity.xml_id,
        kind=entity.kind,
        name=entity.name,
        variants=tuple((n.name, n.lang, n.type) for n in entity.names.all()),
        authority=tuple((a.scheme, a.value) for a in entity.authority_ids.all()),
        note=entity.note,
        resp=entity.resp,
        geo=None if entity.latitude is None or entity.longitude is None else (entity.latitude, entity.longitude),
    )
    return _without_control_characters(data, entity)


def _without_control_characters(data: EntityData, entity) -> EntityData:
    """Characters XML cannot hold, stored before forms refused them, are left out (lxml would refuse
    the whole register), and the entry is named in the log so that someone fixes it in the admin."""

    def clean(value):
        if isinstance(value, str):
            return xml_text(value)
        return tuple(clean(v) for v in value) if isinstance(value, tuple) else value

    cleaned = EntityData(**{name: clean(getattr(data, name)) for name in data.__dataclass_fields__})
    if cleaned != data:
        log.warning(
            "register entry %s (%r) holds control characters; exported without them", entity.xml_id, entity.name
        )
    return cleaned


def paragraph_element(paragraph, mentions: list[MentionData]) -> etree._Element:
    return unit_element(paragraph.tei, mentions, f"{paragraph.document.slug}#{paragraph.xml_id}")


def entity_element(entity) -> etree._Element:
    return entry_element(entity_data(entity), entity.tei)


@dataclass
class Built:
    """One file as export writes it; ``owned`` is the canonical hash of the database's part of it."""

    corpus_file: object
    data: bytes
    owned: str
    kept: list[str]

    def record(self) -> None:
        """Remember, once written into the corpus, what the database now holds of this file."""
        from .models import CorpusFile

        if self.kept:
            # The database lacks the kept entries: the next load must read this file (its bytes are
            # not recorded) and, finding nothing of the database's unexported (``owned``), loads them.
            CorpusFile.objects.filter(pk=self.corpus_file.pk).update(sha256="", canonical_sha256=self.owned)
        else:
            # The file now holds the database's state: nothing is left unexported, and the next
            # load skips it (or, after recognition re-ran, loads it without refusing).
            CorpusExporter.record_as_loaded(self.corpus_file, self.data)


def keep_unowned_entries(tree: etree._Element, on_disk: Path) -> list[str]:
    """Add to the register ``tree`` the entries of the file ``on_disk`` that the database does not own.

    An entry is the database's if it holds it, or if an annotator deleted it or merged it away
    (both leave a ``retired-id`` note in the register, and a deletion in the entry's history);
    any other entry of the file on disk was written by ingest or import and never loaded, and
    documents may point to it, so export and publish never drop it. Returns the ids kept."""
    from reader.entities.models import Entity

    try:
        disk = parse_file(on_disk)
    except (OSError, TEIError):
        return []  # no file, or one we cannot read: nothing of it to keep
    present = {el.get(XML_ID) for tag in REGISTER_ENTRIES for el in tree.iter(tag)}
    candidates = [
        (entry.get(XML_ID), kind, entry)
        for tag, kind in REGISTER_ENTRIES.items()
        for entry in disk.iter(tag)
        if entry.get(XML_ID) and entry.get(XML_ID) not in present
    ]
    if not candidates:
        return []
    deleted = {n.get("n") for n in tree.iterfind(".//tei:note[@type='retired-id']", NS)}
    deleted |= set(Entity.history.filter(history_type="-", history_user__isnull=False).values_list("xml_id", flat=True))
    kept = []
    for ident, kind, entry in candidates:
        if ident not in deleted:
            entry.tail = None
            list_for(tree, kind).append(entry)
            kept.append(ident)
    indent_rebuilt_lists(tree)
    return kept


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
        from django.db import transaction

        from .locking import corpus_db_lock, lock_files
        from .models import CorpusFile

        report = ExportReport()
        # The corpus lock (no ingest or load meanwhile) and, in one transaction, every file's row
        # (no annotator's save half in one file and half in another).
        with corpus_lock(self.directory), transaction.atomic():
            corpus_db_lock()
            lock_files(register=True, others=True)
            return self._write(list(CorpusFile.objects.order_by("path")), record_as_loaded, report)

    def _write(self, files, record_as_loaded: bool, report: ExportReport) -> ExportReport:
        for n, corpus_file in enumerate(files, 1):
            built = self.build(corpus_file)
            written = write_atomic(self.directory / corpus_file.path, built.data)
            if record_as_loaded:
                built.record()
            if written:
                report.written.append(corpus_file.path)
                self.progress(f"[{n}/{len(files)}] {corpus_file.path}: written")
            else:
                report.unchanged.append(corpus_file.path)
                self.progress(f"[{n}/{len(files)}] {corpus_file.path}: unchanged")
        return report

    def build(self, corpus_file) -> "Built":
        """The file's bytes as this export writes them below ``directory``: the database's state and,
        for the register, the entries of the file there that the database does not own."""
        tree = self.file_tree(corpus_file)
        owned = canonical_sha256(tree)
        kept = []
        if corpus_file.kind == corpus_file.Kind.REGISTER:
            kept = keep_unowned_entries(tree, self.directory / corpus_file.path)
        return Built(corpus_file, serialize(tree), owned, kept)

    @staticmethod
    def record_as_loaded(corpus_file, data: bytes) -> None:
        """Remember ``data`` as the file's loaded state (its bytes and canonical form)."""
        from .models import CorpusFile

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
        fill(header, from_string(document.tei_header, f"{document.slug} header"))
        mentions: dict[int, list[MentionData]] = {}
        for m in document.mentions.select_related("entity").order_by("paragraph_id", "start"):
            mentions.setdefault(m.paragraph_id, []).append(mention_data(m))
        paragraphs = {p.xml_id: p for p in document.paragraphs.select_related("document")}
        for placeholder in list(root.iter(px("unit"))):
            paragraph = paragraphs.pop(placeholder.get("ref"), None)
            element = paragraph_element(paragraph, mentions.get(paragraph.id, [])) if paragraph else None
            fill(placeholder, element)
        retired = [RetiredData(r.xml_id, r.successor_id, r.change, r.when, r.text) for r in document.retired_ids.all()]
        earlier = [EarlierTextData(e.xml_id, e.revision, e.text) for e in document.earlier_texts.all()]
        history = root.find(px("history"))
        if history is None and (retired or earlier):
            history = etree.SubElement(root, px("history"))
        if history is not None:
            fill(history, history_for(history.find(tei("standOff")), retired, earlier))
        return root

    def register_tree(self, corpus_file) -> etree._Element:
        from reader.entities.models import Entity

        root = from_string(corpus_file.skeleton, corpus_file.path)
        entities = {e.xml_id: e for e in Entity.objects.register_prefetch().order_by("position", "xml_id")}
        placed = set()
        for placeholder in list(root.iter(px("entry"))):
            entity = entities.get(placeholder.get("ref"))
            fill(placeholder, entity_element(entity) if entity else None)
            placed.add(placeholder.get("ref"))
        for xml_id, entity in entities.items():
            if xml_id not in placed:
                list_for(root, entity.kind).append(entity_element(entity))
        indent_rebuilt_lists(root)
        return root
