"""An entry ends when its patient books what they waited for through the ordinary booking pages
(booking's time-booked hook), not only through a claimed offer."""

from __future__ import annotations

import pytest
import time_machine

from booking import services as booking
from booking.models import Appointment
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from waitlist import services
from waitlist.links import make_offer_token
from waitlist.models import Offer, WaitlistEntry

pytestmark = [pytest.mark.django_db]

Status = WaitlistEntry.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_patient_who_joined_without_a_booking_and_then_books_a_wished_time_leaves_the_waitlist_booked():
    clinic = make()
    carol = wait_without_booking(clinic, "carol")
    assert carol.patient_id is None  # joined before her first booking: known by email only

    appointment = book(clinic, "carol", FREED)

    carol.refresh_from_db()
    assert carol.status == Status.BOOKED
    assert carol.appointment == appointment
    assert carol.ended_at == NOW


def test_booking_a_time_outside_the_wish_keeps_the_patient_waiting():
    clinic = make()
    carol = wait_without_booking(clinic, "carol")  # March only
    book(clinic, "carol", local(2027, 4, 5, 10))
    carol.refresh_from_db()
    assert carol.status == Status.WAITING


def test_someone_elses_booking_of_the_wished_time_ends_no_entry():
    clinic = make()
    carol = wait_without_booking(clinic, "carol")
    book(clinic, "dave", FREED)
    carol.refresh_from_db()
    assert carol.status == Status.WAITING


def test_moving_a_booking_into_the_wished_time_ends_the_entry_and_withdraws_its_offers():
    clinic = make()
    alice = wait_with_booking(clinic, "alice", local(2027, 3, 22, 9))
    bob = book(clinic, "bob", FREED)
    opening = cancel(bob)
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert offer.entry == alice

    # Alice does not use the offer: she moves her booking on the manage page to a Monday she wished for.
    booking.reschedule_appointment(
        appointment=Appointment.objects.get(pk=alice.appointment_id), start=local(2027, 3, 15, 10), now=NOW
    )

    alice.refresh_from_db()
    offer.refresh_from_db()
    assert alice.status == Status.BOOKED
    assert offer.status == Offer.Status.WITHDRAWN


def test_moving_a_booking_to_a_time_the_wish_does_not_name_keeps_the_entry():
    clinic = make()
    alice = wait_with_booking(clinic, "alice", local(2027, 3, 22, 9))
    # Tuesday at the other site: she asked for Mondays.
    booking.reschedule_appointment(
        appointment=Appointment.objects.get(pk=alice.appointment_id),
        start=local(2027, 3, 16, 10),
        site=clinic.other_site,
        now=NOW,
    )
    alice.refresh_from_db()
    assert alice.status == Status.WAITING


def test_a_claimed_offer_still_ends_the_entry_once_with_the_claimed_booking():
    clinic = make()
    carol = wait_without_booking(clinic, "carol")
    opening = cancel(book(clinic, "bob", FREED))
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    result = services.claim(token=make_offer_token(offer), now=NOW)
    assert result.outcome == "booked"
    carol.refresh_from_db()
    offer.refresh_from_db()
    assert carol.status == Status.BOOKED
    assert carol.appointment == result.appointment
    assert offer.status == Offer.Status.CLAIMED
