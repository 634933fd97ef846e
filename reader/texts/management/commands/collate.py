"""Find works and collate their versions: python manage.py collate [--tei-dir DIR].

Reads every corpus/tei/*.xml (not register.xml), groups the documents into
works (versions of one text, found by MinHash over word shingles), writes
corpus/tei/collations/<work>.xml (TEI apparatus, parallel segmentation) for
every work with two or more witnesses, corpus/tei/collations/reuse.xml
(passages shared by documents of different works), and records each
document's work in its header. Re-running on the same files changes nothing.
--regularise FILE gives the editor's regularisation list (CSV form,regular).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.collate import CollationError, CollationOptions, load_regularisations
from reader.tei.collate.corpus import CorpusCollator
from reader.tei.lock import CorpusBusy, corpus_lock
from reader.texts.write_errors import write_error


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--tei-dir", default=None, help="TEI folder (default: corpus/tei)")
        for kind in ("case", "diacritics", "punctuation", "editorial"):
            parser.add_argument(f"--ignore-{kind}", action="store_true", help=f"do not report {kind} differences")
        parser.add_argument("--report-whitespace", action="store_true", help="report spacing differences too")
        parser.add_argument("--ignore-sigma", action="store_true", help="Greek final and lunate sigma (ς ϲ) are σ")
        parser.add_argument("--ignore-uv", action="store_true", help="Latin u and v are one letter")
        parser.add_argument("--ignore-ij", action="store_true", help="Latin i and j are one letter")
        parser.add_argument(
            "--ignore-suspension", action="store_true", help="a suspension stroke (εϲτι¯) is its letter (ν)"
        )
        parser.add_argument("--regularise", metavar="FILE", help="CSV of form,regular pairs aligned as one word")

    def handle(self, *args, **options):
        tei_dir = Path(options["tei_dir"] or settings.CORPUS_TEI_DIR)
        if not tei_dir.is_dir():
            raise CommandError(f"{tei_dir}: no such directory")
        try:
            regularisations = load_regularisations(options["regularise"]) if options["regularise"] else ()
        except CollationError as exc:
            raise CommandError(str(exc)) from None
        collation_options = CollationOptions(
            regularisations=regularisations,
            ignore_case=options["ignore_case"],
            ignore_diacritics=options["ignore_diacritics"],
            ignore_punctuation=options["ignore_punctuation"],
            ignore_editorial=options["ignore_editorial"],
            ignore_whitespace=not options["report_whitespace"],
            ignore_sigma=options["ignore_sigma"],
            ignore_uv=options["ignore_uv"],
            ignore_ij=options["ignore_ij"],
            ignore_suspension=options["ignore_suspension"],
        )
        try:
            with corpus_lock(tei_dir):  # collate writes collations/ and the documents' work membership
                report = CorpusCollator(tei_dir, collation_options).run()
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:  # a full disk: each file is written whole or not at all
            raise CommandError(write_error(exc, tei_dir)) from None
        for problem in report.problems:
            self.stderr.write(problem)
        for work in report.works:
            self.stdout.write(f"work {work.id}: {', '.join(work.members)}")
        self.stdout.write(f"{len(report.reuse)} reuse link(s)")
        for path in report.written:
            self.stdout.write(f"wrote {path}")
        self.stdout.write(f"{len(report.unchanged)} file(s) unchanged")
        for path in report.removed:
            self.stdout.write(f"removed {path} (its work no longer has two witnesses)")
        if not report.works:
            raise CommandError(f"no TEI documents in {tei_dir}")
