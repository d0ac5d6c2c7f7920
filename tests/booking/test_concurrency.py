"""Many concurrent attempts at one slot from separate connections: exactly one booking."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client, override_settings

from booking import services
from booking.forms import SlotChoice
from booking.models import Appointment
from tests.booking.test_services import NOW, WEDNESDAY_0930, book, make_clinic
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 24


def race(attempt, count: int = ATTEMPTS) -> list:
    barrier = threading.Barrier(count)

    def one(i: int):
        try:
            barrier.wait()
            return attempt(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            return error
        finally:
            connections.close_all()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


@pytest.fixture
def clinic():
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


def test_only_one_of_many_concurrent_service_calls_books_the_slot(clinic):
    require_postgres()
    outcomes = race(lambda i: book(clinic, patient_email=f"racer{i}@mail.example"))
    booked = [o for o in outcomes if isinstance(o, Appointment)]
    others = [o for o in outcomes if not isinstance(o, Appointment)]
    assert len(booked) == 1
    assert all(isinstance(o, services.SlotTaken) for o in others), others
    assert Appointment.objects.filter(start=WEDNESDAY_0930).count() == 1


@override_settings(RATELIMIT_ENABLE=False)
def test_only_one_of_many_concurrent_form_posts_gets_a_confirmation(clinic):
    require_postgres()
    slot = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=clinic["podiatrist"].pk, start=WEDNESDAY_0930)

    def post(i: int):
        return Client().post(
            "/book/details/",
            {
                "slot": slot.value,
                "type": clinic["exam"].pk,
                "idempotency_key": f"{i:032d}",
                "name": f"Racer {i}",
                "email": f"racer{i}@mail.example",
                "phone": "",
                "date_of_birth": "",
            },
        )

    responses = race(post)
    codes = sorted(r.status_code for r in responses)
    assert codes.count(302) == 1
    assert all(code in (200, 409) for code in codes if code != 302), codes
    assert all("That time was just taken" in r.content.decode() for r in responses if r.status_code != 302)
    assert Appointment.objects.count() == 1


def test_sqlite_serialises_writers_so_an_overlap_is_refused(clinic):
    """On SQLite the IMMEDIATE transaction makes check-then-insert atomic; same outcome as PostgreSQL."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite guard; PostgreSQL is covered by the exclusion-constraint race above")
    outcomes = race(lambda i: book(clinic, patient_email=f"racer{i}@mail.example"), count=6)
    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    assert all(isinstance(o, (Appointment, services.SlotTaken)) for o in outcomes), outcomes
