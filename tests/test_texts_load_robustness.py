"""`load` on hostile or unconventional files: each is loaded as far as it is sound or refused
with its name and line, the others always load, and nothing is dropped silently.

Each case is one small file in tests/data/load/ (one feature or error each), put beside the
fixture corpus of texts_tei.write_corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reader.tei.xml import MAX_TEI_BYTES, remove_stale_temporaries, write_atomic
from reader.texts.loader import CorpusLoader
from reader.texts.models import CorpusFile, Document, Mention, Paragraph
from texts_tei import write_corpus

DATA = Path(__file__).resolve().parent / "data" / "load"
GOOD = {"partisans", "partisans-2"}


def corpus_with(tmp_path: Path, *fixtures: str) -> Path:
    src = write_corpus(tmp_path / "src")
    for name in fixtures:
        shutil.copy(DATA / name, src / name)
    return src


def slugs() -> set[str]:
    return set(Document.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_a_dotted_root_id_loads_and_every_page_naming_it_answers(tmp_path, client):
    src = corpus_with(tmp_path, "dotted_id_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert slugs() == GOOD | {"a.dotted.id"}
    for url in [
        "/",
        "/search/?q=Riga",
        "/entities/pla-latvia/",
        "/entities/",
        "/texts/a.dotted.id/",
        "/texts/a.dotted.id/s.2.1.1/",
        "/texts/a.dotted.id.xml",
        "/texts/a.dotted.id.txt",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert b'href="/texts/a.dotted.id/s.2.1.1/"' in client.get("/texts/a.dotted.id/").content


@pytest.mark.django_db
def test_refs_with_slashes_load_unlinked_and_are_reported(tmp_path, client):
    src = corpus_with(tmp_path, "ref_with_slash_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert slugs() == GOOD | {"ref-with-slash"}
    mentions = Mention.objects.filter(document__slug="ref-with-slash")
    assert sorted(mentions.values_list("surface", "ref")) == [("Latvia", ""), ("Rainis", "")]
    warnings = [w for name, w in report.warnings if name == "ref_with_slash_example.xml"]
    assert any("line 8" in w and "http://viaf.org/viaf/96994048" in w for w in warnings), warnings
    assert any("register.xml#pla/latvia" in w for w in warnings), warnings
    assert client.get("/texts/ref-with-slash/").status_code == 200


@pytest.mark.django_db
def test_a_ref_to_no_register_entry_is_reported(tmp_path):
    src = corpus_with(tmp_path, "dangling_ref_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert (
        "dangling_ref_example.xml",
        "line 8: @ref to 'per-nobody', which is not in the register; shown unlinked",
    ) in report.warnings
    assert not any("pla-latvia" in w for _, w in report.warnings)


@pytest.mark.django_db
def test_a_doctype_after_4_kb_is_refused_with_its_line_and_the_rest_load(tmp_path):
    src = corpus_with(tmp_path, "doctype_after_comment_example.xml")
    assert (DATA / "doctype_after_comment_example.xml").read_bytes().find(b"<!DOCTYPE") > 4096
    report = CorpusLoader(src).run()
    assert report.failed == [
        (
            "doctype_after_comment_example.xml",
            "doctype_after_comment_example.xml: line 3: DOCTYPE/ENTITY declarations are not accepted in TEI input",
        )
    ]
    assert slugs() == GOOD


@pytest.mark.django_db
def test_a_paragraph_without_id_gets_a_fresh_one_and_is_reported(tmp_path):
    src = corpus_with(tmp_path, "p_without_id_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    paragraphs = Paragraph.objects.filter(document__slug="p-without-id").order_by("position")
    assert list(paragraphs.values_list("xml_id", "text")) == [
        ("p1", "The first paragraph has an id."),
        ("p4", "The second paragraph has none."),  # after every id in use: never an old one
        ("p3", "The third has one again."),
    ]
    assert ("p_without_id_example.xml", "line 8: <p> had no xml:id; given 'p4' (export writes it)") in report.warnings
    # Export writes the id into the file, and loading that file gives the same rows without warnings.
    from reader.texts.exporter import CorpusExporter

    out = tmp_path / "out"
    CorpusExporter(out).run()
    assert b'<p xml:id="p4">The second paragraph has none.</p>' in (out / "p_without_id_example.xml").read_bytes()
    again = CorpusLoader(out, force=True).run()
    assert not [w for name, w in again.warnings if name == "p_without_id_example.xml"]


@pytest.mark.django_db
def test_many_units_without_ids_are_reported_in_one_line(tmp_path):
    src = write_corpus(tmp_path / "src")
    text = (DATA / "p_without_id_example.xml").read_text(encoding="utf-8")
    (src / "many.xml").write_text(
        text.replace('<p xml:id="p3">', "<p>")
        .replace('<p xml:id="p1">', "<p>")
        .replace("</div>", "<p>Four.</p><p>Five.</p></div>"),
        encoding="utf-8",
    )
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert [w for name, w in report.warnings if name == "many.xml"] == [
        "5 times, lines 8, 8, 8, 8, 8: 5 units had no xml:id (<p> ×5); given fresh ids p1 … p5 (export writes them)"
    ]
    assert Paragraph.objects.filter(document__slug="p-without-id").count() == 5


@pytest.mark.django_db
def test_text_in_no_citable_unit_is_reported_not_dropped_silently(tmp_path):
    src = corpus_with(tmp_path, "verse_outside_units_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert (
        "verse_outside_units_example.xml",
        "14 words of the body are in no citable unit (<p>, <head>, <item>, <bibl>) and are not shown in the "
        "reader; they stand in: <l> 14 (convert the file with `manage.py importtei`)",
    ) in report.warnings


@pytest.mark.django_db
def test_xml_that_is_not_tei_is_refused(tmp_path):
    src = corpus_with(tmp_path, "not_tei_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == [
        ("not_tei_example.xml", "not_tei_example.xml: line 2: not TEI: the root element is <html>, not <TEI>")
    ]
    assert not CorpusFile.objects.filter(path="not_tei_example.xml").exists()
    assert slugs() == GOOD


@pytest.mark.django_db
def test_tei_without_the_namespace_is_refused_with_the_way_in(tmp_path):
    src = write_corpus(tmp_path / "src")
    text = (DATA / "dotted_id_example.xml").read_text(encoding="utf-8")
    (src / "no_namespace.xml").write_text(text.replace(' xmlns="http://www.tei-c.org/ns/1.0"', ""), encoding="utf-8")
    report = CorpusLoader(src).run()
    ((name, message),) = report.failed
    assert name == "no_namespace.xml" and "no namespace, not the TEI namespace" in message and "importtei" in message


@pytest.mark.django_db
def test_a_utf16_file_loads_and_is_named_as_utf16(tmp_path):
    src = corpus_with(tmp_path, "utf16_example.xml")
    report = CorpusLoader(src).run()
    assert report.failed == []
    assert Paragraph.objects.get(document__slug="utf-sixteen").text == "Rīga, Latvija — in UTF-16."
    assert ("utf16_example.xml", "the file is UTF-16LE; export writes it as UTF-8") in report.warnings


def test_a_utf16_text_for_ingest_is_named_as_utf16(tmp_path):
    from reader.tei.source import SourceError, read_source

    path = tmp_path / "text.txt"
    path.write_bytes("Rīga\n".encode("utf-16"))
    with pytest.raises(SourceError, match=r"is UTF-16LE, not UTF-8.*iconv -f UTF-16LE -t UTF-8"):
        read_source(path)


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    src = write_corpus(tmp_path / "src")
    with open(src / "huge.xml", "wb") as fh:  # sparse: no 16 MB written
        fh.truncate(MAX_TEI_BYTES + 1)
    report = CorpusLoader(src).run()
    ((name, message),) = report.failed
    assert name == "huge.xml" and f"larger than the {MAX_TEI_BYTES:,}-byte limit" in message
    assert slugs() == GOOD


@pytest.mark.django_db
def test_an_apparatus_larger_than_a_document_may_be_loads(tmp_path):
    """collate writes apparatus files that grow with the witnesses: one past the documents' limit
    loads (its own, larger limit still refuses what is larger than that)."""
    from texts_tei import COLLATION

    from reader.tei.xml import MAX_APPARATUS_BYTES
    from reader.texts.models import Variant

    src = write_corpus(tmp_path / "src")
    (src / "collations").mkdir()
    padding = ("<!--" + "x" * 2**20 + "-->\n") * 17  # more than 16 MiB
    (src / "collations" / "partisans.xml").write_text(COLLATION.replace("<text>", padding + "<text>"), encoding="utf-8")
    report = CorpusLoader(src).run()
    assert report.failed == [] and "collations/partisans.xml" in report.loaded
    assert Variant.objects.count() == 1
    with open(src / "collations" / "huge.xml", "wb") as fh:  # sparse
        fh.truncate(MAX_APPARATUS_BYTES + 1)
    ((name, message),) = CorpusLoader(src).run().failed
    assert name == "collations/huge.xml" and f"larger than the {MAX_APPARATUS_BYTES:,}-byte limit" in message


@pytest.mark.django_db
def test_an_id_longer_than_its_column_is_refused_with_its_line(tmp_path):
    src = write_corpus(tmp_path / "src")
    text = (DATA / "dotted_id_example.xml").read_text(encoding="utf-8")
    (src / "long.xml").write_text(text.replace('xml:id="s.2.1.1"', f'xml:id="p{"x" * 80}"'), encoding="utf-8")
    report = CorpusLoader(src).run()
    ((name, message),) = report.failed
    assert name == "long.xml" and "line 8: xml:id 'pxxx" in message and "longer than 60 characters" in message


@pytest.mark.django_db
def test_any_exception_in_one_file_rolls_that_file_back_and_the_others_load(tmp_path, monkeypatch):
    src = corpus_with(tmp_path, "dotted_id_example.xml")
    original = CorpusLoader.save_document

    def save_then_fail(self, relative, sha, doc):
        summary = original(self, relative, sha, doc)  # rows are written, then something unexpected breaks
        if doc.slug == "a.dotted.id":
            raise RuntimeError("disk on fire")
        return summary

    monkeypatch.setattr(CorpusLoader, "save_document", save_then_fail)
    report = CorpusLoader(src).run()
    assert report.failed == [
        (
            "dotted_id_example.xml",
            "dotted_id_example.xml: cannot be loaded (RuntimeError: disk on fire); nothing of it was saved",
        )
    ]
    assert slugs() == GOOD
    assert not CorpusFile.objects.filter(path="dotted_id_example.xml").exists()
    assert not Paragraph.objects.filter(xml_id="s.2.1.1").exists()


@pytest.mark.django_db
def test_the_load_command_lists_warnings_and_failures_by_file(tmp_path):
    src = corpus_with(tmp_path, "dangling_ref_example.xml", "not_tei_example.xml")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("load", dir=src, stdout=out, stderr=err)
    assert "warnings 1" in out.getvalue()
    assert "WARNING dangling_ref_example.xml: line 8: @ref to 'per-nobody'" in err.getvalue()
    assert "FAILED not_tei_example.xml: not_tei_example.xml: line 2: not TEI" in err.getvalue()


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "doc.xml"
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()  # its pid is now free: a writer that died
    stale = tmp_path / f".doc.xml.{killed.pid}.abc123.tmp"
    stale.write_bytes(b"<TEI half-writ")
    live = tmp_path / f".doc.xml.{os.getppid()}.def456.tmp"  # a writer that is still running
    live.write_bytes(b"<TEI being written")
    assert write_atomic(target, b"<TEI/>\n")
    assert not stale.exists() and live.exists()
    assert target.read_bytes() == b"<TEI/>\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [live.name]
    assert remove_stale_temporaries(target) == []


@pytest.mark.django_db
def test_a_file_that_cannot_be_removed_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    src = corpus_with(tmp_path, "dotted_id_example.xml")
    CorpusLoader(src).run()
    (src / "dotted_id_example.xml").unlink()
    (src / "partisans-2.xml").unlink()

    def refuse(self, corpus_file):
        if corpus_file.path == "dotted_id_example.xml":
            raise RuntimeError("protected by a foreign key")
        return original(self, corpus_file)

    original = CorpusLoader.remove_file
    monkeypatch.setattr(CorpusLoader, "remove_file", refuse)
    report = CorpusLoader(src).run()
    assert report.removed == ["partisans-2.xml"]
    assert [name for name, _ in report.failed] == ["dotted_id_example.xml"]
    assert (
        "could not be removed from the database (RuntimeError: protected by a foreign key); kept" in report.failed[0][1]
    )
    assert slugs() == {"partisans", "a.dotted.id"}


@pytest.mark.django_db
def test_a_title_longer_than_its_column_is_refused_not_half_saved(tmp_path):
    src = write_corpus(tmp_path / "src")
    text = (DATA / "dotted_id_example.xml").read_text(encoding="utf-8")
    (src / "long_title.xml").write_text(
        text.replace("<title>Dotted ids</title>", f"<title>{'Long ' * 120}</title>", 1), encoding="utf-8"
    )
    report = CorpusLoader(src).run()
    ((name, message),) = report.failed
    assert name == "long_title.xml" and "the header's title 'Long Long" in message and "longer than 500" in message
    assert slugs() == GOOD
