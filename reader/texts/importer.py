"""Load ``corpus/tei/`` into the database.

:class:`CorpusImporter` saves what ``parsing`` reads from each file, one file
per transaction, skipping files whose bytes have not changed (so ``load``
twice changes nothing), reporting a broken file without stopping the rest,
and refusing to overwrite database changes that were never exported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from django.db.models import Count, Q
from lxml import etree

from reader.tei.lock import corpus_lock
from reader.tei.xml import MAX_APPARATUS_BYTES, MAX_TEI_BYTES, NS, TEIError, parse_bytes, tei, utf16_name

from .folding import fold
from .stored_comparisons import precompute_loaded
from reader.tei.parsing import (
    CollationData,
    DocumentData,
    RegisterData,
    ReuseData,
    canonical_sha256,
    grouped,
    parse_collation,
    parse_document,
    parse_register,
    parse_reuse,
    to_string,
)
from reader.tei.rendering import UnitRenderer

log = logging.getLogger(__name__)

#: Paragraph fields a reload rewrites (the row and its id stay).
PARAGRAPH_FIELDS = [
    "collation_text",
    "section",
    "kind",
    "position",
    "number",
    "text",
    "search_text",
    "html",
    "lang",
    "inferred",
    "supplied",
    "tei",
]


# --------------------------------------------------------------------------- one writer at a time

#: PostgreSQL advisory lock key of the corpus ("parallax" as a number): load and publish take it.
CORPUS_LOCK_KEY = int.from_bytes(b"parallax", "big")


class Unpublished(Exception):
    """A file's rows hold annotators' work that was never exported: load leaves them alone."""


def corpus_db_lock() -> None:
    """Wait for the corpus's transaction-level advisory lock (PostgreSQL; held until the transaction ends).

    The file lock (``reader.tei.lock``) serialises writers on one machine; this one serialises
    writers on several machines that share the database. SQLite's transactions (``IMMEDIATE``)
    already admit one writer at a time."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CORPUS_LOCK_KEY])


def lock_files(register: bool = False, documents=(), others: bool = False) -> None:
    """Lock, for this transaction, the ``CorpusFile`` rows of the register and of ``documents`` (pks),
    or with ``others`` every row besides the register's (export and publish).

    Every writer of a file's rows (load, publish, the annotators' saves) locks them first, always
    in this order (the register's row, then documents' rows by pk), so that two writers never wait
    for each other in a circle (a deadlock)."""
    from .models import CorpusFile, Document

    if register:
        list(CorpusFile.objects.select_for_update().filter(kind=CorpusFile.Kind.REGISTER).order_by("pk").values("pk"))
    if others:
        rows = CorpusFile.objects.exclude(kind=CorpusFile.Kind.REGISTER)
    elif documents:
        rows = CorpusFile.objects.filter(pk__in=Document.objects.filter(pk__in=documents).values("file_id"))
    else:
        return
    list(rows.select_for_update().order_by("pk").values("pk"))


def lock_for_writing(relative: str):
    """In load's transaction: the advisory lock, the register's row, then the file's row; returns the file's row."""
    from .models import CorpusFile

    corpus_db_lock()
    lock_files(register=True)
    return CorpusFile.objects.select_for_update().filter(path=relative).first()


# --------------------------------------------------------------------------- saving


