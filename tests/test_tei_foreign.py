"""importtei on real TEI from other projects (tests/data/foreign, see its README) and on bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from reader.tei.document import citable_units, unit_text
from reader.tei.entities.register import Register
from reader.tei.foreign import ForeignImporter
from reader.tei.xml import NS, XML_ID, parse_file

FOREIGN = Path(__file__).parent / "data" / "foreign"
FILES = sorted(FOREIGN.glob("*.xml"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """All six files imported once into an empty corpus folder (validated against tei_all)."""
    base = tmp_path_factory.mktemp("foreign")
    importer = ForeignImporter(base / "tei", base / "sources", today="2026-12-01")
    reports = {Path(r.source).name: r for r in importer.run(FILES)}
    return base, reports


def _doc(base: Path, slug: str):
    return parse_file(base / "tei" / f"{slug}.xml")


def _unit(root, ident: str):
    return next(el for el in root.iter() if el.get(XML_ID) == ident)


def test_every_file_is_imported_valid_and_its_original_kept_byte_for_byte(imported):
    base, reports = imported
    assert set(reports) == {p.name for p in FILES}
    for path in FILES:
        report = reports[path.name]
        assert report.ok, report.error
        assert not [p for p in report.problems if "tei_all" in p], report.problems
        kept = base / "sources" / path.name
        assert kept.read_bytes() == path.read_bytes()
        root = _doc(base, report.slug)
        sha = root.findtext(".//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", namespaces=NS)
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert citable_units(root), path.name


def test_letter_with_own_registers_links_mentions_to_authority_ids(imported):
    base, reports = imported
    report = reports["schnitzler-L00001.xml"]
    assert report.slug == "L00001"  # the root's xml:id is a slug already
    root = _doc(base, "L00001")
    register = Register.from_file(base / "tei" / "register.xml")
    place = next(el for el in root.find("{*}text").iter("{*}placeName"))  # the header has correspDesc's places
    assert unit_text(place) == "Frankfurt a. M."
    entry = register.entries[place.get("ref").split("#")[1]]
    assert entry.canonical == "Frankfurt am Main" and "Frankfurt/Main" in entry.variants
    # this place has no authority id in the letter: the foreign id is recorded instead
    assert [(i.get("type"), i.text) for i in entry.element.iterfind("tei:idno", NS)] == [("source-id", "pmb146")]
    # <surname>Schnitzler</surname><forename>Arthur</forename>, idno[@type='gnd'] as a URL
    schnitzler = next(e for e in register.entries.values() if e.canonical == "Arthur Schnitzler")
    assert "Schnitzler Arthur" in schnitzler.variants
    assert [(i.get("type"), i.text) for i in schnitzler.element.iterfind("tei:idno", NS)] == [("gnd", "118609807")]
    # works (rs[@type='work']) point to the register's listBibl, named by their main title (issue 21)
    works = [el for el in root.find("{*}text").iter("{*}rs") if el.get("type") == "work"]
    titles = {register.entries[el.get("ref").split("#")[1]].canonical for el in works}
    assert titles == {"Der Sohn. Aus den Papieren eines Arztes", "Weihnachts-Einkäufe", "Frankfurter Zeitung"}
    assert not any("kept as text" in k for k in report.mapped)
    text = " ".join(unit_text(el) for el in root.iter("{*}p"))
    assert "Hochgeehrter Herr Doctor!" in text and "ist leider auch mir zu düster" in text


def test_annotation_tool_export_with_prefixed_keys_choice_and_del(imported):
    base, reports = imported
    root = _doc(base, reports["tei-publisher-graves20.xml"].slug)
    register = Register.from_file(base / "tei" / "register.xml")
    names = {unit_text(el): el.get("ref").split("#")[1] for el in root.iter("{*}placeName", "{*}persName")}
    palma = register.entries[names["Palma"]]
    assert [i.text for i in palma.element.iterfind("tei:idno[@type='geonames']", NS)] == ["2512989"]
    lucia = register.entries[names["Lucia"]]
    assert [i.text for i in lucia.element.iterfind("tei:idno[@type='gnd']", NS)] == ["139890289"]
    texts = [u.text for u in citable_units(root)]
    assert any("As the family has stolen" in t for t in texts)  # corr in the text; sic in a hidden note
    assert any("wedding took place at the church" in t for t in texts)  # subst: del 'L' hidden, add 't' kept
    body = root.find("tei:text/tei:body", NS)
    assert all(el.get("resp") == "#importer" for el in body.iter("{*}p"))  # every id was added by the importer
    assert any("Tomas wants to write a few words" in t for t in texts)  # floatingText kept as a section


def test_parallel_segmentation_by_n_gives_witness_documents(imported):
    base, reports = imported
    report = reports["teiphy-ubs-ephesians.xml"]
    slug = report.slug
    assert report.counts["apps"] == 38
    reading = _doc(base, slug)
    unit = _unit(reading, "B10K1V1U24-26")  # the app's own id became the unit's
    assert unit_text(unit) == ""  # empty lem: the reading text omits "εν εφεσω" here
    ubs = _doc(base, f"{slug}-ubs")
    p46 = _doc(base, f"{slug}-p46")
    assert ubs.findtext(".//tei:sourceDesc/tei:bibl/tei:idno[@type='siglum']", namespaces=NS) == "UBS"
    assert unit_text(_unit(ubs, "B10K1V1U24-26")) == "εν εφεσω"
    assert unit_text(_unit(p46, "B10K1V1U24-26")) == ""
    lacunose = _doc(base, f"{slug}-04")  # witDetail[@type='lac']: the apparatus does not say
    assert _unit(lacunose, "B10K1V1U24-26").find("tei:gap[@reason='not-in-apparatus']", NS) is not None
    assert any("line 315" in p and "'01*'" in p for p in report.problems)  # undeclared siglum, reported
    assert (base / "tei" / f"{slug}-01-star.xml").exists()


def test_double_end_point_attachment_without_namespace(imported):
    base, reports = imported
    report = reports["cbeta-T21n1365.xml"]
    assert report.namespace == "none" and report.counts["apps"] == 14
    reading = _doc(base, "T21n1365")
    unit = _unit(reading, "pT21p0884a1101")
    assert "八千俱胝諸惡神鬼" in unit_text(unit)
    note = next(n for n in unit.iter("{*}note") if n.get("type") == "apparatus" and "十" in "".join(n.itertext()))
    assert "".join(note.itertext()) == "千] 【大】; 十 【宋】 【元】 【明】"
    song = _doc(base, "T21n1365-wit2")  # wit2 = 【宋】
    assert "八十俱胝諸惡神鬼" in unit_text(_unit(song, "pT21p0884a1101"))
    assert not list(song.iter("{*}persName"))
    collation = parse_file(base / "tei" / "collations" / "T21n1365.xml")
    sigla = [w.get("n") for w in collation.iterfind(".//tei:listWit/tei:witness", NS)]
    assert sigla == ["lemma", "【大】", "【宋】", "【明】", "【元】"]  # listWit's order
    assert len(collation.findall(".//tei:app", NS)) == 14
    # cb: elements are kept as text and listed
    assert report.not_understood["cb:juan"] == 2


def test_unknown_namespace_and_keys_into_a_missing_register(imported):
    base, reports = imported
    report = reports["vangogh-let695.xml"]
    assert report.slug == "to-paul-gauguin-arles-wednesday-3-october-1888"  # no root xml:id: slug from the title
    assert report.not_understood["vg:whiteline"] == 9
    assert any("line 244" in p and "'1039'" in p and "without a link" in p for p in report.problems)
    assert report.mapped["ab -> p"] == 67
    root = _doc(base, report.slug)
    assert any("Gauguin" in u.text for u in citable_units(root))


def test_large_edition_register_is_taken_whole(imported):
    base, reports = imported
    report = reports["evt-codice-pelavicino.xml"]
    assert report.counts["entries created"] > 3000
    register = Register.from_file(base / "tei" / "register.xml")
    imported_entries = [e for e in register.entries.values() if e.resp == "#import"]
    assert len(imported_entries) >= report.counts["entries created"]
    assert any("'#A', which no listWit/witness declares" in p for p in report.problems)
    assert report.counts["witness documents"] == 5


def test_reimport_of_unchanged_files_writes_nothing(imported):
    base, reports = imported
    again = ForeignImporter(base / "tei", base / "sources", today="2027-01-01", validate=False).run(FILES)
    assert all(r.ok for r in again)
    assert [p for r in again for p in r.written] == []


# --- bad input -------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


TEI_NS = "http://www.tei-c.org/ns/1.0"


def test_one_bad_file_never_stops_the_others_and_changes_nothing(tmp_path, corpus_dir):
    out = tmp_path / "tei"
    shutil.copytree(corpus_dir, out)
    before = {p: p.read_bytes() for p in out.rglob("*.xml")}
    good = _write(
        tmp_path / "good.xml",
        f'<TEI xmlns="{TEI_NS}"><text><body><p>Only a body, no header, '
        '<persName ref="#nobody">Somebody</persName>.</p></body></text></TEI>',
    )
    bomb = _write(
        tmp_path / "bomb.xml",
        '<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        f'<TEI xmlns="{TEI_NS}"><text><body><p>&b;</p></body></text></TEI>',
    )
    html = _write(tmp_path / "page.xml", "<html><body><p>not TEI</p></body></html>")
    broken = _write(tmp_path / "broken.xml", f'<TEI xmlns="{TEI_NS}"><text><body><p>x</body></text></TEI>')
    big = _write(tmp_path / "big.xml", f'<TEI xmlns="{TEI_NS}"><text><body><p>{"word " * 400}</p></body></text></TEI>')
    reports = ForeignImporter(out, tmp_path / "sources", max_bytes=1500, validate=False).run(
        [bomb, good, html, broken, big, tmp_path / "missing.xml"]
    )
    by_name = {Path(r.source).name: r for r in reports}
    assert by_name["good.xml"].ok
    assert "entity 'a' stands for 'aaaaaaaaaa', not a plain character" in by_name["bomb.xml"].error
    assert "not TEI" in by_name["page.xml"].error
    assert "not well-formed" in by_name["broken.xml"].error
    assert "1,500-byte limit" in by_name["big.xml"].error
    assert "no such file" in by_name["missing.xml"].error
    good_report = by_name["good.xml"]
    assert any("no teiHeader" in p for p in good_report.problems)
    assert any("'#nobody'" in p and "without a link" in p for p in good_report.problems)
    root = parse_file(out / f"{good_report.slug}.xml")
    assert root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) == "good"  # title from the file name
    assert root.find(".//tei:availability", NS).get("status") == "unknown"
    after = {p: p.read_bytes() for p in out.rglob("*.xml") if p in before}
    changed = [p.name for p in before if after[p] != before[p]]
    assert changed == ["register.xml"]  # only the register gained the importer's declaration
    assert not (tmp_path / "sources" / "bomb.xml").exists()  # nothing of a refused file is kept


def test_ids_that_are_not_slugs_and_nested_texts(tmp_path):
    source = _write(
        tmp_path / "s.xml",
        f"""<TEI xmlns="{TEI_NS}" xml:id="S.0000020">
