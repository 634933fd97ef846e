"""`export` → `importtei` → `load` gives back what was loaded (issue 19, item 4).

The seeds' corpus (``corpus/tei``: four witnesses, two of one work with sigla, recognised entities,
front matter, a collation and the text-reuse file) is loaded, one pipeline suggestion is accepted
by an annotator (so human and automatic work are both present), exported, imported with
``importtei`` into another folder and loaded into an emptied database: every document, unit,
mention, link and work must come back the same. A foreign file imported once goes through the
same circle. Merging into a corpus that already has a register and a document of the same slug is
checked on the files alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from annotating import make_user
from reader.annotations.editing import accept_mentions
from reader.entities.models import Entity
from reader.tei.entities.register import Register
from reader.tei.foreign.importer import ForeignImporter
from reader.tei.foreign.native import is_parallax
from reader.tei.foreign.reading import read_foreign
from reader.tei.xml import NS, XML_ID, parse_file
from reader.texts.exporter import CorpusExporter
from reader.texts.loader import CorpusLoader
from reader.texts.models import CorpusFile, Document, Mention

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "tei"
FOREIGN = ROOT / "tests" / "data" / "foreign"


def state() -> dict:
    """What the reader shows of the loaded corpus, with links as the names of the entries they reach."""
    documents = {}
    for doc in Document.objects.select_related("work").order_by("slug"):
        units = [
            (p.xml_id, p.kind, p.number, p.section.xml_id if p.section_id else None, p.text)
            for p in doc.paragraphs.select_related("section").order_by("position")
        ]
        mentions = [
            (
                m.paragraph.xml_id,
                m.start,
                m.end,
                m.kind,
                m.surface,
                (m.entity.kind, m.entity.name) if m.entity_id else None,
                m.resp,
                m.cert,
                m.when,
            )
            for m in doc.mentions.select_related("paragraph", "entity").order_by("paragraph__position", "start")
        ]
        documents[doc.slug] = {
            "meta": (
                doc.title,
                doc.siglum,
                doc.author,
                doc.seed_name,
                doc.source,
                doc.licence,
                doc.work.slug,
                doc.front_html,
            ),
            "units": units,
            "mentions": mentions,
        }
    return documents


def clear_database(corpus_dir: Path) -> None:
    """An empty database, as for a new site (the loader undoes its own rows in the order it knows)."""
    loader = CorpusLoader(corpus_dir)
    for corpus_file in CorpusFile.objects.all():
        loader.remove_file(corpus_file)
    Entity.objects.all().delete()
    assert not Document.objects.exists()


def export_import_load(tmp_path: Path, name: str) -> tuple[list, Path]:
    """Export the database, importtei the export folder into a new corpus, empty the database, load it."""
    exported = tmp_path / f"{name}-export"
    CorpusExporter(exported).run()
    target = tmp_path / f"{name}-imported"
    reports = ForeignImporter(target, tmp_path / f"{name}-sources", today="2026-01-01").run([exported])
    clear_database(exported)
    loaded = CorpusLoader(target).run()
    assert loaded.failed == []
    return reports, target


@pytest.mark.django_db
def test_export_importtei_load_gives_back_the_seeds_corpus(tmp_path):
    source = tmp_path / "corpus"
    shutil.copytree(CORPUS, source)
    assert CorpusLoader(source).run().failed == []
    suggestion = Mention.objects.filter(resp="#pipeline", entity__isnull=False).order_by("pk").first()
    assert accept_mentions(make_user("ilze"), [suggestion.pk]) == 1
    before = state()

    reports, target = export_import_load(tmp_path, "seeds")

    assert [r.error for r in reports if r.error] == []
    assert all(r.problems == [] for r in reports), [r.problems for r in reports]
    after = state()
    assert after.keys() == before.keys()
    for slug in before:
        assert after[slug] == before[slug], slug
    # what the comparison rests on is there: sigla and a work of two witnesses, front matter unnumbered,
    # automatic and human mentions, links
    assert {d["meta"][1] for d in after.values()} >= {"A", "B"}
    works = [d["meta"][6] for d in after.values()]
    assert any(works.count(w) == 2 for w in works)
    title_page = after["soviet-partisans-in-latvia"]
    front = parse_file(target / "soviet-partisans-in-latvia.xml").find("tei:text/tei:front", NS)
    assert "".join(front.itertext()).split() == ["Soviet", "partisans", "in", "Latvia"]  # front stays front
    assert title_page["units"][0][4] != "Soviet partisans in Latvia"  # and is not ¶ 1
    responsibility = {(m[6], m[7]) for d in after.values() for m in d["mentions"]}
    assert ("#annotator-ilze", "") in responsibility and ("#pipeline", "high") in responsibility
    assert sum(1 for d in after.values() for m in d["mentions"] if m[5]) > 500
    for report in reports:
        assert any("written by Parallax" in note for note in report.notes), report.source


@pytest.mark.django_db
def test_an_imported_foreign_file_comes_back_the_same(tmp_path):
    corpus = tmp_path / "corpus"
    [report] = ForeignImporter(corpus, tmp_path / "sources", today="2026-01-01").run(
        [FOREIGN / "schnitzler-L00001.xml"]
    )
    assert report.error == ""
    assert CorpusLoader(corpus).run().failed == []
    before = state()
    assert any(d["mentions"] for d in before.values())

    reports, _ = export_import_load(tmp_path, "letter")

    assert [r.error for r in reports if r.error] == []
    assert state() == before


def test_the_signal_is_parallax_s_own_responsibility_statement():
    for path in sorted(CORPUS.rglob("*.xml")):
        assert is_parallax(parse_file(path)), path.name
    for path in sorted(FOREIGN.glob("*.xml")):
        assert not is_parallax(read_foreign(path).root), path.name


def _refs(root: etree._Element) -> list[tuple[str, str]]:
    return [(el.text or "", el.get("ref")) for el in root.iter() if (el.get("ref") or "").startswith("register.xml#")]


def test_into_a_corpus_with_its_own_register_and_slugs_links_are_mapped_and_nothing_is_overwritten(tmp_path):
    """The target already calls Latvia (same Wikidata id) ``pla-latvija``, uses the id of an entry of the
    export for another entity, and has another document with a slug of the export."""
    target = tmp_path / "target"
    target.mkdir()
    register = parse_file(CORPUS / "register.xml")
    latvia = next(el for el in register.iterfind(".//tei:place", NS) if el.get(XML_ID) == "pla-latvia")
    latvia.set(XML_ID, "pla-latvija")
    used = {ref.split("#")[1] for path in CORPUS.glob("*.xml") for _, ref in _refs(parse_file(path))}
    clash = next(
        el
        for el in register.iterfind(".//tei:person", NS)
        if el.find("tei:idno", NS) is None and el.get(XML_ID) in used
    )
    clash_id, clash_name = clash.get(XML_ID), clash.findtext("tei:persName", namespaces=NS)
    clash.find("tei:persName", NS).text = "Somewhere else entirely"
    (target / "register.xml").write_bytes(etree.tostring(register, xml_declaration=True, encoding="UTF-8"))
    other = parse_file(CORPUS / "soviet-partisans-in-latvia.xml")
    other.find(".//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", NS).text = "0" * 64
    kept = etree.tostring(other, xml_declaration=True, encoding="UTF-8")
    (target / "soviet-partisans-in-latvia.xml").write_bytes(kept)

    reports = ForeignImporter(target, tmp_path / "sources", today="2026-01-01").run([CORPUS])

    assert [r.error for r in reports if r.error] == []
    assert (target / "soviet-partisans-in-latvia.xml").read_bytes() == kept  # another document: untouched
    imported = parse_file(target / "soviet-partisans-in-latvia-3.xml")  # -2 is the export's witness B
    assert imported.get(XML_ID) == "soviet-partisans-in-latvia-3"
    merged = Register.from_file(target / "register.xml")
    assert merged.entries["pla-latvija"].canonical == "Latvia" and "pla-latvia" not in merged.entries
    assert merged.entries[clash_id].canonical == "Somewhere else entirely"  # the target's entry is not changed
    source_refs = _refs(parse_file(CORPUS / "soviet-partisans-in-latvia.xml"))
    imported_refs = _refs(imported)
    assert len(imported_refs) == len(source_refs) > 100
    source_register = Register.from_file(CORPUS / "register.xml")
    for (text, old), (same_text, new) in zip(source_refs, imported_refs):
        assert same_text == text
        assert merged.entries[new.split("#")[1]].canonical == source_register.entries[old.split("#")[1]].canonical
    assert ("Latvia", "register.xml#pla-latvija") in imported_refs
    moved = [
        new
        for path in sorted(target.glob("*.xml"))
        if path.name not in ("register.xml", "soviet-partisans-in-latvia.xml")  # that one was not imported
        for _, new in _refs(parse_file(path))
    ]
    renamed = {r for r in moved if merged.entries[r.split("#")[1]].canonical == clash_name}
    assert renamed and f"register.xml#{clash_id}" not in renamed  # the export's entry, under a new id
    collation = parse_file(target / "collations" / "soviet-partisans-in-latvia.xml")
    witnesses = [w.get("corresp") for w in collation.iterfind(".//tei:listWit/tei:witness", NS)]
    assert witnesses == ["../soviet-partisans-in-latvia-3.xml", "../soviet-partisans-in-latvia-2.xml"]

    again = ForeignImporter(target, tmp_path / "sources", today="2026-01-01").run([CORPUS])
    assert [r.written for r in again] == [[]] * len(again)  # a second run finds everything in place


def test_a_broken_register_in_an_export_is_named_and_the_documents_still_come_in(tmp_path):
    exported = tmp_path / "export"
    shutil.copytree(CORPUS, exported)
    register = parse_file(exported / "register.xml")
    entry = next(el for el in register.iterfind(".//tei:person", NS))
    for name in entry.findall("tei:persName", NS):
        entry.remove(name)
    (exported / "register.xml").write_bytes(etree.tostring(register, xml_declaration=True, encoding="UTF-8"))
    target = tmp_path / "target"

    reports = {
        Path(r.source).relative_to(exported).as_posix(): r
        for r in ForeignImporter(target, tmp_path / "s").run([exported])
    }

    assert f"entry {entry.get(XML_ID)!r} has no canonical" in reports["register.xml"].error
    assert "register.xml" in reports["register.xml"].error
    article = reports["soviet-partisans-in-latvia.xml"]
    assert article.error == "" and (target / "soviet-partisans-in-latvia.xml").exists()
    # its links to entries the (curated) register lacks are named with their lines, not dropped silently
    assert article.problems and all("names no entry of the register" in p for p in article.problems)
