"""Issue 17, "one owner for shared state": writers of the corpus folder and of its rows never lose each other's work.

Concurrency is real here: two `manage.py ingest` processes on one corpus folder,
a load racing an annotator's posts (threads, PostgreSQL), and the lock itself
held by one thread while another waits.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.tei.foreign import ForeignImporter
from reader.tei.ingest import Ingester, new_slug
from reader.tei.lock import CorpusBusy, corpus_lock
from reader.tei.vocabulary import REGISTER_ENTRIES
from reader.tei.xml import NS, XML_ID, parse_file

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "corpus" / "tei" / "register.xml"
WAIT = 180  # seconds any subprocess or thread may take before the test fails

VALMORA = """= The Harbour Strike of Valmora =

The harbour strike of Valmora began in March 1923. Its leader, Teodor Brannick, spoke at the Valmora Dockworkers \
Union hall every evening.

Teodor Brannick later moved to Quessenburg, where he founded the Quessenburg Workers League with Ilse Marhoven.
"""
LINDMERE = """= The Orchard Cooperative of Lindmere =

The orchard cooperative of Lindmere was founded in 1931 by Agathe Surrowick and Bertil Onsgaard.

Agathe Surrowick later chaired the Lindmere Growers Association and travelled to Ostravel to sell apples.
"""


def long_text(variant: str) -> str:
    """A text long enough (a second or two of ingest) that two ingests started together overlap."""
    paragraphs = [
        f"Paragraph {i} tells of the harbour strike in {1900 + i % 90}, when {i} ships waited at quay {i % 17}."
        for i in range(400)
    ]
    paragraphs[5] += f" {variant}"
    return "= The Harbour Strike =\n\n" + "\n\n".join(paragraphs) + "\n"


def register_ids(path: Path) -> set[str]:
    root = parse_file(path)
    return {el.get(XML_ID) for tag in REGISTER_ENTRIES for el in root.iter(tag)}


def refs_of(path: Path) -> set[str]:
    return {
        ref.split("#", 1)[1]
        for ref in parse_file(path).xpath("//tei:text//@ref", namespaces=NS)
        if ref.startswith("register.xml#")
    }


def dangling_refs(folder: Path) -> dict[str, set[str]]:
    """Per TEI file of ``folder``, the @refs into the register that name no entry of register.xml."""
    entries = register_ids(folder / "register.xml")
    found = {}
    for path in sorted(folder.glob("*.xml")):
        if path.name != "register.xml":
            missing = refs_of(path) - entries
            if missing:
                found[path.name] = missing
    return found


def ingest_processes(out: Path, sources: list[Path], *extra: str) -> list[subprocess.CompletedProcess]:
    """Run one `manage.py ingest` process per source, all at once, and wait for them."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "ingest", str(s), "--out", str(out), "--jobs", "1", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in sources
    ]
    done = []
    for p in procs:
        out_text, err_text = p.communicate(timeout=WAIT)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out_text, err_text))
    return done


# --------------------------------------------------------------------------- the lock


def test_the_corpus_lock_makes_a_second_writer_wait_and_is_reentrant(tmp_path):
    held, release = threading.Event(), threading.Event()

    def holder():
        with corpus_lock(tmp_path):
            with corpus_lock(tmp_path):  # the same thread takes it again (save_register inside ingest)
                held.set()
                release.wait(WAIT)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(WAIT)
    started = time.monotonic()
    with pytest.raises(CorpusBusy, match="another writer"):
        with corpus_lock(tmp_path, timeout=0.3):
            pass
    assert time.monotonic() - started >= 0.3
    release.set()
    thread.join(WAIT)
    with corpus_lock(tmp_path, timeout=5):  # released: the next writer gets it at once
        pass


