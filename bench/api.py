"""Response times of the machine interfaces (DTS, exports): python bench/api.py [--copies N] [--samples N].

Loads ``corpus/tei/`` and one long document made of N copies of the corpus's longest document
(ids renamed; 19 copies of the occupation article give about 200,000 words) into a temporary
SQLite database (or the scratch database ``DATABASE_URL`` names), then requests each endpoint
kind through Django's test client on the partisan article and on the long document, printing
median and 95th percentile in ms, SQL queries, and the ratio to the TEI download of the same
document (the exporter's work). Navigation is timed cold (its cached citation index cleared
before each request) and warm. Prints; never fails.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="parallax-bench-api-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from pages import measure, p95  # noqa: E402  (bench/pages.py, same folder)
from reader.tei.xml import NS, XML_ID, parse_file, serialize  # noqa: E402
from reader.texts.loader import CorpusLoader  # noqa: E402
from reader.texts.models import Document, Paragraph  # noqa: E402

CORPUS = ROOT / "corpus" / "tei"
LONG = "long-document"


def make_long(out: Path, copies: int) -> tuple[str, int]:
    """The longest corpus document, its body repeated ``copies`` times with ids made unique."""
    source = max((p for p in CORPUS.glob("*.xml") if p.name != "register.xml"), key=lambda p: p.stat().st_size)
    root = parse_file(source)
    root.set(XML_ID, LONG)
    body = root.find("tei:text/tei:body", NS)
    original = list(body)
    for el in original:
        body.remove(el)
    for n in range(1, copies + 1):
        for el in original:
            clone = copy.deepcopy(el)
            for node in clone.iter():
                if node.get(XML_ID):
                    node.set(XML_ID, f"{node.get(XML_ID)}x{n}")
            body.append(clone)
    notes = root.find("tei:teiHeader/tei:fileDesc/tei:notesStmt", NS)
    if notes is not None:
        notes.getparent().remove(notes)
    (out / f"{LONG}.xml").write_bytes(serialize(root))
    return source.name, len(" ".join(body.itertext()).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=19)
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    settings.DEBUG = True  # keeps connection.queries for the query counts
    tei_dir = TMP / "tei"
    (tei_dir / "collations").mkdir(parents=True)
    for path in CORPUS.rglob("*.xml"):
        (tei_dir / path.relative_to(CORPUS)).write_bytes(path.read_bytes())
    source, words = make_long(tei_dir, args.copies)
    call_command("migrate", verbosity=0)
    report = CorpusLoader(tei_dir).run()
    assert not report.failed, report.failed
    units = Paragraph.objects.filter(document__slug=LONG).count()
    print(
        f"long document: {args.copies}× {source}, {words:,} words, {units:,} units; "
        f"{Document.objects.count()} documents, database {django.db.connection.vendor}"
    )
    client = Client()
    n = args.samples
    for doc, section, unit, last in (
        ("soviet-partisans-in-latvia", "s2", "s2.p3", "s6"),
        (LONG, "s2x1", "s2x1.p8x1", f"s15x{args.copies}"),
    ):
        nav = f"/api/dts/navigation/?resource={doc}"
        kinds = {
            "TEI download": [f"/texts/{doc}.xml"] * n,
            "collection": [f"/api/dts/collection/?id={doc}"] * n,
            "nav (cold)": [f"{nav}&down=1"] * n,
            "nav down=1": [f"{nav}&down=1"] * n,
            "nav down=-1": [f"{nav}&down=-1"] * n,
            "nav ref down=1": [f"{nav}&ref={section}&down=1"] * n,
            "document ref": [f"/api/dts/document/?resource={doc}&ref={unit}"] * n,
            "document range": [f"/api/dts/document/?resource={doc}&start={section}&end={last}"] * n,
            "annotations": [f"/api/texts/{doc}/annotations.jsonld"] * n,
            "mentions.csv": [f"/api/texts/{doc}/mentions.csv"] * n,
        }
        client.get(kinds["TEI download"][0])  # warm up
        print(f"\n{doc}\n{'endpoint':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'÷ TEI download':>15}")
        baseline = None
        for kind, urls in kinds.items():
            times, queries = measure(client, urls, before=cache.clear if "cold" in kind else None)
            median = statistics.median(times)
            baseline = baseline or median
            print(f"{kind:<16} {median:>10.1f} {p95(times):>8.1f} {queries:>8} {median / baseline:>14.2f}×")


if __name__ == "__main__":
    main()
