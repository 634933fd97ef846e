"""The whole document: a source and the previous version of it become one TEI tree (body, header, ids,
then the further stages)."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from lxml import etree

from ..metadata import WitnessMeta, apply_metadata, header_metadata
from ..source import Source
from ..structure import recover
from ..xml import NS, NSMAP, XML_ID, XML_LANG, tei
from .blocks import Donor, refine_blocks
from .body import build_body
from .header import build_header, previous_sha256, revision_desc
from .history import apply_ids, detached_copy

Stage = Callable[[etree._Element, "etree._Element | None"], None]


def build_document(
    source: Source,
    slug: str,
    previous: etree._Element | None = None,
    donors: Iterable[Donor] = (),
    stages: Iterable[Stage] = (),
    today: str | None = None,
    meta: WitnessMeta | None = None,
) -> etree._Element:
    """The TEI document for ``source``; ids continue those of ``previous``.

    ``meta`` is the editor's metadata for this witness; None keeps what
    ``previous`` had (a metadata row, even an empty one, replaces it)."""
    today = today or dt.date.today().isoformat()
    structure = recover(source.text)
    blocks, decisions = refine_blocks(structure, donors)
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_ID, slug)
    root.set(XML_LANG, "en")
    text_el = etree.Element(tei("text"))
    build_body(text_el, structure, blocks)
    languages = ["en"] + sorted({el.get(XML_LANG) for el in text_el.iter() if el.get(XML_LANG)} - {"en"})
    header = build_header(root, source, structure, decisions, languages)
    apply_metadata(root, header_metadata(previous) if meta is None else meta)
    root.append(text_el)
    _keep_notes_stmt(root, previous)
    revision_number = _pending_revision(previous, source)
    counts = apply_ids(root, previous, revision_number, today)
    revision_desc(header, previous, source, today, counts)
    for stage in stages:
        stage(root, previous)
    return root


def _pending_revision(previous, source: Source) -> int:
    if previous is None:
        return 1
    changes = previous.findall("tei:teiHeader/tei:revisionDesc/tei:change", NS)
    same = previous_sha256(previous) == source.sha256
    return len(changes) if same else len(changes) + 1


def _keep_notes_stmt(root, previous) -> None:
    """Work membership (written by collate) survives re-ingest."""
    if previous is None:
        return
    notes = previous.find("tei:teiHeader/tei:fileDesc/tei:notesStmt", NS)
    if notes is not None:
        file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
        file_desc.find("tei:publicationStmt", NS).addnext(detached_copy(notes))
