"""Concurrent claims of one freed time, each on its own connection: one booking, the rest "just taken"."""

from __future__ import annotations

import pytest
import time_machine

from booking.models import Appointment
from tests.booking.personas import front_desk_user
from tests.booking.test_concurrency import race
from tests.services import require_postgres
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_without_booking
from waitlist import services
from waitlist.links import make_offer_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    with time_machine.travel(NOW, tick=False):
        yield


def test_three_concurrent_claims_give_one_booking_and_two_just_taken():
    require_postgres()
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for who in ["bea", "cal", "dee"]:
        wait_without_booking(clinic, who)
    opening = cancel(alice)
    tokens = [make_offer_token(o) for o in services.offer_next_batch(opening_id=opening.pk, now=NOW)]

    results = race(lambda i: services.claim(token=tokens[i], now=NOW), count=3)

    assert sorted(r.outcome for r in results) == ["booked", "taken", "taken"], results
    assert Appointment.objects.filter(start=FREED, podiatrist=clinic.sole, status="booked").count() == 1


def test_claims_of_the_same_time_from_two_offers_still_book_it_once():
    """Two openings for one time (freed, and offered by hand): the booking guard is the last word."""
    require_postgres()
    clinic = make()
    alice = book(clinic, "alice", FREED)
    bea = wait_without_booking(clinic, "bea")
    cal = wait_without_booking(clinic, "cal")
    opening = cancel(alice)
    (automatic,) = [o for o in services.offer_next_batch(opening_id=opening.pk, now=NOW) if o.entry == bea]
    by_hand = services.offer_by_hand(
        entry=cal, site=clinic.site, start=FREED, podiatrist=clinic.sole, actor=front_desk_user(), now=NOW
    )
    tokens = [make_offer_token(automatic), make_offer_token(by_hand)]

    results = race(lambda i: services.claim(token=tokens[i], now=NOW), count=2)

    assert sorted(r.outcome for r in results) == ["booked", "taken"], results
    assert Appointment.objects.filter(start=FREED, podiatrist=clinic.sole, status="booked").count() == 1
