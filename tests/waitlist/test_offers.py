"""Freed times are recorded with the cancellation and offered in batches, urgent first."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import services as booking
from booking.models import Appointment
from tests.booking.personas import front_desk_user
from tests.factories.booking import local
from tests.factories.intake import IntakeFactory
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from waitlist import services
from waitlist.models import Offer, Opening, WaitlistEntry

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    settings.WAITLIST_BATCH_DELAY_MINUTES = 15
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_cancellation_nobody_waits_for_records_no_opening():
    clinic = make()
    booking.cancel_appointment(appointment=book(clinic, "alice", FREED), now=NOW)
    assert not Opening.objects.exists()


def test_a_cancellation_records_the_freed_time_in_the_same_transaction():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    wait_without_booking(clinic, "carol")
    opening = cancel(alice)
    assert (opening.site, opening.podiatrist, opening.type, opening.start) == (
        clinic.site,
        clinic.sole,
        clinic.exam,
        FREED,
    )
    assert opening.freed_by_patient == alice.patient
    assert opening.reason == "cancelled"
    assert opening.status == Opening.Status.OPEN


def test_the_first_batch_goes_to_three_urgent_first_then_the_longest_waiting(frozen):
    clinic = make()
    alice = book(clinic, "alice", FREED)
    waiting = []
    for i, who in enumerate(["bea", "cal", "dee", "eve", "fay"]):
        frozen.move_to(NOW + dt.timedelta(minutes=i))
        waiting.append(wait_without_booking(clinic, who))
    frozen.move_to(NOW + dt.timedelta(minutes=9))
    wait_without_booking(clinic, "uma", intake=IntakeFactory(level="urgent"))
    frozen.move_to(NOW + dt.timedelta(minutes=10))
    opening = cancel(alice)

    offers = services.offer_next_batch(opening_id=opening.pk, now=NOW + dt.timedelta(minutes=10))
    assert [o.entry.name for o in offers] == ["Uma", "Bea", "Cal"]
    assert all(o.batch == 1 for o in offers)


def test_a_second_delivery_of_the_same_batch_offers_nothing():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for who in ["bea", "cal", "dee", "eve"]:
        wait_without_booking(clinic, who)
    opening = cancel(alice)
    assert len(services.offer_next_batch(opening_id=opening.pk, now=NOW)) == 3
    assert services.offer_next_batch(opening_id=opening.pk, now=NOW) == []
    assert Offer.objects.count() == 3


def test_the_next_batch_goes_after_the_delay_while_the_time_is_still_free():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for who in ["bea", "cal", "dee", "eve", "fay", "gus", "hal"]:
        wait_without_booking(clinic, who)
    opening = cancel(alice)
    services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert services.offer_next_batch(opening_id=opening.pk, now=NOW + dt.timedelta(minutes=14)) == []
    later = services.offer_next_batch(opening_id=opening.pk, now=NOW + dt.timedelta(minutes=15))
    assert [o.entry.name for o in later] == ["Eve", "Fay", "Gus"]
    assert {o.batch for o in later} == {2}


def test_no_next_batch_once_the_time_is_booked_elsewhere():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for who in ["bea", "cal", "dee", "eve", "fay"]:
        wait_without_booking(clinic, who)
    opening = cancel(alice)
    first = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    book(clinic, "walkin", FREED)  # the front desk fills it from the phone
    assert services.offer_next_batch(opening_id=opening.pk, now=NOW + dt.timedelta(minutes=15)) == []
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED
    assert {o.status for o in Offer.objects.filter(pk__in=[o.pk for o in first])} == {"withdrawn"}


def test_the_patient_who_cancelled_is_never_offered_that_time():
    clinic = make()
    alice_entry = wait_with_booking(clinic, "alice", local(2027, 3, 22, 9))
    # Alice moves to the freed time, then back: she gave it up, so she is not offered it.
    bea = wait_without_booking(clinic, "bea")
    early = Appointment.objects.get(pk=alice_entry.appointment_id)
    booking.reschedule_appointment(appointment=early, start=FREED, now=NOW)
    booking.reschedule_appointment(appointment=early, start=local(2027, 3, 22, 9), now=NOW)
    opening = Opening.objects.filter(start=FREED).latest("pk")
    assert opening.freed_by_patient_id == alice_entry.patient_id
    offers = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert [o.entry for o in offers] == [bea]


def test_a_time_inside_the_minimum_notice_is_not_offered():
    clinic = make()
    soon = local(2027, 3, 1, 10)
    alice = book(clinic, "alice", soon)
    wait_without_booking(clinic, "bea")
    opening = cancel(alice, actor=front_desk_user())  # the front desk cancels inside the cutoff
    assert services.offer_next_batch(opening_id=opening.pk, now=local(2027, 3, 1, 8, 30)) == []
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED


def test_an_entry_for_another_weekday_or_part_of_the_day_is_not_offered():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    wait_without_booking(clinic, "tue", weekdays=[1])
    wait_without_booking(clinic, "pm", day_parts=["afternoon"])
    fits = wait_without_booking(clinic, "fits", day_parts=["morning"])
    opening = cancel(alice)
    assert [o.entry for o in services.offer_next_batch(opening_id=opening.pk, now=NOW)] == [fits]


def test_a_waiting_patient_is_offered_only_a_time_earlier_than_their_booking():
    clinic = make()
    alice = book(clinic, "alice", local(2027, 3, 15, 10))
    wait_with_booking(clinic, "early", local(2027, 3, 8, 9), podiatrist=clinic.heel)
    late = wait_with_booking(clinic, "late", local(2027, 3, 22, 9), podiatrist=clinic.heel)
    opening = cancel(alice)
    assert [o.entry for o in services.offer_next_batch(opening_id=opening.pk, now=NOW)] == [late]


def test_leaving_ends_the_entry_and_withdraws_its_offers():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    bea = wait_without_booking(clinic, "bea")
    opening = cancel(alice)
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    services.leave(entry=bea, now=NOW)
    bea.refresh_from_db()
    offer.refresh_from_db()
    assert bea.status == WaitlistEntry.Status.LEFT
    assert offer.status == Offer.Status.WITHDRAWN
