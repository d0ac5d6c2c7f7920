"""Joining the waitlist sends one confirmation with the link back to the entry, through the ledger
and the real SMTP sink: a patient without a booking has no other way back to it."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from booking.links import make_manage_token
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import local
from tests.waitlist.scenario import NOW, book, make, wait_without_booking
from tests.waitlist.test_join_without_booking import wish
from waitlist import services
from waitlist.links import make_entry_token
from waitlist.models import WaitlistEntry

pytestmark = [pytest.mark.django_db]

ENTRY_LINK = re.compile(r"https?://\S+(/waitlist/entry/\S+/)")


@pytest.fixture(autouse=True)
def frozen(settings, smtp_settings):
    settings.RATELIMIT_ENABLE = False
    with time_machine.travel(NOW, tick=False):
        yield


def confirmations():
    return OutgoingMessage.objects.filter(kind=OutgoingMessage.Kind.WAITLIST_JOINED).order_by("pk")


def sent_body(sink) -> str:
    (mail,) = sink.messages
    return mail.get_body(("plain",)).get_content()


def test_joining_without_a_booking_emails_the_link_to_see_or_leave_the_entry(client, sink):
    clinic = make()
    assert client.post(reverse("waitlist:join"), wish(clinic)).status_code == 302
    entry = WaitlistEntry.objects.get()
    (message,) = confirmations()
    assert (message.recipients, message.subject) == (["nora@mail.example"], f"waitlist_entry:{entry.pk}")

    assert delivery.deliver(message.pk, now=NOW).status == "sent"

    (mail,) = sink.messages
    assert mail["Subject"] == "You are on the waitlist for an earlier time"
    assert mail["To"].addresses[0].addr_spec == "nora@mail.example"
    body = sent_body(sink)
    assert "between Tuesday, March 2 and Wednesday, March 31; Monday, Wednesday, mornings" in body
    path = ENTRY_LINK.search(body).group(1)
    assert path == reverse("waitlist:entry", args=[make_entry_token(entry)])
    # The link works from any browser: the patient sees the entry and can leave it there.
    stranger = Client()
    assert "Leave the waitlist" in stranger.get(path).content.decode()
    stranger.post(path)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LEFT


def test_the_subject_names_no_visit_kind_or_health_detail(sink):
    clinic = make()
    wait_without_booking(clinic, "bea")
    delivery.deliver(confirmations().get().pk, now=NOW)
    subject = sink.messages[0]["Subject"].lower()
    assert clinic.exam.name.lower() not in subject
    assert not {"exam", "heel", "pain", "urgent", "foot"} & set(re.findall(r"[a-z]+", subject))


def test_joining_from_the_manage_link_confirms_once_and_changing_the_wish_sends_no_second(client, sink):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    earlier = reverse("waitlist:earlier", args=[make_manage_token(bob)])
    earlier_wish = {"site": "either", "first_day": "2027-03-01", "last_day": "2027-03-20", "weekdays": ["0"]}
    client.post(earlier, earlier_wish | {"day_parts": ["morning"]})
    client.post(earlier, earlier_wish | {"day_parts": ["morning", "afternoon"]})

    (message,) = confirmations()
    assert delivery.deliver(message.pk, now=NOW).status == "sent"
    assert delivery.deliver(message.pk, now=NOW).status == "nothing to claim"

    assert len(sink.messages) == 1
    body = sent_body(sink)
    entry = WaitlistEntry.objects.get()
    assert "at either site, between Monday, March 1 and Saturday, March 20" in body
    assert "mornings or afternoons" in body  # worded at send time: the changed wish
    assert reverse("waitlist:entry", args=[make_entry_token(entry)]) in body


def test_no_confirmation_goes_for_an_entry_left_before_it_was_sent(sink):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    services.leave(entry=bea, now=NOW)
    message = confirmations().get()
    assert delivery.deliver(message.pk, now=NOW).status == "skipped"
    message.refresh_from_db()
    assert message.last_error == "waitlist entry ended: left the waitlist"
    assert sink.messages == []


def test_a_refused_wish_records_no_confirmation():
    clinic = make()
    with pytest.raises(services.WaitlistRefused):
        wait_without_booking(clinic, "bea", weekdays=[])
    assert not confirmations().exists()
