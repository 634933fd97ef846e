"""Load the TEI files of the corpus (``CORPUS_TEI_DIR``) into the database.

Idempotent: files whose bytes did not change since the last load are skipped,
so running it twice changes nothing. A broken file (any error, with its line
where known) is reported and rolled back; the others load. What loads but not as
the conventions say (a unit without xml:id, an @ref into nothing) is listed as a
warning. Exit status 1 if any file failed.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.caching import bump_corpus_revision
from reader.tei.lock import CorpusBusy
from reader.texts.loader import CorpusLoader


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="TEI directory (default: settings.CORPUS_TEI_DIR)")
        parser.add_argument("--force", action="store_true", help="reload files even if unchanged")

    def handle(self, *args, dir=None, force=False, verbosity=1, **options):
        directory = dir or settings.CORPUS_TEI_DIR
        if not Path(directory).is_dir():
            raise CommandError(f"{directory}: no such directory")
        progress = (lambda message: self.stdout.write(message)) if verbosity >= 1 else None
        try:
            report = CorpusLoader(directory, progress=progress, force=force).run()
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None
        if report.loaded or report.removed:
            bump_corpus_revision()  # bulk inserts send no signals: cached reader pages are stale now
        self.stdout.write(
            f"loaded {len(report.loaded)}, unchanged {len(report.unchanged)}, "
            f"removed {len(report.removed)}, failed {len(report.failed)}, warnings {len(report.warnings)}"
        )
        for name, warning in report.warnings:
            self.stderr.write(f"WARNING {name}: {warning}")
        for name, error in report.failed:
            self.stderr.write(f"FAILED {name}: {error}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} file(s) could not be loaded (see above); the others were loaded")