<teiHeader><fileDesc><titleStmt><title>Brief an Herwarth Walden</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><group>
 <text xml:lang="de"><body><div xml:id="s.1"><p xml:id="s.1.1">Lieber Herr Walden!</p>
   <lg><l>Erste Zeile</l><l>zweite Zeile</l></lg></div></body></text>
 <text xml:lang="en"><body><div xml:id="s.2"><p xml:id="s.2.1.1">Dear Mr Walden!</p></div></body></text>
</group></text></TEI>""",
    )
    report = ForeignImporter(tmp_path / "tei", tmp_path / "sources").run([source])[0]
    assert report.ok and report.slug == "s-0000020"
    assert not [p for p in report.problems if "tei_all" in p], report.problems
    root = parse_file(tmp_path / "tei" / "s-0000020.xml")
    units = {u.id: u for u in citable_units(root)}
    assert units["s.1.1"].lang == "de" and units["s.2.1.1"].lang == "en"
    verse = next(u for u in units.values() if "Erste Zeile" in u.text)
    assert verse.text == "Erste Zeile zweite Zeile" and verse.id == "p1"


def test_ids_the_importer_gave_stay_with_their_units_when_the_source_changes(tmp_path):
    def version(*paragraphs: str) -> Path:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return _write(
            tmp_path / "letter.xml",
            f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>A '
            f"letter</title></titleStmt></fileDesc></teiHeader><text><body>{body}</body></text></TEI>",
        )

    out = tmp_path / "tei"
    first = ["Dear friend, thank you for the books.", "The weather here is cold and wet.", "Yours ever, A."]
    ForeignImporter(out, tmp_path / "sources", today="2026-01-01", validate=False).run([version(*first)])
    before = {u.text: u.id for u in citable_units(parse_file(out / "a-letter.xml"))}
    assert list(before.values()) == ["p1", "p2", "p3"]
    changed = [first[0], "A new paragraph the editor inserted.", first[2]]  # the weather paragraph is gone
    report = ForeignImporter(out, tmp_path / "sources", today="2026-02-01", validate=False).run([version(*changed)])[0]
    root = parse_file(out / "a-letter.xml")
    after = {u.text: u.id for u in citable_units(root)}
    assert after[first[0]] == "p1" and after[first[2]] == "p3"
    assert after["A new paragraph the editor inserted."] == "p4"  # never p2 again
    retired = root.find("tei:standOff[@type='paragraph-history']/tei:listAnnotation/tei:note", NS)
    assert retired.get("n") == "p2" and retired.text == first[1]
    assert [c.get("n") for c in root.iterfind(".//tei:revisionDesc/tei:change", NS)] == ["1", "2"]
    assert report.ok


def test_command_reports_each_file_and_fails_when_one_could_not_be_imported(tmp_path):
    from django.core.management import CommandError, call_command
    from io import StringIO

    bad = _write(tmp_path / "bad.xml", "<html/>")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command(
            "importtei",
            str(FOREIGN / "tei-publisher-graves20.xml"),
            str(bad),
            "--out",
            str(tmp_path / "tei"),
            "--sources",
            str(tmp_path / "sources"),
            "--no-validate",
            stdout=out,
            stderr=err,
        )
    assert "bad.xml: NOT IMPORTED" in err.getvalue() and "not TEI" in err.getvalue()
    said = out.getvalue()
    assert "tei-publisher-graves20.xml -> letter-20-from-robert-graves" in said
    # salute and closer are TEI's letter parts: described (a block of their own), not "not understood"
    assert "closer -> p/seg[@type='closer'] (a block of its own) ×1" in said and "not understood" not in said
    assert "salute -> p/seg[@type='salute'] (a block of its own) ×1" in said
    assert "imported 1 of 2 file(s)" in said
    assert (tmp_path / "sources" / "tei-publisher-graves20.xml").exists()


def test_a_tei_corpus_gives_one_document_per_member(tmp_path):
    source = _write(
        tmp_path / "corpus.xml",
        f"""<teiCorpus xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt>
