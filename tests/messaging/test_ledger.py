"""The hooks write the ledger in the transaction of their cause: what is owed, when, to whom."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from messaging import tasks
from messaging.models import OutgoingMessage
from tests.factories.booking import local
from tests.messaging.scenarios import book, cancel, reschedule

pytestmark = pytest.mark.django_db

Kind, Status = OutgoingMessage.Kind, OutgoingMessage.Status
BOOKED_AT = local(2027, 3, 1, 10)
START = local(2027, 3, 10, 9, 30)


def ledger(appointment):
    return sorted(
        (m.kind, m.scheduled_for, m.status)
        for m in OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}")
    )


@time_machine.travel(BOOKED_AT, tick=False)
def test_it_records_a_confirmation_now_and_a_reminder_at_each_offset():
    appointment = book(START)

    assert ledger(appointment) == sorted(
        [
            (Kind.CONFIRMATION, BOOKED_AT, Status.PENDING),
            (Kind.REMINDER, START - dt.timedelta(hours=48), Status.PENDING),
            (Kind.REMINDER, START - dt.timedelta(hours=2), Status.PENDING),
        ]
    )
    reminder = OutgoingMessage.objects.filter(kind=Kind.REMINDER).first()
    assert reminder.recipients == [appointment.patient.email]
    assert reminder.key.startswith(f"appointment:{appointment.pk}:reminder:2027-03-10T14:30Z:")


@time_machine.travel(local(2027, 3, 10, 6), tick=False)
def test_it_skips_offsets_already_past_instead_of_sending_them_at_booking_time():
    appointment = book(START)

    reminders = OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.REMINDER)
    assert [m.scheduled_for for m in reminders] == [START - dt.timedelta(hours=2)]


@time_machine.travel(BOOKED_AT, tick=False)
def test_it_reads_the_offsets_from_settings(settings):
    settings.REMINDER_OFFSETS_HOURS = [24]
    book(START)
    assert OutgoingMessage.objects.filter(kind=Kind.REMINDER).count() == 1


@time_machine.travel(BOOKED_AT, tick=False)
def test_a_reschedule_records_a_notice_and_skips_the_old_time_reminders():
    appointment = book(START)
    new_start = local(2027, 3, 12, 14)

    reschedule(appointment, new_start)

    reminders = OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.REMINDER)
    assert {(m.subject_start, m.status) for m in reminders} == {
        (START, Status.SKIPPED),
        (new_start, Status.PENDING),
    }
    assert reminders.filter(status=Status.PENDING).count() == 2
    assert (
        OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.RESCHEDULED).count()
        == 1
    )


@time_machine.travel(BOOKED_AT, tick=False)
def test_moving_back_to_the_first_time_revives_its_reminders_once():
    appointment = book(START)
    reschedule(appointment, local(2027, 3, 12, 14))
    reschedule(appointment, START)

    pending = OutgoingMessage.objects.filter(
        subject=f"appointment:{appointment.pk}", kind=Kind.REMINDER, status=Status.PENDING
    )
    assert sorted(m.subject_start for m in pending) == [START, START]
    assert (
        OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.RESCHEDULED).count()
        == 2
    )


@time_machine.travel(BOOKED_AT, tick=False)
def test_a_cancellation_records_a_notice_and_skips_every_pending_reminder():
    appointment = book(START)

    cancel(appointment)
    cancel(appointment)

    assert (
        OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.CANCELLED).count()
        == 1
    )
    reminders = OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}", kind=Kind.REMINDER)
    assert {m.status for m in reminders} == {Status.SKIPPED}


@time_machine.travel(BOOKED_AT, tick=False)
def test_a_rolled_back_booking_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        book(START)
        raise RuntimeError("the booking failed after the hook ran")

    assert not OutgoingMessage.objects.exists()


@time_machine.travel(BOOKED_AT, tick=False)
def test_the_due_confirmation_is_enqueued_on_commit_and_the_reminders_are_left_to_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue", enqueued.append)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(START)

    confirmation = OutgoingMessage.objects.get(
        subject=f"appointment:{appointment.pk}", kind=Kind.CONFIRMATION
    )
    assert enqueued == [confirmation.pk]
