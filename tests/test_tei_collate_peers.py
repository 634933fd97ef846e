"""Peers read our apparatus as we mean it (issue 18, item 6): teiphy, the tool that turns TEI
collations into phylogenetic input, reads the apparatus our engine writes for real texts (Darwin's
chapter I in six editions, ingested with the editor's metadata CSV; the seeds' partisan article) with
every option, and the witness x unit cells it builds agree with our readings; ``witDetail`` points
to its reading and stands after it; witness dates are ``witness/origDate``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import teiphy
from lxml import etree
from typer.testing import CliRunner

from reader.tei.collate import collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.corpus import CorpusCollator, witness_units
from reader.tei.ingest import Ingester
from reader.tei.metadata import read_metadata
from reader.tei.validate import validate_file
from reader.tei.xml import NS, XML_ID, parse_file, serialize, tei

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = ROOT / "tests" / "data" / "origin-ch1"
CORPUS = ROOT / "corpus" / "tei"
YEARS = ("1859", "1860", "1861", "1866", "1869", "1872")
PARAGRAPHS = 14  # enough of the chapter for rewritten passages, moves and every type; quick to ingest


@pytest.fixture(scope="module")
def darwin(tmp_path_factory) -> Path:
    """Apparatus the collate pipeline writes for six editions ingested with the metadata CSV."""
    tmp = tmp_path_factory.mktemp("darwin")
    src = tmp / "src"
    src.mkdir()
    for year in YEARS:
        name = f"origin-ch1-{year}.txt"
        paragraphs = (ORIGIN / name).read_text(encoding="utf-8").split("\n\n")[:PARAGRAPHS]
        (src / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    shutil.copy(ORIGIN / "witnesses.csv", src / "witnesses.csv")
    paths = sorted(src.glob("*.txt"))
    out = tmp / "tei"
    results = Ingester(out, today="2026-01-01", metadata=read_metadata(src / "witnesses.csv", paths).rows).run(paths)
    assert [r.error for r in results if r.error] == []
    report = CorpusCollator(out).run()
    assert [len(w.members) for w in report.works] == [6]
    return out / "collations" / f"{report.works[0].id}.xml"


@pytest.fixture(scope="module")
def partisans(tmp_path_factory) -> Path:
    """Apparatus of the seeds' partisan article (two versions), written by the library."""
    docs = [parse_file(CORPUS / f"soviet-partisans-in-latvia{suffix}.xml") for suffix in ("", "-2")]
    collation = collate([(s, witness_units(d)) for s, d in zip("AB", docs)])
    path = tmp_path_factory.mktemp("partisans") / "partisans.xml"
    path.write_bytes(serialize(write_apparatus(collation, work="partisans", dates={"A": "2020", "B": "2024-05"})))
    return path


def our_cells(path: Path, trivial: set[str]) -> dict[str, dict[str, str]]:
    """app id -> witness id -> the reading (rdg xml:id) it has, a reading of a trivial type
    standing for the base's reading, as the apparatus means it."""
    out = {}
    for app in parse_file(path).iter(tei("app")):
        rdgs = app.findall("tei:rdg", NS)
        base = rdgs[0].get(XML_ID)
        cells = {}
        for rdg in rdgs:
            meant = base if rdg.get("type") in trivial else rdg.get(XML_ID)
            for wit in rdg.get("wit").split():
                cells[wit.lstrip("#")] = meant
        out[app.get(XML_ID)] = cells
    return out


def teiphy_cells(path: Path, trivial: list[str]) -> dict[str, dict[str, str]]:
    """The same, as teiphy reads it: its support vector per witness and unit, mapped back to rdg ids."""
    collation = teiphy.Collation(etree.parse(str(path)), trivial_reading_types=trivial, missing_reading_types=["lac"])
    out = {}
    for index, unit in enumerate(collation.variation_unit_ids):
        readings = collation.substantive_readings_by_variation_unit_id[unit]
        cells = {}
        for wit, vectors in collation.readings_by_witness.items():
            supported = [readings[k] for k, value in enumerate(vectors[index]) if value]
            assert len(supported) <= 1, f"{unit}: witness {wit} is ambiguous for teiphy: {supported}"
            if supported:
                cells[wit] = supported[0]
        out[unit] = cells
    return out


TRIVIAL = ([], ["punctuation"], ["orthographic", "punctuation"], ["punctuation", "orthographic", "editorial"])


