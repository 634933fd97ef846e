"""Train spaCy's entity recogniser on the annotated corpus: python manage.py train [--out DIR] [--seed N].

Reads every document of the corpus directory (their mentions, annotators' and the pipeline's),
updates the installed English model's ``ner`` with a fixed seed and number of passes (the same
corpus gives the same model; nothing is downloaded) and writes the model to ``--out`` (default:
the ``NER_MODEL_DIR`` setting, environment ``PARALLAX_NER_MODEL``). ``ingest`` and ``recognise``
use the model in ``NER_MODEL_DIR`` when one is there. ``bench/ner.py --trained DIR`` scores it
against the stock model on the held-out texts.

``--tei-dir DIR`` (repeatable) adds the documents of another folder, hand-annotated TEI such as the
benchmark's gold texts (``bench/ner.py --gold-tei DIR`` writes them): what a team has marked by hand
teaches the recogniser beside what the corpus holds.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reader.tei.entities.train import train, training_examples
from reader.tei.xml import TEIError, parse_file


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--out", default=None, help="model folder (default: settings.NER_MODEL_DIR)")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("--passes", type=int, default=12, help="passes over the examples (default 12)")
        parser.add_argument(
            "--tei-dir", action="append", default=[], help="another folder of annotated TEI documents (repeatable)"
        )

    def handle(self, *args, **options):
        out = options["out"] or settings.NER_MODEL_DIR
        if not out:
            raise CommandError("no model folder: give --out DIR or set PARALLAX_NER_MODEL")
        corpus = Path(settings.CORPUS_TEI_DIR)
        folders = [corpus, *(Path(d) for d in options["tei_dir"])]
        missing = [str(d) for d in folders[1:] if not d.is_dir()]
        if missing:
            raise CommandError(f"no such folder: {', '.join(missing)}")
        roots = []
        paths = (p for folder in folders for p in sorted(folder.glob("*.xml")) if p.name != "register.xml")
        for path in paths:
            try:
                roots.append(parse_file(path))
            except TEIError as exc:
                self.stderr.write(f"skipped: {exc}")
        if not roots:
            raise CommandError(f"no readable TEI documents in {', '.join(map(str, folders))}")
        examples = training_examples(roots)
        figures = train(examples, out, seed=options["seed"], passes=options["passes"])
        self.stdout.write(
            f"{out}: trained on {figures['examples']} units with {figures['mentions']} mentions "
            f"from {len(roots)} documents ({len(folders)} folder(s)); loss by pass {figures['losses']}"
        )
