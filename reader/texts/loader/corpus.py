"""The load of a whole folder: files in order (register, documents, collations), one transaction each,
unchanged files skipped, annotators' unexported work never overwritten, files gone removed."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Callable

from lxml import etree

from reader.tei.lock import corpus_lock
from reader.tei.parsing import canonical_sha256, parse_collation, parse_document, parse_register, parse_reuse, to_string
from reader.tei.rendering import UnitRenderer
from reader.tei.xml import TEIError, parse_bytes, utf16_name

from ..locking import corpus_db_lock, lock_files
from ..precompute import precompute_loaded
from .collations import CollationRows
from .documents import DocumentRows, entity_url
from .files import check_tei, file_kind, size_limit
from .register import RegisterRows
from .report import LoadReport, failure

log = logging.getLogger(__name__)


class Unpublished(Exception):
    """A file's rows hold annotators' work that was never exported: load leaves them alone."""


def lock_for_writing(relative: str):
    """In load's transaction: the advisory lock, the register's row, then the file's row; returns the file's row."""
    from ..models import CorpusFile

    corpus_db_lock()
    lock_files(register=True)
    return CorpusFile.objects.select_for_update().filter(path=relative).first()


class CorpusLoader(DocumentRows, RegisterRows, CollationRows):
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
        self.renderer = UnitRenderer(entity_url=entity_url)

    def run(self) -> LoadReport:
        """Load the folder under the corpus lock, so that no ingest or import writes it meanwhile
        (a document and the register entries it points to are read as one state)."""
        with corpus_lock(self.directory):
            return self._run()

    def _run(self) -> LoadReport:
        from django.db import transaction

        from ..models import CorpusFile

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
        from ..exporter import CorpusExporter
        from ..models import CorpusFile

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
        from ..models import CorpusFile

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

    def remove_file(self, corpus_file) -> None:
        from ..models import Document, Work

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
