"""Substitutions across structure (issue 18, item 4): counts readings that pair text of different kinds of
unit (whole headings against paragraph text) or that straddle a unit boundary on one side only.

    .venv/bin/python bench/structure.py            # the corpus (corpus/tei) and Darwin's six editions

Prints, per work, the substitution readings (words on both sides, not a transposition) whose base and
witness readings cross structure differently, with a few examples. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from reader.tei.collate import corpus as corpus_module  # noqa: E402


def crossing(reading, base, kinds) -> str | None:
    """'kind' when one side is heading text only and the other has none; 'straddle' when one side spans a
    unit boundary and the other lies inside one unit; else None."""
    a = [s for s in base.spans if s.end > s.start]
    b = [s for s in reading.spans if s.end > s.start]
    if not a or not b:
        return None
    heads_a = {kinds[s.siglum, s.unit] == "head" for s in a}
    heads_b = {kinds[s.siglum, s.unit] == "head" for s in b}
    if heads_a != heads_b:
        return "kind"
    if spans_units(a) != spans_units(b):
        return "straddle"
    return None


def spans_units(spans) -> bool:
    """Some witness's text here runs over more than one unit."""
    units: dict[str, set] = {}
    for s in spans:
        units.setdefault(s.siglum, set()).add(s.unit)
    return max(len(u) for u in units.values()) > 1


def scan(directory: Path, label: str) -> int:
    found = []
    original = corpus_module.collate

    def collate(witnesses, options=None):
        collation = original(witnesses, options)
        kinds = {(siglum, u.id): u.kind for siglum, units in witnesses for u in units}
        for group in collation.groups:
            for segment in group.segments:
                if not segment.is_variant:
                    continue
                base = segment.readings[0]
                for reading in segment.readings[1:]:
                    if reading.type in ("transposition", "lac") or not reading.text.strip() or not base.text.strip():
                        continue
                    why = crossing(reading, base, kinds)
                    if why:
                        found.append((why, reading.type, base.text, reading.witnesses, reading.text))
        return collation

    corpus_module.collate = collate
    try:
        corpus_module.CorpusCollator(directory).run()
    finally:
        corpus_module.collate = original
    print(f"{label}: {len(found)} readings across structure", end="")
    print(f" (kind {sum(f[0] == 'kind' for f in found)}, straddle {sum(f[0] == 'straddle' for f in found)})")
    for why, kind, base, sigla, text in found[:8]:
        print(f"  {why:8} {kind:12} {base[:60]!r} / {','.join(sigla)} {text[:60]!r}")
    return len(found)


def main() -> None:
    from compare_fixtures import write_darwin

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in (ROOT / "corpus" / "tei").glob("*.xml"):
            (corpus / path.name).write_bytes(path.read_bytes())
        (corpus / "collations").mkdir()
        total = scan(corpus, "corpus")
        total += scan(write_darwin(Path(tmp) / "darwin"), "darwin")
    print(f"total: {total}")


if __name__ == "__main__":
    main()
