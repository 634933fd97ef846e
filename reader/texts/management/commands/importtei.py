"""Import TEI made with other projects' tools: python manage.py importtei PATH... [--out DIR] [--sources DIR].

Each original is kept byte for byte in the sources directory (default
sources/tei/), its TEI in this corpus's conventions is written to the output
directory (default corpus/tei/), with its register entries in register.xml and,
for an apparatus, one document per witness and collations/<slug>.xml; `load`
then reads them. Everything not understood is listed at the end. A file that
cannot be imported is reported and changes nothing; the others are imported.
Exit status 1 if any file could not be imported.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.foreign import MAX_FOREIGN_BYTES, ForeignImporter
from reader.tei.lock import CorpusBusy


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="TEI files to import, or folders (their *.xml and collations/*.xml)"
        )
        parser.add_argument("--out", default=None, help="corpus TEI directory (default: corpus/tei)")
        parser.add_argument("--sources", default=None, help="where originals are kept (default: sources/tei)")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=MAX_FOREIGN_BYTES,
            help=f"largest file accepted (default {MAX_FOREIGN_BYTES:,} bytes)",
        )
        parser.add_argument("--no-validate", action="store_true", help="skip tei_all validation of what is written")

    def handle(self, *args, **options):
        out = Path(options["out"] or settings.CORPUS_TEI_DIR)
        sources = Path(options["sources"] or settings.FOREIGN_SOURCES_DIR)
        importer = ForeignImporter(out, sources, max_bytes=options["max_bytes"], validate=not options["no_validate"])
        try:
            reports = importer.run(options["paths"])
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None
        for report in reports:
            for line in report.lines():
                (self.stderr if not report.ok else self.stdout).write(line)
        failed = [r for r in reports if not r.ok]
        self.stdout.write(f"imported {len(reports) - len(failed)} of {len(reports)} file(s)")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(reports)} file(s) could not be imported (see above); "
                "nothing of theirs was written"
            )
