"""Response times of the reader's pages on a corpus 100× the seeds: python bench/pages.py [--copies N] [--samples N] [--only KIND].

``--darwin`` adds the six editions of Darwin's *Origin* ch. I (one work, ``bench/data``, each header with
its siglum, date and author as ``ingest --meta`` writes them) and times its compare, apparatus, units and
density pages, the entity index and the downloads (register.xml, register.csv, the work's ZIP), each
cold (cache cleared and this process's decoded compare parts forgotten before every request: what
``load`` stored is read from the database), warm, and rebuilt (cache
cleared and the comparisons ``load`` stored deleted: the first request after an edit of a witness);
``--profile URL`` prints where one cold request of URL spends its time (cProfile).

Copies every file of ``corpus/tei/`` N times (new slugs; the register once)
into a temporary folder, loads it into a temporary SQLite database (or the
one ``DATABASE_URL`` names — it must be a scratch database, it is migrated
and filled), and requests each page kind through Django's test client,
printing the median and 95th percentile in milliseconds and the number of
SQL queries. The compare view is timed cold (cache cleared before each
request) and warm. Prints figures; never fails on them.

Witnesses are grouped into works by ``relatedItem[@type='work']``; where the
corpus has none yet, copies with the same title are grouped (bench only).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="parallax-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from lxml import etree  # noqa: E402

from reader.tei.xml import NS, XML_ID, parse_file, serialize, tei  # noqa: E402
from reader.texts.loader import CorpusLoader  # noqa: E402
from reader.texts.models import Document, Paragraph, Work  # noqa: E402
from reader.entities.models import Entity  # noqa: E402

CORPUS = ROOT / "corpus" / "tei"


def make_corpus(out: Path, copies: int, corpus: Path = CORPUS) -> int:
    """Write ``copies`` renamed copies of every corpus document; returns the number of files."""
    documents = [p for p in sorted(corpus.glob("*.xml")) if p.name != "register.xml"]
    written = 0
    for n in range(1, copies + 1):
        for path in documents:
            root = parse_file(path)
            slug = f"{root.get(XML_ID)}-c{n}"
            root.set(XML_ID, slug)
            title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS).text
            notes = root.find("tei:teiHeader/tei:fileDesc/tei:notesStmt", NS)
            item = notes.find("tei:relatedItem[@type='work']", NS) if notes is not None else None
            work = (
                Path(item.get("target")).stem
                if item is not None
                else "".join(ch if ch.isalnum() else "-" for ch in title.lower())
            )
            if item is None:
                file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
                notes = notes if notes is not None else etree.Element(tei("notesStmt"))
                if notes.getparent() is None:
                    file_desc.find("tei:publicationStmt", NS).addnext(notes)
                item = etree.SubElement(notes, tei("relatedItem"), type="work")
            item.set("target", f"collations/{work}-c{n}.xml")
            (out / f"{slug}.xml").write_bytes(serialize(root))
            written += 1
    if (corpus / "register.xml").exists():
        (out / "register.xml").write_bytes((corpus / "register.xml").read_bytes())
        written += 1
    return written


def measure(client: Client, urls: list[str], before=None) -> tuple[list[float], int]:
    times, queries = [], 0
    for url in urls:
        if before:
            before()
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:  # an export: the time to the last byte
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(connection.queries))
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return times, queries


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


#: The six-witness work's pages and downloads (``--darwin``).
DARWIN_PAGES = {
    "compare": "/compare/origin/",
    "apparatus": "/compare/origin/apparatus/",
    "units": "/compare/origin/units/",
    "density": "/compare/origin/density/",
    "entity index": "/entities/",
    "register.xml": "/register.xml",
    "register.csv": "/api/register.csv",
    "work ZIP": "/api/works/origin.zip",
    "reading PDF": "/texts/origin-first.pdf",
}


def add_darwin(tei_dir: Path) -> None:
    """Darwin's six editions of ch. I as one work, with their sigla and dates (the tests' fixture writes them
    from bench/data)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from compare_fixtures import write_darwin

    write_darwin(tei_dir, metadata=True)


def cold_start() -> None:
    """A cold cache, and no compare part decoded in this process yet (a worker just started)."""
    from reader.texts.stored_comparisons import forget_decoded

    cache.clear()
    forget_decoded()


def forget_stored() -> None:
    """A cold cache and no stored comparison: what the first request after an edit of a witness finds."""
    from reader.texts.models import StoredComparison

    cold_start()
    StoredComparison.objects.all().delete()


def restore_stored() -> None:
    """What ``load`` stores, stored again (after :func:`forget_stored`)."""
    from reader.texts.views.compare import store_defaults as precompute

    for work in Work.objects.all():
        if work.witnesses.count() >= 2:
            precompute(work)


