"""The steps of a source job: store the upload as a source, ingest, collate, load.

Each step is the management command an editor would run by hand, so a job
does exactly what the command line does (permalinks survive a revision the
same way: the revised text replaces the source file and units keep their ids).
What a step prints goes into the job's log; the first failing step ends the
job with its message, and the corpus is left as the last successful step left
it (every TEI file is written atomically; ``load`` is one transaction a file).

A job always ends: any exception ends it as failed with the step and a one-line reason (the
traceback goes to the log, not to the editor); a worker that dies leaves a heartbeat that stops,
and the sweeper (reader.jobs.sweeper) ends the job. No database transaction is held across steps:
each step's command takes its own. Two jobs that change the same document (or the same source
name) never run at once: the second waits for the first (a unique "target" among running jobs).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from reader.caching import bump_corpus_revision
from reader.tei.metadata import COLUMNS, WitnessMeta, apply_metadata, header_metadata
from reader.tei.source import SourceError, source_from_bytes
from reader.tei.xml import NS, XML_ID, parse_file, serialize, write_atomic

from . import sweeper
from .liveness import worker_name
from .models import JobEnded, SourceJob

logger = logging.getLogger(__name__)

#: Fields of the upload form that go into the TEI header (as in ``ingest --meta``).
METADATA = [c for c in COLUMNS if c != "file"]


class JobError(Exception):
    """A step could not be done; the message names the file and the problem."""


def run(job: SourceJob) -> SourceJob:
    """Run every step of ``job``, recording progress; never raises for a bad source or a failing step."""
    if not _claim(job):
        return job
    try:
        with _heartbeat(job.pk):
            try:
                _steps(job)
            except JobEnded:
                logger.warning("job %s was ended by the sweeper while it ran; its worker stops", job.pk)
                return job
            except JobError as exc:
                _fail(job, str(exc))
            except BaseException as exc:  # any failure ends the job; the editor gets one line
                logger.exception("job %s failed at %s", job.pk, job.step)
                _fail(job, one_line(exc))
                if not isinstance(exc, Exception):
                    raise  # the worker is being stopped (Ctrl-C twice, SystemExit): the job is ended first
    finally:
        _bump()
    return job


def _steps(job: SourceJob) -> None:
    if job.kind == SourceJob.Kind.TEI:
        path = _import_tei(job)
    else:
        path = _step(job, "store", lambda: store(job))
        _step(job, "ingest", lambda: _ingest(job, path))
    _adopt_revised(job, path)
    _step(job, "collate", lambda: _command("collate"))
    _step(job, "load", lambda: _command("load"))
    job.document_slug = _document_slug(path)
    job.status = SourceJob.Status.DONE
    job.log += f"{timezone.now():%H:%M:%S} " + (
        f"done: /texts/{job.document_slug}/\n" if job.document_slug else "done\n"
    )
    _finish(job)


# --- claiming, heartbeat, ending ------------------------------------------------------------


def target_of(job: SourceJob) -> str:
    """What the job changes: the document it revises, else the source name it will store."""
    if job.revises_id:
        return f"document:{job.revises_id}"
    suffix = ".xml" if job.kind == SourceJob.Kind.TEI else ".txt"
    return f"source:{safe_source_name(job.upload_name, suffix)}"


def _claim(job: SourceJob) -> bool:
    """Mark the queued job running on this worker, waiting while another job changes its target.
    False when the job is not queued (ended meanwhile, or run by another worker)."""
    job.worker, job.target = worker_name(), target_of(job)
    waiting = False
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                taken = SourceJob.objects.filter(pk=job.pk, status=SourceJob.Status.QUEUED).update(
                    status=SourceJob.Status.RUNNING, target=job.target, worker=job.worker, heartbeat=now, error=""
                )
        except IntegrityError:  # another running job changes the same document: wait for it to end
            if not waiting:
                waiting = True
                line = f"{now:%H:%M:%S} waiting: another job is changing {job.target.split(':', 1)[1]}\n"
                SourceJob.objects.filter(pk=job.pk, status=SourceJob.Status.QUEUED).update(
                    log=job.log + line, worker=job.worker, heartbeat=now
                )
                job.log += line
            else:
                SourceJob.objects.filter(pk=job.pk).update(heartbeat=now)
            sweeper.sweep()  # the other one may have lost its worker
            time.sleep(1)
            continue
        if not taken:
            return False
        job.status, job.error, job.heartbeat = SourceJob.Status.RUNNING, "", now
        job.note("started")
        return True


@contextmanager
def _heartbeat(pk: int):
    """While the job runs, say every HEARTBEAT_SECONDS that its worker lives (from a thread, so that a
    long step such as spaCy's parse keeps it alive)."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(sweeper.HEARTBEAT_SECONDS):
                try:
                    SourceJob.objects.filter(pk=pk, finished__isnull=True).update(heartbeat=timezone.now())
                except DatabaseError as exc:  # a busy database: the next beat tries again
                    logger.warning("job %s: heartbeat not written: %s", pk, exc)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def one_line(exc: BaseException) -> str:
    """What an unexpected exception means to an editor, on one line (the traceback is in the log)."""
    if isinstance(exc, MemoryError):
        return "the worker ran out of memory (MemoryError)"
    if isinstance(exc, RecursionError):
        return "the text is nested too deeply to process (RecursionError)"
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where} (OSError, errno {exc.errno})"
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return "the worker was stopped"
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _fail(job: SourceJob, reason: str) -> None:
    job.status, job.error = SourceJob.Status.FAILED, reason
    job.log += f"{timezone.now():%H:%M:%S} failed at {job.step}: {reason}\n"
    _finish(job)


