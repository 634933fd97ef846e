"""The steps of a source job: store the upload as a source, ingest, collate, load.

Each step is the management command an editor would run by hand, so a job
does exactly what the command line does (permalinks survive a revision the
same way: the revised text replaces the source file and units keep their ids).
What a step prints goes into the job's log; the first failing step ends the
job with its message, and the corpus is left as the last successful step left
it (every TEI file is written atomically; ``load`` is one transaction a file).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from reader.caching import bump_corpus_revision
from reader.tei.source import SourceError, source_from_bytes
from reader.tei.xml import write_atomic

from .models import SourceJob


class JobError(Exception):
    """A step could not be done; the message names the file and the problem."""


def run(job: SourceJob) -> SourceJob:
    """Run every step of ``job``, recording progress; never raises for a bad source."""
    job.status, job.error = SourceJob.Status.RUNNING, ""
    job.note("started")
    try:
        if job.kind == SourceJob.Kind.TEI:
            path = _import_tei(job)
        else:
            path = _step(job, "store", lambda: store(job))
            _step(job, "ingest", lambda: _command("ingest", str(path)))
        _step(job, "collate", lambda: _command("collate"))
        _step(job, "load", lambda: _command("load"))
        job.document_slug = _document_slug(path)
        job.status = SourceJob.Status.DONE
        job.note(f"done: /texts/{job.document_slug}/" if job.document_slug else "done")
    except JobError as exc:
        job.status, job.error = SourceJob.Status.FAILED, str(exc)
        job.note(f"failed at {job.step}: {exc}")
    job.finished = timezone.now()
    job.save()
    bump_corpus_revision()
    return job


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


def store(job: SourceJob) -> Path:
    """Write the upload into the seeds folder (a revision replaces its document's source file)."""
    data = bytes(job.data)
    try:
        source_from_bytes(data, job.upload_name)
    except SourceError as exc:
        raise JobError(str(exc)) from None
    seeds = Path(settings.SEEDS_DIR)
    if job.revises_id:
        if not job.revises.seed_name:
            raise JobError(f"{job.revises.slug} was not made from a source text, so it cannot be revised by one")
        target = seeds / job.revises.seed_name
    else:
        target = seeds / safe_source_name(job.upload_name)
        if target.exists():
            raise JobError(
                f"{target.name}: a source of that name is already in the corpus; "
                "upload the file as a revised version of its document instead"
            )
    write_atomic(target, data)
    job.stored_as = target.name
    job.save(update_fields=["stored_as"])
    return target


def _import_tei(job: SourceJob) -> Path:
    """A TEI upload goes through ``importtei``, which keeps the original and writes the corpus's TEI."""
    import tempfile

    name = (
        job.revises.seed_name if job.revises_id and job.revises.seed_name else safe_source_name(job.upload_name, ".xml")
    )
    with tempfile.TemporaryDirectory(prefix="parallax-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(job.data))
        job.stored_as = name
        job.save(update_fields=["stored_as"])
        _step(job, "import", lambda: _command("importtei", str(path)))
    return path


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
