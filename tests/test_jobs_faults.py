"""Faults a job survives: its worker killed mid-ingest (with spaCy's processes), a database locked
longer than its timeout, a disk that is full, any exception in a step, a worker on another machine
that stops answering. Every job ends (failed, with the step and a one-line reason), nothing is left
running, and the editor can upload again.

The tests that kill or lock run real worker processes (``manage.py jobs_worker``) on a database of
their own (a SQLite file, or a PostgreSQL database made from a migrated template when DATABASE_URL
names PostgreSQL), so that several processes share it; each is bounded to a few tens of seconds.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
MANAGE = str(ROOT / "manage.py")

pytestmark = pytest.mark.faults

TEXT = """= The Courland Pocket =

The Courland Pocket was a pocket of German forces in western Latvia from July 1944 until May 1945.

== Battles ==

The Red Army attacked the pocket six times between October 1944 and March 1945. Liepāja remained in German hands.
"""


def long_text(paragraphs: int) -> str:
    """A text with many English paragraphs, so that spaCy's processes have work for a few seconds."""
    body = "\n\n".join(
        f"In {1900 + n % 100} the council of Riga met Captain Jānis Ozols of the Latvian Rifles near Liepāja; "
        f"paragraph {n} tells how the Red Army and the Wehrmacht fought for Courland until May 1945."
        for n in range(paragraphs)
    )
    return f"= A Long Chronicle =\n\n{body}\n"


