"""Whole-page cache and conditional GET for readers, keyed by the corpus revision.

Reader pages change only when the corpus does (a ``load``, an annotator's
save). Every such change gives the corpus a new *revision* token, kept in the
cache so that all server processes share it; a page is cached under (revision,
URL) and carries an ETag made of the same, so a reader's browser revalidates
with ``If-None-Match`` and gets 304 until the corpus changes. Logged-in users
(annotators, with a session cookie), the admin and non-GET requests are never
cached. Off unless ``PAGE_CACHE_SECONDS`` > 0 (``make serve`` turns it on).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified

REVISION_KEY = "parallax:corpus-revision"
#: Apps whose rows make up what readers see.
CORPUS_APPS = {"texts", "entities", "annotations"}


def corpus_revision() -> str:
    """The current revision token (a new one when the cache has none)."""
    return cache.get_or_set(REVISION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def bump_corpus_revision(**_ignored) -> None:
    """The corpus changed: every cached page and ETag is stale from now on."""
    cache.set(REVISION_KEY, uuid.uuid4().hex, timeout=None)


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label in CORPUS_APPS:
        bump_corpus_revision()


def connect_signals() -> None:
    """Bump the revision on every save or delete of a corpus row (bulk loads bump it in ``load``)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"parallax-revision-{signal}")


class CorpusPageCache:
    """Serve anonymous GET/HEAD requests from the cache, with an ETag, and answer 304 when it matches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        path = request.get_full_path()
        digest = hashlib.sha256(f"{corpus_revision()}|{path}".encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"parallax:page:{digest}"
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if not self._cacheable_response(response):
                return response
            response["ETag"] = etag
            response["Cache-Control"] = "public, no-cache"  # stored, but revalidated (cheap: 304)
            cache.set(key, response, seconds)
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(("/admin/", "/static/"))
        )

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code in (200, 301, 404, 410)
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )
