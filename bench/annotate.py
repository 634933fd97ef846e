"""The annotator's annotate page (``/admin/texts/paragraph/<pk>/annotate/``): median ms and queries.

    .venv/bin/python bench/annotate.py [--samples 40] [--profile]

Loads ``corpus/tei/`` into a scratch SQLite database in a temporary folder, logs in an annotator
(every role the migrations make) with Django's test client, and requests the annotate page of the
paragraph ``bench/load.py`` requests (the fourth paragraph of the longest document) and of the
paragraph with the most mentions. Prints the median and 95th percentile in milliseconds, the number
of SQL queries and the page's size; ``--profile`` adds a cProfile of one request of each. Prints
figures; never fails on them.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="parallax-bench-annotate-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from reader.texts.loader import CorpusLoader  # noqa: E402
from reader.texts.models import Document, Paragraph  # noqa: E402

CORPUS = ROOT / "corpus" / "tei"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="cProfile one request of each page")
    parser.add_argument("--callers", metavar="NAME", help="with --profile: who calls the functions matching NAME")
    parser.add_argument("--sort", default="cumulative", help="with --profile: the order (cumulative, tottime)")
    args = parser.parse_args()
    settings.DEBUG = True  # keeps connection.queries for the query count
    settings.CORPUS_TEI_DIR = CORPUS
    call_command("migrate", verbosity=0)
    report = CorpusLoader(CORPUS).run()
    print(f"corpus: {len(report.loaded)} files loaded, {len(report.failed)} failed, database {connection.vendor}")
    user = get_user_model().objects.create_user("anna", password="bench password 42", is_staff=True)
    user.groups.set(Group.objects.all())
    client = Client()
    client.force_login(user)
    doc = Document.objects.order_by("-word_count").first()
    pages = {
        "load.py's": Paragraph.objects.filter(document=doc, kind="p").order_by("position")[3],
        "most mentions": Paragraph.objects.annotate(n=Count("mentions")).order_by("-n", "pk").first(),
    }
    print(
        f"\n{'paragraph':<14} {'mentions':>8} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}"
    )
    for name, paragraph in pages.items():
        url = f"/admin/texts/paragraph/{paragraph.pk}/annotate/"
        client.get(url)  # templates compiled, connection open
        times, queries, size = [], 0, 0
        for _ in range(args.samples):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            queries = max(queries, len(connection.queries))
            size = len(response.content)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        count = paragraph.mentions.count()
        print(
            f"{name:<14} {count:>8} {len(times):>8} {statistics.median(times):>10.1f} {p95:>8.1f} "
            f"{queries:>8} {size / 1024:>6.0f}"
        )
    if args.profile:
        for name, paragraph in pages.items():
            url = f"/admin/texts/paragraph/{paragraph.pk}/annotate/"
            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            print(f"\ncProfile of one GET {url} ({name}), by {args.sort}:")
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(35)
            if args.callers:
                stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
