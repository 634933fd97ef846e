"""Run the upload jobs: django-tasks-db's ``db_worker``, made to keep going.

python manage.py jobs_worker [--supervise] [db_worker's options: --batch, --interval, --max-tasks …]

Beyond ``db_worker`` (which has neither), this worker
- ends jobs whose worker died (reader.jobs.sweeper) when it starts and every STALE_SECONDS / 2;
- survives a database that is busy or away ("database is locked" after another writer held SQLite
  longer than its timeout, a PostgreSQL restart): it waits, with back-off, and goes on;
- with ``--supervise``, runs the worker as a child process and starts it again whenever it dies
  (back-off 1 s doubling to 30 s); the child dies with the supervisor (PR_SET_PDEATHSIG), and
  SIGTERM/SIGINT stop both.

Environment: PARALLAX_JOB_HEARTBEAT_SECONDS (10) and PARALLAX_JOB_STALE_SECONDS (60) bound how soon
a job whose worker died is ended; PARALLAX_JOB_NO_ENTITIES=1 ingests uploads without recognition;
PARALLAX_JOB_PROCESSES=N gives spaCy N processes (default: every core).
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from reader.jobs import sweeper
from reader.jobs.liveness import die_with_parent

logger = logging.getLogger("reader.jobs")

#: Longest wait between two tries of a database that does not answer, and between two restarts.
MAX_BACKOFF = 30.0


class JobWorker(Worker):
    """db_worker's loop, with the sweeper beside it and retries when the database is busy or away."""

    def run(self) -> None:
        _sweep_safely()
        stop = threading.Event()
        threading.Thread(target=_sweep_every, args=(stop,), name="job-sweeper", daemon=True).start()
        delay = 1.0
        try:
            while True:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as exc:
                    logger.warning("the database is busy or away (%s); trying again in %.0f s", exc, delay)
                    _reconnect()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_BACKOFF)
                    self.startup_delay = False
        finally:
            stop.set()


def _sweep_safely() -> None:
    try:
        ended = sweeper.sweep()
    except DatabaseError as exc:
        logger.warning("the sweeper could not read the jobs: %s", exc)
        _reconnect()
        return
    if ended:
        logger.warning("ended %d job(s) whose worker had stopped: %s", len(ended), ended)


def _sweep_every(stop: threading.Event) -> None:
    try:
        while not stop.wait(max(1.0, sweeper.STALE_SECONDS / 2)):
            _sweep_safely()
    finally:
        connection.close()


def _reconnect() -> None:
    try:
        connection.close()
    except DatabaseError:
        pass
    close_old_connections()


class Command(DBWorkerCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--supervise", action="store_true", help="run the worker as a child and restart it when it dies"
        )

    def handle(self, *, supervise: bool = False, **options) -> None:
        if supervise:
            return supervise_worker([a for a in sys.argv[1:] if a != "--supervise"])
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = JobWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()


def supervise_worker(args: list[str]) -> None:
    """Run ``manage.py <args>`` (the worker) and start it again whenever it dies, until stopped."""
    child: subprocess.Popen | None = None
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = 1.0
    while not stopping:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, sys.argv[0], *args], preexec_fn=die_with_parent)
        code = child.wait()
        if stopping or (code == 0 and "--batch" in args):
            return
        delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, MAX_BACKOFF)
        logger.error("the job worker exited with status %s; starting it again in %.0f s", code, delay)
        print(f"jobs_worker: the worker exited with status {code}; restarting in {delay:.0f} s", file=sys.stderr)
        time.sleep(delay)