def _finish(job: SourceJob, attempts: int = 6) -> None:
    """Write the job's end, unless the sweeper ended it first; a busy database is tried again with
    back-off (if it never answers, the heartbeat stops and the sweeper ends the job)."""
    job.finished = timezone.now()
    fields = ["status", "error", "log", "step", "stored_as", "document_slug", "finished", "heartbeat"]
    for attempt in range(attempts):
        try:
            SourceJob.objects.filter(pk=job.pk, finished__isnull=True).update(**{f: getattr(job, f) for f in fields})
            return
        except DatabaseError as exc:
            logger.warning("job %s: its end not written (%s); trying again", job.pk, exc)
            connection.close_if_unusable_or_obsolete()
            time.sleep(min(0.5 * 2**attempt, 8))
    logger.error("job %s: its end could not be written; the sweeper will end it", job.pk)


def _bump() -> None:
    try:
        bump_corpus_revision()
    except Exception:  # noqa: BLE001 - a cache that is down must not undo a finished job
        logger.exception("the corpus revision could not be bumped")


# --- the steps ------------------------------------------------------------------------------


def _step(job: SourceJob, name: str, action):
    job.step = name
    job.note(f"{name} …")
    result = action()
    if isinstance(result, str) and result.strip():
        job.log += "".join(f"    {line}\n" for line in result.strip().splitlines())
    job.note(f"{name} done")
    return result


def _command(name: str, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, verbosity=1)
    except CommandError as exc:
        raise JobError(f"{name}: {exc}" + (f" ({err.getvalue().strip()})" if err.getvalue().strip() else "")) from None
    return out.getvalue() + err.getvalue()


