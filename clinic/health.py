"""Health in two: /healthz/live (this process answers; nothing else is asked) and /healthz/ready
(the database, the cache, the broker, a worker round trip, and the message ledger's failed and
stuck messages), cached for a few seconds and open to loopback or a token only.

Load balancers and compose call /healthz/live: a web process that can answer should get traffic,
because patients can book with Redis or the worker down. /healthz/ready is for monitoring and for
people: it says what is wrong.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import hmac
import ipaddress
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from clinic.celery import app
from clinic.tasks import ping
from messaging.trouble import message_trouble
from ratelimits import outage as rate_limit_outage

LIVE_PATH = "/healthz/live"
READY_CACHE_SECONDS = 10.0


class LivenessMiddleware:
    """First in MIDDLEWARE: answer /healthz/live before the host check, the https redirect or
    any database or cache is touched, so a probe on plain http from any address gets 200."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == LIVE_PATH:
            response = HttpResponse("ok\n", content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker accepts a connection (Redis, or the filesystem broker's folders)."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3))

    def run(self) -> None:
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=self.timeout.total_seconds())
        except Exception as exc:  # any broker failure: not reachable
            raise ServiceUnavailable(f"Broker not reachable: {type(exc).__name__}") from exc


@dataclasses.dataclass
class WorkerRoundTrip(HealthCheck):
    """Send a real task through the broker and wait for a worker's answer.

    Celery's own ping check uses broadcast, which the development filesystem broker lacks;
    a round trip works on every broker and proves the worker executes tasks.
    """

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3))

    def run(self) -> None:
        seconds = self.timeout.total_seconds()
        try:
            answer = ping.apply_async(expires=seconds).get(timeout=seconds)
        except Exception as exc:  # any broker or timeout failure means: not healthy
            raise ServiceUnavailable(f"No Celery worker answered: {type(exc).__name__}") from exc
        if answer != "pong":
            raise ServiceUnavailable(f"Unexpected worker answer {answer!r}")


@dataclasses.dataclass
class Messages(HealthCheck):
    """Failed or stuck messages: a warning (the site works; a person should look)."""

    def run(self) -> None:
        trouble = message_trouble()
        if trouble["failed"] or trouble["stuck"]:
            raise ServiceWarning(f"{trouble['failed']} failed and {trouble['stuck']} stuck message(s)")


@dataclasses.dataclass
class RateLimits(HealthCheck):
    """The rate-limit counters' cache answered within the last minute in this process."""

    def run(self) -> None:
        if rate_limit_outage.failed_within(60):
            raise ServiceWarning("Rate-limit cache unreachable: rate limits are failing open")


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def may_see_readiness(request: HttpRequest) -> bool:
    """Loopback, or the HEALTH_TOKEN as a bearer token (the connecting address: no proxy header
    can make a remote request look local)."""
    if _is_loopback(request.META.get("REMOTE_ADDR", "")):
        return True
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


class _Recent:
    """The last results for READY_CACHE_SECONDS: a burst of probes costs one round of checks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._at = -READY_CACHE_SECONDS
        self._results: list[HealthCheckResult] = []

    def get(self) -> list[HealthCheckResult] | None:
        with self._lock:
            fresh = time.monotonic() - self._at < READY_CACHE_SECONDS
            return list(self._results) if fresh else None

    def put(self, results: list[HealthCheckResult]) -> None:
        with self._lock:
            self._at, self._results = time.monotonic(), list(results)

    def clear(self) -> None:
        with self._lock:
            self._at = -READY_CACHE_SECONDS


recent = _Recent()


class _ClosingExecutor(ThreadPoolExecutor):
    """Runs each check in a thread and closes the database connections that thread opened.

    Django closes connections at the end of a request only in the request's own thread; a
    check's thread would otherwise leave its connection open (and, on SQLite, its locks).
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                connections.close_all()

        return super().submit(run)


class ReadinessView(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "clinic.health.Broker",
        "clinic.health.WorkerRoundTrip",
        "clinic.health.Messages",
        "clinic.health.RateLimits",
    )

    @contextmanager
    def get_executor(self) -> Iterator[ThreadPoolExecutor]:
        executor = _ClosingExecutor(max_workers=len(self.checks), thread_name_prefix="readiness")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)  # a check past its timeout finishes on its own

    async def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not may_see_readiness(request):
            return HttpResponse("Not found\n", status=404, content_type="text/plain")
        return await super().dispatch(request, *args, **kwargs)

    async def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        results = recent.get()
        if results is None:
            with self.get_executor() as executor:
                results = list(await asyncio.gather(*(c.get_result(executor) for c in self.get_checks())))
            recent.put(results)
        self.results = results
        failing = any(r.error and not isinstance(r.error, ServiceWarning) for r in results)
        status = 503 if failing else 200
        wants = request.GET.get("format") or request.headers.get("accept", "")
        if "json" in wants:
            return JsonResponse(
                {
                    "status": "unavailable" if failing else "ok",
                    "checks": {
                        type(r.check).__name__: "OK" if not r.error else str(r.error) for r in results
                    },
                },
                status=status,
            )
        if "html" in wants:
            return self.render_to_response(self.get_context_data(**kwargs), status=status)
        return self.render_to_response_text(status)
