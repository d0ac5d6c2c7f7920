"""Contention through the views on PostgreSQL: many patients booking, rescheduling and cancelling
one day at once see a booking or "just taken", never an error page, and no podiatrist is booked
twice. (Deadlocks inside the exclusion constraint's check, and row locks that also locked the
joined site, type and podiatrist rows, used to answer some of these with 500.)"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client, override_settings

from booking import selectors, services
from booking.forms import SlotChoice
from booking.links import make_manage_token
from booking.models import Appointment
from tests.booking.test_concurrency import race
from tests.booking.test_services import NOW, make_clinic
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

WEDNESDAY = dt.date(2027, 3, 10)
BOOKERS = 32

OVERLAPS = """
    SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
      ON a.podiatrist_id = b.podiatrist_id AND a.id < b.id
     AND a.start < b.blocked_until AND b.start < a.blocked_until
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


def double_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        return cursor.fetchone()[0]


@pytest.fixture
def clinic():
    require_postgres()
    with time_machine.travel(NOW, tick=False):
        yield make_clinic(podiatrists=3)


def _wednesday_slots(clinic, n: int) -> list:
    found = selectors.search_slots(sites=[clinic["site"]], type=clinic["exam"], start_date=WEDNESDAY, days=1)
    starts = sorted({s.start for s in found})[:n]
    return starts


def _details(clinic, start, i: int, podiatrist_id: int | None) -> dict:
    return {
        "slot": SlotChoice(site_id=clinic["site"].pk, podiatrist_id=podiatrist_id, start=start).value,
        "type": clinic["exam"].pk,
        "idempotency_key": f"{i:032d}",
        "name": f"Racer {i}",
        "email": f"racer{i}@mail.example",
        "phone": "",
        "date_of_birth": "",
    }


@override_settings(RATELIMIT_ENABLE=False)
def test_32_concurrent_booking_posts_for_one_day_see_only_bookings_and_just_taken(clinic):
    starts = _wednesday_slots(clinic, 6)  # 32 patients, 6 times, 3 podiatrists: most lose a race
    people = [None, *(p.pk for p in clinic["podiatrists"])]

    def post(i: int):
        return Client().post("/book/details/", _details(clinic, starts[i % len(starts)], i, people[i % 4]))

    responses = race(post, count=BOOKERS)
    errors = [r for r in responses if not hasattr(r, "status_code")]
    assert not errors, errors
    codes = [r.status_code for r in responses]
    assert set(codes) <= {302, 409}, codes
    assert codes.count(302) == Appointment.objects.count() > 0
    assert codes.count(409) > 0
    assert all("That time was just taken" in r.content.decode() for r in responses if r.status_code == 409)
    assert double_bookings() == 0


@override_settings(RATELIMIT_ENABLE=False)
def test_reschedules_and_cancels_racing_new_bookings_never_answer_with_an_error(clinic):
    starts = _wednesday_slots(clinic, 12)
    existing = [
        services.book_appointment(
            site=clinic["site"],
            type=clinic["exam"],
            start=starts[i],
            patient_name=f"Held {i}",
            patient_email=f"held{i}@mail.example",
        )
        for i in range(0, 12, 2)
    ]
    free = [s for s in starts if s not in {a.start for a in existing}]

    def act(i: int):
        client = Client()
        if i % 4 == 1 and i // 4 < len(existing):  # cancel one of the existing bookings
            token = make_manage_token(existing[i // 4])
            return client.post(f"/book/manage/{token}/cancel/")
        if i % 4 == 3 and i // 4 < len(existing):  # move one to a free time
            token = make_manage_token(existing[i // 4])
            target = free[i % len(free)]
            slot = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=target).value
            return client.post(f"/book/manage/{token}/reschedule/", {"slot": slot})
        return client.post("/book/details/", _details(clinic, free[i % len(free)], i, None))

    responses = race(act, count=BOOKERS)
    errors = [r for r in responses if not hasattr(r, "status_code")]
    assert not errors, errors
    codes = [r.status_code for r in responses]
    assert all(code < 500 for code in codes), codes
    assert set(codes) <= {302, 409}, codes
    assert double_bookings() == 0


class _Contended(Exception):
    sqlstate = "40P01"  # deadlock_detected, as psycopg reports it


def _contention() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Contended()
    return error


@pytest.mark.django_db(transaction=False)
def test_one_deadlock_is_retried_and_a_second_becomes_just_taken():
    calls = []

    def deadlocks_once():
        calls.append(1)
        if len(calls) == 1:
            raise _contention()
        return "booked"

    assert services._once_more_on_contention(deadlocks_once) == "booked"

    def always_deadlocks():
        raise _contention()

    with pytest.raises(services._Conflict):
        services._once_more_on_contention(always_deadlocks)


def test_other_database_errors_are_not_mistaken_for_contention():
    def broken():
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        services._once_more_on_contention(broken)