@pytest.mark.parametrize("trivial", TRIVIAL, ids=lambda t: "-t " + ",".join(t) if t else "no-t")
@pytest.mark.parametrize("which", ["darwin", "partisans"])
def test_teiphy_cells_agree_with_our_readings(which, trivial, request):
    path = request.getfixturevalue(which)
    ours = our_cells(path, set(trivial))
    theirs = teiphy_cells(path, trivial)
    assert len(theirs) == len(ours) > 20
    assert theirs == ours


def test_every_witdetail_points_to_the_reading_of_its_witnesses_just_before_it(darwin, partisans):
    for path in (darwin, partisans):
        details = 0
        for app in parse_file(path).iter(tei("app")):
            rdgs = {r.get(XML_ID): r for r in app.findall("tei:rdg", NS)}
            current = None
            for child in app:
                if child.tag == tei("rdg"):
                    current = child
                    continue
                details += 1
                target = rdgs[child.get("target").lstrip("#")]
                assert target is current, f"{app.get(XML_ID)}: witDetail after another reading than its target"
                assert set(child.get("wit").split()) <= set(target.get("wit").split())
                assert child.get("type") == "part" and child.get("ana").startswith("#variant-")
        assert details > 0 if path == darwin else True
    assert validate_file(darwin) == [] and validate_file(partisans) == []


def test_witness_dates_are_orig_date_and_teiphy_reads_them(darwin, partisans):
    root = parse_file(darwin)
    witnesses = root.findall(".//tei:listWit/tei:witness", NS)
    assert [w.find("tei:origDate", NS).get("when") for w in witnesses] == list(YEARS)
    ranges = {w.id: w.date_range for w in teiphy.Collation(etree.parse(str(darwin))).witnesses}
    assert ranges == {w.get(XML_ID): [int(y), int(y)] for w, y in zip(witnesses, YEARS)}
    seeded = {w.id: w.date_range for w in teiphy.Collation(etree.parse(str(partisans))).witnesses}
    assert seeded == {"wit-A": [2020, 2020], "wit-B": [2024, 2024]}


CLI_RUNS = [
    ("nexus", ["-t", "punctuation"]),
    ("nexus", ["-t", "orthographic", "-t", "punctuation", "-t", "editorial", "-m", "lac"]),
    ("nexus", ["--no-labels", "--frequency", "--drop-constant", "--ambiguous-as-missing"]),
    ("nexus", ["--calibrate-dates", "-s", "*", "--fragmentary-threshold", "0.5"]),
    ("nexus", ["--mrbayes", "--clock", "uncorrelated", "--calibrate-dates", "--fill-correctors"]),
    ("tnt", ["-t", "punctuation", "--drop-constant"]),
    ("phy", ["--table", "distance", "--proportion"]),
    ("fasta", ["-t", "punctuation"]),
    ("xml", ["--clock", "local", "--ancestral-logger", "state", "--seed", "1"]),
    ("csv", ["--table", "matrix", "--split-missing", "uniform"]),
    ("csv", ["--table", "matrix", "--split-missing", "proportional", "--show-ext"]),
    ("csv", ["--table", "similarity", "--proportion", "--transform-matrix", "stddev"]),
    ("csv", ["--table", "idf", "--transform-matrix", "mad"]),
    ("csv", ["--table", "mi", "--proportion"]),  # teiphy 0.1.27 lists "mean-mi" but cannot write it
    ("csv", ["--table", "idf", "--proportion", "--fill-correctors-threshold", "0.5"]),  # nor "mean-idf"
    ("tsv", ["--table", "nexus", "--ambiguous-as-missing"]),
    ("tsv", ["--table", "long", "--drop-constant"]),
    ("xlsx", ["--table", "distance"]),
    ("stemma", ["--format", "stemma"]),
]


@pytest.mark.parametrize("suffix,options", CLI_RUNS, ids=[f"{s} {' '.join(o)}" for s, o in CLI_RUNS])
def test_teiphy_command_line_with_its_options(darwin, tmp_path, suffix, options):
    from teiphy.main import app

    output = tmp_path / ("out" if suffix == "stemma" else f"out.{suffix}")
    result = CliRunner().invoke(app, [*options, str(darwin), str(output)])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    written = [output] if output.exists() else list(tmp_path.rglob("*"))
    assert written and all(p.stat().st_size > 0 for p in written if p.is_file())
