"""A tradition of many witnesses: our engine against CollateX with 2, 5, 10, 20 and 30 witnesses.

    .venv/bin/python bench/traditions.py                     # 3 passages, CollateX bound 120 s a passage
    .venv/bin/python bench/traditions.py --quick --bound 90  # 2 passages (about 6 min: CollateX is slow)

The tradition: Darwin, *On the Origin of Species*, chapter 1, the six editions (1859-1872) of
CollateX's own demo data (``bench/data/darwin-origin-ch1.json``, see ``bench/README.md``), three
short paragraphs all six editions have (units 8, 20 and 14 of the 47; 346 words in 1859): CollateX
takes minutes on 30 witnesses of a longer one. The
editions are the witnesses up to six, in date order; beyond six, copies in the manner of a
manuscript tradition: each copied from a witness already there (a random stemma, fixed seed), with
3% of its words substituted, omitted, added, swapped with a neighbour or recased
(``bench/witnesses.py``'s ``edited``). There is no expert apparatus of these editions, so ours is
measured against CollateX, as ``bench/witnesses.py`` does:

- **units**: places of variation (ours: apps; CollateX: runs of neighbouring columns where the
  witnesses' normalised tokens differ), summed over the passages;
- **largest**: the longest reading of any unit, in tokens (words and punctuation marks);
- **agreement**: of the token pairs CollateX aligns (same column, same normalised token), the share
  ours aligns too;
- **time**: median of three runs, summed over the passages; **peak**: tracemalloc, largest passage.

CollateX runs in a subprocess killed at the bound; a passage it did not finish is left out of its
figures and of the agreement. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from witnesses import collatex_pairs, darwin_units, edited, run_collatex, unit  # noqa: E402

from reader.tei.collate import collate  # noqa: E402
from reader.tei.collate.engine import aligned_token_pairs  # noqa: E402
from reader.tei.collate.tokens import alignment_key  # noqa: E402

PASSAGES = (7, 19, 13)  # short paragraph units all six editions have (CollateX is slow on long ones)
SIZES = (2, 5, 10, 20, 30)
RATE = 0.03


def tradition(passage: list[tuple[str, str]], count: int, seed: int, rate: float = RATE) -> list[tuple[str, str]]:
    """The editions in date order, then copies of random earlier witnesses, ``count`` in all."""
    texts = [(siglum, text.split()) for siglum, text in passage]
    rng = np.random.default_rng(seed)
    vocabulary = sorted({w for _, words in texts for w in words})
    while len(texts) < count:
        _, parent = texts[int(rng.integers(len(texts)))]
        texts.append((f"c{len(texts) + 1:02}", edited(parent, rng, vocabulary, rate)))
    return [(siglum, " ".join(words)) for siglum, words in texts[:count]]


def ours_units(result) -> tuple[int, int]:
    variants = list(result.variants())
    largest = max((len(r.text.split()) for v in variants for r in v.readings), default=0)
    return len(variants), largest


def collatex_units(table: dict) -> tuple[int, int]:
    """Runs of neighbouring columns where the witnesses' normalised tokens differ."""
    rows = table["table"]
    columns = len(rows[0]) if rows else 0
    units, largest, run = 0, 0, None
    for column in range(columns):
        cells = [row[column][0]["n"] if row[column] else None for row in rows]
        if len(set(cells)) > 1:
            if run is None:
                run = [0] * len(rows)
                units += 1
            for i, cell in enumerate(cells):
                run[i] += cell is not None
            largest = max(largest, max(run))
        else:
            run = None
    return units, largest


def measure(count: int, passages, bound: float, rate: float = RATE) -> dict:
    row = dict(units=0, largest=0, seconds=0.0, peak=0, cx_units=0, cx_largest=0, cx_seconds=0.0, cx_peak=0)
    shared = total = killed = 0
    for number, passage in enumerate(passages):
        texts = tradition(passage, count, seed=number, rate=rate)
        wits = [(siglum, [unit(text)]) for siglum, text in texts]
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            result = collate(wits)
            runs.append(time.perf_counter() - start)
        row["seconds"] += statistics.median(runs)
        units, largest = ours_units(result)
        row["units"] += units
        row["largest"] = max(row["largest"], largest)
        tracemalloc.start()
        tokens, ours = aligned_token_pairs(wits)
        row["peak"] = max(row["peak"], tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        payload = {
            "witnesses": [
                {"id": siglum, "tokens": [{"t": t, "n": alignment_key(t), "k": k} for k, t in enumerate(toks)]}
                for (siglum, _), toks in zip(texts, tokens)
            ]
        }
        cx = run_collatex(payload, bound)
        if cx is None:
            killed += 1
            continue
        seconds, peak, table = cx
        row["cx_seconds"] += seconds
        row["cx_peak"] = max(row["cx_peak"], peak)
        units, largest = collatex_units(table)
        row["cx_units"] += units
        row["cx_largest"] = max(row["cx_largest"], largest)
        theirs = collatex_pairs(table)
        shared += len(theirs & ours)
        total += len(theirs)
    row["agreement"] = shared / total if total else float("nan")
    row["killed"] = killed
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 passages, CollateX bound 30 s")
    parser.add_argument("--bound", type=float, default=None, help="CollateX time bound per passage, s")
    parser.add_argument("--rate", type=float, default=RATE, help="share of words edited in a copy (0.03)")
    parser.add_argument("--passages", default=None, help="other paragraph units, 0-based, e.g. 0,5 (longer ones)")
    args = parser.parse_args()
    bound = args.bound or (30.0 if args.quick else 120.0)
    units = darwin_units()
    chosen = PASSAGES[:2] if args.quick else PASSAGES
    if args.passages:
        chosen = tuple(int(k) for k in args.passages.split(","))
    passages = [units[k] for k in chosen]
    words = sum(len(text.split()) for p in passages for siglum, text in p if siglum == "1859")
    print(
        f"Darwin ch. 1, {len(passages)} passages ({words} words in 1859); beyond 6 witnesses, copies ({args.rate:.0%} edited)"
    )
    print(
        f"{'wits':>4} | {'units':>5} {'largest':>7} {'agree':>6} {'time s':>7} {'peak MB':>7} | "
        f"{'CX units':>8} {'largest':>7} {'time s':>7} {'peak MB':>7} {'killed':>6}"
    )
    for count in SIZES:
        r = measure(count, passages, bound, args.rate)
        print(
            f"{count:4} | {r['units']:5} {r['largest']:7} {r['agreement']:6.1%} {r['seconds']:7.3f} "
            f"{r['peak'] / 1e6:7.1f} | {r['cx_units']:8} {r['cx_largest']:7} {r['cx_seconds']:7.2f} "
            f"{r['cx_peak'] / 1e6:7.1f} {r['killed']:6}",
            flush=True,
        )


if __name__ == "__main__":
    main()