@dataclass
class LoadReport:
    """What a load did, file by file."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: (file, message) for what was loaded but not as the conventions say (nothing is dropped silently)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.loaded or self.removed)


def failure(relative: str, exc: BaseException) -> str:
    """One line saying which file failed and why; a line number wherever the error knows one."""
    message = str(exc)
    if isinstance(exc, TEIError) and message.startswith(relative):
        return message
    if isinstance(exc, (TEIError, ValueError)):
        return f"{relative}: {message}"
    line = getattr(exc, "lineno", None) or getattr(exc, "sourceline", None)
    where = f"line {line}: " if line else ""
    return f"{relative}: {where}cannot be loaded ({type(exc).__name__}: {message}); nothing of it was saved"


def check_fits(relative: str, doc: DocumentData) -> None:
    """Refuse values longer than their column (PostgreSQL would fail mid-file; SQLite would keep them)."""
    from .models import Document, Mention, Paragraph, Section, Work

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
    from .models import CorpusFile

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


class CorpusImporter:
    """Load every TEI file below ``directory`` into the database.

    Order: register (entities), documents (their mentions point to
    entities), collations (their readings point to paragraphs). Each file is
    one transaction; a file that cannot be parsed or saved is reported in
    ``LoadReport.failed`` and the database keeps its previous state for it.
    """

    ORDER = {"register": 0, "document": 1, "other": 2, "collation": 3, "reuse": 4}

    def __init__(self, directory: str | Path, progress: Callable[[str], None] | None = None, force: bool = False):
        self.directory = Path(directory)
        self.progress = progress or (lambda message: None)
        self.force = force
        self._warnings: list[str] = []  #: the current file's
        self.renderer = UnitRenderer(entity_url=_entity_url)

    def run(self) -> LoadReport:
        """Load the folder under the corpus lock, so that no ingest or import writes it meanwhile
        (a document and the register entries it points to are read as one state)."""
        with corpus_lock(self.directory):
            return self._run()

    def _run(self) -> LoadReport:
        from django.db import transaction

        from .models import CorpusFile

        report = LoadReport()
        files = sorted(p for p in self.directory.rglob("*.xml") if not p.name.startswith("."))
        parsed = []
        for n, path in enumerate(files, 1):
            relative = path.relative_to(self.directory).as_posix()
            limit = size_limit(relative)
            try:
                size = path.stat().st_size
                if size > limit:  # refused before reading it into memory
                    raise TEIError(
                        f"{relative}: {size:,} bytes is larger than the {limit:,}-byte limit for one TEI file"
                    )
                data = path.read_bytes()
                root = parse_bytes(data, relative, limit)
                check_tei(relative, root)
                # Only the order is kept: each tree is parsed again when its turn comes, so that
                # memory holds one file at a time, not the corpus.
                parsed.append((self.ORDER[file_kind(relative, root)], relative, path))
                del root
            except OSError as exc:
                report.failed.append((relative, f"{relative}: cannot be read: {exc.strerror}"))
                self.progress(f"[{n}/{len(files)}] {relative}: FAILED: cannot be read: {exc.strerror}")
                continue
            except Exception as exc:  # one bad file never stops the others
                report.failed.append((relative, failure(relative, exc)))
                self.progress(f"[{n}/{len(files)}] FAILED: {failure(relative, exc)}")
                continue
            encoding = utf16_name(data)
            if encoding:
                self.warn(report, relative, f"the file is {encoding}; export writes it as UTF-8")
        parsed.sort(key=lambda item: (item[0], item[1]))
        total = len(parsed)
        for n, (_, relative, path) in enumerate(parsed, 1):
            try:
                data = path.read_bytes()
                root = parse_bytes(data, relative, size_limit(relative))
            except Exception as exc:  # changed or gone since the first pass
                report.failed.append((relative, failure(relative, exc)))
                self.progress(f"[{n}/{total}] FAILED: {failure(relative, exc)}")
                continue
            sha = hashlib.sha256(data).hexdigest()
            stored = CorpusFile.objects.filter(path=relative).first()
            if stored is not None and stored.sha256 == sha and not self.force:
                report.unchanged.append(relative)
                self.progress(f"[{n}/{total}] {relative}: unchanged")
                continue
            self._warnings = []
            try:
                with transaction.atomic():  # the whole file or nothing of it
                    # Checked with the file's row locked, in this transaction: an annotator's save either
                    # commits before (and the file is refused) or waits and finds its mention reloaded.
                    stored = lock_for_writing(relative)
                    if stored is not None and not self.force and self.has_unpublished_changes(stored):
                        raise Unpublished(
                            f"{relative}: the database has changes to this file that were never exported "
                            "(annotators' work); run `manage.py export` first, or load --force to discard them"
                        )
                    summary = self.load_file(relative, sha, root)
                    CorpusFile.objects.filter(path=relative).update(canonical_sha256=canonical_sha256(root))
            except Unpublished as exc:
                report.failed.append((relative, str(exc)))
                self.progress(f"[{n}/{total}] {exc}")
                continue
            except Exception as exc:  # one bad file never stops the others
                if not isinstance(exc, (TEIError, ValueError)):
                    log.exception("load: %s failed", relative)
                report.failed.append((relative, failure(relative, exc)))
                self.progress(f"[{n}/{total}] FAILED: {failure(relative, exc)}")
                continue
            report.loaded.append(relative)
            self.progress(f"[{n}/{total}] {relative}: loaded {summary}")
            for message in self._warnings:
                self.warn(report, relative, message)
        try:
            self.link_witnesses(report)
        except Exception as exc:
            log.exception("load: linking witnesses failed")
            report.failed.append(
                ("(witness links)", f"linking passages across witnesses failed: {type(exc).__name__}: {exc}")
            )
        present = {p.relative_to(self.directory).as_posix() for p in files}
        failed = {name for name, _ in report.failed}
        for gone in CorpusFile.objects.exclude(path__in=present | failed).order_by("path"):
            try:
                with transaction.atomic():
                    gone = lock_for_writing(gone.path)
                    if gone is None:
                        continue  # removed meanwhile
                    if not self.force and self.has_unpublished_changes(gone):
                        raise Unpublished(
                            f"{gone.path}: gone from {self.directory} but the database has unexported changes "
                            "to it; kept"
                        )
                    self.remove_file(gone)
            except Unpublished as exc:
                report.failed.append((gone.path, str(exc)))
                self.progress(str(exc))
                continue
            except Exception as exc:  # e.g. rows of other apps protecting it: keep it, say so, go on
                log.exception("load: removing %s failed", gone.path)
                report.failed.append(
                    (
                        gone.path,
                        f"{gone.path}: gone from {self.directory} but could not be removed "
                        f"from the database ({type(exc).__name__}: {exc}); kept",
                    )
                )
                continue
            report.removed.append(gone.path)
            self.progress(f"{gone.path}: no longer in the corpus, removed")
        precompute_loaded(report)  # the default compare pages of the works loaded, built once here
        return report

    def warn(self, report: LoadReport, relative: str, message: str) -> None:
        report.warnings.append((relative, message))
        self.progress(f"  {relative}: {message}")

    @staticmethod
    def has_unpublished_changes(corpus_file) -> bool:
        """Whether exporting the database now would give other TEI than was loaded."""
        from .exporter import CorpusExporter
        from .models import CorpusFile

        if (
            corpus_file.kind not in (CorpusFile.Kind.DOCUMENT, CorpusFile.Kind.REGISTER)
            or not corpus_file.canonical_sha256
        ):
            return False
        try:
            tree = CorpusExporter(".").file_tree(corpus_file)
        except Exception:  # a database the exporter cannot write back is not ours to overwrite silently
            return True
        return canonical_sha256(tree) != corpus_file.canonical_sha256

    # -- one file

    def load_file(self, relative: str, sha: str, root: etree._Element) -> str:
        from .models import CorpusFile

        kind = file_kind(relative, root)
        if kind == CorpusFile.Kind.DOCUMENT:
            return self.save_document(relative, sha, parse_document(root, relative, self.renderer))
        if kind == CorpusFile.Kind.REGISTER:
            return self.save_register(relative, sha, parse_register(root, relative))
        if kind == CorpusFile.Kind.COLLATION:
            return self.save_collation(relative, sha, parse_collation(root, relative), to_string(root))
        if kind == CorpusFile.Kind.REUSE:
            return self.save_reuse(relative, sha, parse_reuse(root, relative), to_string(root))
        CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": kind, "sha256": sha, "skeleton": to_string(root)}
        )
        self._warnings.append(
            "kept as is: neither a witness (TEI with text/body at the top level), the register "
            "nor a collation, so none of its text is shown in the reader"
        )
        return "(kept as is)"

    def save_document(self, relative: str, sha: str, doc: DocumentData) -> str:
        from reader.entities.models import Entity

        from .models import (
            CorpusFile,
            Document,
            Mention,
            Paragraph,
            ParagraphRevision,
            RetiredParagraphId,
            Section,
            Work,
        )

        check_fits(relative, doc)
        self._warnings.extend(doc.warnings)
        other = Document.objects.filter(slug=doc.slug).exclude(file__path=relative).first()
        if other is not None:
            raise TEIError(f"{relative}: slug {doc.slug!r} is already used by {other.file.path}")
        corpus_file, _ = CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.DOCUMENT, "sha256": sha, "skeleton": doc.skeleton}
        )
        work, _ = Work.objects.get_or_create(slug=doc.work, defaults={"title": doc.work_name or doc.title})
        if doc.work_name and work.title != doc.work_name:  # the editor named the work
            Work.objects.filter(pk=work.pk).update(title=doc.work_name)
        fields = dict(
            slug=doc.slug,
            work=work,
            title=doc.title,
            siglum=doc.siglum,
            author=doc.author,
            date=doc.date,
            seed_name=doc.seed_name,
            seed_sha256=doc.seed_sha256,
            source=doc.source,
            licence=doc.licence,
            licence_url=doc.licence_url,
            languages=",".join(doc.languages),
            revision=doc.revision,
            revision_date=doc.revision_date,
            word_count=doc.word_count,
            unit_count=len(doc.units),
            tei_header=doc.header,
            front_html=doc.front_html,
        )
        document, created = Document.objects.update_or_create(file=corpus_file, defaults=fields)
        if not created:
            # Paragraph rows are kept (by xml_id) so that rows pointing at them survive a reload;
            # the file is the truth for everything else.
            document.mentions.all().delete()
            document.paragraphs.update(section=None)
            document.sections.all().delete()
            document.retired_ids.all().delete()
            document.earlier_texts.all().delete()
        Work.objects.filter(witnesses__isnull=True).delete()

        sections = {}
        for position, s in enumerate(doc.sections):
            sections[s.id] = Section.objects.create(
                document=document,
                xml_id=s.id,
                parent=sections.get(s.parent_id),
                level=s.level,
                position=position,
                head=s.head[:500],
            )
        existing = {p.xml_id: p for p in document.paragraphs.all()} if not created else {}
        fresh, changed = [], []
        number = 0  # ¶ numbers run through the whole document, so that a label names one unit
        for position, u in enumerate(doc.units):
            # headings and stage directions are not numbered, and the others run on without a gap
            numbered = u.kind != "head" and not u.stage
            number += numbered
            values = dict(
                collation_text=u.collation_text,
                section=sections.get(u.section_id),
                kind=u.kind,
                position=position,
                number=number if numbered else None,
                text=u.text,
                search_text=fold(u.text),
                html=u.html,
                lang=u.lang,
                inferred=u.inferred,
                supplied=u.supplied,
                tei=u.tei,
            )
            paragraph = existing.pop(u.id, None)
            if paragraph is None:
                fresh.append(Paragraph(document=document, xml_id=u.id, **values))
            else:
                for key, value in values.items():
                    setattr(paragraph, key, value)
                changed.append(paragraph)
        if existing:
            Paragraph.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
        # Positions are unique per document only after every row is updated, so update first.
        Paragraph.objects.bulk_update(changed, PARAGRAPH_FIELDS, batch_size=500)
        Paragraph.objects.bulk_create(fresh, batch_size=500)
        saved = {p.xml_id: p for p in Paragraph.objects.filter(document=document).only("id", "xml_id")}
        refs = {m.ref for u in doc.units for m in u.mentions if m.ref}
        entities = dict(Entity.objects.filter(xml_id__in=refs).values_list("xml_id", "id"))
        dangling: dict[str, list[int]] = {}
        for m in (m for u in doc.units for m in u.mentions if m.ref and m.ref not in entities):
            dangling.setdefault(m.ref, []).append(m.line)
        self._warnings.extend(grouped(dangling, "@ref to {key!r}, which is not in the register; shown unlinked"))
        mentions = [
            Mention(
                paragraph_id=saved[u.id].id,
                document=document,
                entity_id=entities.get(m.ref),
                kind=m.kind,
                start=m.start,
                end=max(m.end, m.start + 1),
                surface=m.surface[:500],
                resp=m.resp,
                cert=m.cert,
                when=m.when,
                date_from=m.date_from,
                date_to=m.date_to,
                ref=m.ref,
            )
            for u in doc.units
            for m in u.mentions
        ]
        Mention.objects.bulk_create(mentions, batch_size=500)
        RetiredParagraphId.objects.bulk_create(
            RetiredParagraphId(
                document=document,
                xml_id=r.id,
                successor_id=r.successor,
                change=r.change,
                when=r.when,
                text=r.text,
                position=i,
            )
            for i, r in enumerate(doc.retired)
        )
        ParagraphRevision.objects.bulk_create(
            ParagraphRevision(document=document, xml_id=e.target, revision=e.revision, text=e.text, position=i)
            for i, e in enumerate(doc.earlier)
        )
        if not created:
            self._relink_collations(document)
        return f"{len(doc.units)} units, {len(mentions)} mentions"

    def link_witnesses(self, report: LoadReport) -> None:
        """Link the same passage across the witnesses of works that have no collation file yet.

        Only works with a witness loaded in this run are aligned, so a second
        load changes nothing.
        """
        from django.db import transaction

        from .comparison import Witness, WitnessUnit, collate_witnesses
        from .models import Document, Passage, Work

        touched = Document.objects.filter(file__path__in=report.loaded).values_list("work_id", flat=True)
        works = (
            Work.objects.filter(pk__in=touched, collation__isnull=True).annotate(n=Count("witnesses")).filter(n__gte=2)
        )
        for work in works:
            documents = list(work.witnesses.order_by("slug"))
            witnesses = [
                Witness(
                    d.slug,
                    d.title,
                    [
                        WitnessUnit(i, c or t, "", "", kind=k, section=s)
                        for i, t, c, k, s in d.paragraphs.exclude(supplied=True)
                        .order_by("position")
                        .values_list("xml_id", "text", "collation_text", "kind", "section_id")
                    ],
                )
                for d in documents
            ]
            ids = {(d.slug, x): pk for d in documents for x, pk in d.paragraphs.values_list("xml_id", "id")}
            # The engine's aligned groups, not the compare page's rendering: only which units stand together.
            collation = collate_witnesses(witnesses)
            groups = [
                [ids[(slug, unit)] for slug, units in group.units.items() for unit in units]
                for group in collation.groups
            ]
            with transaction.atomic():
                Work.objects.filter(pk=work.pk).update(variant_count=len(list(collation.variants())))
                linked = self._save_passages(Passage.Kind.WITNESS, groups, work=work, documents=documents)
            self.progress(f"{work.slug}: {linked} passages linked across {len(documents)} witnesses")

    def _relink_collations(self, document) -> None:
        """A reloaded witness's collation must be reloaded to point at the new paragraphs."""
        from .models import CorpusFile

        CorpusFile.objects.filter(collation__witnesses=document).update(sha256="")

    def save_register(self, relative: str, sha: str, register: RegisterData) -> str:
        from reader.entities.models import AuthorityId, Entity, EntityName

        from .models import CorpusFile

        CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.REGISTER, "sha256": sha, "skeleton": register.skeleton}
        )
        existing = {e.xml_id: e for e in Entity.objects.all()}
        keep = set()
        for position, (data, xml) in enumerate(register.entries):
            keep.add(data.id)
            latitude, longitude = data.geo or (None, None)
            fields = dict(
                kind=data.kind, name=data.name[:500], note=data.note, resp=data.resp, tei=xml, position=position
            )
            fields.update(latitude=latitude, longitude=longitude)
            entity = existing.get(data.id)
            if entity is None:
                entity = Entity.objects.create(xml_id=data.id, **fields)
            else:
                for key, value in fields.items():
                    setattr(entity, key, value)
                entity.save()
                entity.names.all().delete()
                entity.authority_ids.all().delete()
            EntityName.objects.bulk_create(
                EntityName(entity=entity, name=name[:500], lang=lang, type=kind, position=i)
                for i, (name, lang, kind) in enumerate(data.variants)
            )
            AuthorityId.objects.bulk_create(
                AuthorityId(entity=entity, scheme=scheme, value=value, position=i)
                for i, (scheme, value) in enumerate(dict.fromkeys(data.authority))
            )
        # Entries gone from the register: drop those nothing mentions.
        Entity.objects.exclude(xml_id__in=keep).filter(mentions__isnull=True).delete()
        self._link_mentions()
        return f"{len(register.entries)} entities"

    def _link_mentions(self) -> None:
        """Mentions loaded before their entity existed get linked now."""
        from reader.entities.models import Entity

        from .models import Mention

        ids = dict(Entity.objects.values_list("xml_id", "id"))
        for mention in Mention.objects.filter(entity__isnull=True).exclude(ref="").only("id", "ref"):
            if mention.ref in ids:
                Mention.objects.filter(pk=mention.pk).update(entity_id=ids[mention.ref])

    def save_collation(self, relative: str, sha: str, data: CollationData, xml: str) -> str:
        from .models import Collation, CorpusFile, Document, Passage, Reading, Variant, Work

        corpus_file, _ = CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.COLLATION, "sha256": sha, "skeleton": xml}
        )
        paths = [path for _, path in data.witnesses]
        documents = {
            d.file.path: d for d in Document.objects.select_related("work", "file").filter(file__path__in=paths)
        }
        missing = [path for path in paths if path not in documents]
        if missing:
            raise TEIError(f"{relative}: witness file(s) not loaded: {', '.join(missing)}")
        by_siglum = {siglum: documents[path] for siglum, path in data.witnesses}
        work = next((d.work for d in documents.values() if d.work.slug == data.work), None)
        if work is None:
            work, _ = Work.objects.get_or_create(
                slug=data.work, defaults={"title": next(iter(documents.values())).title}
            )
        Collation.objects.filter(file=corpus_file).delete()
        collation = Collation.objects.create(work=work, file=corpus_file)
        collation.witnesses.set(documents.values())
        paragraphs = self._paragraph_ids(documents.values())
        variants = Variant.objects.bulk_create(
            Variant(collation=collation, position=i, type=v.type, xml_id=v.xml_id) for i, v in enumerate(data.variants)
        )
        readings = []
        for variant, v in zip(variants, data.variants):
            for r in v.readings:
                for siglum in r.wit:
                    doc = by_siglum.get(siglum)
                    if doc is None:
                        raise TEIError(f"{relative}: reading names witness #{siglum}, which listWit does not declare")
                    paragraph_id = paragraphs.get((doc.file.path, r.paragraphs.get(siglum, r.paragraph)))
                    readings.append(
                        Reading(variant=variant, document=doc, paragraph_id=paragraph_id, text=r.text, type=r.type)
                    )
        Reading.objects.bulk_create(readings, batch_size=1000)
        Work.objects.filter(pk=work.pk).update(variant_count=len(variants))
        groups = [[paragraphs[key] for key in group if key in paragraphs] for group in data.alignments]
        self._warn_unknown_units(data.alignments, paragraphs, "alignment")
        linked = self._save_passages(Passage.Kind.WITNESS, groups, work=work, documents=documents.values())
        return f"{len(variants)} variants over {len(documents)} witnesses, {linked} passages linked"

    def save_reuse(self, relative: str, sha: str, data: ReuseData, xml: str) -> str:
        from .models import CorpusFile, Document, Passage

        CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.REUSE, "sha256": sha, "skeleton": xml}
        )
        paths = {path for link in data.links for path, _ in link}
        paragraphs = self._paragraph_ids(Document.objects.select_related("file").filter(file__path__in=paths))
        groups = [[paragraphs[key] for key in link if key in paragraphs] for link in data.links]
        self._warn_unknown_units(data.links, paragraphs, "link")
        linked = self._save_passages(Passage.Kind.REUSE, groups)
        return f"{linked} reused passages linked"

    def _warn_unknown_units(self, groups: list[list[tuple[str, str]]], paragraphs: dict, what: str) -> None:
        """Say which pointers of ``groups`` name no loaded unit: they are left out of the passage."""
        unknown = list(dict.fromkeys(key for group in groups for key in group if key not in paragraphs))
        if unknown:
            examples = ", ".join(f"{path}#{unit}" for path, unit in unknown[:3])
            self._warnings.append(
                f"{len(unknown)} {what} pointer(s) name no unit of a loaded witness ({examples}"
                f"{', …' if len(unknown) > 3 else ''}); those units are not linked"
            )

    @staticmethod
    def _save_passages(kind: str, groups: list[list[int]], work=None, documents=()) -> int:
        """Replace the passages of ``kind`` (of ``work`` and ``documents``; all, for reuse) by ``groups``
        of paragraph pks. A group is kept if it has two paragraphs. Returns how many were kept."""
        from .models import Passage, PassageMember

        stale = Passage.objects.filter(kind=kind)
        if kind == Passage.Kind.WITNESS:
            members = PassageMember.objects.filter(paragraph__document__in=list(documents)).values("passage")
            stale = stale.filter(Q(work=work) | Q(pk__in=members))
        stale.delete()
        groups = [list(dict.fromkeys(group)) for group in groups]
        groups = [group for group in groups if len(group) > 1]
        passages = Passage.objects.bulk_create([Passage(kind=kind, work=work) for _ in groups], batch_size=1000)
        PassageMember.objects.bulk_create(
            (
                PassageMember(passage=passage, paragraph_id=pk)
                for passage, group in zip(passages, groups)
                for pk in group
            ),
            batch_size=1000,
        )
        return len(passages)

    @staticmethod
    def _paragraph_ids(documents) -> dict[tuple[str, str], int]:
        """(file path, unit id) → paragraph pk for the given documents."""
        from .models import Paragraph

        paths = {d.pk: d.file.path for d in documents}
        return {
            (paths[doc_id], xml_id): pk
            for pk, doc_id, xml_id in Paragraph.objects.filter(document_id__in=paths).values_list(
                "id", "document_id", "xml_id"
            )
        }

    def remove_file(self, corpus_file) -> None:
        from .models import Document, Work

        if hasattr(corpus_file, "collation"):
            corpus_file.collation.delete()
        try:
            document = corpus_file.document
        except Document.DoesNotExist:
            document = None
        if document is not None:
            document.mentions.all().delete()
            document.delete()
            Work.objects.filter(witnesses__isnull=True).delete()
        corpus_file.delete()


def _entity_url(ref: str) -> str:
    from django.urls import reverse

    return reverse("texts:entity", args=[ref])
