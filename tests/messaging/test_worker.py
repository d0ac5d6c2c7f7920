"""The guarantees end to end: the real broker (Redis when REDIS_URL is set, else the filesystem
broker), a real Celery worker process and a real SMTP server on loopback.

The worker runs on real time, so the scenarios happen in the recent past: a message is due for the
worker when its scheduled time has passed, and this process moves its own clock (time-machine) to
run each sweep at the moment it would run in production.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager

import pytest
import time_machine
from django.utils import timezone

from care_plans.services import send_care_plan
from clinic.celery import app
from intake import notices
from intake.models import Intake
from messaging.models import OutgoingMessage
from messaging.tasks import send_message, sweep_due_messages
from tests.factories.booking import SiteFactory
from tests.factories.care_plans import CarePlanTemplateFactory
from tests.factories.messaging import OutgoingMessageFactory
from tests.messaging.conftest import Sink, free_port
from tests.messaging.scenarios import book, cancel, reschedule
from tests.roles import staff_group
from tests.services import drop_broker_pool

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

Kind, Status = OutgoingMessage.Kind, OutgoingMessage.Status
HOUR = dt.timedelta(hours=1)


@pytest.fixture(scope="module")
def worker(mail_worker):
    return mail_worker


def sweep_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep_due_messages()


def settled(*keys_prefixes: str, timeout: float = 45) -> None:
    """Wait until no ledger row is pending or sending (the worker has done all it was given)."""
    deadline = time.monotonic() + timeout
    busy = OutgoingMessage.objects.none()
    while time.monotonic() < deadline:
        busy = OutgoingMessage.objects.filter(status__in=[Status.SENDING])
        if not busy.exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"still sending: {list(busy.values_list('key', 'status'))}")


def kinds_for(sink: Sink, appointment) -> list[str]:
    return [
        key.split(":")[2] for key in list(sink.keys()) if key.startswith(f"appointment:{appointment.pk}:")
    ]


def test_a_booking_gets_one_confirmation_with_ics_one_reminder_per_offset_and_none_after_cancelling(
    worker, sink
):
    t0 = timezone.now() - dt.timedelta(days=10)
    start = t0 + dt.timedelta(days=7)
    with time_machine.travel(t0, tick=False):
        appointment = book(start)  # the confirmation is enqueued on commit

    sink.wait_for(lambda keys: len(keys) == 1)
    assert sweep_at(t0 + HOUR) == 0  # reminders are not due at booking time
    assert sweep_at(start - 48 * HOUR + dt.timedelta(minutes=1)) == 1
    sink.wait_for(lambda keys: len(keys) == 2)
    with time_machine.travel(start - 30 * HOUR, tick=False):
        cancel(appointment)
    sink.wait_for(lambda keys: len(keys) == 3)
    assert sweep_at(start - HOUR) == 0
    settled()
    time.sleep(1)

    assert kinds_for(sink, appointment) == ["confirmation", "reminder", "cancelled"]
    confirmation = sink.with_key(f"appointment:{appointment.pk}:confirmation")[0]
    parts = [part.get_content_type() for part in confirmation.walk()]
    assert "text/plain" in parts and "text/html" in parts and "text/calendar" in parts


def test_a_reschedule_sends_a_notice_and_the_old_time_reminders_never_go(worker, sink):
    t0 = timezone.now() - dt.timedelta(days=10)
    old_start, new_start = t0 + dt.timedelta(days=4), t0 + dt.timedelta(days=8)
    with time_machine.travel(t0, tick=False):
        appointment = book(old_start)
    sink.wait_for(lambda keys: len(keys) == 1)
    with time_machine.travel(t0 + HOUR, tick=False):
        reschedule(appointment, new_start)
    sink.wait_for(lambda keys: len(keys) == 2)

    for moment in [old_start - 47 * HOUR, old_start - HOUR, new_start - 47 * HOUR, new_start - HOUR]:
        sweep_at(moment)
    sink.wait_for(lambda keys: len(keys) == 4)
    settled()
    time.sleep(1)

    assert kinds_for(sink, appointment) == ["confirmation", "rescheduled", "reminder", "reminder"]
    sent_reminders = OutgoingMessage.objects.filter(kind=Kind.REMINDER, status=Status.SENT)
    assert {m.subject_start for m in sent_reminders} == {new_start}


def test_an_urgent_intake_produces_exactly_one_alert(worker, sink):
    site = SiteFactory(front_desk_email="howell@clinic.example")
    intake = Intake.objects.create(
        name="Pat", email="pat@mail.example", preferred_site=site, answers={}, assessment={},
        triage_version="t", urgency="urgent", urgency_rank=1,
    )  # fmt: skip
    notices.intake_submitted(intake)  # autocommit: enqueued at once
    sink.wait_for(lambda keys: len(keys) == 1)
    sweep_at(timezone.now())
    sweep_at(timezone.now())
    settled()
    time.sleep(1)

    assert sink.keys() == [f"intake:{intake.pk}:urgent_alert"]
    assert sink.messages[0]["To"] == "howell@clinic.example"
    assert sink.messages[0]["Subject"] == "Urgent intake waiting"


def test_a_sent_care_plan_arrives_with_its_check_in_two_weeks_later(worker, sink):
    from django.contrib.auth.models import User

    t0 = timezone.now() - dt.timedelta(days=20)
    with time_machine.travel(t0 - dt.timedelta(days=3), tick=False):
        appointment = book(t0 - HOUR)
    sink.wait_for(lambda keys: len(keys) == 1)
    doctor = User.objects.create_user("maya", is_staff=True)
    doctor.groups.add(staff_group("Podiatrist"))
    appointment.podiatrist.user = doctor  # a podiatrist completes their own visits
    appointment.podiatrist.save(update_fields=["user"])
    with time_machine.travel(t0, tick=False):
        send_care_plan(
            appointment=appointment, template=CarePlanTemplateFactory(), note="Ice it.", actor=doctor
        )
    sink.wait_for(lambda keys: any(":care_plan:" in k for k in keys))

    sweep_at(t0 + dt.timedelta(days=13))  # (the visit's own past reminders are skipped: it is completed)
    settled()
    assert not any(":checkin:" in key for key in list(sink.keys()))
    sweep_at(t0 + dt.timedelta(days=14, hours=1))
    sink.wait_for(lambda keys: any(":checkin:" in k for k in keys))
    settled()

    care = [k.split(":")[2] for k in list(sink.keys()) if k.startswith("care_plan:")]
    assert care == ["care_plan", "checkin"]
    checkin = sink.with_key("care_plan:")[1]
    assert "Still hurting after two weeks?" in checkin.get_body(("plain",)).get_content()


def test_the_same_task_delivered_twice_and_two_sweeps_send_once(worker, sink):
    message = OutgoingMessageFactory(scheduled_for=timezone.now() - HOUR)
    send_message.delay(message.pk)
    send_message.delay(message.pk)
    sweep_at(timezone.now())
    sweep_at(timezone.now())  # a second beat process
    sink.wait_for(lambda keys: len(keys) >= 1)
    settled()
    time.sleep(1.5)

    assert sink.keys() == [message.key]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


@contextmanager
def broker_down():
    """Point this process's Celery app at a closed port, as if the broker had stopped."""
    saved = app.conf.broker_url
    drop_broker_pool()  # a pooled connection to the running broker would still publish
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    try:
        yield
    finally:
        app.conf.broker_url = saved
        drop_broker_pool()


def test_a_booking_made_while_the_broker_is_down_succeeds_and_is_sent_once_it_is_back(worker, sink):
    with broker_down():
        started = time.monotonic()
        appointment = book(timezone.now() + dt.timedelta(days=10))
        elapsed = time.monotonic() - started
    confirmation = OutgoingMessage.objects.get(
        subject=f"appointment:{appointment.pk}", kind=Kind.CONFIRMATION
    )
    assert confirmation.status == Status.PENDING
    assert elapsed < 3  # the patient is not kept waiting on the broker

    assert sweep_at(timezone.now()) == 1
    sink.wait_for(lambda keys: len(keys) == 1)
    sweep_at(timezone.now())
    settled()
    time.sleep(1)
    assert sink.keys() == [confirmation.key]
