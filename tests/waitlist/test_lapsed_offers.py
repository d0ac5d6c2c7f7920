"""The minute sweep (beat's `waitlist.sweep`) ends lapsed offers and offers their time on while it
is still free; a batch that finds no one new leaves the offers that still hold alone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.booking.personas import front_desk_user
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_without_booking
from waitlist import notices, services
from waitlist.models import Offer, Opening
from waitlist.tasks import sweep_waitlist

pytestmark = [pytest.mark.django_db]

LAPSE = NOW + dt.timedelta(hours=3)  # WAITLIST_OFFER_HOURS after the first batch


@pytest.fixture(autouse=True)
def policy(settings):
    settings.WAITLIST_BATCH_SIZE = 2
    settings.WAITLIST_BATCH_DELAY_MINUTES = 15
    settings.WAITLIST_OFFER_HOURS = 3


def first_batch(clinic, *waiting: str) -> tuple[Opening, list[Offer]]:
    with time_machine.travel(NOW, tick=False):
        for who in waiting:
            wait_without_booking(clinic, who)
        opening = cancel(book(clinic, "alice", FREED))
        return opening, services.offer_next_batch(opening_id=opening.pk, now=NOW)


def sweep_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep_waitlist()


def statuses(offers: list[Offer]) -> set[str]:
    return set(Offer.objects.filter(pk__in=[o.pk for o in offers]).values_list("status", flat=True))


def test_a_batch_that_finds_no_one_new_leaves_the_offers_that_still_hold():
    clinic = make()
    opening, first = first_batch(clinic, "bea", "cal")
    assert sweep_at(NOW + dt.timedelta(minutes=15)) == 0
    opening.refresh_from_db()
    assert opening.status == Opening.Status.OPEN
    assert statuses(first) == {Offer.Status.OFFERED}


def test_lapsed_offers_expire_and_their_time_goes_to_whoever_joined_since():
    clinic = make()
    opening, first = first_batch(clinic, "bea", "cal")
    sweep_at(NOW + dt.timedelta(minutes=15))  # nobody else yet
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        dee = wait_without_booking(clinic, "dee")

    assert sweep_at(LAPSE - dt.timedelta(minutes=1)) == 0  # bea's and cal's offers still hold
    assert sweep_at(LAPSE) == 1

    assert statuses(first) == {Offer.Status.EXPIRED}
    latest = Offer.objects.get(opening=opening, status=Offer.Status.OFFERED)
    assert latest.entry == dee
    assert latest.expires_at == LAPSE + dt.timedelta(hours=3)


def test_the_sweep_is_idempotent():
    clinic = make()
    opening, first = first_batch(clinic, "bea", "cal")
    sweep_at(NOW + dt.timedelta(minutes=15))
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        wait_without_booking(clinic, "dee")
    assert sweep_at(LAPSE) == 1
    assert sweep_at(LAPSE) == 0
    assert Offer.objects.filter(opening=opening).count() == 3
    assert Offer.objects.filter(status=Offer.Status.EXPIRED).count() == 2


def test_when_every_offer_lapses_and_no_one_else_matches_the_time_closes():
    clinic = make()
    opening, first = first_batch(clinic, "bea", "cal")
    sweep_at(NOW + dt.timedelta(minutes=15))
    assert sweep_at(LAPSE) == 0
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED
    assert opening.close_reason == "no one else waiting matches"
    assert statuses(first) == {Offer.Status.EXPIRED}


def test_a_lapsed_time_booked_elsewhere_meanwhile_is_offered_to_no_one():
    clinic = make()
    opening, first = first_batch(clinic, "bea", "cal")
    sweep_at(NOW + dt.timedelta(minutes=15))
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        wait_without_booking(clinic, "dee")
        book(clinic, "walkin", FREED)  # the front desk fills it from the phone

    assert sweep_at(LAPSE) == 0
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED
    assert not Offer.objects.filter(entry__name="Dee").exists()


def test_a_time_offered_by_hand_is_not_offered_on_when_its_offer_lapses():
    clinic = make()
    with time_machine.travel(NOW, tick=False):
        bea = wait_without_booking(clinic, "bea")
        wait_without_booking(clinic, "cal")
        offer = services.offer_by_hand(entry=bea, site=clinic.site, start=FREED, actor=front_desk_user())
    assert sweep_at(LAPSE) == 0
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    assert Offer.objects.count() == 1


def test_a_full_batch_publishes_the_next_one_for_after_the_delay(
    monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(notices, "enqueue_batch", lambda pk, countdown=0: published.append((pk, countdown)))
    clinic = make()
    with django_capture_on_commit_callbacks(execute=True):
        opening, first = first_batch(clinic, "bea", "cal", "dee")
    assert (opening.pk, 15 * 60) in published
