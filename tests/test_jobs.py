"""Editors add and revise sources from the admin; the pipeline runs on the task queue (django-tasks,
database backend) and the worker (`manage.py db_worker`) brings the source into the reader."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from annotating import ensure_roles
from reader.jobs.models import SourceJob
from reader.jobs.pipeline import safe_source_name
from reader.texts.models import Document

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
TEXT = """= The Courland Pocket =

The Courland Pocket was a pocket of German forces in western Latvia from July 1944 until May 1945.

== Battles ==

The Red Army attacked the pocket six times between October 1944 and March 1945. Liepāja remained in German hands.
"""
REVISED = TEXT.replace("six times", "six times in all").replace("in German hands.", "in German hands until the end.")


@pytest.fixture
def corpus_dirs(tmp_path, settings):
    seeds, tei = tmp_path / "seeds", tmp_path / "tei"
    seeds.mkdir()
    shutil.copy(ROOT / "corpus" / "tei" / "register.xml", tmp_path / "register.xml")
    tei.mkdir()
    shutil.copy(tmp_path / "register.xml", tei / "register.xml")
    settings.SEEDS_DIR, settings.CORPUS_TEI_DIR = seeds, tei
    settings.FOREIGN_SOURCES_DIR = tmp_path / "sources"
    return seeds, tei


@pytest.fixture(autouse=True)
def roles(transactional_db):
    ensure_roles()


@pytest.fixture
def editor_client(client):
    editor = get_user_model().objects.create_user("edith", password="pw-42-pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    return client


def upload(client, name: str, data: bytes, **fields):
    response = client.post("/admin/jobs/sourcejob/add/", {"upload": SimpleUploadedFile(name, data), **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return SourceJob.objects.latest("created")


def work_the_queue() -> None:
    call_command("jobs_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_an_uploaded_text_is_queued_then_the_worker_brings_it_into_the_reader(editor_client, corpus_dirs, client):
    seeds, tei = corpus_dirs
    job = upload(editor_client, "courland pocket.txt", TEXT.encode(), title="The Courland Pocket", author="A. Editor")
    assert job.status == SourceJob.Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # on the queue, not run in the request
    page = editor_client.get(f"/admin/jobs/sourcejob/{job.pk}/change/").content.decode()
    assert 'http-equiv="refresh"' in page and "queued" in page

    work_the_queue()
    job.refresh_from_db()
    assert job.status == SourceJob.Status.DONE, job.log + job.error
    assert [line.split(" ", 1)[1] for line in job.log.splitlines() if line.endswith(" done")] == [
        "store done",
        "ingest done",
        "collate done",
        "load done",
    ]
    assert (seeds / "courland-pocket.txt").read_bytes() == TEXT.encode()
    document = Document.objects.get(slug=job.document_slug)
    reading = client.get(document.get_absolute_url()).content.decode()
    assert "six times between" in reading, re.sub(r"<[^>]+>", "", reading)[-3000:]
    assert document.mentions.filter(kind="place", surface="Liepāja").exists()
    assert f"/texts/{document.slug}/" in editor_client.get(f"/admin/jobs/sourcejob/{job.pk}/change/").content.decode()


def test_a_revised_version_keeps_every_paragraph_id_and_permalink(editor_client, corpus_dirs, client):
    first = upload(editor_client, "courland.txt", TEXT.encode())
    work_the_queue()
    document = Document.objects.get(slug=SourceJob.objects.get(pk=first.pk).document_slug)
    before = dict(document.paragraphs.values_list("xml_id", "text"))
    upload(editor_client, "courland-v2.txt", REVISED.encode(), revises=document.pk)
    work_the_queue()
    after = dict(Document.objects.get(pk=document.pk).paragraphs.values_list("xml_id", "text"))
    assert set(after) == set(before)
    changed = [pid for pid in after if after[pid] != before[pid]]
    assert len(changed) == 1 and "six times in all" in after[changed[0]]
    assert client.get(f"/texts/{document.slug}/{changed[0]}/").status_code == 200


def test_an_uploaded_tei_file_is_imported_keeping_its_original(editor_client, corpus_dirs, client, settings):
    original = ROOT / "tests" / "data" / "foreign" / "schnitzler-L00001.xml"
    job = upload(editor_client, "schnitzler-L00001.xml", original.read_bytes())
    assert job.kind == SourceJob.Kind.TEI
    work_the_queue()
    job.refresh_from_db()
    assert job.status == SourceJob.Status.DONE, job.log + job.error
    assert "import done" in job.log and "load done" in job.log
    assert (settings.FOREIGN_SOURCES_DIR / "schnitzler-L00001.xml").read_bytes() == original.read_bytes()
    document = Document.objects.get(slug=job.document_slug)
    assert client.get(document.get_absolute_url()).status_code == 200 and document.mentions.exists()


def test_a_bad_upload_fails_with_its_reason_and_stores_nothing(editor_client, corpus_dirs):
    seeds, tei = corpus_dirs
    job = upload(editor_client, "latin1.txt", "Liepāja".encode("utf-16"))
    work_the_queue()
    job.refresh_from_db()
    assert job.status == SourceJob.Status.FAILED and job.step == "store"
    assert job.error.startswith("latin1.txt: the file is UTF-16LE, not UTF-8")
    assert list(seeds.iterdir()) == [] and sorted(p.name for p in tei.iterdir()) == ["register.xml"]


def test_annotators_may_watch_jobs_but_not_upload(client, db):
    annotator = get_user_model().objects.create_user("anna", password="pw-42-pw", is_staff=True)
    annotator.groups.add(Group.objects.get(name="Annotator"))
    client.force_login(annotator)
    assert client.get("/admin/jobs/sourcejob/").status_code == 200
    assert client.get("/admin/jobs/sourcejob/add/").status_code == 403


@pytest.mark.parametrize(
    "given, stored",
    [
        ("courland pocket.txt", "courland-pocket.txt"),
        ("../../etc/passwd", "passwd.txt"),
        ("C:\\texts\\Līvi.TXT", "L-vi.txt"),
        ("...", "source.txt"),
    ],
)
def test_uploaded_names_become_safe_source_names(given, stored):
    assert safe_source_name(given) == stored


METADATA = {
    "title": "The Courland Pocket, 1944–1945",
    "author": "A. Editor",
    "date": "1945-05-09",
    "siglum": "CP",
    "work": "courland",
    "source": "Typescript in the Latvian War Museum, Riga",
    "licence": "Creative Commons Attribution 4.0 https://creativecommons.org/licenses/by/4.0/",
}


def tei_header_of(job: SourceJob, tei_dir: Path):
    from reader.tei.metadata import header_metadata
    from reader.tei.xml import parse_file

    return header_metadata(parse_file(tei_dir / f"{job.document_slug}.xml"))


@pytest.mark.parametrize("name", ["courland.txt", "schnitzler-L00001.xml"])
def test_the_upload_forms_metadata_reaches_the_tei_header(editor_client, corpus_dirs, monkeypatch, name):
    seeds, tei = corpus_dirs
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    data = TEXT.encode() if name.endswith(".txt") else (ROOT / "tests/data/foreign" / name).read_bytes()
    job = upload(editor_client, name, data, **METADATA)
    work_the_queue()
    job.refresh_from_db()
    assert job.status == SourceJob.Status.DONE, job.log + job.error
    header = tei_header_of(job, tei)
    assert {f: getattr(header, f) for f in METADATA} == METADATA
    document = Document.objects.get(slug=job.document_slug)
    assert (document.title, document.siglum) == (METADATA["title"], "CP")


def test_a_revision_keeps_the_metadata_its_form_leaves_blank(editor_client, corpus_dirs, monkeypatch):
    seeds, tei = corpus_dirs
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    first = upload(editor_client, "courland.txt", TEXT.encode(), **METADATA)
    work_the_queue()
    first.refresh_from_db()
    revision = upload(editor_client, "v2.txt", REVISED.encode(), revises=Document.objects.get().pk, author="B. Editor")
    work_the_queue()
    revision.refresh_from_db()
    assert revision.status == SourceJob.Status.DONE, revision.log + revision.error
    assert revision.document_slug == first.document_slug
    header = tei_header_of(revision, tei)
    assert {f: getattr(header, f) for f in METADATA} == {**METADATA, "author": "B. Editor"}


def test_a_revision_in_another_format_replaces_only_the_document_it_names(editor_client, corpus_dirs, monkeypatch):
    """A TEI file revising a plain-text document, then a plain text revising it again: one document,
    the same slug, the new text each time; the replaced source is kept aside, never ingested again."""
    seeds, tei = corpus_dirs
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    other = upload(editor_client, "other.txt", TEXT.replace("Courland", "Kurzeme").encode())
    first = upload(editor_client, "courland.txt", TEXT.encode())
    work_the_queue()
    first.refresh_from_db()
    document = Document.objects.get(slug=first.document_slug)
    tei_revision = (ROOT / "tests/data/foreign/schnitzler-L00001.xml").read_bytes()
    as_tei = upload(editor_client, "schnitzler-L00001.xml", tei_revision, revises=document.pk)
    work_the_queue()
    as_tei.refresh_from_db()
    assert as_tei.status == SourceJob.Status.DONE, as_tei.log + as_tei.error
    assert Document.objects.count() == 2 and as_tei.document_slug == document.slug
    document.refresh_from_db()
    text = " ".join(document.paragraphs.values_list("text", flat=True))
    assert "Schnitzler" in text and "Courland" not in text
    assert not (seeds / "courland.txt").exists() and (seeds / "replaced" / "courland.txt").exists()
    assert sorted(p.name for p in tei.glob("*.xml")) == sorted(
        ["register.xml", f"{document.slug}.xml", f"{Document.objects.exclude(pk=document.pk).get().slug}.xml"]
    )

    as_text = upload(editor_client, "courland-again.txt", REVISED.encode(), revises=document.pk)
    work_the_queue()
    as_text.refresh_from_db()
    assert as_text.status == SourceJob.Status.DONE, as_text.log + as_text.error
    assert Document.objects.count() == 2 and as_text.document_slug == document.slug
    text = " ".join(Document.objects.get(pk=document.pk).paragraphs.values_list("text", flat=True))
    assert "six times in all" in text and "Schnitzler" not in text
    assert Document.objects.get(slug=SourceJob.objects.get(pk=other.pk).document_slug)  # untouched


def test_a_revision_waits_while_another_job_changes_its_document(editor_client, corpus_dirs, monkeypatch):
    """Two revisions of one document never run at once (a unique target among running jobs): the
    second waits, saying so, and runs when the first has ended; neither is lost."""
    import threading

    from django.utils import timezone

    from reader.jobs import pipeline
    from reader.jobs.liveness import worker_name

    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    upload(editor_client, "courland.txt", TEXT.encode())
    work_the_queue()
    document = Document.objects.get()
    first = SourceJob.objects.create(
        upload_name="v1.txt",
        revises=document,
        status=SourceJob.Status.RUNNING,
        target=f"document:{document.pk}",
        worker=worker_name(),  # this live process: the sweeper leaves it running
        heartbeat=timezone.now(),
    )
    second = SourceJob.objects.create(upload_name="v2.txt", data=REVISED.encode(), revises=document)
    runner = threading.Thread(target=pipeline.run, args=(SourceJob.objects.get(pk=second.pk),))
    runner.start()
    deadline = time.monotonic() + 15
    while "waiting: another job is changing" not in SourceJob.objects.get(pk=second.pk).log:
        assert time.monotonic() < deadline, "the second revision did not wait"
        time.sleep(0.2)
    assert SourceJob.objects.get(pk=second.pk).status == SourceJob.Status.QUEUED
    assert "six times in all" not in " ".join(document.paragraphs.values_list("text", flat=True))
    SourceJob.objects.filter(pk=first.pk).update(status=SourceJob.Status.DONE, finished=timezone.now())
    runner.join(timeout=60)
    second.refresh_from_db()
    assert not runner.is_alive() and second.status == SourceJob.Status.DONE, second.log + second.error
    assert "six times in all" in " ".join(document.paragraphs.values_list("text", flat=True))
