"""Offer emails go through the ledger: one per offer, re-checked when sent, no health detail in subjects."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from waitlist import services
from waitlist.links import make_offer_token

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    settings.WAITLIST_OFFER_HOURS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW, tick=False):
        yield


def offer_messages():
    return OutgoingMessage.objects.filter(kind=OutgoingMessage.Kind.WAITLIST_OFFER).order_by("pk")


def offered(clinic, *names):
    alice = book(clinic, "alice", FREED)
    for who in names:
        wait_without_booking(clinic, who)
    return services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)


def test_each_offer_records_one_email_in_the_ledger():
    clinic = make()
    offers = offered(clinic, "bea", "cal", "dee", "eve")
    rows = list(offer_messages())
    assert [(m.recipients, m.subject) for m in rows] == [
        ([o.entry.email], f"waitlist_offer:{o.pk}") for o in offers
    ]
    assert {m.status for m in rows} == {"pending"}


def test_the_offer_email_says_how_long_it_holds_and_that_others_were_offered_it():
    clinic = make()
    bea, *_ = offered(clinic, "bea", "cal", "dee")
    message = offer_messages().get(subject=f"waitlist_offer:{bea.pk}")
    assert delivery.deliver(message.pk, now=NOW).status == "sent"
    (email,) = mail.outbox
    assert email.subject == "An earlier time is free: Mon, Mar 8 at 10:00 AM"
    assert "exam" not in email.subject.lower() and "heel" not in email.subject.lower()
    assert "offered this time to 2 other people" in email.body
    assert "holds until 10:00 AM on Monday" in email.body
    assert make_offer_token(bea) in email.body
    assert email.to == ["bea@mail.example"]


def test_a_patient_with_a_later_booking_is_told_it_moves():
    clinic = make()
    alice = book(clinic, "alice", FREED)
    wait_with_booking(clinic, "bob", local(2027, 3, 22, 9))
    (offer,) = services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)
    delivery.deliver(offer_messages().get().pk, now=NOW)
    assert "Your booking on Mon, Mar 22 at 9:00 AM moves to this time" in mail.outbox[0].body


def test_no_offer_email_goes_for_a_time_taken_before_it_was_sent():
    clinic = make()
    bea, cal = offered(clinic, "bea", "cal")
    services.claim(token=make_offer_token(cal), now=NOW)
    message = offer_messages().get(subject=f"waitlist_offer:{bea.pk}")
    assert delivery.deliver(message.pk, now=NOW).status == "skipped"
    message.refresh_from_db()
    assert message.last_error == "offer is taken by someone else"
    assert not [m for m in mail.outbox if m.to == ["bea@mail.example"]]


def test_no_offer_email_goes_once_the_time_was_booked_elsewhere():
    clinic = make()
    (bea,) = offered(clinic, "bea")
    book(clinic, "walkin", FREED)
    message = offer_messages().get()
    assert delivery.deliver(message.pk, now=NOW).status == "skipped"
    message.refresh_from_db()
    assert message.last_error == "the time was taken before the offer went out"


def test_no_offer_email_goes_after_the_offer_lapsed():
    clinic = make()
    offered(clinic, "bea")
    message = offer_messages().get()
    later = NOW + dt.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        assert delivery.deliver(message.pk, now=later).status == "skipped"
    message.refresh_from_db()
    assert message.last_error == "offer expired before it could be sent"


def test_a_second_delivery_sends_nothing():
    clinic = make()
    offered(clinic, "bea")
    message = offer_messages().get()
    assert delivery.deliver(message.pk, now=NOW).status == "sent"
    assert delivery.deliver(message.pk, now=NOW).status == "nothing to claim"
    assert len(mail.outbox) == 1
