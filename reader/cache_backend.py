"""A Redis cache that fails open: a down Redis costs speed, never a page or a save.

Django's ``RedisCache`` raises on every connection error, so a stopped Redis
made every cached page, every export and every annotator's save (which bumps
the corpus revision) answer 500. This backend catches Redis's errors (connection,
timeout, a server that answers nonsense) and behaves as a miss (reads) or a no-op (writes). After an
error it does not try Redis again for ``RETRY_SECONDS`` (each try costs up to
the socket timeout), and it logs once per outage, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("reader.cache")

#: Short timeouts: a Redis that does not answer must not hold a page for long.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "retry": None}
#: How long after a failure every cache call is a miss without trying Redis.
RETRY_SECONDS = 5.0
#: What a lost, hung or misbehaving Redis raises: redis-py wraps socket errors in ConnectionError and
#: TimeoutError, and a full (maxmemory), read-only or wrong server answers a ResponseError or
#: InvalidResponse; all are RedisError, and none must cost a reader a page.
UNAVAILABLE = redis.exceptions.RedisError


class FailOpenRedisCache(RedisCache):
    """``RedisCache`` whose calls answer a miss or do nothing while Redis is down."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_since = None

    def unavailable(self) -> bool:
        """True while the last failure is younger than RETRY_SECONDS."""
        return time.monotonic() < self._down_until

    def _failed(self, exc) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
            first = self._down_since is None
            if first:
                self._down_since = time.monotonic()
        if first:
            logger.warning(
                "cache: Redis unreachable (%s); serving without the cache, retrying every %g s", exc, RETRY_SECONDS
            )

    def _recovered(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is not None:
            logger.warning("cache: Redis reachable again after %.0f s", time.monotonic() - since)

    def _guard(self, call, default):
        """``call()``, or ``default`` when Redis is (or just went) unreachable."""
        if self.unavailable():
            return default
        try:
            result = call()
        except UNAVAILABLE as exc:
            self._failed(exc)
            return default
        self._recovered()
        return result

    # Reads answer a miss; writes do nothing and say so with False (Django's own ``set`` returns None).
    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(FailOpenRedisCache, self).clear(), False)
