"""Importing big foreign TEI files: python bench/importtei.py [--words N] [--runs N].

Generates TEI files as other projects make them (no root xml:id, paragraphs
without ids, rs/persName/placeName with @ref into the file's own listPerson /
listPlace, authority URLs in idno), then times ``manage.py importtei``'s
importer on each (median of --runs, tei_all validation off and on), ``load``
into a scratch SQLite database, and the reading view of the result. Also
times the real files of tests/data/foreign. Prints figures; never fails on them.

- ``letters``: ~2 MB, N words (default 200,000) in 2,000 paragraphs, 6,000
  mentions, 3,000 persons and 1,000 places in the header's registers;
- ``register``: a register-only file of 10,000 persons (e.g. an edition's listperson.xml);
- ``apparatus``: N/4 words with one parallel-segmentation app in every
  paragraph, three witnesses (gives three witness documents and a collation file).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="parallax-bench-importtei-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"  # always a scratch database
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reader.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from reader.tei.foreign import ForeignImporter  # noqa: E402
from reader.texts.loader import CorpusLoader  # noqa: E402

TEI_NS = "http://www.tei-c.org/ns/1.0"
WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea "
    "commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur"
).split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _header(title: str, registers: str = "", wits: str = "") -> str:
    return (
        f"<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p>generated</p>"
        f"</publicationStmt><sourceDesc><p>generated</p>{wits}</sourceDesc></fileDesc>{registers}</teiHeader>"
    )


def letters(words: int, rng: random.Random) -> str:
    persons = "".join(
        f'<person xml:id="P{i}"><persName><forename>Anna{i}</forename><surname>Muster{i}</surname>'
        f'</persName><idno type="URL" subtype="d-nb">https://d-nb.info/gnd/{1000000 + i}</idno></person>'
        for i in range(3000)
    )
    places = "".join(
        f'<place xml:id="L{i}"><placeName>Ort{i}</placeName><idno type="geonames">{2000000 + i}</idno></place>'
        for i in range(1000)
    )
    registers = (
        f"<profileDesc><particDesc><listPerson>{persons}</listPerson></particDesc>"
        f"<settingDesc><listPlace>{places}</listPlace></settingDesc></profileDesc>"
    )
    paragraphs, per = [], words // 2000
    for i in range(2000):
        mentions = (
            f'<persName ref="#P{rng.randrange(3000)}">Anna Muster</persName> wrote from '
            f'<rs type="place" ref="#L{rng.randrange(1000)}">Ort</rs> to '
            f'<persName ref="#P{rng.randrange(3000)}">Karl</persName>'
        )
        paragraphs.append(f"<p>{_words(rng, per // 2)} {mentions} {_words(rng, per // 2 - 7)}</p>")
        if i % 50 == 0:
            paragraphs.append(f'<pb n="{i // 50}"/>')
    divs = "".join(f'<div type="letter">{"".join(paragraphs[k : k + 41])}</div>' for k in range(0, len(paragraphs), 41))
    return (
        f'<TEI xmlns="{TEI_NS}">{_header("Generated letters edition", registers)}<text><body>{divs}</body></text></TEI>'
    )


def register_only(rng: random.Random) -> str:
    persons = "".join(
        f'<person xml:id="R{i}"><persName>Person {i}</persName><persName type="alt">P. {i}</persName>'
        f'<idno type="wikidata">Q{5000000 + i}</idno></person>'
        for i in range(10000)
    )
    return (
        f'<TEI xmlns="{TEI_NS}">{_header("Generated person register")}<text><body><listPerson>{persons}'
        "</listPerson></body></text></TEI>"
    )


def apparatus(words: int, rng: random.Random) -> str:
    wits = '<listWit><witness xml:id="A">A</witness><witness xml:id="B">B</witness><witness xml:id="C">C</witness></listWit>'
    paragraphs, per = [], words // 500
    for _ in range(500):
        app = f'<app><lem wit="#A">{_words(rng, 2)}</lem><rdg wit="#B">{_words(rng, 2)}</rdg><rdg wit="#C"/></app>'
        paragraphs.append(f"<p>{_words(rng, per // 2)} {app} {_words(rng, per // 2)}</p>")
    body = "".join(f"<div>{''.join(paragraphs[k : k + 25])}</div>" for k in range(0, 500, 25))
    return f'<TEI xmlns="{TEI_NS}">{_header("Generated apparatus", wits=wits)}<text><body>{body}</body></text></TEI>'


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_import(path: Path, runs: int, validate: bool) -> tuple[float, object]:
    times, report = [], None
    for n in range(runs):
        out = TMP / f"run-{path.stem}-{validate}-{n}"
        seconds, reports = timed(lambda: ForeignImporter(out / "tei", out / "sources", validate=validate).run([path]))
        report = reports[0]
        times.append(seconds)
    return statistics.median(times), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(10)
    files = {
        "letters": TMP / "letters.xml",
        "register": TMP / "register-only.xml",
        "apparatus": TMP / "apparatus.xml",
    }
    files["letters"].write_text(letters(args.words, rng), encoding="utf-8")
    files["register"].write_text(register_only(rng), encoding="utf-8")
    files["apparatus"].write_text(apparatus(args.words // 4, rng), encoding="utf-8")
    real = sorted((ROOT / "tests" / "data" / "foreign").glob("*.xml"))
    call_command("migrate", verbosity=0)
    print(
        f"{'file':34} {'MB':>5} {'words':>8} {'units':>6} {'mentions':>8} {'entries':>7} "
        f"{'import s':>8} {'+valid s':>8} {'load s':>7} {'page ms':>7}"
    )
    client = Client()
    for name, path in [*files.items(), *[(p.stem, p) for p in real]]:
        seconds, report = bench_import(path, args.runs, validate=False)
        valid_seconds, _ = bench_import(path, 1, validate=True)
        out = TMP / f"load-{path.stem}"
        ForeignImporter(out / "tei", out / "sources", validate=False).run([path])
        call_command("flush", interactive=False, verbosity=0)  # each file loads into an empty database
        load_seconds, loaded = timed(lambda: CorpusLoader(out / "tei", force=True).run())
        page_ms = ""
        if report.slug and not loaded.failed:
            client.get(f"/texts/{report.slug}/")
            page_ms = f"{timed(lambda: client.get(f'/texts/{report.slug}/'))[0] * 1000:.0f}"
        words = len(" ".join(path.read_text(encoding="utf-8").split("<text", 1)[-1].split()).split())
        c = report.counts
        print(
            f"{name:34} {path.stat().st_size / 1e6:5.2f} {words:8,} {c['units']:6,} {c['mentions']:8,} "
            f"{c['entries created'] + c['entries matched']:7,} {seconds:8.2f} {valid_seconds:8.2f} "
            f"{load_seconds:7.2f} {page_ms:>7}"
        )
    print(
        f"median of {args.runs} import runs (validation off); '+valid' is one run with tei_all validation "
        "(includes compiling the schema); load (the file, its witnesses, the register with the curated seed entries) into an empty scratch SQLite database; page = the reading view, warm."
    )


if __name__ == "__main__":
    main()
