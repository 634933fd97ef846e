"""Load benchmark: the production server (gunicorn, as `make serve` runs it) under 50 clients.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 20] [--workers 3] [--redis redis://127.0.0.1:6379/0]

Builds a scratch SQLite database from ``corpus/tei/`` in a temporary folder,
starts gunicorn on a free port of 127.0.0.1 with the production settings
(``DJANGO_DEBUG=0``, whitenoise, CSP, the page cache) and sends, for a fixed
time, a mix of reader pages (home, document, permalink, compare, entity,
search) plus an annotator's annotate page after login. In the same run the
same clients fetch one static file from the same server: the ceiling. While
the mix runs, two annotators save the same register entry from the same form
at the same moment; the one who saves second must be told of the conflict and
the first one's change must be what is stored. Prints requests/s, p50/p99
latency and errors; never passes or fails on figures. Traffic goes to
127.0.0.1 only, and every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import lxml.html

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "load bench password 42"
FORWARDED = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of `make serve` says
MAX_REQUESTS_PER_CLIENT = 200_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(tmp: Path, redis: str | None) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        PARALLAX_CACHE_DIR=str(tmp / "cache"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict) -> dict:
    """Migrate, load the corpus, make two annotators, and pick one URL of each page kind."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load", "-v", "0")
    script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from reader.texts.models import Document, Paragraph, Work
from reader.entities.models import Entity
for name in ("anna", "ben"):
    user = get_user_model().objects.create_user(name, password={PASSWORD!r}, is_staff=True)
    user.groups.set(Group.objects.all())
doc = Document.objects.order_by("-word_count").first()
unit = Paragraph.objects.filter(document=doc, kind="p").order_by("position")[3]
work = Work.objects.filter(witnesses__isnull=False).order_by("-variant_count").first()
entity = Entity.objects.order_by("-id").first()
print(json.dumps({{"document": doc.get_absolute_url(), "paragraph": unit.get_absolute_url(),
                  "compare": work.get_absolute_url(), "entity": entity.get_absolute_url(),
                  "entity_pk": entity.pk, "entity_name": entity.name,
                  "annotate": f"/admin/texts/paragraph/{{unit.pk}}/annotate/"}}))
