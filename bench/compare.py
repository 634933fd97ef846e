"""Response times of the compare views with six witnesses of 11,000–12,400 words: python bench/compare.py [--samples N]

Loads Darwin's *Origin*, chapter 1, in its six editions (``bench/data/darwin-origin-ch1.json``) and the
partisan article (``corpus/tei/``) into a temporary SQLite database (or the scratch database
``DATABASE_URL`` names: it is migrated and filled), then requests every compare view kind through Django's
test client: cold (cache cleared: collation + rendering) and warm (comparison cached), median and
maximum in ms, page size and SQL queries. Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # compare_fixtures: the six editions as TEI
TMP = Path(tempfile.mkdtemp(prefix="parallax-bench-compare-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from compare_fixtures import load_darwin  # noqa: E402

VIEWS = {"columns": "", "apparatus": "apparatus/", "units": "units/", "density": "density/"}
WORKS = {
    "six editions (Darwin)": "/compare/origin/",
    "two witnesses (partisans)": "/compare/soviet-partisans-in-latvia/",
}


def timed(client: Client, url: str, cold: bool) -> tuple[float, int, int]:
    if cold:
        cache.clear()
    reset_queries()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(connection.queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5, help="requests per page and state (default 5)")
    args = parser.parse_args()
    setup_test_environment()
    from django.conf import settings

    settings.DEBUG = True  # count queries
    call_command("migrate", verbosity=0)
    corpus = TMP / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", corpus)
    started = time.perf_counter()
    load_darwin(corpus)
    print(f"loaded the corpus and six editions in {time.perf_counter() - started:.1f} s")
    client = Client()
    print("| work | view | cold median / max ms | warm median / max ms | queries cold / warm | page KB |")
    print("|---|---|---|---|---|---|")
    for work, base in WORKS.items():
        for view, path in VIEWS.items():
            url = base + path + "?at=3"
            cold = [timed(client, url, True) for _ in range(args.samples)]
            warm = [timed(client, url, False) for _ in range(args.samples)]
            c, w = [t for t, _, _ in cold], [t for t, _, _ in warm]
            print(
                f"| {work} | {view} | {statistics.median(c):.0f} / {max(c):.0f} | {statistics.median(w):.0f} / {max(w):.0f}"
                f" | {cold[0][1]} / {warm[0][1]} | {cold[0][2] / 1024:.0f} |"
            )
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