# --- a site of worker processes sharing one database ------------------------------------------


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A migrated database that each test's database is copied from (migrating takes ~10 s)."""
    pg = _postgres_url()
    if pg:
        name = f"parallax_jobs_template_{os.getpid()}"
        _pg_admin(pg, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        url = _with_database(pg, name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'db.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, MANAGE, "migrate", "-v0"], env=env, check=True, timeout=180, cwd=ROOT)
    yield ("postgres", name, pg) if pg else ("sqlite", url.removeprefix("sqlite:///"), None)
    if pg:
        _pg_admin(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Site:
    """A corpus folder, a database and the worker processes started on them."""

    root: Path
    env: dict
    database: str
    processes: list = field(default_factory=list)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def tei(self) -> Path:
        return self.root / "tei"

    def django(self, code: str, timeout: float = 60):
        """Run ``code`` in a Django process on this site; it sets ``result`` (returned, via JSON)."""
        prelude = (
            "import json, os, django\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'reader.settings')\n"
            "django.setup()\n"
            "from reader.jobs.models import SourceJob\n"
            "from reader.texts.models import Document\n"
            "result = None\n"
        )
        done = subprocess.run(
            [sys.executable, "-"],  # the code on standard input: an upload's bytes may be long
            input=prelude + code + "\nprint('RESULT=' + json.dumps(result, default=str))",
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        line = [x for x in done.stdout.splitlines() if x.startswith("RESULT=")][-1]
        return json.loads(line.removeprefix("RESULT="))

    def upload(self, name: str, data: bytes, revises: int | None = None, **meta) -> int:
        """What the admin's upload does: a queued job, enqueued."""
        kind = "tei" if name.endswith(".xml") else "text"
        return self.django(
            "from reader.jobs.tasks import run_source_job\n"
            f"job = SourceJob.objects.create(upload_name={name!r}, data={data!r}, kind={kind!r}, "
            f"revises_id={revises!r}, **{meta!r})\n"
            "run_source_job.enqueue(job.pk)\n"
            "result = job.pk\n"
        )

    def uploads(self, items: list[tuple[str, bytes, int | None]]) -> list[int]:
        """Several uploads at once (one process), as editors posting together."""
        code = "from reader.jobs.tasks import run_source_job\nresult = []\n"
        for name, data, revises in items:
            kind = "tei" if name.endswith(".xml") else "text"
            code += (
                f"job = SourceJob.objects.create(upload_name={name!r}, data={data!r}, kind={kind!r}, "
                f"revises_id={revises!r})\nrun_source_job.enqueue(job.pk)\nresult.append(job.pk)\n"
            )
        return self.django(code)

    def jobs(self) -> dict[int, dict]:
        return {
            int(k): v
            for k, v in self.django(
                "result = {j['id']: j for j in SourceJob.objects.values("
                "'id', 'status', 'step', 'error', 'log', 'document_slug', 'worker', 'revises_id', 'upload_name')}"
            ).items()
        }

    def worker(self, *args: str, command: str = "jobs_worker", settings_code: str = "") -> subprocess.Popen:
        """``manage.py jobs_worker`` (``settings_code`` may change reader.settings first, e.g. a timeout)."""
        argv = [command, "--no-reload", "--no-startup-delay", "--interval", "0.2", *args]
        code = (
            "import sys, reader.settings as settings\n"
            f"{settings_code}\n"
            "from django.core.management import execute_from_command_line\n"
            f"sys.argv = [{MANAGE!r}, *{argv!r}]\n"
            "execute_from_command_line(sys.argv)\n"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def wait_for(self, predicate, timeout: float, what: str, every: float = 0.5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(every)
        raise AssertionError(f"not within {timeout:.0f} s: {what}")


@pytest.fixture
def site(migrated_template, tmp_path):
    kind, template, pg = migrated_template
    if kind == "postgres":
        name = f"parallax_jobs_{uuid.uuid4().hex[:12]}"
        _pg_admin(pg, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        url = _with_database(pg, name)
    else:
        shutil.copy(template, tmp_path / "db.sqlite3")
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for folder in ("seeds", "tei", "sources"):
        (tmp_path / folder).mkdir()
    shutil.copy(ROOT / "corpus" / "tei" / "register.xml", tmp_path / "tei" / "register.xml")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PARALLAX_SEEDS_DIR": str(tmp_path / "seeds"),
        "PARALLAX_TEI_DIR": str(tmp_path / "tei"),
        "PARALLAX_FOREIGN_SOURCES_DIR": str(tmp_path / "sources"),
        "PARALLAX_JOB_HEARTBEAT_SECONDS": "1",
        "PARALLAX_JOB_STALE_SECONDS": "6",
        "PARALLAX_JOB_NO_ENTITIES": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    site = Site(tmp_path, env, url)
    yield site
    for process in site.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if kind == "postgres":
        _pg_admin(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- processes -------------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in "ZX":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] not in "ZX"


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
def test_a_worker_killed_mid_ingest_leaves_no_orphan_and_its_job_ends_failed_at_ingest(site):
    """kill -9 of the worker while spaCy parses in two processes: both die with it, the supervisor
    starts a new worker, which ends the job as failed at ingest; the same file can be uploaded again."""
    site.env.pop("PARALLAX_JOB_NO_ENTITIES")
    site.env["PARALLAX_JOB_PROCESSES"] = "2"
    job = site.upload("chronicle.txt", long_text(1500).encode())
    supervisor = site.worker("--supervise")

    def spacy_children():
        workers = children_of(supervisor.pid)
        return (workers[0], children_of(workers[0])) if workers and len(children_of(workers[0])) >= 2 else None

    worker, spacy = site.wait_for(spacy_children, 90, "the worker forks spaCy's processes", every=0.1)
    assert site.jobs()[job]["status"] == "running" and site.jobs()[job]["step"] == "ingest"
    os.kill(worker, signal.SIGKILL)

    site.wait_for(lambda: not any(alive(pid) for pid in spacy), 10, "spaCy's processes die with their worker")
    ended = site.wait_for(lambda: site.jobs()[job]["status"] == "failed" and site.jobs()[job], 30, "the job ends")
    assert ended["step"] == "ingest"
    assert ended["error"] == f"the worker stopped during ingest (its process {worker} is gone)"
    assert "Traceback" not in ended["log"]
    queue_record = (
        "from django_tasks_db.models import DBTaskResult\n"
        f"result = DBTaskResult.objects.get(id=SourceJob.objects.get(pk={job}).task_id).status"
    )
    assert site.django(queue_record) == "FAILED"  # the queue's record ends too, not RUNNING for ever
    restarted = children_of(supervisor.pid)
    assert restarted and worker not in restarted  # the supervisor started a new worker

    again = site.upload("chronicle.txt", TEXT.encode())  # the name the dead job stored is free again
    site.env["PARALLAX_JOB_NO_ENTITIES"] = "1"
    done = site.wait_for(
        lambda: site.jobs()[again]["status"] in ("done", "failed") and site.jobs()[again], 60, "re-upload"
    )
    assert done["status"] == "done", done["log"] + done["error"]
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=15) is not None
    assert not [pid for pid in restarted if alive(pid)]


def _lock_sqlite(path: str, seconds: float) -> None:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


#: SQLite's wait for a lock, 20 s in the settings, made 1 s so that the test is short.
SHORT_TIMEOUT = (
    "if settings.DATABASES['default']['ENGINE'].endswith('sqlite3'):\n"
    "    settings.DATABASES['default']['OPTIONS']['timeout'] = 1"
)


def _terminate_connections(database_url: str) -> int:
    """What a PostgreSQL restart does to the workers: every connection to their database is cut."""
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return len(rows)


def _has_open(pid: int, path: str) -> bool:
    """Whether process ``pid`` has the file ``path`` open (it has connected to that SQLite database)."""
    try:
        return any(os.readlink(fd) == path for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def _connections(database_url: str) -> int:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchone()[0]


def test_the_worker_survives_a_locked_or_restarted_database(site):
    """SQLite: another writer holds the database for 4 s, longer than the workers' 1 s timeout.
    PostgreSQL: every connection of the workers is cut, as by a restart. The plain db_worker exits;
    jobs_worker waits, with back-off, then runs the next upload."""
    plain = site.worker(command="db_worker", settings_code=SHORT_TIMEOUT)
    ours = site.worker(settings_code=SHORT_TIMEOUT)
    if site.database.startswith("sqlite"):
        path = site.database.removeprefix("sqlite:///")
        site.wait_for(lambda: all(_has_open(p.pid, path) for p in (plain, ours)), 30, "both workers poll the queue")
        time.sleep(0.5)
        _lock_sqlite(path, 4)
        symptom = "database is locked"
    else:
        site.wait_for(lambda: _connections(site.database) >= 2, 30, "both workers poll the queue")

        def cut():  # until the plain worker has felt it (it may be asleep between polls)
            _terminate_connections(site.database)
            return plain.poll() is not None

        site.wait_for(cut, 20, "the plain worker dies of its cut connection")
        symptom = "terminating connection"
    assert plain.wait(timeout=10) != 0 and symptom in plain.stdout.read()  # the fault is real
    assert ours.poll() is None, ours.stdout.read()
    job = site.upload("courland.txt", TEXT.encode())
    ended = site.wait_for(lambda: site.jobs()[job]["status"] in ("done", "failed") and site.jobs()[job], 60, "the job")
    assert ended["status"] == "done", ended["log"] + ended["error"]


@pytest.mark.database
def test_a_job_whose_worker_on_another_machine_stops_is_ended_after_the_bound(db, monkeypatch):
    from reader.jobs import sweeper
    from reader.jobs.models import SourceJob

    monkeypatch.setattr(sweeper, "STALE_SECONDS", 60)
    now = timezone.now()
    silent = SourceJob.objects.create(
        upload_name="a.txt",
        status="running",
        step="collate",
        worker="elsewhere:4242:1",
        heartbeat=now - timedelta(seconds=61),
    )
    beating = SourceJob.objects.create(
        upload_name="b.txt",
        status="running",
        step="ingest",
        worker="elsewhere:4243:1",
        heartbeat=now - timedelta(seconds=30),
    )
    assert sweeper.sweep(now) == [silent.pk]
    silent.refresh_from_db()
    beating.refresh_from_db()
    when = timezone.localtime(now - timedelta(seconds=61))
    assert silent.status == "failed" and silent.finished is not None
    assert silent.error == f"the worker stopped during collate (no heartbeat since {when:%Y-%m-%d %H:%M:%S})"
    assert silent.log.endswith(f"failed at collate: {silent.error}\n")
    assert beating.status == "running" and beating.finished is None
    assert sweeper.sweep(now) == []  # ended once


@pytest.mark.database
def test_the_job_list_ends_a_job_whose_worker_process_is_gone(admin_client):
    from reader.jobs.liveness import worker_name
    from reader.jobs.models import SourceJob

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = worker_name().split(":")[0]
    job = SourceJob.objects.create(
        upload_name="c.txt", status="running", step="load", worker=f"{host}:{gone.pid}:1", heartbeat=timezone.now()
    )
    page = admin_client.get("/admin/jobs/sourcejob/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.error == f"the worker stopped during load (its process {gone.pid} is gone)"
    assert "failed" in page


# --- exceptions in steps (in-process: the pipeline on the test database) ----------------------


@pytest.fixture
def corpus_dirs(tmp_path, settings):
    seeds, tei = tmp_path / "seeds", tmp_path / "tei"
    seeds.mkdir()
    tei.mkdir()
    shutil.copy(ROOT / "corpus" / "tei" / "register.xml", tei / "register.xml")
    settings.SEEDS_DIR, settings.CORPUS_TEI_DIR = seeds, tei
    settings.FOREIGN_SOURCES_DIR = tmp_path / "sources"
    return seeds, tei


def _failing(step: str, exc: BaseException):
    from reader.jobs import pipeline

    real = pipeline._command

    def command(name, *args):
        if name == step:
            raise exc
        return real(name, *args)

    return command


@pytest.mark.database
@pytest.mark.parametrize(
    "step, exc, reason",
    [
        (
            "ingest",
            OSError(errno.ENOSPC, "No space left on device", "/corpus/tei/x.xml"),
            "No space left on device: /corpus/tei/x.xml (OSError, errno 28)",
        ),
        (
            "load",
            RecursionError("maximum recursion depth exceeded"),
            "the text is nested too deeply to process (RecursionError)",
        ),
        ("collate", MemoryError(), "the worker ran out of memory (MemoryError)"),
        ("load", None, "OperationalError: deadlock detected"),
        ("ingest", KeyError("slug"), "KeyError: 'slug'"),
    ],
)
def test_any_exception_in_a_step_ends_the_job_with_the_step_and_one_line(
    transactional_db, corpus_dirs, monkeypatch, step, exc, reason
):
    from django.db import OperationalError

    from reader.jobs import pipeline
    from reader.jobs.models import SourceJob

    exc = exc if exc is not None else OperationalError("deadlock detected")
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    monkeypatch.setattr(pipeline, "_command", _failing(step, exc))
    logged = logging.Handler()
    records = []
    logged.emit = records.append
    logging.getLogger("reader.jobs").addHandler(logged)
    job = SourceJob.objects.create(upload_name="courland.txt", data=TEXT.encode())
    try:
        pipeline.run(job)
    finally:
        logging.getLogger("reader.jobs").removeHandler(logged)
    job.refresh_from_db()
    assert (job.status, job.step, job.error) == ("failed", step, reason)
    assert job.finished is not None and "Traceback" not in job.log + job.error
    assert job.log.splitlines()[-1].endswith(f"failed at {step}: {reason}")
    assert any(r.exc_info and r.exc_info[1] is exc for r in records)  # the traceback is in the log


@pytest.mark.database
def test_a_full_disk_at_store_fails_the_job_and_the_same_file_can_be_uploaded_again(
    transactional_db, corpus_dirs, monkeypatch
):
    from reader.jobs import pipeline
    from reader.jobs.models import SourceJob
    from reader.texts.models import Document

    seeds, _tei = corpus_dirs
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    monkeypatch.setattr(pipeline, "_command", _failing("ingest", OSError(errno.ENOSPC, "No space left on device")))
    first = pipeline.run(SourceJob.objects.create(upload_name="courland.txt", data=TEXT.encode()))
    assert first.status == "failed" and (seeds / "courland.txt").exists()  # store wrote it before the disk filled
    monkeypatch.undo()
    monkeypatch.setenv("PARALLAX_JOB_NO_ENTITIES", "1")
    again = pipeline.run(SourceJob.objects.create(upload_name="courland.txt", data=TEXT.encode()))
    assert again.status == "done", again.log + again.error
    assert Document.objects.filter(seed_name="courland.txt").count() == 1
    refused = pipeline.run(SourceJob.objects.create(upload_name="courland.txt", data=TEXT.encode()))
    assert refused.status == "failed" and "already in the corpus" in refused.error  # now it is in the corpus
