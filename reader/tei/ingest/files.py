"""Ingesting many source files: structured sources first (so that flat versions can borrow their
divisions), in batches that the stages run over together, each TEI file written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable


from ..metadata import WitnessMeta
from ..source import Source, SourceError, read_source
from ..structure import Structure, recover
from ..lock import corpus_lock
from ..xml import XML_ID, parse_file, serialize, write_atomic
from .blocks import donor
from .build import Stage, build_document
from .header import seed_name
from .naming import new_slug


@dataclass
class IngestResult:
    source: str
    slug: str | None = None
    path: Path | None = None
    written: bool = False
    error: str | None = None


class Ingester:
    """Ingests source files into ``out_dir``, one TEI file per source.

    Files are processed structured-first so that a flattened version can borrow
    the divisions of a structured one. A bad source is reported and skipped;
    the others are still ingested and no existing TEI file is touched for it.
    """

    def __init__(
        self,
        out_dir: str | Path,
        stages: Iterable[Stage] = (),
        today: str | None = None,
        metadata: dict[str, WitnessMeta] | None = None,
        processes: int = 1,
        progress: Callable[[IngestResult], None] | None = None,
    ):
        self.out_dir = Path(out_dir)
        self.stages = list(stages)
        self.today = today
        self.metadata = metadata or {}  # source file name -> the editor's row
        #: Processes a stage may use for a batch (``prepare``): spaCy on every core.
        self.processes = processes
        self.progress = progress

    def run(self, paths: Iterable[str | Path]) -> list[IngestResult]:
        """Ingest ``paths``. Documents go in batches of about ``BATCH_WORDS`` words: each is built, then
        every stage runs over the batch (after its ``prepare``, if it has one), then the batch is written.

        The corpus lock is held throughout (slugs are chosen from the files present, and two runs must
        not give one slug to two texts); a caller whose stages read the register (``ingest``) takes it
        before reading it and keeps it until the register is written."""
        with corpus_lock(self.out_dir):
            return self._run(paths)

    def _run(self, paths: Iterable[str | Path]) -> list[IngestResult]:
        existing, results = self._existing(), []
        sources: list[tuple[Source, Structure]] = []
        for path in paths:
            try:
                source = read_source(path)
                sources.append((source, recover(source.text)))
            except SourceError as exc:
                results.append(self._done(IngestResult(source=str(path), error=str(exc))))
        used_slugs = {slug for slug, _ in existing.values()}
        donors = {slug: donor(slug, parse_file(path)) for slug, path in existing.values()}
        for batch in _batches(sorted(sources, key=lambda s: (s[1].flat, s[0].name))):
            built = []
            for source, structure in batch:
                result = IngestResult(source=source.name)
                try:
                    slug, previous_path = existing.get(source.name, (None, None))
                    previous = parse_file(previous_path) if previous_path else None
                    meta = self.metadata.get(source.name)
                    if slug is None:
                        slug = new_slug(
                            meta.title if meta and meta.title else structure.title,
                            meta.siglum if meta else "",
                            used_slugs,
                        )
                    used_slugs.add(slug)
                    others = [d for s, d in donors.items() if s != slug]
                    root = build_document(source, slug, previous, others, (), self.today, meta)
                    result.slug, result.path = slug, self.out_dir / f"{slug}.xml"
                    donors[slug] = donor(slug, root)  # stages mark words, they never change the text
                    built.append((result, previous, root))
                except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                    result.error = f"{source.name}: {_reason(exc)}"
                    results.append(self._done(result))
            results.extend(self._finish(built))
        return results

    def _finish(self, built) -> list[IngestResult]:
        """Run the stages over one batch of built documents and write them."""
        failed: set[int] = set()
        for stage in self.stages:
            if hasattr(stage, "prepare"):
                stage.prepare([root for _, _, root in built], self.processes)
            for k, (result, previous, root) in enumerate(built):
                if k in failed:
                    continue
                try:
                    stage(root, previous)
                except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                    result.error = f"{result.source}: {_reason(exc)}"
                    failed.add(k)
        for k, (result, _previous, root) in enumerate(built):
            if k not in failed:
                try:
                    result.written = write_atomic(result.path, serialize(root))
                except OSError as exc:  # a full disk: write_atomic left the earlier file as it was
                    reason = (exc.strerror or str(exc)).lower()
                    result.error = (
                        f"{result.source}: cannot write {result.path}: {reason}; it keeps its earlier content"
                    )
            self._done(result)
        return [result for result, _, _ in built]

    def _done(self, result: IngestResult) -> IngestResult:
        if self.progress:
            self.progress(result)
        return result

    def _existing(self) -> dict[str, tuple[str, Path]]:
        """seed file name -> (slug, TEI file) of documents already in ``out_dir``. Trees are parsed
        again when needed, so that memory does not hold the whole corpus."""
        found = {}
        for path in sorted(self.out_dir.glob("*.xml")):
            root = parse_file(path)  # a broken TEI file stops the run: its ids must not be lost
            name = seed_name(root)
            if name:
                found[name] = (root.get(XML_ID) or path.stem, path)
        return found


def _reason(exc: Exception) -> str:
    """What went wrong, for the report: the message, and for a bug in the pipeline where it happened."""
    if isinstance(exc, (ValueError, OSError)):
        return str(exc)
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"the pipeline failed ({type(exc).__name__}: {exc}, at {Path(where.filename).name}:{where.lineno}); please report it"


#: Words of sources built before the stages run over them together (bounds the memory spaCy's parses take).
BATCH_WORDS = 200_000


def _batches(sources: list[tuple[Source, Structure]]):
    """Consecutive runs of sources of about ``BATCH_WORDS`` words in all (a longer source alone)."""
    batch, words = [], 0
    for item in sources:
        size = len(item[0].text.split())
        if batch and words + size > BATCH_WORDS:
            yield batch
            batch, words = [], 0
        batch.append(item)
        words += size
    if batch:
        yield batch
