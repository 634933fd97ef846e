"""Serving: malformed requests refused, CSP on every page kind, the page cache and conditional GET,
production settings (`check --deploy`), and gunicorn as `make serve` runs it under concurrent saves."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import lxml.html
import pytest

from reader.entities.models import Entity
from reader.texts.loader import CorpusLoader
from texts_tei import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/texts/partisans/",
    "/texts/partisans/p2/",
    "/compare/partisans/",
    "/entities/",
    "/entities/pla-latvia/",
    "/search/?q=latvia",
    "/admin/login/",
]


@pytest.fixture
def corpus(tmp_path, db):
    report = CorpusLoader(write_corpus(tmp_path / "tei")).run()
    assert report.failed == []


@pytest.mark.parametrize(
    "url, problem",
    [
        ("/search/?q=%00", "contains a NUL byte"),
        ("/entities/%00/", "NUL byte"),
        ("/texts/partisans/p2%00/", "NUL byte"),
        ("/search/?q=" + "a" * 1001, "longer than 1000"),
        ("/search/?q=%ff%fe", "not valid UTF-8"),
        ("/search/?" + "&".join(f"x{n}=1" for n in range(101)), "more than 100"),
    ],
)
def test_malformed_requests_get_400_naming_the_problem(client, corpus, url, problem):
    response = client.get(url)
    assert response.status_code == 400
    assert problem in response.content.decode()


def test_ordinary_requests_pass(client, corpus):
    assert client.get("/search/?q=" + "a" * 200).status_code == 200
    assert client.get("/search/?q=Sarkan%C4%81").status_code == 200  # UTF-8 is fine


def test_every_page_kind_carries_a_content_security_policy_with_nothing_inline(client, corpus):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"


def test_page_cache_serves_anonymous_readers_and_revalidates_by_etag(
    client, corpus, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/texts/partisans/")
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = client.get("/texts/partisans/")
    assert again.content == first.content and again["ETag"] == etag
    assert client.get("/texts/partisans/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    latvia = Entity.objects.get(xml_id="pla-latvia")
    latvia.name = "Latvija"
    with django_capture_on_commit_callbacks(execute=True):
        latvia.save()  # an annotator's change: the corpus has a new revision once it is committed
    changed = client.get("/entities/pla-latvia/")
    assert "Latvija" in changed.content.decode()
    assert client.get("/texts/partisans/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_page_cache_never_serves_logged_in_users_or_the_admin(client, corpus, settings, admin_user):
    settings.PAGE_CACHE_SECONDS = 60
    client.force_login(admin_user)
    assert "ETag" not in client.get("/texts/partisans/")
    assert "ETag" not in client.get("/admin/")


def test_page_cache_keys_by_host_and_scheme(client, corpus, settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.ALLOWED_HOSTS = ["testserver", "reader.example.org"]
    plain = client.get("/texts/partisans/p2/")
    other = client.get("/texts/partisans/p2/", HTTP_HOST="reader.example.org")
    secure = client.get("/texts/partisans/p2/", HTTP_HOST="reader.example.org", secure=True)
    assert "http://testserver/" in plain.content.decode()
    assert "http://reader.example.org/" in other.content.decode()
    assert "http://testserver/" not in other.content.decode()
    assert "https://reader.example.org/" in secure.content.decode()
    assert len({plain["ETag"], other["ETag"], secure["ETag"]}) == 3


def test_page_cache_refuses_a_host_outside_allowed_hosts_even_when_the_page_is_cached(client, corpus, settings):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get("/texts/partisans/").status_code == 200  # cached now
    assert client.get("/texts/partisans/", HTTP_HOST="evil.example").status_code == 400


def test_page_cache_never_stores_404s_of_unknown_urls(client, corpus, settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    client.get("/")  # the revision token itself is one entry
    before = len(cache._cache)
    for n in range(50):
        assert client.get(f"/texts/partisans/no-such-unit-{n}/").status_code == 404
        assert client.get(f"/no/such/page/{n}/").status_code == 404
        assert client.get(f"/texts/made-up-{n}").status_code == 301  # the slash redirect: exists for any path
    assert len(cache._cache) == before
    assert "ETag" not in client.get("/texts/partisans/no-such-unit-1/")
    pages = sum(":parallax:page:" in key for key in cache._cache)
    assert client.get("/texts/partisans/").status_code == 200
    assert sum(":parallax:page:" in key for key in cache._cache) == pages + 1  # a found page is stored


def test_page_cache_serves_a_junk_session_cookie_from_the_cache_in_one_query(
    client, corpus, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/texts/partisans/")
    client.cookies["sessionid"] = "a" * 32  # well formed, but no such session
    with django_assert_max_num_queries(1):  # the session lookup; the page itself comes from the cache
        junk = client.get("/texts/partisans/")
    assert junk.status_code == 200 and junk["ETag"] == first["ETag"] and junk.content == first.content
    assert "Cookie" in junk["Vary"]
    client.cookies["sessionid"] = "short"  # too short to be a session key: not even looked up
    with django_assert_max_num_queries(0):
        assert client.get("/texts/partisans/")["ETag"] == first["ETag"]


def test_page_cache_never_stores_a_response_that_sets_a_cookie(rf, db, settings):
    from django.core.cache import cache
    from django.http import HttpResponse

    from reader.caching import CorpusPageCache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("hello")
        response.set_cookie("greeting", "only-for-you")
        return response

    middleware = CorpusPageCache(view)
    for _ in range(2):
        response = middleware(rf.get("/texts/"))
        assert response.cookies["greeting"].value == "only-for-you" and "ETag" not in response
    assert len(calls) == 2
    assert not [key for key in cache._cache if "parallax:page:" in key]


def production_env(tmp_path: Path) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # never in production
    return dict(
        environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PARALLAX_CACHE_DIR=str(tmp_path / "cache"),
        PARALLAX_TEI_DIR=str(tmp_path / "tei"),
    )


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_deploy_check_is_clean_on_the_production_settings(tmp_path):
    done = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_production_pages_and_ten_concurrent_saves_get_one_save_and_nine_conflicts(tmp_path):
    env = production_env(tmp_path)
    write_corpus(tmp_path / "tei")
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load",)):
        done = manage(env, *args)
        assert done.returncode == 0, done.stderr
    assert (
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_superuser('ed', 'ed@example.org', 'pw-42-pw')",
        ).returncode
        == 0
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "reader.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    https = {"X-Forwarded-Proto": "https"}
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        plain = httpx.get(base + "/", timeout=10)
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")
        for url in PAGES:
            response = httpx.get(base + url, headers=https, timeout=20)
            assert response.status_code == 200, url
            assert response.headers["server"].startswith("gunicorn")
            assert "default-src 'self'" in response.headers["content-security-policy"]
            assert "max-age=31536000" in response.headers["strict-transport-security"]
        assert httpx.get(base + "/search/?q=%00", headers=https, timeout=10).status_code == 400

        sessions = [_login(base, https) for _ in range(10)]
        pk = _entity_pk(env)
        forms = [_change_form(s, base, https, pk) for s in sessions]
        results: list[int | str] = [0] * 10

        def save(k: int) -> None:
            answer = sessions[k].post(
                f"{base}/admin/entities/entity/{pk}/change/",
                data=dict(forms[k], name=f"Name {k}", _save="Save"),
                headers=_headers(sessions[k], https, base),
            )
            results[k] = "conflict" if answer.status_code == 200 and "Not saved" in answer.text else answer.status_code

        threads = [threading.Thread(target=save, args=(k,)) for k in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(results, key=str) == [302] + ["conflict"] * 9, results
        stored = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            f"from reader.entities.models import Entity; print(Entity.objects.get(pk={pk}).name)",
        )
        winner = next(k for k, r in enumerate(results) if r == 302)
        assert stored.stdout.strip() == f"Name {winner}"
    finally:
        server.terminate()
        _, log = server.communicate(timeout=20)
    assert "Traceback" not in log


def _headers(session: httpx.Client, https: dict, base: str) -> dict:
    # Secure cookies go over the plain connection by hand: the TLS proxy is simulated by the header.
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies.jar)
    return {**https, "Cookie": cookie, "Referer": base.replace("http://", "https://") + "/admin/"}


def _login(base: str, https: dict) -> httpx.Client:
    session = httpx.Client(timeout=30)
    page = session.get(base + "/admin/login/", headers=_headers(session, https, base))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        base + "/admin/login/?next=/admin/",
        headers=_headers(session, https, base),
        data={"username": "ed", "password": "pw-42-pw", "csrfmiddlewaretoken": token},
    )
    assert "sessionid" in {c.name for c in session.cookies.jar}
    return session


def _change_form(session: httpx.Client, base: str, https: dict, pk: int) -> dict:
    page = session.get(f"{base}/admin/entities/entity/{pk}/change/", headers=_headers(session, https, base))
    form = next(f for f in lxml.html.fromstring(page.text).forms if f.get("id") == "entity_form")
    return dict(form.form_values())


def _entity_pk(env: dict) -> int:
    done = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from reader.entities.models import Entity; print(Entity.objects.get(xml_id='pla-latvia').pk)",
    )
    return int(done.stdout.strip())
