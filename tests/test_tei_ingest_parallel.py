"""Ingest on every core: spaCy parses a batch of documents in several processes, and the TEI is the same
byte for byte as with one process; progress is reported once per source, bad sources included."""
from __future__ import annotations

import shutil
from pathlib import Path

from reader.tei.entities import EntityStage
from reader.tei.ingest import Ingester

ROOT = Path(__file__).resolve().parent.parent


def ingest(out: Path, paths: list[Path], processes: int) -> tuple[dict[str, bytes], list[str]]:
    out.mkdir()
    shutil.copy(ROOT / "corpus" / "tei" / "register.xml", out / "register.xml")
    stage = EntityStage.from_register_file(out / "register.xml")
    seen: list[str] = []
    results = Ingester(out, stages=[stage], today="2026-01-01", processes=processes,
                       progress=lambda r: seen.append(r.source)).run(paths)
    stage.save_register(out / "register.xml")
    assert [r.error for r in results if r.error] == [f"{paths[-1]}: the file is empty"]
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.xml"))}, seen


def test_two_processes_write_the_same_tei_as_one(tmp_path, seed_paths):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    paths = [*seed_paths, empty]
    one, seen_one = ingest(tmp_path / "one", paths, processes=1)
    two, seen_two = ingest(tmp_path / "two", paths, processes=2)
    assert one == two and len(one) == len(seed_paths) + 1  # the documents and the register
    assert sorted(seen_one) == sorted(seen_two) == sorted([p.name for p in seed_paths] + [str(empty)])
