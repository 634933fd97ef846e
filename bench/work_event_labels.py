"""How often spaCy is right when it says WORK_OF_ART or EVENT on the seeds: python bench/work_event_labels.py.

Runs the English pipeline recognition uses over ``seeds/*.txt``, counts each span of the two labels, and
prints the precision of each label against ``bench/data/work_event_judged.tsv`` (every span judged by
hand: is it the whole name of a work, or of an event?). Spans not yet judged are listed and left out.
This decided that works and events are not recognised (``Kind.recognised`` in reader/tei/vocabulary.py;
docs/adding-an-entity-kind.md). Prints figures; never fails on them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.tei.entities.recognise import english_pipeline  # noqa: E402

LABELS = ("WORK_OF_ART", "EVENT")


def judged() -> dict[tuple[str, str], bool]:
    out = {}
    for line in (ROOT / "bench" / "data" / "work_event_judged.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, span, verdict = line.split("\t")
            out[(label, span.replace("\\n", "\n"))] = verdict == "yes"
    return out


def main() -> None:
    nlp = english_pipeline()
    spans: Counter = Counter()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        spans.update((e.label_, e.text) for e in doc.ents if e.label_ in LABELS)
    verdicts = judged()
    for label in LABELS:
        right = sum(n for (lab, text), n in spans.items() if lab == label and verdicts.get((lab, text)) is True)
        wrong = sum(n for (lab, text), n in spans.items() if lab == label and verdicts.get((lab, text)) is False)
        unjudged = [text for (lab, text) in spans if lab == label and (lab, text) not in verdicts]
        total = right + wrong
        print(f"{label}: {total} judged spans, {right} right, precision {right / total:.2f}" if total else label)
        for text in unjudged:
            print(f"  not judged: {text!r}")


if __name__ == "__main__":
    main()
