"""A worker killed mid-send (SIGKILL while the SMTP server holds its answer): after a restart the
message is never sent twice; it is left visible as needing attention.

In a module of its own so that no other worker is running to take the task.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from messaging.models import OutgoingMessage
from messaging.tasks import send_message
from tests.factories.messaging import OutgoingMessageFactory
from tests.messaging.conftest import Sink, free_port, worker_env
from tests.messaging.test_worker import HOUR, sweep_at
from tests.services import celery_worker, require_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

Status = OutgoingMessage.Status


def test_a_worker_killed_mid_send_never_sends_twice_and_leaves_the_message_visible(tmp_path):
    if settings.REDIS_URL:
        require_redis()
    slow = Sink()
    slow.port = free_port()
    slow.delay = 4  # the SMTP server holds its answer to DATA
    controller = Controller(slow, hostname="127.0.0.1", port=slow.port)
    controller.start()
    try:
        message = OutgoingMessageFactory(scheduled_for=timezone.now() - HOUR)
        with celery_worker(extra_env=worker_env(slow.port), tmp_path=tmp_path) as proc:
            send_message.delay(message.pk)
            deadline = time.monotonic() + 45
            while not slow.started and time.monotonic() < deadline:
                time.sleep(0.05)
            assert slow.started, "the worker never reached the SMTP server"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        message.refresh_from_db()
        assert message.status == Status.SENDING

        with celery_worker(extra_env=worker_env(slow.port), tmp_path=tmp_path):
            send_message.delay(message.pk)  # a redelivery of the same task finds nothing to claim
            sweep_at(timezone.now() + dt.timedelta(minutes=11))  # the sweep sees a stale claim
            time.sleep(3)
            sweep_at(timezone.now() + dt.timedelta(minutes=12))
            time.sleep(slow.delay)
        message.refresh_from_db()
    finally:
        controller.stop()

    assert len(slow.started) == 1  # one SMTP transaction, ever
    assert message.status == Status.FAILED
    assert "may or may not have left" in message.last_error
