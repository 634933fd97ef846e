"""Re-run entity recognition on existing TEI: python manage.py recognise [PATH ...].

Without paths, every document in the corpus directory is processed in place.
Mentions and register entries made by annotators (``@resp`` other than
``#pipeline``) are kept untouched; the pipeline's own markup is redone with
the current register, so a name taught to the register once is found in every
document. Register entries the pipeline made that no document uses any more
are retired when the register is saved. Files whose content does not change are not rewritten.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.entities import EntityStage
from reader.tei.lock import CorpusBusy, corpus_lock
from reader.tei.xml import TEIError, parse_file, serialize, write_atomic


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="TEI documents (default: every document in the corpus directory)")
        parser.add_argument("--register", default=None, help="register file (default: <corpus>/register.xml)")

    def handle(self, *args, **options):
        corpus = Path(settings.CORPUS_TEI_DIR)
        try:
            with corpus_lock(corpus):  # from reading the register to writing it back: one writer (reader.tei.lock)
                self.recognise(corpus, options)
        except CorpusBusy as exc:
            raise CommandError(str(exc)) from None

    def recognise(self, corpus: Path, options) -> None:
        register = Path(options["register"] or corpus / "register.xml")
        paths = [Path(p) for p in options["paths"]] or sorted(p for p in corpus.glob("*.xml") if p != register)
        if not paths:
            raise CommandError(f"no TEI documents in {corpus}")
        try:
            stage = EntityStage.from_register_file(register, model_dir=settings.NER_MODEL_DIR or None)
            roots = {path: parse_file(path) for path in paths}
        except TEIError as exc:
            raise CommandError(f"nothing was written: {exc}") from None
        for path, root in roots.items():
            stage(root, None)
        for path, root in roots.items():
            state = "written" if write_atomic(path, serialize(root)) else "unchanged"
            self.stdout.write(f"{path} ({state})")
        stage.save_register(register)
        for warning in stage.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(f"{register} ({len(stage.register.entries)} entries)")