<title>Two letters</title></titleStmt></fileDesc></teiHeader>
<TEI xml:id="letter-1"><teiHeader><fileDesc><titleStmt><title>First letter</title></titleStmt></fileDesc></teiHeader>
<text><body><p>From <placeName key="geo-2950159">Berlin</placeName>.</p></body></text></TEI>
<TEI><teiHeader><fileDesc><titleStmt><title>Second letter</title></titleStmt></fileDesc></teiHeader>
<text><body><p>To <placeName ref="https://www.wikidata.org/wiki/Q64">Berlin</placeName> again.</p></body></text></TEI>
</teiCorpus>""",
    )
    report = ForeignImporter(tmp_path / "tei", tmp_path / "sources", validate=False).run([source])[0]
    assert report.ok and report.slug == "letter-1"
    first, second = parse_file(tmp_path / "tei" / "letter-1.xml"), parse_file(tmp_path / "tei" / "second-letter.xml")
    assert [u.text for u in citable_units(second)] == ["To Berlin again."]
    register = Register.from_file(tmp_path / "tei" / "register.xml")
    refs = [next(r.iter("{*}placeName")).get("ref").split("#")[1] for r in (first, second)]
    idnos = [{(i.get("type"), i.text) for i in register.entries[r].element.iterfind("tei:idno", NS)} for r in refs]
    assert ("geonames", "2950159") in idnos[0] and ("wikidata", "Q64") in idnos[1]
