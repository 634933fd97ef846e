"""Scale benchmark, end to end: python bench/scale.py [--sizes 10,100,1000] [--big-mib 5] [--jobs 2]

For each size N it writes N source texts into a scratch folder — versions of
the seeds (each seed, then copies with words substituted, dropped, added and
sentences moved, so that works of several witnesses form) and generated text
(sentences recombined from the seeds' vocabulary, one text per document) —
and runs the pipeline as an editor would, each step a ``manage.py`` command in
its own process: ``ingest`` (structure, ids and entity recognition, with
``--jobs`` processes for spaCy), ``collate`` (work detection by MinHash, never
all pairs, and collation), ``load`` (into a fresh SQLite file, and with ``--postgres URL`` also
into that scratch PostgreSQL database: it is flushed, migrated and filled).
Then it times the reading view, searches and the compare view of the largest work
through Django's test client.
For each step: wall time, peak memory (max RSS of the step's process), and the
growth exponent between sizes (time ∝ size^k). Last, one text of ``--big-mib``
MiB is ingested alone (time and memory). Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PYTHON = sys.executable
WORDS = re.compile(r"\S+")


# --------------------------------------------------------------------------- corpus generation


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def variant(text: str, rng: random.Random, rate: float) -> str:
    """Another version of ``text``: words substituted, dropped or added, and a sentence moved, per line."""
    vocabulary = WORDS.findall(text)
    lines = []
    for line in text.splitlines():
        words = line.split(" ")
        if len(words) < 4 or line.startswith("="):
            lines.append(line)
            continue
        out = []
        for word in words:
            roll = rng.random()
            if roll < rate / 3:
                continue
            out.append(rng.choice(vocabulary) if roll < 2 * rate / 3 else word)
            if rng.random() < rate / 3:
                out.append(rng.choice(vocabulary))
        sentences = " ".join(out).split(". ")
        if len(sentences) > 2 and rng.random() < rate * 5:
            sentences.append(sentences.pop(rng.randrange(len(sentences) - 1)))
        lines.append(". ".join(sentences))
    return "\n".join(lines) + "\n"


def generated(seeds: list[str], rng: random.Random, words: int) -> str:
    """A new text of about ``words`` words: sentences of the seeds recombined under headings."""
    sentences = [s.strip() for text in seeds for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 5]
    title = " ".join(rng.choice(sentences).split()[:4]).strip(".,;:")
    parts, count = [f"= {title} =", ""], 0
    while count < words:
        if rng.random() < 0.08:
            parts += ["", f"== {' '.join(rng.choice(sentences).split()[:3]).strip('.,;:')} ==", ""]
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7)))
        parts.append(paragraph)
        parts.append("")
        count += len(paragraph.split())
    return "\n".join(parts)


def make_sources(folder: Path, size: int, rng: random.Random) -> int:
    """``size`` source texts in ``folder``; about a third are versions of the seeds. Returns the word count."""
    seeds = seed_texts()
    folder.mkdir(parents=True)
    total = 0
    for n in range(size):
        if n < len(seeds):
            text = seeds[n]
        elif n % 3 == 0:
            text = variant(seeds[n % len(seeds)], rng, rate=0.02 + 0.03 * rng.random())
        else:
            text = generated(seeds, rng, words=rng.randint(1500, 4500))
        (folder / f"{n:05d}_bench.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


# --------------------------------------------------------------------------- running the steps


#: Runs manage.py and, at exit, writes its own peak RSS and its largest child's (spaCy workers) in kB.
WRAPPER = """
import atexit, os, resource, runpy, sys
def report():
    with open(os.environ["PARALLAX_RSS_FILE"], "w") as out:
        out.write(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
atexit.register(report)
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def run_step(env: dict, *args: str) -> tuple[float, float, float]:
    """Run ``manage.py args`` in its own process: (seconds, its peak RSS in MB, its largest child's in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-c", WRAPPER, *args],
            cwd=ROOT,
            env={**env, "PARALLAX_RSS_FILE": rss.name},
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        own, child = (int(x) / 1024 for x in (rss.read().split() or ["0", "0"]))
    if done.returncode:
        print(f"  manage.py {args[0]} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return seconds, own, child


def page_times(env: dict) -> dict[str, float]:
    """Median ms of the reading view of the longest document, of searches and of the compare view of the
    work with most witnesses, in a fresh process."""
    script = """
import json, statistics, time
from django.test import Client
from django.db.models import Count
from reader.texts.models import Document, Work
client = Client()
doc = Document.objects.order_by("-word_count").first()
work = Work.objects.annotate(n=Count("witnesses")).order_by("-n", "slug").first()
out = {}
pages = (("reading", doc.get_absolute_url()), ("search", "/search/?q=partisan*"), ("phrase", '/search/?q="Red+Army"'),
         ("compare", f"/compare/{work.slug}/"))
for name, url in pages:
    times = []
    for _ in range(7):
        t = time.perf_counter(); response = client.get(url); times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    out[name] = statistics.median(times)
print(json.dumps(out))
"""
    import json

    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        print(f"  pages failed: {done.stderr.strip()[-400:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def environment(work: Path, database: str | None) -> dict:
    env = dict(os.environ)
    env["PARALLAX_TEI_DIR"] = str(work / "tei")
    env["PARALLAX_SEEDS_DIR"] = str(work / "sources")
    env["DATABASE_URL"] = database or f"sqlite:///{work / 'db.sqlite3'}"
    return env


def reset_database(env: dict) -> None:
    """An empty scratch database for this size (PostgreSQL: every table dropped)."""
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run([PYTHON, "manage.py", "flush", "--noinput"], cwd=ROOT, env=env, capture_output=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def exponent(small: tuple[int, float], large: tuple[int, float]) -> str:
    (n1, t1), (n2, t2) = small, large
    if min(t1, t2) <= 0 or n1 == n2:
        return "–"
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--jobs", type=int, default=2, help="processes for spaCy in ingest")
    parser.add_argument("--big-mib", type=float, default=5.0, help="size of the single long text (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=None,
        help="also load each size into this scratch PostgreSQL database (it is flushed)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    rng = random.Random(args.seed)
    rows = []
    with tempfile.TemporaryDirectory(prefix="parallax-scale-") as tmp:
        for size in sizes:
            work = Path(tmp) / f"n{size}"
            words = make_sources(work / "sources", size, rng)
            (work / "tei").mkdir()
            env = environment(work, None)
            row = {"size": size, "words": words}
            row["ingest"] = run_step(env, "ingest", "--jobs", str(args.jobs))
            row["collate"] = run_step(env, "collate")
            files = len(list((work / "tei").glob("*.xml")))
            works = (
                len(list((work / "tei" / "collations").glob("*.xml"))) if (work / "tei" / "collations").exists() else 0
            )
            row["files"], row["works"] = files, works
            for db, url in databases:
                env = environment(work, url)
                reset_database(env)
                row[db] = {"load": run_step(env, "load", "-v", "0"), "pages": page_times(env)}
                load = row[db]["load"]
                print(
                    f"n={size}, {db}: load {load[0]:.1f} s / {load[1]:.0f} MB; "
                    + ", ".join(f"{k} {v:.0f} ms" for k, v in row[db]["pages"].items()),
                    flush=True,
                )
            rows.append(row)
            print(
                f"n={size}: {words:,} words, {files} TEI files, {works} collation files; "
                + ", ".join(
                    f"{k} {row[k][0]:.1f} s / {row[k][1]:.0f} MB (+{row[k][2]:.0f} MB workers)"
                    for k in ("ingest", "collate")
                ),
                flush=True,
            )
        big = None
        if args.big_mib > 0:
            work = Path(tmp) / "big"
            (work / "sources").mkdir(parents=True)
            (work / "tei").mkdir()
            target = int(args.big_mib * 2**20) - 4096
            text, parts = "", [generated(seed_texts(), rng, words=50_000)]
            while sum(len(p.encode()) for p in parts) < target:
                parts.append(generated(seed_texts(), rng, words=50_000).split("\n", 2)[2])
            text = "\n".join(parts).encode()[:target].decode("utf-8", "ignore")
            (work / "sources" / "big.txt").write_text(text, encoding="utf-8")
            env = environment(work, None)
            big = (len(text.encode()) / 2**20, len(text.split()), run_step(env, "ingest", "--jobs", str(args.jobs)))
    print(
        f"\nEnd to end, ingest with --jobs {args.jobs}; seconds / peak MB (max RSS of the step's main process;"
        " spaCy workers apart); pages: median ms"
    )
    for db, _ in databases:
        print(f"\n{db}")
        print(
            f"{'docs':>6} {'words':>10} {'ingest':>16} {'collate':>14} {'load':>14} {'reading':>8} {'search':>7} "
            f"{'phrase':>7} {'compare':>8}"
        )
        for r in rows:
            cells = [f"{step[0]:>8.1f} /{step[1]:>5.0f}" for step in (r["ingest"], r["collate"], r[db]["load"])]
            pages = r[db]["pages"]
            print(
                f"{r['size']:>6} {r['words']:>10,} {cells[0]:>16} {cells[1]:>14} {cells[2]:>14} "
                + " ".join(
                    f"{pages.get(k, float('nan')):>{w}.1f}"
                    for k, w in (("reading", 8), ("search", 7), ("phrase", 7), ("compare", 8))
                )
            )
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            steps = {
                "ingest": lambda r: r["ingest"][0],
                "collate": lambda r: r["collate"][0],
                "load": lambda r: r[db]["load"][0],
            }
            steps.update(
                {f"{k} page": (lambda r, k=k: r[db]["pages"].get(k, 0)) for k in ("reading", "search", "compare")}
            )
            print(
                "growth exponent k (time ∝ words^k), smallest to largest size: "
                + ", ".join(
                    f"{name} {exponent((first['words'], get(first)), (last['words'], get(last)))}"
                    for name, get in steps.items()
                )
            )
    if big:
        mib, words, (seconds, peak, workers) = big
        print(
            f"one text of {mib:.1f} MiB ({words:,} words): ingest {seconds:.0f} s, peak {peak:.0f} MB"
            f" (+{workers:.0f} MB the largest worker)"
        )


if __name__ == "__main__":
    main()
