"""Uploads per minute with 1 and 2 job workers: python bench/uploads.py [--postgres URL] [--uploads N] [--runs N]

Each run starts from a fresh database (SQLite: a copy of a migrated file; PostgreSQL: a database made
from a migrated template in the server --postgres names, dropped afterwards) and an empty corpus
folder, queues N uploads of distinct plain texts (as the admin's form does), starts W
``manage.py jobs_worker --batch`` processes and times them until the queue is empty and they exit.
Every job must end "done" (else the run is reported as failed). Prints the median uploads per minute
per database and number of workers. --no-entities skips recognition (ingest without spaCy).
Traffic only to 127.0.0.1; every loop bounded by --uploads, --runs and a timeout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MANAGE = str(ROOT / "manage.py")
PEOPLE = ["Konrad Adenauer", "Charles de Gaulle", "Dwight Eisenhower", "Bernard Montgomery", "Clement Attlee"]
TIMEOUT = 900


def text(n: int) -> str:
    name = PEOPLE[n % len(PEOPLE)]
    paragraphs = "\n\n".join(
        f"In {1900 + (n * 7 + k) % 100} {name} travelled to Riga and met the council of Liepāja; "
        f"report {n}, paragraph {k}, tells of Courland and the Baltic coast."
        for k in range(20)
    )
    return f"= Report {n} on {name} =\n\n{paragraphs}\n"


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def run(cmd: list[str], env: dict, stdin: str | None = None) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


class Database:
    """A migrated template and fresh copies of it."""

    def __init__(self, postgres: str | None, folder: Path):
        self.postgres, self.folder = postgres, folder
        if postgres:
            self.template = f"parallax_bench_template_{os.getpid()}"
            pg_admin(postgres, f'CREATE DATABASE "{self.template}"')
            url = with_database(postgres, self.template)
        else:
            self.template = str(folder / "template.sqlite3")
            url = f"sqlite:///{self.template}"
        run([sys.executable, MANAGE, "migrate", "-v0"], {**os.environ, "DATABASE_URL": url})
        self.made: list[str] = []

    def fresh(self) -> str:
        if self.postgres:
            name = f"parallax_bench_{uuid.uuid4().hex[:10]}"
            pg_admin(self.postgres, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            self.made.append(name)
            return with_database(self.postgres, name)
        path = self.folder / f"{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self) -> None:
        if self.postgres:
            for name in [*self.made, self.template]:
                pg_admin(self.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def one_run(database: Database, folder: Path, uploads: int, workers: int, entities: bool) -> float:
    """Uploads per minute of one run."""
    site = Path(tempfile.mkdtemp(dir=folder))
    for name in ("seeds", "tei", "sources"):
        (site / name).mkdir()
    shutil.copy(ROOT / "corpus" / "tei" / "register.xml", site / "tei" / "register.xml")
    env = {
        **os.environ,
        "DATABASE_URL": database.fresh(),
        "PARALLAX_SEEDS_DIR": str(site / "seeds"),
        "PARALLAX_TEI_DIR": str(site / "tei"),
        "PARALLAX_FOREIGN_SOURCES_DIR": str(site / "sources"),
        "PARALLAX_JOB_PROCESSES": "1",
    }
    env.pop("REDIS_URL", None)
    if not entities:
        env["PARALLAX_JOB_NO_ENTITIES"] = "1"
    queue = "".join(
        f"run_source_job.enqueue(SourceJob.objects.create(upload_name='report-{n}.txt', data={text(n).encode()!r}).pk)\n"
        for n in range(uploads)
    )
    prelude = "import django\ndjango.setup()\nfrom reader.jobs.models import SourceJob\nfrom reader.jobs.tasks import run_source_job\n"
    env["DJANGO_SETTINGS_MODULE"] = "reader.settings"
    run([sys.executable, "-"], env, prelude + queue)
    started = time.monotonic()
    argv = [sys.executable, MANAGE, "jobs_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    argv.append("--verbosity=0")
    processes = [subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(workers)]
    for process in processes:
        process.wait(timeout=TIMEOUT)
    seconds = time.monotonic() - started
    failed = run(
        [sys.executable, "-"],
        env,
        prelude + "for job in SourceJob.objects.exclude(status='done'):\n"
        "    print(f'{job.upload_name}: {job.status} at {job.step}: {job.error}')\n",
    ).strip()
    shutil.rmtree(site, ignore_errors=True)
    if failed:  # a rate of uploads that did not all arrive would mean nothing
        raise SystemExit(f"a run with {workers} worker(s) left jobs not done:\n{failed}")
    return uploads / seconds * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="also measure on PostgreSQL (a server at 127.0.0.1)")
    parser.add_argument("--uploads", type=int, default=6, help="uploads a run (default 6)")
    parser.add_argument("--runs", type=int, default=3, help="runs a configuration; the median is printed (default 3)")
    parser.add_argument("--no-entities", action="store_true", help="ingest without entity recognition")
    args = parser.parse_args()
    if args.postgres and urlsplit(args.postgres).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("--postgres: only a server on 127.0.0.1")
    databases = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    print(
        f"{args.uploads} uploads a run, {args.runs} runs, recognition {'off' if args.no_entities else 'on'}, "
        f"{os.cpu_count()} cores"
    )
    print(f"{'database':<12}{'workers':>8}{'uploads/min (median)':>24}{'runs':>32}")
    with tempfile.TemporaryDirectory(prefix="parallax-bench-uploads-") as folder:
        for label, url in databases:
            database = Database(url, Path(folder))
            try:
                for workers in (1, 2):
                    rates = [
                        one_run(database, Path(folder), args.uploads, workers, not args.no_entities)
                        for _ in range(args.runs)
                    ]
                    runs = ", ".join(f"{r:.1f}" for r in rates)
                    print(f"{label:<12}{workers:>8}{statistics.median(rates):>24.1f}{runs:>32}", flush=True)
            finally:
                database.drop()


if __name__ == "__main__":
    main()
