"""Whole-page cache and conditional GET for readers, keyed by the corpus revision.

Reader pages change only when the corpus does (a ``load``, an annotator's
save). Every such change gives the corpus a new *revision* token, kept in the
cache so that all server processes share it; a page is cached under (revision,
scheme, host, URL) and carries an ETag made of the same, so a reader's browser
revalidates with ``If-None-Match`` and gets 304 until the corpus changes.
Logged-in users, the admin and non-GET requests are never cached. Off unless
``PAGE_CACHE_SECONDS`` > 0 (``make serve`` turns it on).

What is stored is bounded by what the corpus holds: a 200, or a 301/410 that a
view gave for a known retired id; never a 404 (anyone can invent URLs), never a
response that sets a cookie. A cache that fails (Redis down) costs speed only:
the backend answers a miss (reader.cache_backend), and a revision bump that
does not land is retried, never raised into an annotator's save.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("reader.cache")

REVISION_KEY = "parallax:corpus-revision"
#: Apps whose rows make up what readers see.
CORPUS_APPS = {"texts", "entities", "annotations"}
#: Statuses worth storing: a page, or a view's answer for a known retired id (never a 404).
CACHEABLE_STATUSES = {200, 301, 410}
#: A failing cache backend is reported at most this often (every request would otherwise log).
LOG_EVERY_SECONDS = 60.0

_bump_pending = False  # a bump that did not reach the cache; retried before the revision is next read
_last_logged = 0.0


def _log_failure(what: str, exc: BaseException) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("cache: %s failed, going on without the cache: %r", what, exc)


def _safely(what: str, call, default=None):
    """``call()``, or ``default`` if the cache backend raises: a cache must never cost a page or a save.

    The Redis backend fails open by itself (reader.cache_backend); this covers the others (a file
    cache on a full disk raises OSError) and a revision bump that runs after a commit.
    """
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 (any backend's error: the cache is an optimisation)
        _log_failure(what, exc)
        return default


def remembered(key: str, build, seconds: int, keep=lambda value: True):
    """The value cached under ``key``, else ``build()``'s (cached when ``keep`` accepts it). A backend that
    fails (a full disk, a Redis down) costs a build, never the answer."""
    value = _safely("reading a cached value", lambda: cache.get(key))
    if value is None:
        value = build()
        if keep(value):
            _safely("caching a value", lambda: cache.set(key, value, seconds))
    return value


def corpus_revision() -> str:
    """The current revision token (a new one when the cache has none or cannot be reached)."""
    if _bump_pending:
        bump_corpus_revision()
    fresh = uuid.uuid4().hex
    return _safely("reading the corpus revision", lambda: cache.get_or_set(REVISION_KEY, fresh, timeout=None), fresh)


def bump_corpus_revision(**_ignored) -> None:
    """The corpus changed: every cached page and ETag is stale from now on.

    Never raises. If the cache cannot take the new token (Redis down), the bump is remembered and
    retried before this process next reads the revision, so pages cached before the change are not
    served again once Redis is back.
    """
    global _bump_pending
    stored = _safely(
        "renewing the corpus revision", lambda: cache.set(REVISION_KEY, uuid.uuid4().hex, timeout=None), False
    )
    _bump_pending = stored is False


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label in CORPUS_APPS:
        # After the commit: a rolled-back save changes nothing, and the cache cannot fail the save.
        transaction.on_commit(bump_corpus_revision, robust=True)


def connect_signals() -> None:
    """Bump the revision on every save or delete of a corpus row (bulk loads bump it in ``load``)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"parallax-revision-{signal}")


def _logged_in(request) -> bool:
    """True when the request's session cookie names a real session with a logged-in user.

    Any client can send a made-up ``sessionid``; only a session the store holds (one lookup of its
    primary key) bypasses the cache, so a junk cookie cannot load the server.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return SESSION_KEY in store


class CorpusPageCache:
    """Serve anonymous GET/HEAD requests from the cache, with an ETag, and answer 304 when it matches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        # get_host() checks ALLOWED_HOSTS (DisallowedHost: 400) and, with the scheme, makes the
        # absolute links of the page: one host's page is never served to another.
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(f"{corpus_revision()}|{url}".encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"parallax:page:{digest}"
        response = _safely("reading a page", lambda: cache.get(key))
        if response is None:
            response = self.get_response(request)
            if not self._cacheable_response(request, response):
                return response
            response["ETag"] = etag
            response["Cache-Control"] = "public, no-cache"  # stored, but revalidated (cheap: 304)
            patch_vary_headers(response, ["Cookie"])  # a shared proxy must not give it to a logged-in user
            _safely("storing a page", lambda: cache.set(key, response, seconds))
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(("/admin/", "/static/"))
            and not _logged_in(request)
        )

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        # A 301 only from a view (a retired id); CommonMiddleware's slash redirects exist for any path.
        answered_by_view = getattr(request, "resolver_match", None) is not None
        return (
            response.status_code in CACHEABLE_STATUSES
            and (response.status_code != 301 or answered_by_view)
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )
