"""Convert source texts to TEI: python manage.py ingest [PATH ...] [--out DIR] [--meta FILE].

Without paths, every *.txt in the seeds directory is ingested. Re-running on
unchanged sources leaves every TEI file byte-identical; after a source
changes, its units keep their ids (see README, "Stable ids").

--meta FILE is the editor's witness metadata, a CSV with a header row and the
columns file,title,author,date,siglum,work,source,licence (only file is
required). Its rows go into the TEI headers, overriding what the pipeline
guesses; the whole file is checked first, and if any row is bad nothing is
written. Without --meta, metadata given earlier stays in the headers.

--jobs N parses with spaCy in N processes (default: every core); the output
is the same whatever N. A progress bar goes to standard error.
"""

import os

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.ingest import Ingester
from reader.tei.lock import CorpusBusy, corpus_lock
from reader.tei.vocabulary import REGISTER_FILE
from reader.tei.metadata import MetadataError, read_metadata
from reader.tei.xml import TEIError
from reader.texts.write_errors import write_error


def default_stages(register_path: Path):
    """Entity recognition, when that stage is installed."""
    try:
        from reader.tei.entities import EntityStage
    except ImportError:
        return [], None
    stage = EntityStage.from_register_file(register_path, model_dir=settings.NER_MODEL_DIR or None)
    return [stage], stage


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="source text files (default: all of seeds/*.txt)")
        parser.add_argument("--out", default=None, help="output directory (default: corpus/tei)")
        parser.add_argument("--no-entities", action="store_true", help="skip entity recognition")
        parser.add_argument(
            "--meta",
            default=None,
            metavar="FILE",
            help="witness metadata CSV (file,title,author,date,siglum,work,source,licence)",
        )
        parser.add_argument(
            "--jobs", type=int, default=os.cpu_count() or 1, help="processes for spaCy (default: every core)"
        )

    def handle(self, *args, **options):
        out = Path(options["out"] or settings.CORPUS_TEI_DIR)
        paths = [Path(p) for p in options["paths"]] or sorted(Path(settings.SEEDS_DIR).glob("*.txt"))
        if not paths:
            raise CommandError(f"no source files given and none in {settings.SEEDS_DIR}")
        metadata = None
        if options["meta"]:
            try:
                metadata = read_metadata(options["meta"], paths)
            except MetadataError as exc:
                raise CommandError(str(exc)) from None
            for warning in metadata.warnings:
                self.stderr.write(f"warning: {warning}")
        register = out / REGISTER_FILE
        # One writer at a time from reading the register to writing it back (reader.tei.lock):
        # two ingests at once must not each add entries to the register they read and write over the other's.
        try:
            with corpus_lock(out):
                return self._ingest(out, paths, metadata, register, options)
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None

    def _ingest(self, out, paths, metadata, register, options):
        stages, entity_stage = ([], None) if options["no_entities"] else default_stages(register)
        from tqdm import tqdm

        bar = tqdm(
            total=len(paths), unit="text", desc="ingest", file=self.stderr._out, disable=options["verbosity"] < 1
        )
        ingester = Ingester(
            out,
            stages=stages,
            metadata=metadata.rows if metadata else None,
            processes=max(1, options["jobs"]),
            progress=lambda result: bar.update(),
        )
        try:
            results = ingester.run(paths)
        except TEIError as exc:
            raise CommandError(f"existing TEI cannot be read, nothing was written: {exc}") from None
        finally:
            bar.close()
        if entity_stage is not None:
            try:
                entity_stage.save_register(register)
            except OSError as exc:  # a full disk: the register keeps its earlier content, a rerun completes it
                unlinked = " Until then, documents written by this run may name register entries it lacks."
                raise CommandError(write_error(exc, out, again="run ingest again") + unlinked) from None
        failed = [r for r in results if r.error]
        for r in results:
            if r.error:
                self.stderr.write(f"error: {r.error}")
            else:
                state = "written" if r.written else "unchanged"
                self.stdout.write(f"{r.source} -> {r.path} ({state})")
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} source(s) could not be ingested")
