"""Lacunae are not omissions (issue 18, item 2): a fragment (a witness that begins late, breaks off
and has a gap) reads nothing where its text is missing, and its missing text never swallows the
other witnesses' variants. Real text: Darwin's chapter I (bench/data, CollateX's demo data), the
1866 edition cut into a fragment and collated with the five other editions."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import teiphy
from lxml import etree
from typer.testing import CliRunner

from reader.tei.collate import collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.corpus import CorpusCollator, witness_units
from reader.tei.document import Unit, body
from reader.tei.ingest import Ingester
from reader.tei.metadata import MetadataError, read_metadata
from reader.tei.parsing import parse_collation
from reader.tei.validate import validate_tree
from reader.tei.xml import NS, XML_ID, parse_file, serialize, tei

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "darwin-origin-ch1.json"
UNITS = 20  # the first 20 paragraph units: long enough for many variants, quick to collate


@pytest.fixture(scope="module")
def editions() -> dict[str, list[Unit]]:
    by_year: dict[str, list[Unit]] = {}
    for number, unit in enumerate(json.loads(DATA.read_text(encoding="utf-8"))[:UNITS], 1):
        for witness in unit["witnesses"]:
            by_year.setdefault(witness["id"], []).append(
                Unit(id=f"p{number}", kind="p", section_id="s1", text=witness["content"], lang=None, inferred=False)
            )
    return by_year


def halves(text: str) -> tuple[str, str]:
    words = text.split()
    return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])


@pytest.fixture(scope="module")
def fragment(editions) -> tuple[list[Unit], set[str]]:
    """The 1866 edition as a fragment: it begins in the middle of its third unit, has a lacuna from
    the middle of its eighth unit to the middle of its tenth, and breaks off in its fifteenth.
    Returns its units and the ids of the units it lacks entirely."""
    units = editions["1866"]
    out = []
    for k, unit in enumerate(units):
        first, second = halves(unit.text)
        if k == 2:
            out.append(replace(unit, text=f"[...] {second}"))
        elif k == 7:
            out.append(replace(unit, text=f"{first} [lacuna]"))
        elif k == 9:
            out.append(replace(unit, text=second))
        elif k == 14:
            out.append(replace(unit, text=f"{first} […]"))
        elif 2 < k < 14 and k != 8:
            out.append(unit)
    lacking = {u.id for k, u in enumerate(units) if k < 2 or k == 8 or k > 14}
    return out, lacking


FULL = ("1859", "1860", "1861", "1869", "1872")


@pytest.fixture(scope="module")
def without(editions):
    return collate([(year, editions[year]) for year in FULL])


@pytest.fixture(scope="module")
def with_fragment(editions, fragment):
    return collate([(year, editions[year]) for year in FULL] + [("F", fragment[0])])


def signature(variant, leave_out=("F",)):
    return frozenset(
        (tuple(w for w in r.witnesses if w not in leave_out), r.text)
        for r in variant.readings
        if any(w not in leave_out for w in r.witnesses)
    )


def test_the_others_variants_where_the_fragment_has_no_text_are_unchanged(without, with_fragment, fragment):
    _, lacking = fragment
    before = {signature(v) for v in without.variants()}
    lac = [v for v in with_fragment.variants() if v.reading_of("F").type == "lac"]
    assert len(lac) > 100
    assert all(signature(v) in before for v in lac), "a unit where the fragment has a lacuna differs"
    # Every variant of the others in the units the fragment lacks entirely is there, as it was.
    inside = {signature(v) for v in without.variants() if set(v.readings[0].units.get("1859", ())) <= lacking}
    inside.discard(frozenset())
    assert len(inside) > 50
    assert inside <= {signature(v) for v in with_fragment.variants()}


def test_the_fragment_reads_nothing_in_its_lacunae_and_swallows_nothing(with_fragment):
    readings = [v.reading_of("F") for v in with_fragment.variants()]
    assert all(r.text == "" and r.spans == () for r in readings if r.type == "lac")
    # its missing text is never an omission: no omission of the fragment is longer than a sentence
    omitted = [
        len(v.readings[0].text.split()) for v in with_fragment.variants() if v.reading_of("F").type == "omission"
    ]
    assert max(omitted, default=0) < 40
    # shared text of the others in its lacunae is an agreement that the fragment does not read
    lacunose = [s for g in with_fragment.groups for s in g.segments if not s.is_variant and s.lacunose]
    assert lacunose and all(s.lacunose == ("F",) and all(sp.siglum != "F" for sp in s.spans) for s in lacunose)
    # no place of variation is bigger than without the fragment
    biggest = max(len(r.text.split()) for v in with_fragment.variants() for r in v.readings)
    assert biggest < 400


def test_the_apparatus_gives_back_the_fragment_where_it_has_text(with_fragment, fragment):
    """Its readings and the shared text it does not lack are its text, without its lacuna marks."""
    parts = []
    for group in with_fragment.groups:
        for segment in group.segments:
            if segment.is_variant:
                parts.append(segment.reading_of("F").text)
            elif "F" not in segment.lacunose:
                parts.append(segment.text)
    kept = " ".join(u.text for u in fragment[0])
    for mark in ("[...]", "[lacuna]", "[…]"):
        kept = kept.replace(mark, "")
    assert "".join("".join(parts).split()) == "".join(kept.split())


def test_apparatus_marks_lacunae_and_teiphy_reads_them_as_missing(with_fragment, tmp_path):
    root = write_apparatus(with_fragment, work="origin", dates={y: y for y in FULL})
    assert validate_tree(root) == []
    path = tmp_path / "origin.xml"
    path.write_bytes(serialize(root))
    lac = root.xpath("//tei:rdg[@type='lac']", namespaces=NS)
    assert lac and all(r.get("wit") == "#wit-F" and not (r.text or "").strip() and not len(r) for r in lac)
    lacunae = root.xpath("//tei:app[@type='lacuna']", namespaces=NS)
    assert lacunae and all(a[0].text.strip() and "#wit-F" not in a[0].get("wit") for a in lacunae)
    collation = teiphy.Collation(etree.parse(str(path)), trivial_reading_types=[], missing_reading_types=["lac"])
    ids = collation.variation_unit_ids
    lac_units = {r.getparent().get(XML_ID) for r in lac}
    for index, unit in enumerate(ids):
        cell = collation.readings_by_witness["wit-F"][index]
        if unit in lac_units:
            assert not any(cell), f"{unit}: the fragment should be missing data"
    extant = [i for i, u in enumerate(ids) if u not in lac_units]
    assert extant and all(sum(collation.readings_by_witness["wit-F"][i]) == 1 for i in extant)
    assert all(d.get("ana") != "#variant-lac" for d in root.iter(tei("witDetail")))
    # what the site loads: the places of variation, not the text the extant witnesses share in a lacuna
    loaded = parse_collation(root, "collations/origin.xml")
    assert len(loaded.variants) == len(list(with_fragment.variants()))
    assert "lacuna" not in {v.type for v in loaded.variants}
    # teiphy's command line: in NEXUS the fragment's lacunae are missing data ('?'), the others have none
    from teiphy.main import app

    nexus = tmp_path / "origin.nexus"
    result = CliRunner().invoke(app, ["-m", "lac", "-t", "punctuation", str(path), str(nexus)])
    assert result.exit_code == 0, result.output
    rows = dict(re.findall(r"^\s*wit_(\S+)\s+(\S+)\s*$", nexus.read_text(encoding="utf-8"), re.M))
    assert set(rows) == {*FULL, "F"}  # NEXUS taxa: wit_<siglum>
    assert rows["F"].count("?") >= len(lac_units) and all("?" not in rows[y] for y in FULL)


def test_a_plain_text_witness_marks_its_lacunae_and_a_tei_gap_is_one(editions, tmp_path):
    """The editor writes "[...]" in a plain-text witness; ingest keeps it; a TEI gap in a
    witness file is read as the same marker."""
    src = tmp_path / "src"
    src.mkdir()
    units = editions["1859"][:6]
    whole = "\n\n".join(u.text for u in units)
    first, second = halves(units[3].text)
    cut = "\n\n".join([units[2].text, f"{first} [...]", *(u.text for u in units[5:6])])
    (src / "whole.txt").write_text(whole + "\n", encoding="utf-8")
    (src / "fragment.txt").write_text(f"[...] {cut}\n", encoding="utf-8")
    results = Ingester(tmp_path / "tei", today="2026-01-01").run(sorted(src.glob("*.txt")))
    assert [r.error for r in results if r.error] == []
    docs = {p.stem: parse_file(p) for p in (tmp_path / "tei").glob("*.xml")}
    (whole_doc,) = [d for d in docs.values() if "[...]" not in "".join(d.itertext())]
    (frag_doc,) = [d for d in docs.values() if d is not whole_doc]

    def lacunae(f_doc):
        """(variants, stretches of A's text F lacks), collated with A's text."""
        collation = collate([("A", witness_units(whole_doc)), ("F", witness_units(f_doc))])
        segments = [s for g in collation.groups for s in g.segments]
        return [s for s in segments if s.is_variant], [s.text for s in segments if not s.is_variant and s.lacunose]

    variants, lacking = lacunae(frag_doc)
    assert variants == []  # where it has text, it is 1859's: no omission, nothing else
    missing = [units[0].text, units[1].text, second, units[4].text]  # its two lacunae, at its start and inside
    assert lacking and sum(len(t.split()) for t in lacking) == sum(len(t.split()) for t in missing)
    # the same fragment in TEI, its lacunae as gap elements instead of "[...]"
    for el in list(frag_doc.iter(tei("p"), tei("s"), tei("seg"))):
        if el.text and "[...]" in el.text:
            before, _, after = el.text.partition("[...]")
            el.text = before
            gap = etree.Element(tei("gap"), reason="lost")
            gap.tail = after
            el.insert(0, gap)
    assert "[...]" not in "".join(body(frag_doc).itertext())
    assert lacunae(frag_doc) == (variants, lacking)


def test_the_metadata_csv_says_a_witness_begins_late_and_breaks_off(editions, tmp_path):
    """A ``fragment`` column ("start end") in the editor's CSV, no mark in the text: ingest records it
    in the header and collation reads the fragment's missing start and end as lacunae."""
    src = tmp_path / "src"
    src.mkdir()
    years = ("1859", "1860")
    for year in years:
        (src / f"{year}.txt").write_text("\n\n".join(u.text for u in editions[year][:6]) + "\n", encoding="utf-8")
    units = editions["1866"][:6]
    begin, end = halves(units[1].text)[1], halves(units[4].text)[0]
    (src / "frag.txt").write_text("\n\n".join([begin, units[2].text, units[3].text, end]) + "\n", encoding="utf-8")
    header = "file,title,date,siglum,work,fragment\n"
    rows = "".join(f"{y}.txt,Origin {y},{y},{s},Origin,\n" for y, s in zip(years, "AB"))
    csv = src / "witnesses.csv"
    paths = sorted(src.glob("*.txt"))

    # the fragment is dated earliest (as papyri often are), but a full witness is the base
    csv.write_text(header + rows + "frag.txt,Origin fragment,1850,F,Origin,start end\n", encoding="utf-8")
    out = tmp_path / "tei"
    results = Ingester(out, today="2026-01-01", metadata=read_metadata(csv, paths).rows).run(paths)
    assert [r.error for r in results if r.error] == []

    order = []  # the witnesses of each apparatus, base first

    def apparatus() -> list:
        """(type of F's reading, words of the base's reading) per app of the work's apparatus."""
        (work,) = CorpusCollator(out).run().works
        root = parse_file(out / "collations" / f"{work.id}.xml")
        assert validate_tree(root) == []
        order.append([w.get("n") for w in root.iterfind(".//tei:listWit/tei:witness", NS)])
        found = []
        for app in root.iter(tei("app")):
            mine = [r for r in app.iterfind("tei:rdg", NS) if "#wit-F" in r.get("wit").split()]
            found.append((mine[0].get("type") if mine else None, len((app[0].text or "").split())))
        return found

    def longest_omission(typed):
        return max((words for kind, words in typed if kind == "omission"), default=0)

    declared = apparatus()
    assert "lac" in {kind for kind, _ in declared}
    assert longest_omission(declared) < 40  # 1866's own omissions, not the missing start or end
    # the same text, not declared a fragment: its missing start and end are omissions of whole paragraphs
    notes = {
        f: parse_file(f).xpath("//tei:sourceDesc/tei:bibl/tei:note[@type='fragment']", namespaces=NS)
        for f in out.glob("*.xml")
    }
    ((fragment_file, (note,)),) = [(f, n) for f, n in notes.items() if n]
    root = note.getroottree().getroot()
    assert note.text == "start end"
    note.getparent().remove(note)
    root.find(".//tei:sourceDesc/tei:bibl/tei:date", NS).set("when", "1866")  # its true date: not the base
    fragment_file.write_bytes(serialize(root))
    assert longest_omission(apparatus()) > 100
    assert order == [["A", "F", "B"], ["A", "B", "F"]]  # declared, the fragment is not the base, though dated first
    csv.write_text(header + rows + "frag.txt,Origin fragment,1866,F,Origin,middle\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"row 4 \(frag.txt\): fragment 'middle' is not 'start'"):
        read_metadata(csv, paths)


def test_the_compare_page_says_lacuna_not_omitted(editions):
    from reader.texts.comparison import Witness, WitnessUnit, apparatus_html, build_comparison

    def witness(siglum, units):
        return Witness(siglum, siglum, [WitnessUnit(u.id, u.text, u.id, f"/{siglum}/{u.id}") for u in units])

    units = editions["1859"][:3]
    first, second = halves(units[1].text)
    fragment = [replace(units[1], text=f"{first} [...]")]
    others = [witness(y, editions[y][:3]) for y in ("1859", "1872")]
    comparison = build_comparison([*others, witness("F", fragment)])
    lacunose = [v for v in comparison.variants if v.reading_of("F") and v.reading_of("F").type == "lac"]
    assert lacunose and all("F has a lacuna" in v.description for v in lacunose)
    html = apparatus_html(lacunose, lambda n: f"#v{n}")
    assert "<em>lac.</em></span> F" in html and "<em>om.</em></span> F" not in html


def test_a_fragment_as_the_base_is_noted(editions, fragment):
    collation = collate([("F", fragment[0]), ("1859", editions["1859"])])
    assert any("witness F, the base, has lacunae" in note for note in collation.notes)
