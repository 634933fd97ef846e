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
    results = Ingester(
        out, stages=[stage], today="2026-01-01", processes=processes, progress=lambda r: seen.append(r.source)
    ).run(paths)
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


def test_a_failure_inside_the_pipeline_stops_only_its_own_source(tmp_path, seed_paths):
    def fragile(root, previous):
        if root.get("{http://www.w3.org/XML/1998/namespace}id") == "soviet-partisans-in-latvia-2":
            raise RuntimeError("a stage broke")

    results = Ingester(tmp_path / "out", stages=[fragile], today="2026-01-01").run(seed_paths)
    errors = {r.source: r.error for r in results if r.error}
    assert list(errors) == ["001_2bb68b4e13b3831c.txt"]
    assert "RuntimeError: a stage broke" in errors["001_2bb68b4e13b3831c.txt"]
    assert len(list((tmp_path / "out").glob("*.xml"))) == len(seed_paths) - 1


def test_slugs_are_xml_ids_even_for_titles_that_begin_with_a_number(tmp_path):
    source = tmp_path / "years.txt"
    source.write_text(
        "= 50 Years of Terror =\n\nThe occupation lasted fifty years, from 1940 to 1991.\n", encoding="utf-8"
    )
    second = tmp_path / "two-titles.txt"
    second.write_text("= A Title =\n\nSome text here.\n\n= Another Title Line =\n\nMore text.\n", encoding="utf-8")
    results = Ingester(tmp_path / "out", today="2026-01-01").run([source, second])
    assert [r.error for r in results] == [None, None]
    assert {r.source: r.slug for r in results}["years.txt"] == "text-50-years-of-terror"
