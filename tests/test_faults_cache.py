"""Faults of the page cache: Redis down, hung or restarted costs speed, never a page, an export or a save.

Redis is "stopped" three ways: REDIS_URL names a closed port on 127.0.0.1; a port that accepts
connections and never answers (a hung server); and a real redis-server started by the test and
killed mid-test, then restarted on its data.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from annotating import client_for, free_words

pytestmark = pytest.mark.faults

BACKEND = "reader.cache_backend.FailOpenRedisCache"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_redis(settings, url: str) -> None:
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": url}}
    settings.PAGE_CACHE_SECONDS = 60


def reader_urls(document) -> list[str]:
    """Reader pages and exports of the loaded document."""
    paragraph = document.paragraphs.filter(kind="p").order_by("position").first()
    slug = document.slug
    return [
        "/",
        f"/texts/{slug}/",
        f"/texts/{slug}/{paragraph.xml_id}/",
        "/entities/",
        "/search/?q=latvia",
        f"/texts/{slug}.xml",
        f"/texts/{slug}.txt",
        f"/texts/{slug}/cite.bib",
        "/register.xml",
        "/api/register.csv",
        f"/api/texts/{slug}/mentions.csv",
        f"/api/texts/{slug}/annotations.jsonld",
        "/api/dts/collection/",
    ]


def annotate(annotator, document, name: str):
    """An annotator marks two unmarked words as a new organisation (the annotate view's add form)."""
    paragraph, words, _ = free_words(document)
    response = client_for(annotator).post(
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]),
        {"action": "add", "add-surface": words, "add-occurrence": 1, "add-kind": "org", "add-new_entity": name},
    )
    return paragraph, words, response


def test_redis_on_a_closed_port_serves_every_page_and_export_and_an_annotators_save_lands(
    client, corpus, annotator, settings, caplog, django_capture_on_commit_callbacks
):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/14")
    caplog.set_level(logging.WARNING, logger="reader.cache")
    for url in reader_urls(corpus) * 2:
        response = client.get(url)
        assert response.status_code == 200, url
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paragraph, words, response = annotate(annotator, corpus, "Missed Organisation")
    assert response.status_code == 302
    assert callbacks, "the revision bump runs after the commit"
    assert paragraph.mentions.get(surface=words).entity.xml_id == "org-missed-organisation"
    page = client.get(reverse("texts:paragraph", args=[corpus.slug, paragraph.xml_id])).content.decode()
    assert "/entities/org-missed-organisation/" in page
    unreachable = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(unreachable) == 1  # one line per outage, not one per request


def test_a_hung_redis_costs_one_timeout_then_nothing(client, corpus, settings):
    with socket.socket() as hung:  # accepts connections (the backlog), never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        use_redis(settings, f"redis://127.0.0.1:{hung.getsockname()[1]}/14")
        started = time.monotonic()
        assert client.get(f"/texts/{corpus.slug}/").status_code == 200
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(5):
            assert client.get(f"/texts/{corpus.slug}/").status_code == 200
        after = time.monotonic() - started
    assert first < 3, f"the first page waited {first:.1f} s for a hung Redis"
    assert after < first + 2, f"five pages took {after:.1f} s: Redis is retried on every request"


def test_a_save_whose_revision_bump_fails_is_never_rolled_back(
    corpus, annotator, settings, django_capture_on_commit_callbacks
):
    """Even a cache backend that raises (not only Redis) cannot fail an annotator's save."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/14"}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paragraph, words, response = annotate(annotator, corpus, "Raising Cache Org")
    assert response.status_code == 302 and callbacks
    assert paragraph.mentions.filter(surface=words).exists()


def test_a_file_cache_that_cannot_write_serves_pages_and_saves(
    client, corpus, annotator, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Production without Redis uses a file cache; a full or broken disk under it raises OSError."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(blocked)}
    }
    settings.PAGE_CACHE_SECONDS = 60
    with pytest.raises(OSError):
        cache.set("probe", 1)  # the fault is real
    for url in reader_urls(corpus):
        assert client.get(url).status_code == 200, url
    with django_capture_on_commit_callbacks(execute=True):
        paragraph, words, response = annotate(annotator, corpus, "File Cache Organisation")
    assert response.status_code == 302 and paragraph.mentions.filter(surface=words).exists()


REDIS_SERVER = shutil.which("redis-server")


class RedisServer:
    """A private redis-server on a free port, with its data on disk (AOF), that a test can stop and start."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()  # a clean shutdown: the AOF keeps every key for the restart
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary (apt-get install redis-server)")
def test_a_real_redis_stopped_and_restarted_serves_pages_throughout_and_no_stale_page_after(
    client, corpus, annotator, settings, redis_server, django_capture_on_commit_callbacks, monkeypatch
):
    from reader import cache_backend

    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.2)
    use_redis(settings, f"redis://127.0.0.1:{redis_server.port}/0")
    paragraph, _, _ = free_words(corpus)  # the paragraph the annotator will change
    url = reverse("texts:paragraph", args=[corpus.slug, paragraph.xml_id])
    cached = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 304  # Redis holds the page

    redis_server.stop()
    for page in reader_urls(corpus):
        assert client.get(page).status_code == 200, page
    with django_capture_on_commit_callbacks(execute=True):
        changed, words, response = annotate(annotator, corpus, "Outage Organisation")
    assert response.status_code == 302 and changed == paragraph
    assert paragraph.mentions.filter(surface=words).exists()

    redis_server.start()  # back, with the revision and the page cached before the save
    time.sleep(0.3)
    after = client.get(url, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert after.status_code == 200, "the page cached before the save was served again"
    assert "/entities/org-outage-organisation/" in after.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304  # caching again
    assert cache.get("parallax:corpus-revision") is not None


# --------------------------------------------------------------------------- PostgreSQL restarted


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_costs_no_reader_a_500(client, settings):
    """A restart ends every server connection; a worker's kept connection (CONN_MAX_AGE) is dead.
    Django checks it before reuse (CONN_HEALTH_CHECKS) and opens a new one instead of answering 500."""
    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL restart (make test reruns this on PostgreSQL)")
    import psycopg

    assert connection.settings_dict["CONN_MAX_AGE"] > 0 and connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert client.get("/entities/").status_code == 200
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "autocommit": True}) as admin:  # what a restart does to it
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(3):
        close_old_connections()  # what every real request starts with (the test client leaves it out)
        assert client.get("/entities/").status_code == 200
    assert connection.connection.info.backend_pid != pid
