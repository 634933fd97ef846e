"""load → export gives back the TEI; load is idempotent; broken files are reported and skipped."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from reader.entities.models import Entity, EntityName
from reader.texts.exporter import CorpusExporter
from reader.texts.loader import CorpusLoader
from reader.texts.models import CorpusFile, Document, Mention, Paragraph, RetiredParagraphId
from texts_tei import write_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
CORPUS_FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.xml"))


def canonical(path: Path) -> bytes:
    return etree.tostring(etree.parse(str(path)), method="c14n2")


def test_the_corpus_has_files_to_check():
    assert len(CORPUS_FILES) >= 4


@pytest.fixture(scope="module")
def loaded_corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real corpus loaded once and exported to a temporary folder."""
    out = tmp_path_factory.mktemp("export")
    with django_db_blocker.unblock():
        report = CorpusLoader(CORPUS).run()
        CorpusExporter(out).run()
        yield report, out
        # Collations protect their files and documents: let the loader undo
        # its own work in the order it knows, then clear what is left.
        loader = CorpusLoader(CORPUS)
        for corpus_file in CorpusFile.objects.all():
            loader.remove_file(corpus_file)
        Entity.objects.all().delete()


def test_the_corpus_loads_without_warnings(loaded_corpus):
    """The generated corpus follows its own conventions: every unit has an id, every @ref an entry."""
    report, _ = loaded_corpus
    assert report.failed == [] and report.warnings == []


@pytest.mark.parametrize("relative", CORPUS_FILES)
def test_round_trip_of_every_corpus_file(loaded_corpus, relative):
    report, out = loaded_corpus
    assert relative not in dict(report.failed), dict(report.failed).get(relative)
    assert canonical(out / relative) == canonical(CORPUS / relative)


@pytest.mark.parametrize("relative", CORPUS_FILES)
def test_export_of_an_unchanged_corpus_file_is_byte_identical(loaded_corpus, relative):
    """So `export` after `load` rewrites nothing and git shows no diff."""
    _, out = loaded_corpus
    assert (out / relative).read_bytes() == (CORPUS / relative).read_bytes()


@pytest.mark.django_db
def test_round_trip_of_fixture_corpus_with_history_register_and_mentions(tmp_path):
    src = write_corpus(tmp_path / "src")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert Mention.objects.count() == 4
    assert RetiredParagraphId.objects.count() == 3
    out = tmp_path / "out"
    CorpusExporter(out).run()
    for path in sorted(src.rglob("*.xml")):
        assert canonical(out / path.relative_to(src)) == canonical(path), path.name


@pytest.mark.django_db
def test_load_twice_changes_nothing(tmp_path):
    src = write_corpus(tmp_path / "src")
    first = CorpusLoader(src).run()
    ids = sorted(Paragraph.objects.values_list("id", flat=True))
    second = CorpusLoader(src).run()
    assert len(first.loaded) == 3
    assert second.loaded == [] and second.removed == [] and len(second.unchanged) == 3
    assert sorted(Paragraph.objects.values_list("id", flat=True)) == ids


