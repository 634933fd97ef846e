"""Validate TEI files against TEI P5 tei_all: python manage.py validate [PATH ...].

Without paths, every *.xml under the corpus directory (documents, register,
collations) is checked. Prints each error with its line number and exits
non-zero when any file is invalid.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.entities import EntityStage
from reader.tei.validate import validate_file
from reader.tei.xml import TEIError, parse_file


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or sorted(Path(settings.CORPUS_TEI_DIR).rglob("*.xml"))
        if not paths:
            raise CommandError(f"no TEI files in {settings.CORPUS_TEI_DIR}")
        bad = 0
        for path in paths:
            errors = validate_file(path)
            if errors:
                bad += 1
                for error in errors:
                    self.stderr.write(error)
            else:
                self.stdout.write(f"{path}: valid")
        errors = self._register_errors()
        for error in errors:
            self.stderr.write(error)
        if bad or errors:
            raise CommandError(f"{bad} of {len(paths)} file(s) invalid; {len(errors)} register problem(s)")

    def _register_errors(self):
        """Duplicate ids and dangling @refs between the documents and the register."""
        register = Path(settings.CORPUS_TEI_DIR) / "register.xml"
        if not register.exists():
            return []
        docs = []  # the register serves the whole corpus, whichever files were named
        for path in sorted(register.parent.glob("*.xml")):
            if path == register:
                continue
            try:
                docs.append(parse_file(path))
            except TEIError:
                continue  # not well-formed: reported as such when the file is validated
        try:
            return EntityStage.from_register_file(register).check(docs)
        except TEIError as exc:
            return [f"{register}: {exc}"]
