"""python manage.py collate: works, apparatus files, reuse, membership; deterministic and valid."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reader.tei.collate.corpus import set_work
from reader.tei.validate import validate_file
from reader.tei.xml import NS, parse_bytes, parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
WORK = "soviet-partisans-in-latvia"


@pytest.fixture
def tei_dir(tmp_path):
    out = tmp_path / "tei"
    out.mkdir()
    for path in CORPUS.glob("*.xml"):
        shutil.copy(path, out / path.name)
    (out / "register.xml").write_text("<not-tei/>")  # must be skipped, not parsed as a witness
    return out


def run(tei_dir, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("collate", "--tei-dir", str(tei_dir), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*.xml"))}


def test_writes_apparatus_reuse_and_membership_deterministically(tei_dir):
    out, err = run(tei_dir)
    apparatus = tei_dir / "collations" / f"{WORK}.xml"
    assert apparatus.exists() and (tei_dir / "collations" / "reuse.xml").exists()
    assert sorted(p.name for p in (tei_dir / "collations").iterdir()) == sorted([f"{WORK}.xml", "reuse.xml"])
    assert f"work {WORK}: {WORK}, {WORK}-2" in out
    assert "only witness of its work" in err
    first = snapshot(tei_dir)
    run(tei_dir)
    assert snapshot(tei_dir) == first  # byte-identical on re-run

    for name in (f"{WORK}.xml", f"{WORK}-2.xml"):
        root = parse_file(tei_dir / name)
        file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
        order = [child.tag.split("}")[1] for child in file_desc]
        assert order.index("publicationStmt") < order.index("notesStmt") < order.index("sourceDesc")
        (related,) = file_desc.findall("tei:notesStmt/tei:relatedItem[@type='work']", NS)
        assert related.get("target") == f"collations/{WORK}.xml"
    others = [p for p in tei_dir.glob("*.xml") if not p.name.startswith(WORK) and p.name != "register.xml"]
    assert all(parse_file(p).find(".//tei:relatedItem", NS) is None for p in others)


def test_files_written_validate_against_tei_all(tei_dir):
    run(tei_dir)
    for path in [*(tei_dir / "collations").glob("*.xml"), tei_dir / f"{WORK}.xml"]:
        assert validate_file(path) == [], path


def test_apparatus_points_to_files_next_to_it(tei_dir):
    run(tei_dir)
    root = parse_file(tei_dir / "collations" / f"{WORK}.xml")
    targets = {w.get("corresp") for w in root.iterfind(".//tei:listWit/tei:witness", NS)}
    assert targets == {f"../{WORK}.xml", f"../{WORK}-2.xml"}
    for pointer in root.find(".//tei:rdg", NS).get("corresp").split():
        assert (tei_dir / "collations" / pointer.split("#")[0]).resolve().exists()
    links = parse_file(tei_dir / "collations" / "reuse.xml").findall(".//tei:link", NS)
    assert links and all(len(link.get("target").split()) >= 2 for link in links)  # every unit of the passage


def test_options_reach_the_apparatus(tei_dir):
    run(tei_dir, "--ignore-diacritics", "--ignore-editorial")
    root = parse_file(tei_dir / "collations" / f"{WORK}.xml")
    types = [app.get("type") for app in root.iterfind(".//tei:app", NS)]
    assert "editorial" not in types
    assert not any("Sarkanā" in "".join(app.itertext()) for app in root.iterfind(".//tei:app", NS))


def test_broken_file_is_reported_and_the_rest_collated(tei_dir):
    (tei_dir / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>")
    out, err = run(tei_dir)
    assert "broken.xml" in err and "not well-formed" in err
    assert (tei_dir / "collations" / f"{WORK}.xml").exists()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        run(tmp_path / "nowhere")


def test_work_membership_can_be_moved_and_removed():
    root = parse_bytes((CORPUS / f"{WORK}.xml").read_bytes())
    assert set_work(root, "collations/a.xml") is True
    assert set_work(root, "collations/a.xml") is False
    assert set_work(root, "collations/b.xml") is True
    assert root.find(".//tei:relatedItem", NS).get("target") == "collations/b.xml"
    assert set_work(root, None) is True
    assert root.find(".//tei:notesStmt", NS) is None


def test_apparatus_of_a_work_that_lost_its_second_witness_is_removed(tei_dir):
    run(tei_dir)
    apparatus = tei_dir / "collations" / f"{WORK}.xml"
    assert apparatus.exists()
    (tei_dir / "collations" / "notes.xml").write_text("<notes>someone else's file</notes>")
    (tei_dir / f"{WORK}-2.xml").unlink()
    out, _ = run(tei_dir)
    assert not apparatus.exists() and f"removed {apparatus}" in out
    assert (tei_dir / "collations" / "notes.xml").exists()  # not made by collate: left alone
    assert (tei_dir / "collations" / "reuse.xml").exists()
    header = parse_file(tei_dir / f"{WORK}.xml").find(".//tei:relatedItem[@type='work']", NS)
    assert header is None
