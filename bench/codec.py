"""Time the TEI codec on corpus files: python bench/codec.py [--runs N] [DIR ...].

For every witness file (default: corpus/tei/*.xml except the register) prints
the median over the runs of: parse (bytes → tree), ``parse_document`` (tree →
plain data, with mentions as offsets and the reading HTML; parse included), and writing every
unit back from its plain data (``writing.apply_mentions``, what export does
for a changed unit); then words per second for parse_document. Plain Python,
no database. Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.parsing import from_string, parse_document  # noqa: E402
from reader.tei.writing import apply_mentions  # noqa: E402
from reader.tei.xml import parse_bytes  # noqa: E402


def median_seconds(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "corpus" / "tei"])
    args = parser.parse_args()
    files = [p for d in args.dirs for p in sorted(d.glob("*.xml")) if p.name != "register.xml"]
    parse_document(parse_bytes(files[0].read_bytes(), files[0].name), files[0].name)  # imports, caches
    print(f"{'file':58} {'KiB':>6} {'words':>7} {'parse s':>8} {'data s':>8} {'write s':>8} {'words/s':>9}")
    for path in files:
        data = path.read_bytes()
        parse = median_seconds(args.runs, lambda: parse_bytes(data, path.name))
        doc = parse_document(parse_bytes(data, path.name), path.name)
        to_data = median_seconds(args.runs, lambda: parse_document(parse_bytes(data, path.name), path.name))
        units = [(from_string(u.tei), u.mentions) for u in doc.units]
        write = median_seconds(args.runs, lambda: [apply_mentions(el, mentions) for el, mentions in units])
        words = doc.word_count
        print(
            f"{path.name[:58]:58} {len(data) / 1024:6.0f} {words:7,} {parse:8.3f} {to_data:8.3f} {write:8.3f} "
            f"{words / to_data:9,.0f}"
        )


if __name__ == "__main__":
    main()
