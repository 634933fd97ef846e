"""Reading one corpus file before its rows are saved: how large it may be, which kind of file it is,
whether it is TEI and whether its values fit their columns."""

from __future__ import annotations

import dataclasses

from lxml import etree

from reader.tei.parsing import DocumentData
from reader.tei.xml import MAX_APPARATUS_BYTES, MAX_TEI_BYTES, NS, TEIError, tei


def check_fits(relative: str, doc: DocumentData) -> None:
    """Refuse values longer than their column (PostgreSQL would fail mid-file; SQLite would keep them)."""
    from ..models import Document, Mention, Paragraph, Section, Work

    def check(model, name: str, value: str, line: int, what: str) -> None:
        limit = model._meta.get_field(name).max_length
        if len(value) > limit:
            raise TEIError(f"{relative}: line {line}: {what} {value[:80]!r}… is longer than {limit} characters")

    check(Document, "slug", doc.slug, 1, "the root xml:id")
    check(Work, "slug", doc.work, 1, "the work's name")
    for name in {f.name for f in dataclasses.fields(doc)} & {f.name for f in Document._meta.fields if f.max_length}:
        value = getattr(doc, name)
        check(Document, name, ",".join(value) if isinstance(value, list) else str(value), 1, f"the header's {name}")
    for s in doc.sections:
        check(Section, "xml_id", s.id, s.line, "xml:id")
    for u in doc.units:
        check(Paragraph, "xml_id", u.id, u.line, "xml:id")
        check(Paragraph, "lang", u.lang, u.line, "xml:lang")
        for m in u.mentions:
            for name, value in (
                ("ref", m.ref),
                ("resp", m.resp),
                ("cert", m.cert),
                ("when", m.when),
                ("date_from", m.date_from),
                ("date_to", m.date_to),
            ):
                check(Mention, name, value, m.line, f"@{name.replace('date_', '')}")


def size_limit(relative: str) -> int:
    """Largest file accepted at ``relative``: apparatus files (``collations/``, written by collate)
    grow with the witnesses and may be larger than a document."""
    return MAX_APPARATUS_BYTES if relative.startswith("collations/") else MAX_TEI_BYTES


def check_tei(relative: str, root: etree._Element) -> None:
    """Refuse XML that is not TEI: its root must be TEI's ``TEI`` or ``teiCorpus``."""
    if root.tag in (tei("TEI"), tei("teiCorpus")):
        return
    qname = etree.QName(root)
    if qname.localname in ("TEI", "teiCorpus"):
        namespace = f"namespace {qname.namespace}" if qname.namespace else "no namespace"
        raise TEIError(
            f"{relative}: line {root.sourceline}: <{qname.localname}> is in {namespace}, not the TEI namespace "
            f"{tei('')[1:-1]}; convert it with `manage.py importtei`"
        )
    raise TEIError(f"{relative}: line {root.sourceline}: not TEI: the root element is <{qname.localname}>, not <TEI>")


def file_kind(relative: str, root: etree._Element) -> str:
    from ..models import CorpusFile

    if relative == "register.xml":
        return CorpusFile.Kind.REGISTER
    if relative.startswith("collations/"):
        if root.find(".//tei:listWit", NS) is not None:
            return CorpusFile.Kind.COLLATION
        if root.find(".//tei:linkGrp[@type='text-reuse']", NS) is not None:
            return CorpusFile.Kind.REUSE
        return CorpusFile.Kind.OTHER
    if "/" not in relative and root.tag == tei("TEI") and root.find("tei:text/tei:body", NS) is not None:
        return CorpusFile.Kind.DOCUMENT
    return CorpusFile.Kind.OTHER
