"""Many witnesses: our engine against CollateX's Python port on CollateX's own demo data, and ours alone
on 2 to 20 witnesses of a long text.

    .venv/bin/python bench/witnesses.py            # full run (about 10 min: CollateX is slow)
    .venv/bin/python bench/witnesses.py --quick    # smoke run (10 units, short bounds)

1. Darwin, *On the Origin of Species*, chapter 1 in six editions (1859, 1860, 1861, 1866, 1869,
   1872), the 47 paragraph units CollateX ships as its demo (``bench/data/darwin-origin-ch1.json``,
   see ``bench/README.md``). Each unit is collated by ours and by CollateX 2.3 (``collatex`` on PyPI,
   pinned in requirements.txt), CollateX in a subprocess killed at a time bound per unit. Both get
   the same tokens: ours (words and single punctuation marks), with ours' normalised form (case and
   diacritics folded) as CollateX's ``n``, so the comparison is of alignment alone. Reported: total
   time, peak memory (tracemalloc of one run; CollateX's measured in its subprocess), and
   **agreement**: of the token pairs CollateX aligns (same column, same normalised token), the share
   ours aligns too (matched through the base, or in one reading two witnesses share).
2. Ours alone on a long text: the 1859 chapter (about 11,000 words) and 1, 5, 11, 19 copies of it,
   each copy made from an earlier witness (a random stemma) with 2% of its words substituted,
   deleted, inserted, swapped with a neighbour or recased; median time of three runs, peak memory,
   and the growth exponent of time against the total number of words.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import queue
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.collate import collate  # noqa: E402
from reader.tei.collate.engine import aligned_token_pairs  # noqa: E402
from reader.tei.collate.tokens import alignment_key  # noqa: E402
from reader.tei.document import Unit  # noqa: E402

DATA = ROOT / "bench" / "data" / "darwin-origin-ch1.json"


def unit(text: str, uid: str = "p1") -> Unit:
    return Unit(id=uid, kind="p", section_id="s1", text=text, lang=None, inferred=False)


def darwin_units() -> list[list[tuple[str, str]]]:
    """Per paragraph unit: [(edition, text), ...]."""
    return [[(w["id"], w["content"]) for w in u["witnesses"]] for u in json.loads(DATA.read_text(encoding="utf-8"))]


# --- CollateX in a subprocess -------------------------------------------------------------------


def _collatex_worker(payload: dict, out: mp.Queue) -> None:
    from collatex import Collation
    from collatex import collate as cx_collate

    tracemalloc.start()
    start = time.perf_counter()
    table = json.loads(cx_collate(Collation.create_from_dict(payload), output="json", segmentation=False))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    out.put((elapsed, peak, table))


def run_collatex(payload: dict, bound: float):
    """(seconds, peak bytes, table) or None when killed at ``bound`` seconds."""
    out: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=_collatex_worker, args=(payload, out))
    proc.start()
    try:
        result = out.get(timeout=bound)
    except queue.Empty:
        result = None
    proc.join(timeout=1)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return result


def collatex_pairs(table: dict) -> set[tuple[int, int, int, int]]:
    """(i, a, j, b) for tokens CollateX puts in one column with the same normalised form."""
    rows = table["table"]
    pairs = set()
    for column in range(len(rows[0]) if rows else 0):
        cells = []
        for i, row in enumerate(rows):
            cell = row[column]
            if cell:
                cells.append((i, cell[0]["k"], cell[0]["n"]))
        for x, (i, a, na) in enumerate(cells):
            for j, b, nb in cells[x + 1 :]:
                if na == nb:
                    pairs.add((i, a, j, b))
    return pairs


def darwin(quick: bool, bound: float) -> None:
    units = darwin_units()
    if quick:
        units = units[:10]
    ours_time, ours_peak, cx_time, cx_peak, ours_on_finished = 0.0, 0, 0.0, 0, 0.0
    shared = total = killed = 0
    words = sum(len(text.split()) for u in units for _, text in u)
    for number, witnesses in enumerate(units, 1):
        wits = [(siglum, [unit(text)]) for siglum, text in witnesses]
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            collate(wits)
            runs.append(time.perf_counter() - start)
        ours_time += statistics.median(runs)
        ours_unit = statistics.median(runs)
        tracemalloc.start()
        tokens, ours = aligned_token_pairs(wits)
        ours_peak = max(ours_peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        payload = {
            "witnesses": [
                {"id": siglum, "tokens": [{"t": t, "n": alignment_key(t), "k": k} for k, t in enumerate(toks)]}
                for (siglum, _), toks in zip(witnesses, tokens)
            ]
        }
        result = run_collatex(payload, bound)
        if result is None:
            killed += 1
            print(f"  unit {number:2}: {len(witnesses)} witnesses, CollateX killed at {bound:.0f} s", flush=True)
            continue
        seconds, peak, table = result
        cx_time += seconds
        ours_on_finished += ours_unit
        cx_peak = max(cx_peak, peak)
        theirs = collatex_pairs(table)
        shared += len(theirs & ours)
        total += len(theirs)
        print(
            f"  unit {number:2}: {len(witnesses)} witnesses, CollateX {seconds:6.2f} s, "
            f"agreement {len(theirs & ours) / max(1, len(theirs)):.3f}",
            flush=True,
        )
    done = len(units) - killed
    print()
    print(
        f"Darwin ch. 1: {len(units)} units, {words:,} words in all editions; CollateX finished {done}, killed {killed} "
        f"(bound {bound:.0f} s per unit)"
    )
    print(f"{'':12} {'time s':>9} {'peak MB':>8}")
    print(f"{'ours':12} {ours_time:9.2f} {ours_peak / 1e6:8.1f}")
    print(f"{'CollateX':12} {cx_time:9.2f} {cx_peak / 1e6:8.1f}   (units it finished; killed units not counted)")
    print(
        f"on the {done} units CollateX finished: ours {ours_on_finished:.2f} s, CollateX {cx_time:.2f} s "
        f"({cx_time / max(ours_on_finished, 1e-9):,.0f}x)"
    )
    print(
        f"agreement: ours aligns {shared:,} of the {total:,} token pairs CollateX aligns ({shared / max(1, total):.1%})"
    )


# --- ours alone on many witnesses ----------------------------------------------------------------


def edited(words: list[str], rng: np.random.Generator, vocabulary: list[str], rate: float = 0.02) -> list[str]:
    out = list(words)
    for position in sorted(rng.choice(len(out), size=int(len(out) * rate), replace=False).tolist(), reverse=True):
        action = int(rng.integers(5))
        if position >= len(out):
            continue
        if action == 0:
            out[position] = vocabulary[int(rng.integers(len(vocabulary)))]
        elif action == 1:
            del out[position]
        elif action == 2:
            out.insert(position, vocabulary[int(rng.integers(len(vocabulary)))])
        elif action == 3 and position + 1 < len(out):
            out[position], out[position + 1] = out[position + 1], out[position]
        else:
            out[position] = out[position].swapcase()
    return out


def long_witnesses(count: int, seed: int = 11) -> list[tuple[str, list[Unit]]]:
    """The 1859 chapter and ``count - 1`` edited copies, paragraph units kept."""
    base = [text for u in darwin_units() for siglum, text in u if siglum == "1859"]
    paragraphs = [p.split() for p in base]
    vocabulary = sorted({w for p in paragraphs for w in p})
    rng = np.random.default_rng(seed)
    texts = [paragraphs]
    for _ in range(count - 1):
        parent = texts[int(rng.integers(len(texts)))]
        texts.append([edited(p, rng, vocabulary) for p in parent])
    return [(f"w{k:02}", [unit(" ".join(p), f"p{n}") for n, p in enumerate(t, 1)]) for k, t in enumerate(texts)]


def many(quick: bool) -> None:
    sizes = (2, 6) if quick else (2, 6, 12, 20)
    rows = []
    for count in sizes:
        wits = long_witnesses(count)
        words = sum(len(u.text.split()) for _, units in wits for u in units)
        runs = []
        for _ in range(1 if quick else 3):
            start = time.perf_counter()
            result = collate(wits)
            runs.append(time.perf_counter() - start)
        tracemalloc.start()
        collate(wits)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((count, words, statistics.median(runs), peak, sum(result.counts().values())))
    print()
    print("Ours on the 1859 chapter and edited copies (2% of words edited per copy, random stemma)")
    print(f"{'witnesses':>9} {'words, all':>11} {'time s':>8} {'peak MB':>8} {'apps':>6} {'µs/word':>8}")
    for count, words, seconds, peak, apps in rows:
        print(f"{count:9} {words:11,} {seconds:8.3f} {peak / 1e6:8.1f} {apps:6,} {seconds / words * 1e6:8.2f}")
    (n0, w0, t0, _, _), (n1, w1, t1, _, _) = rows[0], rows[-1]
    print(
        f"growth: time ∝ words^{math.log(t1 / t0) / math.log(w1 / w0):.2f} from {n0} to {n1} witnesses "
        "(1.00 = linear in the total text)"
    )
    lengths = []
    for share in (0.25, 0.5, 1.0):
        wits = [(s, units[: max(1, round(len(units) * share))]) for s, units in long_witnesses(6)]
        words = sum(len(u.text.split()) for _, units in wits for u in units)
        runs = []
        for _ in range(1 if quick else 3):
            start = time.perf_counter()
            collate(wits)
            runs.append(time.perf_counter() - start)
        lengths.append((share, words, statistics.median(runs)))
    print(
        "6 witnesses, a quarter, half and all of the chapter: "
        + ", ".join(f"{words:,} words {seconds:.3f} s" for _, words, seconds in lengths)
    )
    (_, w0, t0), (_, w1, t1) = lengths[0], lengths[-1]
    print(f"growth at a fixed number of witnesses: time ∝ words^{math.log(t1 / t0) / math.log(w1 / w0):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 Darwin units, short bounds, 2 and 6 witnesses")
    parser.add_argument(
        "--bound", type=float, default=None, help="CollateX time bound per unit, s (default 60; quick 20)"
    )
    parser.add_argument("--ours-only", action="store_true", help="skip the comparison with CollateX (part 2 only)")
    args = parser.parse_args()
    bound = args.bound or (20.0 if args.quick else 60.0)
    print(f"witnesses benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if not args.ours_only:
        darwin(args.quick, bound)
    many(args.quick)


if __name__ == "__main__":
    main()
