"""The booking services write the ledger through the hooks, in their own transaction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.services import book_appointment, cancel_appointment, reschedule_appointment
from messaging.models import OutgoingMessage
from tests.factories.booking import (
    AppointmentTypeFactory,
    PodiatristFactory,
    SiteFactory,
    WeeklyShiftFactory,
    local,
)

pytestmark = pytest.mark.django_db

Kind, Status = OutgoingMessage.Kind, OutgoingMessage.Status
NOW = local(2027, 3, 1, 10)


@pytest.fixture
def clinic():
    site = SiteFactory()
    podiatrist = PodiatristFactory()
    for weekday in range(5):
        WeeklyShiftFactory(podiatrist=podiatrist, site=site, weekday=weekday)
    return site, AppointmentTypeFactory()


def ledger(appointment):
    return sorted(
        (m.kind, m.status, m.scheduled_for)
        for m in OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}")
    )


@time_machine.travel(NOW, tick=False)
def test_book_reschedule_and_cancel_leave_the_ledger_the_guarantees_need(clinic):
    site, exam = clinic
    start, new_start = local(2027, 3, 10, 9), local(2027, 3, 11, 14)

    appointment = book_appointment(
        site=site,
        type=exam,
        start=start,
        patient_name="Pat Example",
        patient_email="pat@mail.example",
        now=NOW,
    )
    assert ledger(appointment) == sorted(
        [
            (Kind.CONFIRMATION, Status.PENDING, NOW),
            (Kind.REMINDER, Status.PENDING, start - dt.timedelta(hours=48)),
            (Kind.REMINDER, Status.PENDING, start - dt.timedelta(hours=2)),
        ]
    )

    appointment = reschedule_appointment(appointment=appointment, start=new_start, now=NOW)
    pending = OutgoingMessage.objects.filter(
        subject=f"appointment:{appointment.pk}", kind=Kind.REMINDER, status=Status.PENDING
    )
    assert {m.subject_start for m in pending} == {new_start}
    assert OutgoingMessage.objects.filter(kind=Kind.RESCHEDULED).count() == 1

    cancel_appointment(appointment=appointment, now=NOW)
    assert not OutgoingMessage.objects.filter(kind=Kind.REMINDER, status=Status.PENDING).exists()
    assert OutgoingMessage.objects.filter(kind=Kind.CANCELLED).count() == 1