"""
    import json

    return json.loads(manage(env, "shell", "--no-imports", "-c", script).strip().splitlines()[-1])


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "reader.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/reader/reader.css", headers=FORWARDED, timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not answer within 60 s")


class Session:
    """A logged-in browser behind the TLS proxy: its (Secure) cookies are sent over the plain
    connection by hand, since HTTP clients rightly refuse to."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30)
        self.cookies: dict[str, str] = {}
        self.referer = base.replace("http://", "https://") + "/admin/"

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            **FORWARDED,
            "Referer": self.referer,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = self.client.request(method, path, headers=headers, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> httpx.Response:
        return self.request("POST", path, data=data)


def login(base: str, user: str) -> Session:
    session = Session(base)
    page = session.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        "/admin/login/?next=/admin/", {"username": user, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    if "sessionid" not in session.cookies:
        sys.exit(f"login of {user} failed ({answer.status_code})")
    return session


async def run_clients(
    base: str, paths: list[tuple[str, dict]], clients: int, seconds: float
) -> tuple[list[float], int, int]:
    """``clients`` concurrent keep-alive clients cycling through ``paths`` for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=FORWARDED, limits=limits, timeout=30) as client:

        async def one(k: int) -> None:
            nonlocal errors
            for n in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= deadline:
                    return
                path, cookies = paths[(k + n) % len(paths)]  # cookies: a Cookie header, or none
                started = time.perf_counter()
                try:
                    response = await client.get(path, headers=cookies)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(one(k) for k in range(clients)))
        elapsed = time.monotonic() - started
    return latencies, errors, round(len(latencies) / elapsed)


def entity_form(client: Session, pk: int) -> dict:
    """The entry's change form as a browser would post it."""
    page = lxml.html.fromstring(client.get(f"/admin/entities/entity/{pk}/change/").text)
    form = next(f for f in page.forms if f.get("id") == "entity_form")
    return dict(form.form_values())


def concurrent_saves(base: str, pk: int, name: str) -> str:
    """Anna and Ben open the same entry, both save: one change stored, the other told, nothing lost."""
    anna, ben = login(base, "anna"), login(base, "ben")
    forms = {"anna": entity_form(anna, pk), "ben": entity_form(ben, pk)}
    results = {}

    def save(who: str, client: Session) -> None:
        data = dict(forms[who], name=f"{name} ({who})", _save="Save")
        results[who] = client.post(f"/admin/entities/entity/{pk}/change/", data)

    import threading

    threads = [threading.Thread(target=save, args=(w, c)) for w, c in (("anna", anna), ("ben", ben))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    saved = [w for w, r in results.items() if r.status_code == 302]
    refused = [w for w, r in results.items() if r.status_code == 200 and "Not saved" in r.text]
    errors = [f"{w}: HTTP {r.status_code}" for w, r in results.items() if r.status_code >= 500]
    stored = re.search(r'name="name"[^>]*value="([^"]*)"', anna.get(f"/admin/entities/entity/{pk}/change/").text)
    stored = stored.group(1) if stored else "?"
    ok = len(saved) == 1 and len(refused) == 1 and stored == f"{name} ({saved[0]})" and not errors
    return (
        f"{'ok' if ok else 'LOST OR FAILED'}: saved by {saved or 'nobody'}, refused with the conflict message "
        f"for {refused or 'nobody'}, stored name {stored!r}{'; ' + ', '.join(errors) if errors else ''}"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--redis", metavar="URL", default=None, help="cache in this Redis (default: the file cache)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parallax-load-") as tmp:
        env = environment(Path(tmp), args.redis)
        urls = prepare(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, args.workers)
        try:
            annotator = {"Cookie": "; ".join(f"{k}={v}" for k, v in login(base, "anna").cookies.items())}
            mix = [
                ("/", {}),
                (urls["document"], {}),
                (urls["paragraph"], {}),
                (urls["compare"], {}),
                (urls["entity"], {}),
                ("/search/?q=partisan", {}),
                ("/search/?q=Red+Army", {}),
                (urls["annotate"], annotator),
            ]
            static = [("/static/reader/reader.css", {})]
            for path, cookies in mix:  # warm up, and fail early on a broken page
                code = httpx.get(base + path, headers={**FORWARDED, **cookies}, timeout=60).status_code
                if code != 200:
                    sys.exit(f"{path} answered {code} before the load started")
            rows = []
            for label, paths in (("static file (ceiling)", static), ("page mix", mix)):
                latencies, errors, rate = asyncio.run(run_clients(base, paths, args.clients, args.seconds))
                rows.append(
                    (label, rate, percentile(latencies, 0.5), percentile(latencies, 0.99), errors, len(latencies))
                )
            saves = concurrent_saves(base, urls["entity_pk"], urls["entity_name"])
        finally:
            server.terminate()
            try:
                _, stderr = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                _, stderr = server.communicate()
    cache = "Redis" if args.redis else "file cache"
    print(
        f"gunicorn, {args.workers} workers, {args.clients} clients, {args.seconds:g} s each, SQLite, page cache on ({cache})"
    )
    print(f"{'':24} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}")
    for label, rate, p50, p99, errors, count in rows:
        print(f"{label:24} {rate:>7} {p50 * 1000:>8.1f} {p99 * 1000:>8.1f} {errors:>7} {count:>9}")
    print(f"pages / static ceiling: {rows[1][1] / rows[0][1]:.2f} (aim: 0.5 or more, issue 20)")
    print(f"two annotators saving one entry during the load: {saves}")
    server_errors = [line for line in stderr.splitlines() if "Traceback" in line or " ERROR " in line]
    print(f"server errors logged: {len(server_errors)}")


if __name__ == "__main__":
    main()
