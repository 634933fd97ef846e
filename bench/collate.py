"""Collation speed: our engine against difflib and CollateX, on growing inputs.

    .venv/bin/python bench/collate.py            # full run (a few minutes)
    .venv/bin/python bench/collate.py --quick    # smoke run (small sizes, short bounds)

Inputs:
- the seed pair (the two versions of "Soviet partisans in Latvia", read from
  corpus/tei, or from seeds/ when the TEI is not there) and that pair
  repeated x2, x4 ... up to 1,000,000-word witnesses: repetition is the hard
  case for an aligner, since every word recurs;
- generated non-repetitive pairs (Zipf-distributed words, paragraphs of ~120
  words) with about 1% of the words substituted, inserted or deleted.

For each size: the median time of our ``collate()`` over repeated runs, its
peak memory (tracemalloc, in a separate untimed run), difflib's
``SequenceMatcher(autojunk=False)`` on the same word lists (skipped for larger
sizes once one is killed at its time bound), and the CollateX Python port
(likewise in a subprocess killed at its bound). Ratios are measured in the same run. Timings are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import difflib
import multiprocessing as mp
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.collate import collate  # noqa: E402
from reader.tei.collate.tokens import Vocabulary, tokenize_texts  # noqa: E402

WORK_SLUGS = ("soviet-partisans-in-latvia", "soviet-partisans-in-latvia-2")
SEED_FILES = ("000_ff49942521f25971.txt", "001_2bb68b4e13b3831c.txt")


@dataclass(frozen=True)
class PlainUnit:
    id: str
    text: str


def seed_pair() -> tuple[list, list]:
    """Units of the two versions: from the TEI when present, else the seed lines."""
    tei = [ROOT / "corpus" / "tei" / f"{slug}.xml" for slug in WORK_SLUGS]
    if all(p.exists() for p in tei):
        from reader.tei.collate.corpus import witness_units
        from reader.tei.xml import parse_file

        return tuple(witness_units(parse_file(p)) for p in tei)
    pair = []
    for name in SEED_FILES:
        lines = [line.strip("=- ") for line in (ROOT / "seeds" / name).read_text(encoding="utf-8").splitlines()]
        pair.append([PlainUnit(f"p{i}", line) for i, line in enumerate(lines, 1) if line])
    return tuple(pair)


def repeated(units: list, times: int) -> list:
    return [
        replace(u, id=f"{u.id}-{k}") if hasattr(u, "__dataclass_fields__") else u for k in range(times) for u in units
    ]


def generated_pair(words: int, seed: int = 7) -> tuple[list, list]:
    """Non-repetitive text (Zipf vocabulary of pseudo-words) and a copy with ~1% of words edited."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([_pseudo_word(rng) for _ in range(60_000)])
    ranks = np.minimum(rng.zipf(1.15, size=words), len(vocabulary)) - 1
    text = vocabulary[ranks].tolist()
    edits = dict.fromkeys(sorted(rng.choice(words, size=max(1, words // 100), replace=False).tolist()))
    edited = []
    for position, word in enumerate(text):
        if position not in edits:
            edited.append(word)
            continue
        action = rng.integers(3)
        if action == 0:  # substitute
            edited.append(str(vocabulary[rng.integers(len(vocabulary))]))
        elif action == 2:  # insert before
            edited.extend((str(vocabulary[rng.integers(len(vocabulary))]), word))
        # action 1: delete
    return _paragraphs(text), _paragraphs(edited)


def _pseudo_word(rng) -> str:
    letters = "abcdefghijklmnoprstuvzāēīū"
    return "".join(letters[i] for i in rng.integers(len(letters), size=int(rng.integers(2, 10))))


def _paragraphs(words: list[str], size: int = 120) -> list[PlainUnit]:
    return [PlainUnit(f"p{i // size + 1}", " ".join(words[i : i + size]) + ".") for i in range(0, len(words), size)]


def word_lists(a: list, b: list) -> tuple[list[str], list[str]]:
    vocab = Vocabulary()
    ta = tokenize_texts([u.text for u in a], vocab)
    tb = tokenize_texts([u.text for u in b], vocab)
    return [vocab.surfaces[i] for i in ta.surface.tolist()], [vocab.surfaces[i] for i in tb.surface.tolist()]


def word_count(units: list) -> int:
    return sum(len(u.text.split()) for u in units)


def time_ours(a, b, repeats: int) -> tuple[float, int]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = collate([("A", a), ("B", b)])
        times.append(time.perf_counter() - start)
    return statistics.median(times), sum(1 for _ in result.variants())


def peak_memory_ours(a, b) -> float:
    tracemalloc.start()
    collate([("A", a), ("B", b)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _difflib_child(wa: list[str], wb: list[str], repeats: int, queue) -> None:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
        times.append(time.perf_counter() - start)
        if times[-1] > 2:
            break
    queue.put(statistics.median(times))


def time_difflib(wa: list[str], wb: list[str], repeats: int, bound: float) -> float | None:
    """Median seconds of difflib on the word lists, or None when killed at ``bound``."""
    return _in_child(_difflib_child, (wa, wb, repeats), bound)


def _in_child(target, args, bound: float) -> float | None:
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    child.join(bound)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def _collatex_child(text_a: str, text_b: str, queue) -> None:
    from collatex import Collation, collate as collatex_collate

    collation = Collation()
    collation.add_plain_witness("A", text_a)
    collation.add_plain_witness("B", text_b)
    start = time.perf_counter()
    collatex_collate(collation, output="table", segmentation=False)
    queue.put(time.perf_counter() - start)


def time_collatex(a, b, bound: float) -> float | None:
    """Seconds CollateX needs, or None when killed at ``bound``."""
    return _in_child(_collatex_child, (" ".join(u.text for u in a), " ".join(u.text for u in b)), bound)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and short bounds (smoke run)")
    parser.add_argument("--max-words", type=int, default=None, help="largest witness size (default 1,000,000)")
    args = parser.parse_args()
    quick = args.quick
    max_words = args.max_words or (40_000 if quick else 1_000_000)
    difflib_bound = 5.0 if quick else 60.0
    collatex_bound = 20.0 if quick else 90.0

    a, b = seed_pair()
    seed_words = word_count(a)
    cases = []
    times = 1
    while seed_words * times < max_words:
        cases.append((f"seed pair x{times}", repeated(a, times), repeated(b, times)))
        times *= 2
    last = -(-max_words // seed_words)
    cases.append((f"seed pair x{last}", repeated(a, last), repeated(b, last)))
    for size in [10_000, 40_000] if quick else [10_000, 100_000, 1_000_000]:
        if size <= max_words:
            cases.append(("generated, 1% edited", *generated_pair(size)))

    print(f"collate benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, medians of repeated runs")
    header = (
        f"{'input':<22} {'words A':>9} {'words B':>9} {'ours s':>8} {'ours MB':>8} {'apps':>6} "
        f"{'difflib s':>10} {'difflib/ours':>12} {'CollateX s':>11} {'CollateX/ours':>13} {'ours µs/word':>12}"
    )
    print(header)
    print("-" * len(header))
    series = None
    for name, wa_units, wb_units in cases:
        if name.split(" ")[0] != series:  # each series starts with both references on again
            series = name.split(" ")[0]
            difflib_on, collatex_on, collatex_last = True, True, None
        words_a, words_b = word_count(wa_units), word_count(wb_units)
        repeats = 7 if words_a < 50_000 else 3 if words_a < 400_000 else 3
        ours, apps = time_ours(wa_units, wb_units, repeats)
        memory = peak_memory_ours(wa_units, wb_units)
        difflib_cell = ratio_difflib = "skipped"
        if difflib_on:
            wa, wb = word_lists(wa_units, wb_units)
            seconds = time_difflib(wa, wb, 3, difflib_bound)
            if seconds is None:
                difflib_cell, ratio_difflib = f">{difflib_bound:.0f} (killed)", f">{difflib_bound / ours:.0f}x"
                difflib_on = False  # bigger inputs take longer still (difflib grows ~quadratically)
            else:
                difflib_cell, ratio_difflib = f"{seconds:.3f}", f"{seconds / ours:.1f}x"
        collatex_cell = ratio_collatex = "skipped"
        if collatex_on and collatex_last and collatex_last[1] * (words_a / collatex_last[0]) ** 2 > collatex_bound:
            collatex_cell = f">{collatex_bound:.0f} (expected)"  # quadratic growth from the last size
            ratio_collatex = f">{collatex_bound / ours:.0f}x"
            collatex_on = False
        elif collatex_on:
            seconds = time_collatex(wa_units, wb_units, collatex_bound)
            if seconds is None:
                collatex_cell, ratio_collatex = f">{collatex_bound:.0f} (killed)", f">{collatex_bound / ours:.0f}x"
                collatex_on = False
            else:
                collatex_cell, ratio_collatex = f"{seconds:.2f}", f"{seconds / ours:.0f}x"
                collatex_last = (words_a, seconds)
        print(
            f"{name:<22} {words_a:>9,} {words_b:>9,} {ours:>8.3f} {memory:>8.1f} {apps:>6} "
            f"{difflib_cell:>10} {ratio_difflib:>12} {collatex_cell:>11} {ratio_collatex:>13} "
            f"{ours / words_a * 1e6:>12.2f}",
            flush=True,
        )
    print(
        f"killed/skipped: in each series, difflib is killed at {difflib_bound:.0f} s and CollateX at "
        f"{collatex_bound:.0f} s (each in a subprocess); after that, bigger inputs of the series are skipped "
        "(both grow much faster than linearly); '(expected)': not run, as its time at the previous size, grown "
        "quadratically, passes the bound. ours MB = tracemalloc peak of one run."
    )


if __name__ == "__main__":
    main()
