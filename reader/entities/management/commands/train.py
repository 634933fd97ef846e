"""Train spaCy's entity recogniser on the annotated corpus: python manage.py train [--out DIR] [--seed N].

Reads every document of the corpus directory (their mentions, annotators' and the pipeline's),
updates the installed English model's ``ner`` with a fixed seed and number of passes (the same
corpus gives the same model; nothing is downloaded) and writes the model to ``--out`` (default:
the ``NER_MODEL_DIR`` setting, environment ``PARALLAX_NER_MODEL``). ``ingest`` and ``recognise``
use the model in ``NER_MODEL_DIR`` when one is there. ``bench/ner.py --trained DIR`` scores it
against the stock model on the held-out texts.
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

    def handle(self, *args, **options):
        out = options["out"] or settings.NER_MODEL_DIR
        if not out:
            raise CommandError("no model folder: give --out DIR or set PARALLAX_NER_MODEL")
        corpus = Path(settings.CORPUS_TEI_DIR)
        roots = []
        for path in sorted(p for p in corpus.glob("*.xml") if p.name != "register.xml"):
            try:
                roots.append(parse_file(path))
            except TEIError as exc:
                self.stderr.write(f"skipped: {exc}")
        if not roots:
            raise CommandError(f"no readable TEI documents in {corpus}")
        examples = training_examples(roots)
        figures = train(examples, out, seed=options["seed"], passes=options["passes"])
        self.stdout.write(
            f"{out}: trained on {figures['examples']} units with {figures['mentions']} mentions "
            f"from {len(roots)} documents; loss by pass {figures['losses']}"
        )