def darwin_pages(client: Client, cold_samples: int, warm_samples: int) -> None:
    """Each page of the six-witness work, cold (cache cleared first) and warm, median and p95."""
    print(
        f"\nsix-witness work (Darwin): {'page':<14} {'cold median':>11} {'cold p95':>9} {'warm median':>11} "
        f"{'rebuilt':>8} {'queries':>7} {'KB':>7}"
    )
    for kind, url in DARWIN_PAGES.items():
        cold, queries = measure(client, [url] * cold_samples, before=cold_start)
        warm, _ = measure(client, [url] * warm_samples)
        rebuilt = [0.0]
        if url.startswith("/compare/"):
            rebuilt, _ = measure(client, [url] * 2, before=forget_stored)
            restore_stored()
        size = len(b"".join(client.get(url)))
        print(
            f"{'':<27}{kind:<14} {statistics.median(cold):>11.1f} {p95(cold):>9.1f} "
            f"{statistics.median(warm):>11.1f} {statistics.median(rebuilt):>8.0f} {queries:>7} {size / 1024:>7.0f}"
        )


def profile(client: Client, url: str, lines: int = 30, warm: bool = False) -> None:
    """Where one cold (or warm) request of ``url`` spends its time."""
    client.get(url) if warm else cold_start()
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    print(f"\ncProfile of one {'warm' if warm else 'cold'} GET {url} (cumulative):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="TEI folder to multiply (default: corpus/tei)")
    parser.add_argument("--only", default="", help="time only the page kinds whose name starts with this (e.g. search)")
    parser.add_argument("--darwin", action="store_true", help="add Darwin's six editions and time their pages")
    parser.add_argument("--cold", type=int, default=5, help="cold requests per page of the six-witness work")
    parser.add_argument("--only-darwin", action="store_true", help="skip the corpus-wide page table")
    parser.add_argument("--profile", metavar="URL", help="cProfile one cold request of URL")
    parser.add_argument("--warm", action="store_true", help="with --profile: a warm request instead")
    args = parser.parse_args()
    settings.DEBUG = True  # keeps connection.queries for the query counts
    tei_dir = TMP / "tei"
    tei_dir.mkdir()
    files = make_corpus(tei_dir, args.copies, args.corpus)
    if args.darwin:
        add_darwin(tei_dir)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    report = CorpusLoader(tei_dir).run()
    load_seconds = time.perf_counter() - start
    print(f"corpus: {files} files ({args.copies}× {args.corpus}), database {connection.vendor}")
    print(
        f"load: {load_seconds:.1f} s ({len(report.loaded)} loaded, {len(report.failed)} failed); "
        f"{Document.objects.count()} documents, {Paragraph.objects.count()} units, {Work.objects.count()} works"
    )
    start = time.perf_counter()
    again = CorpusLoader(tei_dir).run()
    print(f"second load (nothing changed): {time.perf_counter() - start:.2f} s, {len(again.loaded)} loaded")

    rng = random.Random(1)
    docs = list(Document.objects.values_list("slug", flat=True))
    paragraphs = list(Paragraph.objects.values_list("document__slug", "xml_id"))
    works = [w for w in Work.objects.all() if w.witnesses.count() >= 2]
    entities = list(Entity.objects.values_list("xml_id", flat=True))
    words = ["Latvia", "partisans", "Soviet occupation", "Riga", "1941"]
    n = args.samples
    kinds = {
        "home": ["/"] * max(5, n // 4),
        "reading": [f"/texts/{rng.choice(docs)}/" for _ in range(n)],
        "paragraph": [f"/texts/{d}/{p}/" for d, p in rng.sample(paragraphs, min(n, len(paragraphs)))],
        "compare (warm)": [w.get_absolute_url() for w in rng.choices(works, k=n)] if works else [],
        "compare (cold)": [w.get_absolute_url() for w in rng.choices(works, k=max(5, n // 4))] if works else [],
        "entity": [f"/entities/{e}/" for e in rng.choices(entities, k=n)] if entities else [],
        "entity index": ["/entities/"] * max(5, n // 4),
        "search": [f"/search/?q={rng.choice(words)}" for _ in range(n)],
        "search page 2": ["/search/?q=Latvia&page=2"] * max(5, n // 4),
        "search facet": [f"/search/?q={rng.choice(words)}&type=place" for _ in range(max(5, n // 4))],
        "search export": [f"/search/?q={rng.choice(words)}&format=json" for _ in range(max(5, n // 4))],
        "TEI download": [f"/texts/{rng.choice(docs)}.xml" for _ in range(max(5, n // 4))],
    }
    client = Client()
    for url in ("/", f"/texts/{docs[0]}/"):  # warm up templates and connections
        client.get(url)
    if works and "compare".startswith(args.only):
        for w in works:
            client.get(w.get_absolute_url())
    if args.darwin:
        darwin_pages(client, args.cold, n)
    if args.profile:
        profile(client, args.profile, warm=args.warm)
    if args.only_darwin:
        return
    print(f"\n{'page':<16} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for kind, urls in kinds.items():
        if not kind.startswith(args.only):
            continue
        if not urls:
            print(f"{kind:<16} {'—':>8}  (nothing to request)")
            continue
        times, queries = measure(client, urls, before=cold_start if kind == "compare (cold)" else None)
        print(f"{kind:<16} {len(times):>8} {statistics.median(times):>10.1f} {p95(times):>8.1f} {queries:>8}")
    print("\ntargets: reading and paragraph < 50 ms median, compare < 200 ms median")


if __name__ == "__main__":
    main()
