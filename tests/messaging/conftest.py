"""A real SMTP server on loopback (aiosmtpd) and a real Celery worker that sends to it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.services import celery_worker, require_redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """Collects what arrives. `delay` holds the answer to DATA; `fail` answers 451 (try later).

    `envelopes` holds each accepted message's envelope recipients (RCPT TO), in order.
    """

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[list[str]] = []
        self.started: list[str] = []
        self.delay = 0.0
        self.fail = False
        self.port = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.started.append(parsed.get("X-Clinic-Message", ""))
        if self.fail:
            return "451 4.3.0 Mailbox temporarily unavailable"
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.messages.append(parsed)
            self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()
            self.started.clear()
        self.delay, self.fail = 0.0, False

    def keys(self) -> list[str]:
        with self._lock:
            return [m.get("X-Clinic-Message", "") for m in self.messages]

    def wait_for(self, predicate: Callable[[list[str]], bool], timeout: float = 45) -> list[str]:
        """Wait until `predicate(keys)` holds (the worker runs in another process)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.keys()):
                return self.keys()
            time.sleep(0.1)
        raise AssertionError(f"timed out; the sink holds {self.keys()}")

    def with_key(self, prefix: str) -> list[Message]:
        with self._lock:
            return [m for m in self.messages if m.get("X-Clinic-Message", "").startswith(prefix)]


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[Sink]:
    sink = Sink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def sink(smtp_sink: Sink) -> Sink:
    smtp_sink.clear()
    return smtp_sink


@pytest.fixture
def smtp_settings(settings, sink: Sink):
    """This process sends to the sink too (for in-process tests of the real SMTP path)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return settings


def worker_env(port: int) -> dict[str, str]:
    return {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": settings.SITE_URL}


@pytest.fixture(scope="module")
def mail_worker(smtp_sink, django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker process on this run's database and broker, mailing to the sink."""
    if settings.REDIS_URL:
        require_redis()
    with (
        django_db_blocker.unblock(),
        celery_worker(
            extra_env=worker_env(smtp_sink.port), tmp_path=tmp_path_factory.mktemp("worker")
        ) as proc,
    ):
        yield proc
