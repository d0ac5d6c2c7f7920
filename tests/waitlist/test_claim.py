"""Claiming an offer books through the booking service: first claim wins, a later booking moves."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.models import Appointment
from messaging.models import OutgoingMessage
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from waitlist import services
from waitlist.links import make_offer_token
from waitlist.models import Offer, Opening, WaitlistEntry

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    settings.WAITLIST_OFFER_HOURS = 3
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def offered(clinic, *names):
    alice = book(clinic, "alice", FREED)
    for who in names:
        wait_without_booking(clinic, who)
    opening = cancel(alice)
    return opening, services.offer_next_batch(opening_id=opening.pk, now=NOW)


def test_the_first_claim_books_the_time_and_later_claims_are_just_taken():
    clinic = make()
    opening, (bea, cal, dee) = offered(clinic, "bea", "cal", "dee")

    won = services.claim(token=make_offer_token(cal), now=NOW)
    lost = services.claim(token=make_offer_token(bea), now=NOW)

    assert won.outcome == "booked"
    assert (won.appointment.patient.email, won.appointment.start) == ("cal@mail.example", FREED)
    assert won.appointment.podiatrist == clinic.sole
    assert lost.outcome == "taken"
    # The nearest free times: Dr. Heel is still free at 10:00; Dr. Sole's 10:00 is gone.
    assert lost.nearest
    assert (FREED, clinic.sole.pk) not in [(s.start, s.podiatrist_id) for s in lost.nearest]
    assert Appointment.objects.filter(start=FREED, status="booked").count() == 1
    statuses = dict(Offer.objects.values_list("entry__name", "status"))
    assert statuses == {"Bea": "taken", "Cal": "claimed", "Dee": "taken"}
    opening.refresh_from_db()
    assert opening.status == Opening.Status.FILLED
    assert WaitlistEntry.objects.get(name="Cal").status == WaitlistEntry.Status.BOOKED


def test_tapping_the_offer_twice_shows_the_same_booking():
    clinic = make()
    _, (bea,) = offered(clinic, "bea")
    first = services.claim(token=make_offer_token(bea), now=NOW)
    again = services.claim(token=make_offer_token(bea), now=NOW)
    assert again.outcome == "booked" and again.appointment == first.appointment
    assert Appointment.objects.filter(patient__email="bea@mail.example").count() == 1


def test_claiming_moves_the_later_booking_instead_of_doubling_it():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    entry = wait_with_booking(clinic, "bob", local(2027, 3, 22, 9))
    opening = cancel(alice)
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)

    result = services.claim(token=make_offer_token(offer), now=NOW)

    assert result.outcome == "moved"
    bobs = Appointment.objects.filter(patient__email="bob@mail.example")
    assert [(a.pk, a.start, a.status) for a in bobs] == [(entry.appointment_id, FREED, "booked")]
    notices = OutgoingMessage.objects.filter(
        subject=f"appointment:{entry.appointment_id}", kind__in=["confirmation", "rescheduled"]
    )
    # One booking, one confirmation at booking time and one notice that says it moved.
    assert sorted(notices.values_list("kind", flat=True)) == ["confirmation", "rescheduled"]


def test_the_time_the_claimant_leaves_is_offered_on_in_turn():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    wait_with_booking(clinic, "bob", local(2027, 3, 22, 9))
    carol = wait_without_booking(
        clinic, "carol", first_day=dt.date(2027, 3, 15), last_day=dt.date(2027, 3, 31)
    )
    opening = cancel(alice)
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    services.claim(token=make_offer_token(offer), now=NOW)

    left = Opening.objects.get(start=local(2027, 3, 22, 9))
    assert left.reason == "rescheduled" and left.freed_by_patient.email == "bob@mail.example"
    assert [o.entry for o in services.offer_next_batch(opening_id=left.pk, now=NOW)] == [carol]


def test_an_expired_offer_books_nothing():
    clinic = make()
    _, (bea,) = offered(clinic, "bea")
    result = services.claim(token=make_offer_token(bea), now=NOW + dt.timedelta(hours=3))
    assert result.outcome == "expired"
    assert not Appointment.objects.filter(patient__email="bea@mail.example").exists()
    bea.refresh_from_db()
    assert bea.status == Offer.Status.EXPIRED


def test_an_offer_never_holds_into_the_minimum_notice():
    clinic = make()
    _, (bea,) = offered(clinic, "bea")
    assert bea.expires_at == NOW + dt.timedelta(hours=3)
    late = services.offer_expiry(bea.opening, now=FREED - dt.timedelta(hours=4))
    assert late == FREED - dt.timedelta(hours=2)


def test_a_time_booked_elsewhere_meanwhile_is_just_taken_with_the_nearest_times():
    clinic = make()
    _, (bea,) = offered(clinic, "bea")
    book(clinic, "walkin", FREED)
    result = services.claim(token=make_offer_token(bea), now=NOW)
    assert result.outcome == "taken"
    assert result.nearest
    assert Appointment.objects.filter(start=FREED, status="booked").count() == 1


def test_a_forged_or_mangled_link_is_invalid():
    clinic = make()
    _, (bea,) = offered(clinic, "bea")
    token = make_offer_token(bea)
    assert services.claim(token=token[:-2] + "xx", now=NOW).outcome == "invalid"
    assert services.claim(token="nonsense", now=NOW).outcome == "invalid"


def test_the_claimant_gets_the_time_they_were_offered_not_another_podiatrists():
    clinic = make()
    opening, (bea,) = offered(clinic, "bea")
    result = services.claim(token=make_offer_token(bea), now=NOW)
    assert result.appointment.podiatrist_id == opening.podiatrist_id
