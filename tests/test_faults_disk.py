"""A full disk while ingest, collate, export and publish write the corpus.

The corpus lives on a real, tiny tmpfs that the test fills to the last byte (when the test may
mount one: root on Linux); elsewhere every fsync raises ENOSPC, which is what a full disk does to
``write_atomic``'s temporary file. Either way: a one-line error naming the file and "no space
left on device", no traceback, every file as it was before, nothing lost from the database, and
the same command completes once there is room again.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotating import PARTISAN_SEED, client_for
from reader.entities.models import Entity
from reader.tei.xml import XML_ID, parse_file
from reader.texts.loader import CorpusLoader

pytestmark = pytest.mark.faults

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
WORK = "soviet-partisans-in-latvia"
NO_SPACE = "no space left on device"


class Disk:
    """A folder whose file system can be made full, and emptied again."""

    def __init__(self, folder: Path):
        self.folder, self.mounted = folder, False
        folder.mkdir(parents=True)
        if os.geteuid() == 0 and shutil.which("mount"):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True)
            self.mounted = done.returncode == 0
        self.filler = folder.parent / "filler"  # outside the corpus folder when nothing is mounted

    @contextlib.contextmanager
    def full(self):
        """The disk is full inside the block: on the tmpfs, a filler file takes every free byte."""
        if self.mounted:
            self.filler = self.folder / ".filler"
            fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                for chunk in (1 << 16, 1 << 9, 1):  # big blocks, then the last partial ones
                    with contextlib.suppress(OSError):
                        while True:
                            os.write(fd, b"\0" * chunk)
            finally:
                os.close(fd)
            try:
                yield
            finally:
                self.filler.unlink()
        else:
            with pytest.MonkeyPatch.context() as patch:

                def fsync(fd):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                patch.setattr(os, "fsync", fsync)
                yield

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)


@pytest.fixture
def disk(tmp_path):
    disk = Disk(tmp_path / "disk")
    yield disk
    disk.unmount()


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")]


def assert_one_line_naming_a_file(message: str, folder: Path) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert NO_SPACE in message.lower()
    assert str(folder) in message and ".xml" in message, message


def ingest(source: Path, out: Path) -> str:
    """Run ``manage.py ingest`` (no entity stage) and return what it wrote to standard error."""
    err = io.StringIO()
    try:
        call_command("ingest", str(source), "--out", str(out), "--no-entities", "--jobs", "1", verbosity=0, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
    return err.getvalue()


def revised_seed(tmp_path: Path) -> Path:
    source = tmp_path / PARTISAN_SEED.name  # the same name: a revision of the document
    source.write_text(PARTISAN_SEED.read_text(encoding="utf-8") + "\n\nA paragraph added by the editor.\n")
    return source


def test_ingest_on_a_full_disk_refuses_the_source_and_keeps_the_earlier_tei(disk, tmp_path):
    out = disk.folder / "tei"
    assert "CommandError" not in ingest(PARTISAN_SEED, out)
    before = snapshot(out)
    source = revised_seed(tmp_path)
    with disk.full():
        said = ingest(source, out)
    assert "Traceback" not in said and "CommandError: 1 of 1 source(s) could not be ingested" in said
    assert f"{source.name}: " in said and NO_SPACE in said.lower(), said
    assert snapshot(out) == before and temporaries(out) == []
    assert "CommandError" not in ingest(source, out)  # room again: the revision goes in
    assert snapshot(out) != before


def test_ingest_on_a_full_disk_names_the_tei_file_it_could_not_write(disk, tmp_path):
    out = disk.folder / "tei"
    ingest(PARTISAN_SEED, out)
    with disk.full():
        said = ingest(revised_seed(tmp_path), out)
    assert str(out / "soviet-partisans-in-latvia.xml") in said, said


def test_collate_on_a_full_disk(disk):
    tei = disk.folder / "tei"
    tei.mkdir()
    for name in (f"{WORK}.xml", f"{WORK}-2.xml"):
        shutil.copy(CORPUS / name, tei / name)
    call_command("collate", "--tei-dir", str(tei), verbosity=0, stdout=open(os.devnull, "w"))
    witness = tei / f"{WORK}-2.xml"
    head, body = witness.read_bytes().split(b"<body", 1)
    witness.write_bytes(head + b"<body" + body.replace(b" the ", b" thee ", 1))  # the apparatus changes
    before = snapshot(tei)
    with disk.full(), pytest.raises(CommandError) as refused:
        call_command("collate", "--tei-dir", str(tei), verbosity=0, stdout=open(os.devnull, "w"))
    assert_one_line_naming_a_file(str(refused.value), tei)
    assert snapshot(tei) == before and temporaries(tei) == []
    call_command("collate", "--tei-dir", str(tei), verbosity=0, stdout=open(os.devnull, "w"))
    assert snapshot(tei) != before


@pytest.fixture
def corpus_on_disk(disk, recognised_tei, settings, db):
    """The annotators' corpus, loaded, with its TEI folder on the disk that will fill."""
    tei = disk.folder / "tei"
    shutil.copytree(recognised_tei, tei)
    settings.CORPUS_TEI_DIR = tei
    assert CorpusLoader(tei).run().failed == []
    return tei