def _ingest(job: SourceJob, path: Path) -> str:
    """``ingest`` the stored source, with the upload's metadata as a one-row ``--meta`` CSV."""
    args = [str(path)]
    if os.environ.get("PARALLAX_JOB_NO_ENTITIES") == "1":  # uploads without recognition (tests, small hosts)
        args.append("--no-entities")
    if os.environ.get("PARALLAX_JOB_PROCESSES", "").isdigit():  # spaCy's processes (default: every core)
        args += ["--jobs", os.environ["PARALLAX_JOB_PROCESSES"]]
    meta = job_metadata(job)
    if not meta:
        return _command("ingest", *args)
    with tempfile.TemporaryDirectory(prefix="parallax-meta-") as folder:
        csv_path = Path(folder) / "meta.csv"
        with open(csv_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerow([path.name, *(getattr(meta, f) for f in METADATA)])
        return _command("ingest", *args, "--meta", str(csv_path))


def job_metadata(job: SourceJob) -> WitnessMeta:
    """The upload form's metadata; for a revision, what the form leaves blank keeps the document's."""
    given = {f: " ".join(getattr(job, f).split()) for f in METADATA}
    if job.revises_id and not all(given.values()):
        previous = _tei_path(job.revises.slug)
        kept = header_metadata(parse_file(previous)) if previous.exists() else WitnessMeta()
        given = {f: given[f] or getattr(kept, f) for f in METADATA}
    return WitnessMeta(**given)


def store(job: SourceJob) -> Path:
    """Write the upload into the seeds folder (a revision of a text replaces its document's source file)."""
    data = bytes(job.data)
    try:
        source_from_bytes(data, job.upload_name)
    except SourceError as exc:
        raise JobError(str(exc)) from None
    seeds = Path(settings.SEEDS_DIR)
    if job.revises_id and job.revises.seed_name.endswith(".txt"):
        target = seeds / job.revises.seed_name
    else:
        target = seeds / safe_source_name(job.upload_name)
        _refuse_taken(job, target)
    write_atomic(target, data)
    job.stored_as = target.name
    SourceJob.objects.filter(pk=job.pk).update(stored_as=target.name)
    return target


def _refuse_taken(job: SourceJob, target: Path) -> None:
    """A new upload may not take the name of a source in the corpus; one that a failed job left
    behind (its document never loaded) is taken over, so that the editor can upload again."""
    from reader.texts.models import Document

    left_by_failure = SourceJob.objects.filter(stored_as=target.name, status=SourceJob.Status.FAILED).exists()
    in_corpus = Document.objects.filter(seed_name=target.name).exists()
    if in_corpus or (target.exists() and not left_by_failure):
        raise JobError(
            f"{target.name}: a source of that name is already in the corpus; "
            "upload the file as a revised version of its document instead"
        )


def _import_tei(job: SourceJob) -> Path:
    """A TEI upload goes through ``importtei``, which keeps the original and writes the corpus's TEI;
    the upload form's metadata then goes into the header of what it wrote."""
    revises_tei = job.revises_id and job.revises.seed_name.lower().endswith(".xml")
    name = job.revises.seed_name if revises_tei else safe_source_name(job.upload_name, ".xml")
    if not job.revises_id:
        job.step = "import"
        _refuse_taken_tei(name)
    with tempfile.TemporaryDirectory(prefix="parallax-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(job.data))
        job.stored_as = name
        SourceJob.objects.filter(pk=job.pk).update(stored_as=name)
        _step(job, "import", lambda: _command("importtei", str(path)))
    meta = job_metadata(job)
    if meta:
        for written in _written_for(name):
            root = parse_file(written)
            apply_metadata(root, meta)
            write_atomic(written, serialize(root))
    return path


def _refuse_taken_tei(name: str) -> None:
    from reader.texts.models import Document

    if Document.objects.filter(seed_name=name).exists():
        raise JobError(
            f"{name}: a source of that name is already in the corpus; "
            "upload the file as a revised version of its document instead"
        )


def _tei_path(slug: str) -> Path:
    return Path(settings.CORPUS_TEI_DIR) / f"{slug}.xml"


def _written_for(seed: str) -> list[Path]:
    """The corpus TEI files made from the source named ``seed``."""
    found = []
    for path in sorted(Path(settings.CORPUS_TEI_DIR).glob("*.xml")):
        if path.name == "register.xml":
            continue
        idno = parse_file(path).find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno[@type='seed']", NS)
        if idno is not None and idno.text == seed:
            found.append(path)
    return found


def _adopt_revised(job: SourceJob, path: Path) -> None:
    """A revision in another format (a TEI file for a plain-text document, or the reverse) was written as
    a new document: it takes the revised document's place (its slug and file), and the old source is
    moved aside so that no later ``ingest`` brings the old version back as a second document."""
    if not job.revises_id:
        return
    document = job.revises
    if document.seed_name == path.name:
        return  # same source, same format: ingest or importtei revised it in place
    place = _tei_path(document.slug)
    written = [p for p in _written_for(path.name) if p != place]
    if not written:
        return
    if len(written) > 1:
        raise JobError(f"{path.name}: it holds several witnesses; it cannot revise the single document {document.slug}")
    root = parse_file(written[0])
    root.set(XML_ID, document.slug)
    write_atomic(place, serialize(root))
    written[0].unlink()
    old_seed = Path(settings.SEEDS_DIR) / document.seed_name
    if document.seed_name and document.seed_name != path.name and old_seed.is_file():
        aside = old_seed.parent / "replaced"
        aside.mkdir(exist_ok=True)
        shutil.move(old_seed, aside / old_seed.name)
    job.log += f"    {path.name} replaces {document.seed_name or document.slug} as the source of {document.slug}\n"


def safe_source_name(upload_name: str, suffix: str = ".txt") -> str:
    """A file name that is safe in the sources folder: no folders, plain characters, ``suffix``."""
    stem = Path(upload_name.replace("\\", "/")).name
    stem = re.sub(rf"{re.escape(suffix)}$", "", stem, flags=re.I)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:100] or "source"
    return f"{stem}{suffix}"


def _document_slug(path: Path) -> str:
    from reader.texts.models import Document

    document = Document.objects.filter(seed_name=path.name).only("slug").first()
    return document.slug if document else ""
