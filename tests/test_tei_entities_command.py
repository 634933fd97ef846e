"""`manage.py recognise`: re-runs recognition on corpus TEI in place, keeping annotators' work."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reader.tei.entities import Register
from reader.tei.validate import validate_file
from reader.tei.xml import XML_ID, parse_file, serialize

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"


@pytest.fixture
def corpus_copy(tmp_path, settings):
    docs = sorted(p for p in CORPUS.glob("*.xml") if p.name != "register.xml")
    assert docs, "corpus/tei has no documents"
    for path in docs:
        shutil.copy(path, tmp_path / path.name)
    settings.CORPUS_TEI_DIR = tmp_path
    return tmp_path


def run() -> str:
    out = StringIO()
    call_command("recognise", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_recognise_marks_the_corpus_and_a_second_run_changes_nothing(corpus_copy):
    run()
    register = corpus_copy / "register.xml"
    assert register.exists()
    for path in corpus_copy.glob("*.xml"):
        assert validate_file(path) == [], path
    docs = [p for p in corpus_copy.glob("*.xml") if p != register]
    before = {p: p.read_bytes() for p in [*docs, register]}
    assert all(b'resp="#pipeline"' in before[p] for p in docs)
    output = run()
    assert "(written)" not in output
    assert {p: p.read_bytes() for p in before} == before


def test_recognise_keeps_an_annotators_correction(corpus_copy):
    run()
    path = next(
        p
        for p in sorted(corpus_copy.glob("*.xml"))
        if p.name != "register.xml" and b">Latvia</placeName>" in p.read_bytes()
    )
    root = parse_file(path)
    mention = next(el for el in root.iter("{*}placeName") if el.text == "Latvia")
    unit_id = next(a.get(XML_ID) for a in mention.iterancestors() if a.get(XML_ID))
    mention.tag = "{http://www.tei-c.org/ns/1.0}orgName"
    mention.attrib.clear()
    mention.set("ref", "register.xml#org-red-army")
    mention.set("resp", "#annotator-x")
    path.write_bytes(serialize(root))
    run()
    again = parse_file(path)
    unit_again = next(el for el in again.iter() if el.get(XML_ID) == unit_id)
    kept = [el for el in unit_again.iter("{*}orgName") if el.get("resp") == "#annotator-x"]
    assert [(el.text, el.get("ref")) for el in kept] == [("Latvia", "register.xml#org-red-army")]


def test_recognise_refuses_a_broken_register_and_writes_nothing(corpus_copy):
    data = Register.seed().to_bytes().replace(b'xml:id="per-adolf-hitler"', b'xml:id="per-joseph-stalin"')
    (corpus_copy / "register.xml").write_bytes(data)
    docs = {p: p.read_bytes() for p in corpus_copy.glob("*.xml")}
    with pytest.raises(CommandError) as err:
        run()
    assert "register.xml: line" in str(err.value) and "duplicate xml:id 'per-joseph-stalin'" in str(err.value)
    assert {p: p.read_bytes() for p in docs} == docs


def test_validate_reports_dangling_refs_and_checks_the_register_against_the_whole_corpus(tmp_path, settings):
    """The register serves every document: naming one file must not make the others' entries 'unused'."""
    for path in CORPUS.glob("*.xml"):
        shutil.copy(path, tmp_path / path.name)
    settings.CORPUS_TEI_DIR = tmp_path
    one = tmp_path / "soviet-partisans-in-latvia.xml"
    call_command("validate", str(one), stdout=StringIO(), stderr=StringIO())  # valid: no error raised
    one.write_text(
        one.read_text(encoding="utf-8").replace("register.xml#pla-latvia", "register.xml#pla-atlantis", 1),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 register problem"):
        call_command("validate", str(one), stdout=StringIO(), stderr=err)
    assert "pla-atlantis" in err.getvalue() and "soviet-partisans-in-latvia" in err.getvalue()