def rename_an_entry() -> Entity:
    """An annotator's change that export and publish must write into the register."""
    entity = Entity.objects.get(xml_id="pla-latvia")
    entity.name = "Latvija"
    entity.save()
    return entity


def test_export_on_a_full_disk(disk, corpus_on_disk):
    rename_an_entry()
    before = snapshot(corpus_on_disk)
    with disk.full(), pytest.raises(CommandError) as refused:
        call_command("export", verbosity=0)
    assert_one_line_naming_a_file(str(refused.value), corpus_on_disk)
    assert snapshot(corpus_on_disk) == before and temporaries(corpus_on_disk) == []
    assert Entity.objects.get(xml_id="pla-latvia").name == "Latvija"  # nothing lost from the database
    call_command("export", verbosity=0)
    assert b"Latvija" in (corpus_on_disk / "register.xml").read_bytes()


def test_publish_on_a_full_disk_answers_an_error_message_not_a_500(disk, corpus_on_disk, editor):
    from reader.annotations.models import Publication

    rename_an_entry()
    before = snapshot(corpus_on_disk)
    client = client_for(editor)
    with disk.full():
        response = client.post(reverse("admin:annotations_publication_publish"), follow=True)
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert NO_SPACE in shown.lower() and str(corpus_on_disk) in shown, shown
    assert snapshot(corpus_on_disk) == before and temporaries(corpus_on_disk) == []
    assert not Publication.objects.exists()
    assert Entity.objects.get(xml_id="pla-latvia").name == "Latvija"
    client.post(reverse("admin:annotations_publication_publish"))
    assert Publication.objects.count() == 1
    assert b"Latvija" in (corpus_on_disk / "register.xml").read_bytes()


def dangling_refs(tei: Path) -> set[str]:
    """``register.xml#id`` references of the documents that the register does not hold."""
    register = parse_file(tei / "register.xml")
    ids = {element.get(XML_ID) for element in register.iter() if element.get(XML_ID)}
    refs = set()
    for path in tei.glob("*.xml"):
        if path.name != "register.xml":
            refs |= {r.split("#", 1)[1] for r in parse_file(path).xpath("//@ref") if r.startswith("register.xml#")}
    return refs - ids


@pytest.mark.slow
def test_ingest_whose_register_write_fails_says_so_in_one_line_and_a_rerun_leaves_no_dangling_ref(
    recognised_tei, tmp_path
):
    tei = tmp_path / "tei"
    shutil.copytree(recognised_tei, tei)
    register_before = (tei / "register.xml").read_bytes()
    source = tmp_path / PARTISAN_SEED.name
    source.write_text(
        PARTISAN_SEED.read_text(encoding="utf-8")
        + "\n\nIn 1944 Kārlis Ozoliņš of the Daugava Hawks Society met Jānis Bērziņš in Jelgava.\n",
        encoding="utf-8",
    )
    real_fsync = os.fsync

    def fsync(fd):  # the disk fills just as the register is written (the documents went in)
        if ".register.xml." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    args = ("ingest", str(source), "--out", str(tei), "--jobs", "1")
    with pytest.MonkeyPatch.context() as patch, pytest.raises(CommandError) as refused:
        patch.setattr(os, "fsync", fsync)
        call_command(*args, verbosity=0, stderr=io.StringIO())
    message = str(refused.value)
    assert "\n" not in message and NO_SPACE in message and str(tei / "register.xml") in message, message
    assert (tei / "register.xml").read_bytes() == register_before and temporaries(tei) == []
    call_command(*args, verbosity=0, stderr=io.StringIO())  # room again
    assert dangling_refs(tei) == set()