@pytest.mark.slow
def test_two_ingests_with_recognition_at_once_keep_both_texts_register_entries(tmp_path):
    corpus = tmp_path / "tei"
    corpus.mkdir()
    (corpus / "register.xml").write_bytes(REGISTER.read_bytes())
    before = register_ids(corpus / "register.xml")
    sources = []
    for name, text in (("valmora.txt", VALMORA), ("lindmere.txt", LINDMERE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        sources.append(tmp_path / name)

    results = ingest_processes(corpus, sources)

    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    documents = [p for p in corpus.glob("*.xml") if p.name != "register.xml"]
    assert len(documents) == 2
    for document in documents:  # each text added entries of its own, and the register has them
        assert refs_of(document) - before, f"{document.name} made no new register entry"
    assert dangling_refs(corpus) == {}


def test_two_revisions_of_one_source_ingested_at_once_are_both_recorded(tmp_path):
    corpus = tmp_path / "tei"
    first, second, third = (tmp_path / d for d in ("v1", "v2", "v3"))
    for folder, extra in ((first, ""), (second, "It struck again in 1924."), (third, "Ships waited for weeks.")):
        folder.mkdir()
        (folder / "strike.txt").write_text(long_text(extra))
    assert [r.error for r in Ingester(corpus).run([first / "strike.txt"])] == [None]

    results = ingest_processes(corpus, [second / "strike.txt", third / "strike.txt"], "--no-entities")

    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    [document] = corpus.glob("*.xml")
    changes = parse_file(document).findall(".//tei:revisionDesc/tei:change", NS)
    # one after the other: the second revision is made on top of the first, so neither is lost
    assert [c.get("n") for c in changes] == ["1", "2", "3"]


def test_two_new_texts_of_one_title_ingested_at_once_get_two_files(tmp_path):
    corpus = tmp_path / "tei"
    sources = []
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(long_text(name))
        sources.append(tmp_path / name)

    results = ingest_processes(corpus, sources, "--no-entities")

    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    roots = [parse_file(p) for p in sorted(corpus.glob("*.xml"))]
    assert sorted(r.get(XML_ID) for r in roots) == ["the-harbour-strike", "the-harbour-strike-2"]


# --------------------------------------------------------------------------- reserved names


@pytest.mark.parametrize("title", ["Register", "REGISTER", "Collations"])
def test_a_title_that_names_a_corpus_file_gets_a_suffix(title):
    assert new_slug(title, "", set()) == f"{title.lower()}-text"
    assert new_slug("Register of deeds", "", set()) == "register-of-deeds"  # only the whole name is reserved


def test_a_text_titled_register_never_overwrites_the_register(tmp_path):
    corpus = tmp_path / "tei"
    corpus.mkdir()
    (corpus / "register.xml").write_bytes(REGISTER.read_bytes())
    source = tmp_path / "register.txt"
    source.write_text("= Register =\n\nThe register of the parish was kept by the priest from 1780.\n")

    [result] = Ingester(corpus).run([source])

    assert result.error is None and result.path == corpus / "register-text.xml"
    assert (corpus / "register.xml").read_bytes() == REGISTER.read_bytes()
    assert parse_file(result.path).get(XML_ID) == "register-text"


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register">
  <teiHeader><fileDesc><titleStmt><title>Parish register</title></titleStmt>
    <publicationStmt><p>Unpublished.</p></publicationStmt><sourceDesc><p>A register.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><p>Baptised in 1781: <persName>Jan Kowal</persName>.</p></body></text>
</TEI>
"""


def test_foreign_tei_whose_root_is_called_register_is_imported_under_a_safe_slug(tmp_path):
    corpus = tmp_path / "tei"
    corpus.mkdir()
    (corpus / "register.xml").write_bytes(REGISTER.read_bytes())
    source = tmp_path / "parish.xml"
    source.write_text(FOREIGN, encoding="utf-8")

    [report] = ForeignImporter(corpus, tmp_path / "sources", validate=False).run([source])

    assert report.ok, report.lines()
    assert report.slug == "register-text"
    assert parse_file(corpus / "register-text.xml").get(XML_ID) == "register-text"
    assert register_ids(corpus / "register.xml") >= register_ids(REGISTER)  # the register is still one
