"""Scraping seams left in the reading text, on the seeds and on held-out scraped wiki pages.

    .venv/bin/python bench/reading_text.py

Ingests each text (no entity stage) into a temporary folder and counts, in the reading text
of its units (notes removed, as ``document.unit_text`` gives it):

* ``space-punct``  a space before , . ; : ) ] ! ? (a seam where a link or tooltip was lifted out)
* ``open-space``   a space after ( or [ that the source had as a line break
* ``fragment``     a one-letter word fragment other than a/I/O ("Latvia n state", "disperse d them")
* ``quote-mark``   wiki quote markup ('' or ''') left as characters
* ``template``     template or category code ({{...}}, [[Category:) in the text
* ``footnote``     footnote markers ([7], [edit]) in the text
* ``open-cut``     a unit that ends inside an open bracket

Prints a table of counts per text; it never passes or fails.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.document import citable_units  # noqa: E402
from reader.tei.ingest import Ingester  # noqa: E402
from reader.tei.xml import parse_file  # noqa: E402

CHECKS = {
    "space-punct": re.compile(r"\w [,.;:)\]!?](?!\w)"),
    "open-space": re.compile(r"[(\[] \w"),
    "fragment": re.compile(r"(?<=\w) (?![aAIO]\b)[a-z](?=[ ,.;:])"),
    "quote-mark": re.compile(r"''"),
    "template": re.compile(r"\{\{|\[\[Category:"),
    "footnote": re.compile(r"\[(?:\d{1,3}|edit)\]"),
}


def score(units) -> dict[str, int]:
    counts = {name: sum(len(pattern.findall(u.text)) for u in units) for name, pattern in CHECKS.items()}
    counts["open-cut"] = sum(1 for u in units if u.text.count("(") > u.text.count(")"))
    return counts


def run(paths: list[Path]) -> list[tuple[str, int, dict]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for result in Ingester(tmp).run(paths):
            if result.error:
                print(f"{result.source}: {result.error}")
                continue
            units = citable_units(parse_file(result.path))
            rows.append((result.source, sum(len(u.text.split()) for u in units), score(units)))
    return rows


def main() -> None:
    groups = {
        "seeds": sorted((ROOT / "seeds").glob("*.txt")),
        "held-out": sorted((ROOT / "tests" / "data" / "heldout_wiki").glob("*.txt")),
    }
    names = list(CHECKS) + ["open-cut"]
    print(f"{'text':58} {'words':>6} " + " ".join(f"{n:>11}" for n in names))
    for group, paths in groups.items():
        totals = dict.fromkeys(names, 0)
        for source, words, counts in sorted(run(paths)):
            print(f"{source[:58]:58} {words:>6} " + " ".join(f"{counts[n]:>11}" for n in names))
            for n in names:
                totals[n] += counts[n]
        print(f"{'total ' + group:58} {'':>6} " + " ".join(f"{totals[n]:>11}" for n in names))


if __name__ == "__main__":
    main()
