"""Publish: write the database back to the TEI files, valid against tei_all, or not at all.

Uses the reader's exporter (``reader.texts.exporter.CorpusExporter``), the
same code as ``python manage.py export``, but first builds and validates
every file and writes nothing if one is invalid. Annotators named in a
file's ``@resp`` values get a ``respStmt`` in its header, so each
``#annotator-<name>`` pointer resolves.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from lxml import etree

from reader.entities.models import Entity
from reader.tei.validate import validate_tree
from reader.tei.xml import NS, XML_ID, parse_bytes, tei, write_atomic
from reader.texts.exporter import CorpusExporter
from reader.tei.lock import corpus_lock
from reader.tei.parsing import from_string, to_string
from reader.texts.locking import corpus_db_lock, lock_files
from reader.texts.models import CorpusFile, Document

from .models import Publication, RejectedSuggestion

ANNOTATOR_RESP = re.compile(r"#annotator-([A-Za-z0-9._-]+)")


class PublishError(RuntimeError):
    """Publishing refused (invalid TEI); no file was written."""


def publish(user, directory: str | Path | None = None) -> Publication:
    """Export every loaded file to ``directory`` (default ``CORPUS_TEI_DIR``) after validating all of them.

    Under the corpus lock (no ingest, import or load meanwhile) and with every file's row locked
    (an annotator's change lands in all files or, after publish, in none), so that no ``@ref`` points
    to an entry the register lacks. The register keeps the entries of the file on disk that the
    database does not hold and no annotator deleted (an ingest's entries whose load failed)."""
    directory = Path(directory or settings.CORPUS_TEI_DIR)
    exporter = CorpusExporter(directory)
    with corpus_lock(directory), transaction.atomic():
        corpus_db_lock()
        lock_files(register=True, others=True)
        declare_annotators()
        built, errors = [], []
        for corpus_file in CorpusFile.objects.order_by("path"):
            one = exporter.build(corpus_file)  # the register keeps the file's entries the database does not own
            errors += validate_tree(parse_bytes(one.data, corpus_file.path), corpus_file.path)
            built.append(one)
        if errors:
            shown = "; ".join(errors[:5]) + (f"; and {len(errors) - 5} more" if len(errors) > 5 else "")
            raise PublishError(f"Nothing was published: the TEI would not be valid against tei_all: {shown}")
        written = []
        for one in built:
            if write_atomic(directory / one.corpus_file.path, one.data):
                written.append(one.corpus_file.path)
            one.record()  # the files now hold the database's state (and what it did not own)
        return Publication.objects.create(
            user=user, directory=str(directory), written="\n".join(written), unchanged_count=len(built) - len(written)
        )


# --------------------------------------------------------------------------- respStmt per annotator


def declare_annotators() -> None:
    """Add a ``respStmt[@xml:id='annotator-<name>']`` to each header that points to one."""
    for document in Document.objects.all():
        names = set()
        for resp in document.mentions.filter(resp__startswith="#annotator-").values_list("resp", flat=True).distinct():
            names.update(ANNOTATOR_RESP.findall(resp))
        if names:
            header = from_string(document.tei_header, f"{document.slug} header")
            if _declare(header, names):
                Document.objects.filter(pk=document.pk).update(tei_header=to_string(header))
    register = CorpusFile.objects.filter(kind=CorpusFile.Kind.REGISTER).order_by("path").first()
    if register is None:
        return
    names = set()
    for resp in Entity.objects.filter(resp__startswith="#annotator-").values_list("resp", flat=True).distinct():
        names.update(ANNOTATOR_RESP.findall(resp))
    for resp in RejectedSuggestion.objects.values_list("resp", flat=True).distinct():
        names.update(ANNOTATOR_RESP.findall(resp))
    if names:
        root = from_string(register.skeleton, register.path)
        header = root.find("tei:teiHeader", NS)
        if header is not None and _declare(header, names):
            register.skeleton = to_string(root)
            register.save(update_fields=["skeleton"])


def _declare(header: etree._Element, usernames: set[str]) -> bool:
    title_stmt = header.find("tei:fileDesc/tei:titleStmt", NS)
    if title_stmt is None:
        return False
    present = {el.get(XML_ID) for el in header.iter(tei("respStmt"))}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    changed = False
    for name in sorted(usernames):
        ident = f"annotator-{name}"
        if ident in present:
            continue
        stmt = etree.SubElement(title_stmt, tei("respStmt"))
        stmt.set(XML_ID, ident)
        resp = etree.SubElement(stmt, tei("resp"))
        resp.text = "entity annotation (corrections and additions in the Parallax admin)"
        user = users.get(name)
        person = etree.SubElement(stmt, tei("name"))
        person.text = (user.get_full_name() if user else "") or name
        _indent_new_child(title_stmt, stmt)
        changed = True
    return changed


def _indent_new_child(parent: etree._Element, child: etree._Element) -> None:
    """Indent a just-appended child (and its children) like its siblings, so the TEI diff reads well."""
    previous = child.getprevious()
    if previous is None:
        return
    before = previous.getprevious()
    inner = (before.tail if before is not None else parent.text) or ""
    if inner.strip():
        return  # mixed content: leave it alone
    child.tail, previous.tail = previous.tail, inner
    if len(child):
        child.text = inner + "  "
        for grandchild in child:
            grandchild.tail = inner + "  "
        child[-1].tail = inner
