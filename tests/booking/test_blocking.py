"""Appointment.objects.blocking: the one overlap read behind the slot search and the SQLite guard.

Its lower bound on `start` (what lets the database read a short index range) is only safe
because no appointment type may block a podiatrist for more than MAX_BLOCK; both halves here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from booking.models import MAX_BLOCK, MAX_BLOCK_MINUTES, Appointment, AppointmentType
from tests.factories.booking import AppointmentFactory, AppointmentTypeFactory, PodiatristFactory, local

pytestmark = pytest.mark.django_db

WINDOW = (local(2027, 3, 2, 8), local(2027, 3, 2, 17))


def _longest_type() -> AppointmentType:
    return AppointmentTypeFactory(
        slug="longest", name="Longest", duration_minutes=MAX_BLOCK_MINUTES - 30, buffer_minutes=30
    )


def test_it_finds_an_appointment_that_began_a_whole_max_block_earlier_and_still_blocks():
    podiatrist = PodiatristFactory()
    # Starts 7 h 59 min before the window: blocked until one minute into it.
    start = WINDOW[0] - MAX_BLOCK + dt.timedelta(minutes=1)
    reaching = AppointmentFactory(podiatrist=podiatrist, type=_longest_type(), start=start)
    assert reaching.blocked_until == WINDOW[0] + dt.timedelta(minutes=1)

    found = Appointment.objects.filter(podiatrist=podiatrist).blocking(*WINDOW)

    assert list(found) == [reaching]


def test_it_leaves_out_touching_cancelled_and_later_appointments():
    podiatrist = PodiatristFactory()
    exam = AppointmentTypeFactory()  # 40 minutes, no buffer
    ends_at_open = AppointmentFactory(
        podiatrist=podiatrist, type=exam, start=WINDOW[0] - dt.timedelta(minutes=40)
    )
    starts_at_close = AppointmentFactory(podiatrist=podiatrist, type=exam, start=WINDOW[1])
    AppointmentFactory(podiatrist=podiatrist, type=exam, start=local(2027, 3, 2, 9), status="cancelled")
    inside = AppointmentFactory(podiatrist=podiatrist, type=exam, start=local(2027, 3, 2, 10))
    other_podiatrist = AppointmentFactory(type=exam, start=local(2027, 3, 2, 11))

    found = set(Appointment.objects.filter(podiatrist=podiatrist).blocking(*WINDOW))

    assert found == {inside}
    assert ends_at_open.blocked_until == WINDOW[0] and starts_at_close.start == WINDOW[1]
    assert other_podiatrist in set(Appointment.objects.blocking(*WINDOW))


def test_the_database_refuses_a_type_that_blocks_longer_than_the_bound():
    AppointmentTypeFactory(slug="at-bound", duration_minutes=MAX_BLOCK_MINUTES - 15, buffer_minutes=15)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentType.objects.create(
            slug="too-long", name="Too long", duration_minutes=MAX_BLOCK_MINUTES, buffer_minutes=1
        )


def test_the_admin_form_validation_names_the_rule():
    too_long = AppointmentType(slug="too-long", name="Too long", duration_minutes=470, buffer_minutes=20)
    with pytest.raises(ValidationError, match="at most 8 hours"):
        too_long.full_clean()
