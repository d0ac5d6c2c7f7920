"""Claim-then-send: reminders at their time, never stale, never twice; mail failures retry then fail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from messaging import delivery, tasks
from messaging.models import OutgoingMessage
from messaging.tasks import send_message, sweep_due_messages
from tests.factories.booking import local
from tests.factories.messaging import OutgoingMessageFactory
from tests.messaging.scenarios import book, cancel, reschedule

pytestmark = pytest.mark.django_db

Kind, Status = OutgoingMessage.Kind, OutgoingMessage.Status
BOOKED_AT = local(2027, 3, 1, 10)
START = local(2027, 3, 10, 9, 30)


@pytest.fixture
def run_sweeps(monkeypatch):
    """The sweep with its enqueue running the task in this process (the broker path has its own tests)."""
    monkeypatch.setattr(tasks, "enqueue_many", lambda ids: len([send_message(pk) for pk in ids]))

    def run(at):
        with time_machine.travel(at, tick=False):
            return sweep_due_messages()

    return run


def kinds(mailoutbox):
    return [m.extra_headers["X-Clinic-Message"].split(":")[2] for m in mailoutbox]


def test_a_booking_gets_one_confirmation_and_one_reminder_at_each_offset(run_sweeps, mailoutbox):
    with time_machine.travel(BOOKED_AT, tick=False):
        book(START)

    assert run_sweeps(BOOKED_AT) == 1
    assert run_sweeps(START - dt.timedelta(hours=49)) == 0
    assert run_sweeps(START - dt.timedelta(hours=47, minutes=59)) == 1
    assert run_sweeps(START - dt.timedelta(hours=30)) == 0
    assert run_sweeps(START - dt.timedelta(hours=1, minutes=59)) == 1
    assert run_sweeps(START + dt.timedelta(days=1)) == 0

    assert kinds(mailoutbox) == ["confirmation", "reminder", "reminder"]


def test_after_cancelling_no_further_reminder_goes(run_sweeps, mailoutbox):
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START)
    run_sweeps(START - dt.timedelta(hours=47))
    with time_machine.travel(START - dt.timedelta(hours=30), tick=False):
        cancel(appointment)

    run_sweeps(START - dt.timedelta(hours=30))
    run_sweeps(START - dt.timedelta(hours=1))

    assert kinds(mailoutbox) == ["confirmation", "reminder", "cancelled"]


def test_a_reminder_whose_appointment_was_cancelled_behind_the_ledgers_back_is_skipped(
    run_sweeps, mailoutbox
):
    # Even if a reminder stayed pending (an edit outside the services), the task re-reads the visit.
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START)
    run_sweeps(BOOKED_AT)
    type(appointment).objects.filter(pk=appointment.pk).update(status="cancelled")

    run_sweeps(START - dt.timedelta(hours=1))

    assert kinds(mailoutbox) == ["confirmation"]
    assert set(OutgoingMessage.objects.filter(kind=Kind.REMINDER).values_list("status", flat=True)) == {
        Status.SKIPPED
    }


def test_after_a_reschedule_the_old_time_reminders_never_go_and_the_new_time_gets_its_own(
    run_sweeps, mailoutbox
):
    new_start = local(2027, 3, 20, 14)
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START)
    run_sweeps(BOOKED_AT)
    with time_machine.travel(BOOKED_AT + dt.timedelta(hours=1), tick=False):
        reschedule(appointment, new_start)

    for moment in [
        BOOKED_AT + dt.timedelta(hours=1),
        START - dt.timedelta(hours=1),
        new_start - dt.timedelta(hours=47),
    ]:
        run_sweeps(moment)
    run_sweeps(new_start - dt.timedelta(hours=1))

    assert kinds(mailoutbox) == ["confirmation", "rescheduled", "reminder", "reminder"]
    reminders = [m for m in mailoutbox if ":reminder:" in m.extra_headers["X-Clinic-Message"]]
    assert all("Sat, Mar 20 at 2:00 PM" in m.body for m in reminders)


def test_a_confirmation_not_yet_sent_when_the_visit_moved_gives_way_to_the_reschedule_notice(
    run_sweeps, mailoutbox
):
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START)
        reschedule(appointment, local(2027, 3, 20, 14))

    run_sweeps(BOOKED_AT)

    assert kinds(mailoutbox) == ["rescheduled"]
    assert "Sat, Mar 20 at 2:00 PM" in mailoutbox[0].subject


def test_a_moved_appointments_reminder_is_skipped_even_if_it_was_still_pending(mailoutbox):
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START)
    reminder = OutgoingMessage.objects.filter(kind=Kind.REMINDER).order_by("scheduled_for").first()
    day = dt.timedelta(days=1)
    type(appointment).objects.filter(pk=appointment.pk).update(
        start=START + day, end=appointment.end + day, blocked_until=appointment.blocked_until + day
    )

    with time_machine.travel(START - dt.timedelta(hours=47), tick=False):
        assert delivery.deliver(reminder.pk).status == Status.SKIPPED
    assert mailoutbox == []


def test_the_same_task_delivered_twice_sends_once(mailoutbox):
    message = OutgoingMessageFactory()
    with time_machine.travel(message.scheduled_for, tick=False):
        assert send_message(message.pk) == Status.SENT
        assert send_message(message.pk) == "nothing to claim"
    assert len(mailoutbox) == 1


def test_a_message_being_sent_by_another_worker_cannot_be_claimed(mailoutbox):
    message = OutgoingMessageFactory()
    with time_machine.travel(message.scheduled_for, tick=False):
        first = delivery.claim(message.pk, now=message.scheduled_for)
        second = delivery.claim(message.pk, now=message.scheduled_for)
    assert first is not None
    assert second is None


def test_two_sweeps_enqueue_the_same_message_but_it_is_sent_once(run_sweeps, mailoutbox):
    message = OutgoingMessageFactory()
    run_sweeps(message.scheduled_for)
    run_sweeps(message.scheduled_for)
    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_the_sweep_costs_the_same_queries_whatever_the_number_of_future_messages(
    django_assert_num_queries, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_many", enqueued.extend)
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    due = OutgoingMessageFactory.create_batch(3, scheduled_for=now - dt.timedelta(minutes=1))
    OutgoingMessageFactory.create_batch(20, scheduled_for=now + dt.timedelta(days=3))

    with time_machine.travel(now, tick=False), django_assert_num_queries(2):  # stale claims + due ids
        assert sweep_due_messages() == 3
    assert sorted(enqueued) == sorted(m.pk for m in due)


def test_a_stale_claim_is_shown_as_needing_attention_instead_of_being_sent_again(mailoutbox):
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    message = OutgoingMessageFactory(
        status=Status.SENDING, claimed_at=now - dt.timedelta(minutes=11), scheduled_for=now, attempts=1
    )
    with time_machine.travel(now, tick=False):
        sweep_due_messages()
        assert delivery.deliver(message.pk).status == "nothing to claim"
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "may or may not have left" in message.last_error
    assert mailoutbox == []


def test_an_smtp_failure_retries_with_backoff_then_fails_with_the_error(smtp_settings, sink):
    sink.fail = True
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    message = OutgoingMessageFactory(scheduled_for=now)
    outcomes = []
    for _ in range(delivery.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            outcome = delivery.deliver(message.pk)
        outcomes.append(outcome)
        if outcome.retry_in:
            with time_machine.travel(now + dt.timedelta(seconds=outcome.retry_in - 1), tick=False):
                assert delivery.deliver(message.pk).status == "nothing to claim"  # backing off
            now += dt.timedelta(seconds=outcome.retry_in)

    assert [o.retry_in for o in outcomes] == [60, 120, 240, 480, None]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, delivery.MAX_ATTEMPTS)
    assert "451" in message.last_error
    assert sink.messages == []


def test_a_passing_smtp_failure_is_retried_and_sent_once(smtp_settings, sink):
    sink.fail = True
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    message = OutgoingMessageFactory(scheduled_for=now)
    with time_machine.travel(now, tick=False):
        assert delivery.deliver(message.pk).retry_in == 60
    sink.fail = False
    with time_machine.travel(now + dt.timedelta(minutes=1), tick=False):
        assert delivery.deliver(message.pk).status == Status.SENT
    assert len(sink.messages) == 1
