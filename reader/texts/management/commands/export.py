"""Write the database back to the corpus TEI files (``CORPUS_TEI_DIR``).

Units and register entries nobody changed are written exactly as loaded;
changed mentions and entities are written from the database. Files whose
content would not change are left untouched.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.lock import CorpusBusy
from reader.texts.exporter import CorpusExporter
from reader.texts.write_errors import write_error


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="TEI directory (default: settings.CORPUS_TEI_DIR)")

    def handle(self, *args, dir=None, verbosity=1, **options):
        progress = (lambda message: self.stdout.write(message)) if verbosity >= 1 else None
        directory = Path(dir or settings.CORPUS_TEI_DIR)
        into_corpus = directory.resolve() == Path(settings.CORPUS_TEI_DIR).resolve()
        try:
            # Files written before the failure are recorded as exported (they hold the database's
            # state); the refused one and those after it are not, and the next export writes them.
            report = CorpusExporter(directory, progress=progress).run(record_as_loaded=into_corpus)
        except OSError as exc:  # a full disk: each file is written whole or not at all
            raise CommandError(write_error(exc, directory)) from None
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"written {len(report.written)}, unchanged {len(report.unchanged)}")
