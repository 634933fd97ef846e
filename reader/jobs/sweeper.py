"""Ending jobs whose worker is gone (killed, machine restarted, out of memory).

A running job's worker writes a heartbeat every ``HEARTBEAT_SECONDS`` (reader.jobs.pipeline). A job
is taken for abandoned when its worker ran on this host and its process is gone, or when its heartbeat
is older than ``STALE_SECONDS`` (a worker on another machine, or one that hangs). It is then marked
failed with the step it was at and why, so that the editor sees it end and can upload again. The
sweeper runs when a worker starts, every ``STALE_SECONDS / 2`` while it runs, and when the admin shows
jobs. Ending is one conditional UPDATE, so two sweepers (or a sweeper and a late worker) never both win.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from .liveness import is_dead
from .models import SourceJob

logger = logging.getLogger(__name__)

#: How often a running job says it is alive, and how long without a word makes it abandoned.
HEARTBEAT_SECONDS = float(os.environ.get("PARALLAX_JOB_HEARTBEAT_SECONDS", "10"))
STALE_SECONDS = float(os.environ.get("PARALLAX_JOB_STALE_SECONDS", "60"))

#: Jobs a worker holds: running, or queued and waiting (on this worker) for another job's document.
_TAKEN = Q(status=SourceJob.Status.RUNNING) | (Q(status=SourceJob.Status.QUEUED) & ~Q(worker=""))


def sweep(now=None) -> list[int]:
    """End every abandoned running job; return their ids."""
    now = now or timezone.now()
    bound = now - timedelta(seconds=STALE_SECONDS)
    ended = []
    running = SourceJob.objects.filter(_TAKEN, finished__isnull=True)
    for job in running.only("pk", "worker", "heartbeat", "step", "created", "task_id"):
        last = job.heartbeat or job.created
        if is_dead(job.worker):
            reason = f"the worker stopped during {job.step or 'the job'} (its process {_pid(job.worker)} is gone)"
        elif last < bound:
            reason = (
                f"the worker stopped during {job.step or 'the job'} "
                f"(no heartbeat since {timezone.localtime(last):%Y-%m-%d %H:%M:%S})"
            )
        else:
            continue
        if _end(job, reason, now):
            ended.append(job.pk)
    return ended


def _pid(worker: str) -> str:
    return worker.split(":")[1] if worker.count(":") >= 2 else "?"


def _end(job: SourceJob, reason: str, now) -> bool:
    """Mark ``job`` failed unless someone ended it first; end its queue record too."""
    line = f"{timezone.localtime(now):%H:%M:%S} failed at {job.step}: {reason}\n"
    won = SourceJob.objects.filter(_TAKEN, pk=job.pk, finished__isnull=True).update(
        status=SourceJob.Status.FAILED, error=reason, finished=now, log=Concat("log", Value(line))
    )
    if won:
        logger.warning("job %s: %s", job.pk, reason)
        _end_task(job.task_id, reason, now)
    return bool(won)


def _end_task(task_id: str, reason: str, now) -> None:
    """The queue's record of the run says RUNNING for ever otherwise."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path="reader.jobs.sweeper.WorkerLost", traceback=reason
    )
