"""Witness metadata (issue 9): the CSV is checked whole, goes into the TEI header, survives re-ingest,
never changes a slug or an id; collate groups by the editor's work, orders by date, names by siglum."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reader.tei.collate.corpus import CorpusCollator
from reader.tei.collate.works import find_works
from reader.tei.document import citable_units
from reader.tei.ingest import Ingester
from reader.tei.metadata import MetadataError, WitnessMeta, header_metadata, is_iso_date, read_metadata, witness_info
from reader.tei.validate import validate_file
from reader.tei.xml import NS, XML_ID, parse_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ORIGIN = ROOT / "tests" / "data" / "origin-ch1"
HEADER = "file,title,author,date,siglum,work,source,licence\n"


@pytest.fixture
def partisans(tmp_path):
    """The two seed versions of the partisan article, copied next to a metadata file."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("000_ff49942521f25971.txt", "001_2bb68b4e13b3831c.txt"):
        shutil.copy(SEEDS / name, src / name)
    return sorted(src.glob("*.txt"))


def write_csv(folder: Path, text: str, name: str = "witnesses.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_every_column_and_reports_unknown_ones(partisans):
    csv = write_csv(
        partisans[0].parent,
        "file,Title,author,date,siglum,work,source,license,shelfmark\n"
        "000_ff49942521f25971.txt,Soviet partisans in Latvia,Wikipedia contributors,2019-05,A,"
        'Partisans,"English Wikipedia, https://en.wikipedia.org/wiki/Soviet_partisans_in_Latvia",'
        "CC BY-SA 4.0 https://creativecommons.org/licenses/by-sa/4.0/,MS 1\n"
        "001_2bb68b4e13b3831c.txt,,,,B,Partisans,,,\n",
    )
    meta = read_metadata(csv, partisans)
    assert meta.rows["000_ff49942521f25971.txt"] == WitnessMeta(
        title="Soviet partisans in Latvia",
        author="Wikipedia contributors",
        date="2019-05",
        siglum="A",
        work="Partisans",
        source="English Wikipedia, https://en.wikipedia.org/wiki/Soviet_partisans_in_Latvia",
        licence="CC BY-SA 4.0 https://creativecommons.org/licenses/by-sa/4.0/",
    )
    assert meta.rows["001_2bb68b4e13b3831c.txt"] == WitnessMeta(siglum="B", work="Partisans")
    (warning,) = meta.warnings
    assert "'shelfmark'" in warning and "ignored" in warning


@pytest.mark.parametrize(
    "row, expected",
    [
        ("elsewhere.txt,T,,,,,,", "row 2 (elsewhere.txt): file not found"),
        (
            "000_ff49942521f25971.txt,T,,1859?,,,,",
            "row 2 (000_ff49942521f25971.txt): date '1859?' is not an ISO 8601 date",
        ),
        ("000_ff49942521f25971.txt,T,,24 November 1859,,,,", "date '24 November 1859' is not an ISO 8601 date"),
        ("000_ff49942521f25971.txt,T,,1859-02-30,,,,", "date '1859-02-30' is not"),
        ("000_ff49942521f25971.txt,T,,,,,,,extra", "row 2: 9 field(s), but the header has 8"),
        (",T,,,,,,", "row 2: the 'file' cell is empty"),
        (
            "000_ff49942521f25971.txt,T,,,A,,,\n001_2bb68b4e13b3831c.txt,U,,,A,,,",
            "row 3 (001_2bb68b4e13b3831c.txt): siglum 'A' is already used by row 2",
        ),
        (
            "000_ff49942521f25971.txt,T,,,,,,\n000_ff49942521f25971.txt,U,,,,,,",
            "row 3 (000_ff49942521f25971.txt): names the same file as row 2",
        ),
    ],
)
def test_bad_rows_are_one_error_naming_the_row(partisans, row, expected):
    csv = write_csv(partisans[0].parent, HEADER + row + "\n")
    with pytest.raises(MetadataError) as caught:
        read_metadata(csv, partisans)
    assert expected in str(caught.value)
    assert "nothing was ingested" in str(caught.value)


def test_a_file_present_but_not_given_is_refused(partisans):
    csv = write_csv(partisans[0].parent, HEADER + "001_2bb68b4e13b3831c.txt,T,,,,,,\n")
    with pytest.raises(MetadataError, match=r"row 2 \(001_2bb68b4e13b3831c.txt\): is not among the files given"):
        read_metadata(csv, partisans[:1])


def test_semicolon_separated_files_from_spreadsheets_are_read(partisans):
    csv = write_csv(partisans[0].parent, "file;title;siglum\n000_ff49942521f25971.txt;Partisans, wiki text;A\n")
    assert read_metadata(csv, partisans).rows["000_ff49942521f25971.txt"] == WitnessMeta(
        title="Partisans, wiki text", siglum="A"
    )


def test_same_siglum_in_different_works_is_allowed(partisans):
    csv = write_csv(
        partisans[0].parent, HEADER + "000_ff49942521f25971.txt,,,,A,one,,\n001_2bb68b4e13b3831c.txt,,,,A,two,,\n"
    )
    assert len(read_metadata(csv, partisans).rows) == 2


def test_all_bad_rows_are_listed_at_once_and_a_missing_file_column_is_named(partisans):
    csv = write_csv(partisans[0].parent, HEADER + "000_ff49942521f25971.txt,,,1859?,,,,\nnope.txt,,,,,,,\n")
    message = str(pytest.raises(MetadataError, read_metadata, csv, partisans).value)
    assert "row 2 (000_ff49942521f25971.txt)" in message and "row 3 (nope.txt)" in message
    csv = write_csv(partisans[0].parent, "title,siglum\nT,A\n")
    with pytest.raises(MetadataError, match="row 1: no 'file' column"):
        read_metadata(csv, partisans)


def test_iso_dates():
    assert all(map(is_iso_date, ["1859", "1859-11", "1859-11-24", "2024-02-29"]))
    assert not any(map(is_iso_date, ["59", "1859-13", "2023-02-29", "1859/11/24", "c. 1859", "0000", ""]))


def test_command_refuses_bad_metadata_and_writes_nothing(partisans, tmp_path):
    csv = write_csv(partisans[0].parent, HEADER + "000_ff49942521f25971.txt,T,,not a date,,,,\n")
    out = tmp_path / "tei"
    with pytest.raises(CommandError, match=r"row 2 \(000_ff49942521f25971.txt\): date 'not a date'"):
        call_command("ingest", "--no-entities", "--meta", str(csv), "--out", str(out), *map(str, partisans))
    assert not out.exists() or not list(out.iterdir())


def ingest(out, paths, metadata=None, today="2026-01-01"):
    results = Ingester(out, today=today, metadata=metadata).run(paths)
    assert [r.error for r in results if r.error] == []
    return {r.source: r for r in results}


def test_metadata_fills_the_header_validly_and_survives_reingest(partisans, tmp_path):
    meta = WitnessMeta(
        title="Soviet partisans in Latvia (wiki text)",
        author="Wikipedia contributors",
        date="2019",
        siglum="A",
        work="Partisans",
        source="English Wikipedia, https://en.wikipedia.org/wiki/Soviet_partisans_in_Latvia.",
        licence="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    out = tmp_path / "tei"
    results = ingest(out, partisans, {partisans[0].name: meta})
    path = results[partisans[0].name].path
    root = parse_file(path)
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    assert file_desc.findtext("tei:titleStmt/tei:title", namespaces=NS) == "Soviet partisans in Latvia (wiki text)"
    assert file_desc.findtext("tei:titleStmt/tei:author[@resp='#editor']", namespaces=NS) == "Wikipedia contributors"
    assert "editor" in [r.get(XML_ID) for r in file_desc.iterfind("tei:titleStmt/tei:respStmt", NS)]
    bibl = file_desc.find("tei:sourceDesc/tei:bibl", NS)
    assert bibl.find("tei:date", NS).get("when") == "2019"
    assert bibl.findtext("tei:idno[@type='siglum']", namespaces=NS) == "A"
    assert bibl.findtext("tei:idno[@type='work']", namespaces=NS) == "Partisans"
    assert (
        bibl.find("tei:note[@type='source']/tei:ref", NS).get("target")
        == "https://en.wikipedia.org/wiki/Soviet_partisans_in_Latvia"
    )
    licence = file_desc.find("tei:publicationStmt/tei:availability/tei:licence", NS)
    assert licence.text == "Creative Commons Attribution-ShareAlike 4.0"
    assert (
        licence.get("target") == "https://creativecommons.org/licenses/by-sa/4.0/" and licence.get("resp") == "#editor"
    )
    assert validate_file(path) == []
    # Read back as what it says (the licence's name, then its URL): writing that again gives the same header.
    assert header_metadata(root) == replace(
        meta, licence="Creative Commons Attribution-ShareAlike 4.0 https://creativecommons.org/licenses/by-sa/4.0/"
    )
    assert witness_info(root).author == "Wikipedia contributors" and witness_info(root).siglum == "A"
    first = {p.name: p.read_bytes() for p in out.glob("*.xml")}
    # The same metadata again, then no metadata at all: not one byte changes.
    ingest(out, partisans, {partisans[0].name: meta})
    ingest(out, partisans)
    assert {p.name: p.read_bytes() for p in out.glob("*.xml")} == first


def test_without_metadata_nothing_changes(partisans, tmp_path):
    ingest(tmp_path / "plain", partisans)
    ingest(tmp_path / "meta", partisans, {})
    plain = {p.name: p.read_bytes() for p in (tmp_path / "plain").glob("*.xml")}
    assert plain == {p.name: p.read_bytes() for p in (tmp_path / "meta").glob("*.xml")}
    assert all(b'resp="#editor"' not in data for data in plain.values())


def test_a_changed_title_changes_no_slug_and_no_id(partisans, tmp_path):
    out = tmp_path / "tei"
    first = ingest(out, partisans, {partisans[1].name: WitnessMeta(title="Partisans, flat text", siglum="B")})
    slug = first[partisans[1].name].slug
    assert slug == "partisans-flat-text"  # a new document's slug comes from the editor's title
    ids = [u.id for u in citable_units(parse_file(first[partisans[1].name].path))]
    second = ingest(out, partisans, {partisans[1].name: WitnessMeta(title="Something else entirely", siglum="B")})
    root = parse_file(second[partisans[1].name].path)
    assert second[partisans[1].name].slug == slug and root.get(XML_ID) == slug
    assert [u.id for u in citable_units(root)] == ids
    assert (
        root.findtext("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS) == "Something else entirely"
    )
    # An empty row removes what an editor gave; the pipeline's guesses come back.
    third = ingest(out, partisans, {partisans[1].name: WitnessMeta()})
    assert header_metadata(parse_file(third[partisans[1].name].path)) == WitnessMeta()


def test_same_title_new_documents_get_slugs_with_their_sigla(partisans, tmp_path):
    rows = {p.name: WitnessMeta(title="Partisans", siglum=s) for p, s in zip(partisans, ("A", "B"))}
    results = ingest(tmp_path / "tei", partisans, rows)
    assert sorted(r.slug for r in results.values()) == ["partisans", "partisans-b"]


def test_editors_work_overrides_similarity():
    text = "the cat sat on the mat and looked at the dog who barked at the moon every night " * 3
    other = "completely different words about rivers mountains valleys forests and the sea shore " * 3
    works = find_works({"a": text, "b": text, "c": other})
    assert [w.members for w in works] == [["a", "b"], ["c"]]
    works = find_works({"a": text, "b": text, "c": other}, named={"a": "One", "c": "one", "b": ""})
    assert [(w.id, w.members, w.name) for w in works] == [("one", ["a", "c"], "One"), ("b", ["b"], "")]


def test_collate_orders_by_date_and_names_witnesses_by_siglum(tmp_path):
    """Three editions of the Origin whose file names do not sort by date; the CSV's rows neither."""
    src = tmp_path / "src"
    src.mkdir()
    names = {"1872": "a.txt", "1859": "b.txt", "1866": "c.txt"}
    for year, name in names.items():
        paragraphs = (ORIGIN / f"origin-ch1-{year}.txt").read_text(encoding="utf-8").split("\n\n")[:2]
        (src / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    csv = write_csv(
        src,
        HEADER
        + "".join(
            f"{name},Origin {year},Charles Darwin,{year},{siglum},Origin ch. I,,Public domain\n"
            for (year, name), siglum in zip(names.items(), ("F", "A", "D"))
        ),
    )
    out = tmp_path / "tei"
    ingest(out, sorted(src.glob("*.txt")), read_metadata(csv, sorted(src.glob("*.txt"))).rows)
    report = CorpusCollator(out).run()
    assert [(w.id, len(w.members)) for w in report.works] == [("origin-ch-i", 3)]
    apparatus = out / "collations" / "origin-ch-i.xml"
    root = parse_file(apparatus)
    witnesses = root.findall(".//tei:listWit/tei:witness", NS)
    assert [w.get("n") for w in witnesses] == ["A", "D", "F"]
    assert [w.get(XML_ID) for w in witnesses] == ["wit-A", "wit-D", "wit-F"]
    assert [w.find("tei:origDate", NS).get("when") for w in witnesses] == ["1859", "1866", "1872"]
    assert all(w.findtext("tei:bibl/tei:author", namespaces=NS) == "Charles Darwin" for w in witnesses)
    assert root.findtext(".//tei:titleStmt/tei:title", namespaces=NS).startswith("Origin ch. I")
    assert {w for r in root.iter("{http://www.tei-c.org/ns/1.0}rdg") for w in r.get("wit").split()} == {
        "#wit-A",
        "#wit-D",
        "#wit-F",
    }
    assert validate_file(apparatus) == []


def test_clashing_sigla_in_one_work_fall_back_to_slugs(partisans, tmp_path):
    """Two CSV runs can give one work the same siglum twice; the apparatus must still tell them apart."""
    out = tmp_path / "tei"
    ingest(out, partisans[:1], {partisans[0].name: WitnessMeta(siglum="A", work="Partisans")})
    ingest(out, partisans[1:], {partisans[1].name: WitnessMeta(siglum="A", work="Partisans")})
    report = CorpusCollator(out).run()
    assert any("share a siglum" in p for p in report.problems)
    root = parse_file(out / "collations" / "partisans.xml")
    names = [w.get("n") for w in root.iterfind(".//tei:listWit/tei:witness", NS)]
    assert len(set(names)) == 2 and "A" not in names


def test_a_siglum_that_cannot_be_an_id_is_still_the_witness_name(partisans, tmp_path):
    out = tmp_path / "tei"
    ingest(out, partisans, {p.name: WitnessMeta(siglum=s, work="Partisans") for p, s in zip(partisans, ("A¹", "A²"))})
    CorpusCollator(out).run()
    apparatus = out / "collations" / "partisans.xml"
    witnesses = parse_file(apparatus).findall(".//tei:listWit/tei:witness", NS)
    assert [w.get("n") for w in witnesses] == ["A¹", "A²"]
    assert validate_file(apparatus) == []
