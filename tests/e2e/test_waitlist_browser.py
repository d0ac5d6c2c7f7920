"""The waitlist on a phone (390x844): join from the manage link, receive the offer by email (read
from a real SMTP sink), claim it, and see the booking moved to the earlier time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking import services as booking
from booking.links import make_manage_token
from booking.models import Appointment
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.booking.personas import make_clinic
from tests.e2e.axe import assert_accessible
from tests.messaging.conftest import sink, smtp_settings, smtp_sink  # noqa: F401 - the real SMTP sink
from waitlist import services
from waitlist.models import Opening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/notes/shots/waitlist/"


def monday(weeks_ahead: int, hour: int) -> dt.datetime:
    """A real Monday ahead (the live server runs on real time), at a local hour."""
    today = timezone.localdate()
    day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7) + dt.timedelta(weeks=weeks_ahead)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def book(clinic, who: str, start: dt.datetime) -> Appointment:
    return booking.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=start,
        podiatrist=clinic.sole,
        patient_name=who.title(),
        patient_email=f"{who}@mail.example",
    )


def shot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}journey-{name}.png", full_page=True)


def test_a_patient_joins_from_the_manage_link_gets_the_offer_by_email_and_moves_earlier(
    live_server,
    phone_page,
    smtp_settings,  # noqa: F811 - the fixture imported above
    sink,  # noqa: F811
    settings,
):
    settings.RATELIMIT_ENABLE = False
    clinic = make_clinic()
    bob = book(clinic, "bob", monday(3, 9))
    alice = book(clinic, "alice", monday(1, 10))
    page = phone_page

    page.goto(f"{live_server.url}/book/manage/{make_manage_token(bob)}/")
    page.get_by_role("link", name="I'd take an earlier time").click()
    expect(page.get_by_role("heading", name="I'd take an earlier time")).to_be_visible()
    assert_accessible(page, context="waitlist: join")
    shot(page, "1-join")
    page.get_by_label("Afternoons").uncheck()
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("heading", name="You are on the waitlist for an earlier time")).to_be_visible()
    expect(page.get_by_text("mornings", exact=False).first).to_be_visible()
    assert_accessible(page, context="waitlist: joined")
    shot(page, "2-joined")

    booking.cancel_appointment(appointment=alice)  # Alice's Monday 10:00 frees up
    opening = Opening.objects.get(freed_from=alice)
    services.offer_next_batch(opening_id=opening.pk)
    (message,) = OutgoingMessage.objects.filter(kind="waitlist_offer")
    assert delivery.deliver(message.pk).status == "sent"

    (email,) = sink.with_key("waitlist_offer:")
    assert email["To"] == "bob@mail.example"
    body = email.get_body(("plain",)).get_content()
    assert "moves to this time" in body and "holds until" in body
    path = re.search(r"(/waitlist/offer/[^/\s]+/)", body).group(1)

    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="A time has freed up")).to_be_visible()
    assert_accessible(page, context="waitlist: offer")
    shot(page, "3-offer")
    page.get_by_role("button", name="Move my booking to this time").click()

    expect(page.get_by_text("Your appointment has been moved")).to_be_visible()
    new_day = timezone.localtime(monday(1, 10))
    expect(page.get_by_text(f"{new_day:%A, %B} {new_day.day}, {new_day.year} at 10:00 AM")).to_be_visible()
    assert_accessible(page, context="waitlist: moved")
    shot(page, "4-moved")
    bob.refresh_from_db()
    assert (bob.start, bob.status) == (monday(1, 10), "booked")
    assert Appointment.objects.filter(patient=bob.patient).count() == 1
