"""Rate limits: one mechanism (django-ratelimit's decorator, its middleware and one 429 page),
keyed on the real client address, and failing open when the counters' cache is unreachable.

Why fail open: a rate limit protects the forms from floods; it must never be the reason a patient
cannot book or open their manage link. With Redis down the limit is off (logged at most once a
minute and shown by /healthz/ready) and everything else keeps working on PostgreSQL.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0


def client_ip(request: HttpRequest) -> str:
    """The address of the client, counting `TRUSTED_PROXY_COUNT` proxies in front of us.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    with N proxies the client is the N-th address from the right. Anything to the left of that
    was written by the client and is not trusted. A header shorter than N (a request that did
    not come through every proxy) or an address that does not parse falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind address
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _rate(setting_name: str) -> Callable[[str, HttpRequest], str]:
    """Read the rate from settings at request time (tests and operators may change it)."""

    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, setting_name)

    return rate


def limit(*, group: str, rate_setting: str, method: str | tuple[str, ...] = "POST") -> Callable:
    """django-ratelimit's decorator with this project's key and rates; over the limit it raises
    `Ratelimited`, which its middleware turns into the one "please wait a minute" page."""
    return ratelimit(group=group, key="ip", rate=_rate(rate_setting), method=method, block=True)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: the page for every rate limit."""
    return render(request, "ratelimited.html", status=429)


class _Outage:
    """When the counters' cache last failed, in this process; logs at most once a minute."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.last_failure: float | None = None
        self._last_logged = -LOG_EVERY_SECONDS

    def record(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.last_failure = now
            due = now - self._last_logged >= LOG_EVERY_SECONDS
            if due:
                self._last_logged = now
        if due:
            logger.warning("Rate-limit cache unreachable (%s): rate limits are off until it is back", exc)

    def failed_within(self, seconds: float) -> bool:
        return self.last_failure is not None and time.monotonic() - self.last_failure < seconds


outage = _Outage()


@contextmanager
def _failing_open() -> Iterator[None]:
    try:
        yield
    except Exception as exc:  # redis.ConnectionError, TimeoutError, ...: any cache failure
        outage.record(exc)
        raise _Unreachable from exc


class _Unreachable(Exception):
    pass


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every cache call, and making one costs about
    180 us of CPU (it copies redis-py's tables of reply parsers); a rate-limit check makes two
    calls. This keeps one per connection pool: a `redis.Redis` is safe to share between threads,
    as it takes a connection from its pool for each command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """Redis for the rate-limit counters; when Redis is unreachable, reads miss and writes do
    nothing, so django-ratelimit (with RATELIMIT_FAIL_OPEN) lets the request through."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def _guard(self, call: Callable[[], Any], fallback: Any) -> Any:
        try:
            with _failing_open():
                return call()
        except _Unreachable:
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> bool:
        return self._guard(lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._guard(lambda: super(FailOpenRedisCache, self).incr(key, delta, version), None)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        self._guard(lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def clear(self) -> None:
        self._guard(lambda: super(FailOpenRedisCache, self).clear(), None)