@pytest.mark.django_db
def test_changed_file_is_reloaded_and_removed_file_removed(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    path = src / "partisans-2.xml"
    path.write_text(path.read_text().replace("The Latvia text.", "The Latvian text."), encoding="utf-8")
    report = CorpusLoader(src).run()
    assert report.loaded == ["partisans-2.xml"]
    assert Paragraph.objects.get(document__slug="partisans-2", xml_id="p1").text == "The Latvian text."
    path.unlink()
    report = CorpusLoader(src).run()
    assert report.removed == ["partisans-2.xml"]
    assert not Document.objects.filter(slug="partisans-2").exists()


@pytest.mark.django_db
def test_broken_file_is_reported_and_the_rest_load(tmp_path):
    src = write_corpus(tmp_path / "src")
    (src / "broken.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="broken"><teiHeader>', encoding="utf-8"
    )
    report = CorpusLoader(src).run()
    assert [name for name, _ in report.failed] == ["broken.xml"]
    assert "broken.xml" in report.failed[0][1] and "line" in report.failed[0][1]
    assert set(Document.objects.values_list("slug", flat=True)) == {"partisans", "partisans-2"}


@pytest.mark.django_db
def test_duplicate_ids_are_refused_and_earlier_state_kept(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    path = src / "partisans-2.xml"
    path.write_text(path.read_text().replace('xml:id="p3"', 'xml:id="p2"'), encoding="utf-8")
    report = CorpusLoader(src).run()
    assert [name for name, _ in report.failed] == ["partisans-2.xml"]
    assert "p2" in report.failed[0][1] and "line" in report.failed[0][1]
    assert Paragraph.objects.filter(document__slug="partisans-2").count() == 3


@pytest.mark.django_db
def test_load_command_reports_progress_and_fails_on_broken_file(tmp_path):
    src = write_corpus(tmp_path / "src")
    out = StringIO()
    call_command("load", dir=src, stdout=out)
    assert "[1/3] register.xml: loaded 3 entities" in out.getvalue()
    assert "loaded 3, unchanged 0" in out.getvalue()
    (src / "bad.xml").write_bytes(b"not xml")
    with pytest.raises(CommandError, match="1 file"):
        call_command("load", dir=src, stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_export_command_writes_only_changed_files(tmp_path):
    src = write_corpus(tmp_path / "src")
    call_command("load", dir=src, stdout=StringIO())
    out = StringIO()
    call_command("export", dir=src, stdout=out)
    assert "written 0, unchanged 0" not in out.getvalue()
    out = StringIO()
    call_command("export", dir=src, stdout=out)
    assert "written 0, unchanged 3" in out.getvalue()


@pytest.mark.django_db
def test_changed_mentions_are_exported_inline_and_reload_the_same(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    p2 = Paragraph.objects.get(document__slug="partisans", xml_id="p2")
    p2.mentions.filter(kind="org").delete()
    start = p2.text.index("Sarkanā bulta")
    Mention.objects.create(
        paragraph=p2,
        document=p2.document,
        kind="org",
        start=start,
        end=start + len("Sarkanā bulta"),
        surface="Sarkanā bulta",
        resp="#annotator-anna",
    )
    out = tmp_path / "out"
    shutil.copytree(src, out)
    CorpusExporter(out).run()
    root = etree.parse(str(out / "partisans.xml")).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
    p = root.find(".//t:p[@xml:id='p2']", ns)
    orgs = p.findall("t:orgName", ns)
    assert [o.text for o in orgs] == ["Sarkanā bulta"]
    assert orgs[0].get("resp") == "#annotator-anna"
    assert "German Army came." in "".join(p.itertext())  # the unlinked words stay
    assert p.find("t:note[@type='editorial']", ns) is not None  # noise kept
    # Reloading the exported file gives the same mentions.
    CorpusLoader(out).run()
    p2 = Paragraph.objects.get(document__slug="partisans", xml_id="p2")
    assert sorted(p2.mentions.values_list("kind", "surface")) == [("date", "June 1941"), ("org", "Sarkanā bulta")]


@pytest.mark.django_db
def test_export_into_the_corpus_counts_as_published(tmp_path, settings):
    """After `export` to the corpus itself, the database holds no unpublished work
    and the next `load` has nothing to reload."""
    src = write_corpus(tmp_path / "src")
    settings.CORPUS_TEI_DIR = src
    CorpusLoader(src).run()
    p2 = Paragraph.objects.get(document__slug="partisans", xml_id="p2")
    p2.mentions.filter(kind="org").delete()
    corpus_file = CorpusFile.objects.get(path="partisans.xml")
    assert CorpusLoader.has_unpublished_changes(corpus_file)
    call_command("export", stdout=StringIO())
    corpus_file.refresh_from_db()
    assert not CorpusLoader.has_unpublished_changes(corpus_file)
    report = CorpusLoader(src).run()
    assert report.loaded == [] and len(report.unchanged) == 3


@pytest.mark.django_db
def test_changed_register_entry_is_rebuilt_and_others_kept(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    army = Entity.objects.get(xml_id="org-army")
    army.name = "Wehrmacht Heer"
    army.save()
    EntityName.objects.create(entity=army, name="German Army", type="variant")
    out = tmp_path / "out"
    CorpusExporter(out).run()
    root = etree.parse(str(out / "register.xml")).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
    org = root.find(".//t:org[@xml:id='org-army']", ns)
    assert [n.text for n in org.findall("t:orgName", ns)] == ["Wehrmacht Heer", "German Army"]
    assert org.find("t:note", ns).text == "The Wehrmacht's land forces."
    original = etree.parse(str(src / "register.xml")).getroot()
    unchanged = original.find(".//t:place", ns)
    assert etree.tostring(root.find(".//t:place", ns), method="c14n") == etree.tostring(unchanged, method="c14n")


@pytest.mark.django_db
def test_reload_keeps_paragraph_rows_of_surviving_ids(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    before = dict(Paragraph.objects.filter(document__slug="partisans-2").values_list("xml_id", "pk"))
    path = src / "partisans-2.xml"
    path.write_text(path.read_text().replace("The Latvia text.", "The Latvian text."), encoding="utf-8")
    CorpusLoader(src).run()
    after = dict(Paragraph.objects.filter(document__slug="partisans-2").values_list("xml_id", "pk"))
    assert after == before


@pytest.mark.django_db
def test_reload_refuses_to_overwrite_unexported_annotator_work(tmp_path):
    src = write_corpus(tmp_path / "src")
    CorpusLoader(src).run()
    Mention.objects.filter(document__slug="partisans", kind="date").delete()  # an annotator's change
    path = src / "partisans.xml"
    path.write_text(path.read_text().replace("The ", "Tha ", 1), encoding="utf-8")  # the file changed too
    report = CorpusLoader(src).run()
    assert [name for name, _ in report.failed] == ["partisans.xml"]
    assert "never exported" in report.failed[0][1]
    assert not Mention.objects.filter(document__slug="partisans", kind="date").exists()
    forced = CorpusLoader(src, force=True).run()
    assert "partisans.xml" in forced.loaded
    assert Mention.objects.filter(document__slug="partisans", kind="date").count() == 1


@pytest.mark.django_db
def test_collation_and_reuse_files_load_link_passages_and_round_trip(tmp_path):
    from reader.texts.models import Passage, Reading, Work
    from texts_tei import write_collations

    src = write_corpus(tmp_path / "src")
    write_collations(src)
    report = CorpusLoader(src).run()
    assert report.failed == [] and "collations/partisans.xml" in report.loaded
    work = Work.objects.get(slug="partisans")
    assert work.variant_count == 1 and work.collation.witnesses.count() == 2
    assert sorted(Reading.objects.values_list("document__slug", "text", "paragraph__xml_id")) == [
        ("partisans", "Sarkanā", "p2"),
        ("partisans-2", "Sarkana", "p2"),
    ]

    def groups(kind):
        return sorted(
            sorted(p.paragraphs.values_list("document__slug", "xml_id")) for p in Passage.objects.filter(kind=kind)
        )

    assert groups("witness") == [
        [("partisans", "p1"), ("partisans-2", "p1")],
        [("partisans", "p2"), ("partisans-2", "p2")],
    ]
    assert all(p.work == work for p in Passage.objects.filter(kind="witness"))
    reuse = groups("reuse")
    assert len(reuse) == 1 and sorted(xml_id for _, xml_id in reuse[0]) == ["i1", "p3"]
    out = tmp_path / "out"
    CorpusExporter(out).run()
    for path in sorted(src.rglob("*.xml")):
        assert canonical(out / path.relative_to(src)) == canonical(path), path.name


@pytest.mark.django_db
def test_pointers_of_a_collation_to_units_that_do_not_exist_are_named_not_dropped_silently(tmp_path):
    from reader.texts.models import Passage
    from texts_tei import COLLATION, REUSE, _write

    src = write_corpus(tmp_path / "src")
    (src / "collations").mkdir()
    _write(src / "collations" / "partisans.xml", COLLATION.replace("../partisans-2.xml#p1", "../partisans-2.xml#p99"))
    _write(src / "collations" / "reuse.xml", REUSE.replace("../partisans.xml#i1", "../gone.xml#p1"))
    report = CorpusLoader(src).run()
    assert report.failed == []
    warnings = dict(report.warnings)
    assert (
        "1 alignment pointer(s) name no unit of a loaded witness (partisans-2.xml#p99)"
        in warnings["collations/partisans.xml"]
    )
    assert "1 link pointer(s) name no unit of a loaded witness (gone.xml#p1)" in warnings["collations/reuse.xml"]
    # What is known still loads: p2 is aligned; a passage of one unit is no passage.
    assert [sorted(p.paragraphs.values_list("xml_id", flat=True)) for p in Passage.objects.filter(kind="witness")] == [
        ["p2", "p2"]
    ]
    assert not Passage.objects.filter(kind="reuse").exists()


@pytest.mark.django_db
def test_a_changed_register_entry_diffs_as_just_that_change(tmp_path):
    """An annotator's added variant shows in `git diff` as one added line, laid out like its neighbours."""
    import difflib

    src = tmp_path / "tei"
    shutil.copytree(CORPUS, src)
    CorpusLoader(src).run()
    entity = Entity.objects.get(xml_id="per-arturs-sprogis")
    entity.names.create(name="Arturs Sprogis", type="variant", position=99)
    before = (src / "register.xml").read_text(encoding="utf-8").splitlines()
    CorpusExporter(src).run()
    after = (src / "register.xml").read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    assert changed[2:] == ['+        <persName type="variant">Arturs Sprogis</persName>']


@pytest.mark.django_db
def test_a_work_without_apparatus_file_still_has_its_passages_linked(tmp_path):
    from reader.texts.models import Passage, Work

    src = write_corpus(tmp_path / "src")  # two witnesses of one work, no collations/
    assert CorpusLoader(src).run().failed == []
    work = Work.objects.get(slug="partisans")
    groups = sorted(
        sorted(p.paragraphs.values_list("document__slug", "xml_id")) for p in Passage.objects.filter(kind="witness")
    )
    assert [("partisans", "p1"), ("partisans-2", "p1")] in groups and [
        ("partisans", "p2"),
        ("partisans-2", "p2"),
    ] in groups
    assert all(p.work == work for p in Passage.objects.filter(kind="witness"))
    assert work.variant_count >= 1  # Sarkanā / Sarkana at least
