"""Done when: on PostgreSQL with a real Celery worker and a real SMTP sink, 20 waitlisted patients and
one cancellation. The first batch is offered by email; three concurrent claims give one booking and
two "just taken"; the winner's old booking is freed and offered on; no double booking; every email
exactly once.

The worker runs on real time, so the clinic's days are real days ahead: Mondays 2 to 4 weeks out.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter

import pytest
from django.utils import timezone

from booking import services as booking
from booking.models import Appointment
from messaging.models import OutgoingMessage
from tests.booking.personas import make_clinic
from tests.booking.test_concurrency import race
from tests.messaging.conftest import Sink
from tests.services import require_postgres
from tests.waitlist.scenario import BOTH
from waitlist import services
from waitlist.models import Offer, Opening, WaitlistEntry

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TOKEN = re.compile(r"/waitlist/offer/([^/\s]+)/")


@pytest.fixture(scope="module")
def worker(request):
    require_postgres()  # before a worker is started for nothing
    return request.getfixturevalue("mail_worker")


def monday(weeks_ahead: int, hour: int) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7) + dt.timedelta(weeks=weeks_ahead)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def book(clinic, who: str, start: dt.datetime, podiatrist) -> Appointment:
    return booking.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=start,
        podiatrist=podiatrist,
        patient_name=who.title(),
        patient_email=f"{who}@mail.example",
    )


def settled(timeout: float = 30) -> None:
    """Wait until the worker has marked what it sent (the sink sees a mail just before the row)."""
    deadline = time.monotonic() + timeout
    while OutgoingMessage.objects.filter(status__in=["sending", "pending"], kind="waitlist_offer").exists():
        assert time.monotonic() < deadline, "offer emails still pending or sending"
        time.sleep(0.1)


def offer_emails(sink: Sink) -> dict[str, str]:
    """Offer emails by recipient: the token of the link in each."""
    return {
        m["To"]: TOKEN.search(m.get_body(("plain",)).get_content()).group(1)
        for m in sink.with_key("waitlist_offer:")
    }


def test_twenty_waiting_one_cancellation_three_claims_one_booking_and_the_old_time_offered_on(
    worker, sink, settings
):
    settings.WAITLIST_BATCH_SIZE = 3
    clinic = make_clinic()
    freed = monday(2, 10)
    alice = book(clinic, "alice", freed, clinic.sole)
    today = timezone.localdate()
    # The three who waited longest hold later bookings (with Dr. Heel), the others none.
    for i in range(20):
        who = f"wait{i:02d}"
        if i < 3:
            appointment = book(clinic, who, monday(3 + i, 9), clinic.heel)
            services.join_from_booking(
                appointment=appointment,
                site=None,
                first_day=today,
                last_day=today + dt.timedelta(days=55),
                weekdays=[0],
                day_parts=BOTH,
            )
        else:
            services.join(
                type=clinic.exam,
                site=None,
                first_day=today,
                last_day=today + dt.timedelta(days=55),
                weekdays=[0],
                day_parts=BOTH,
                name=who.title(),
                email=f"{who}@mail.example",
            )

    booking.cancel_appointment(appointment=alice)  # commits; the worker offers the first batch

    first = sink.wait_for(lambda keys: len([k for k in keys if k.startswith("waitlist_offer:")]) >= 3)
    tokens = offer_emails(sink)
    assert sorted(tokens) == ["wait00@mail.example", "wait01@mail.example", "wait02@mail.example"], first
    assert "An earlier time is free" in sink.with_key("waitlist_offer:")[0]["Subject"]

    results = race(lambda i: services.claim(token=list(tokens.values())[i]), count=3)

    assert sorted(r.outcome for r in results) == ["moved", "taken", "taken"], results
    (won,) = [r for r in results if r.won]
    winner = won.appointment
    old_start = next(monday(3 + i, 9) for i in range(3) if f"wait{i:02d}" in winner.patient.email)
    assert Appointment.objects.filter(start=freed, status="booked").count() == 1
    assert Appointment.objects.filter(patient=winner.patient).count() == 1  # moved, not doubled

    # The winner's old time is offered on: to the next three (the two who lost keep their wait).
    left = Opening.objects.get(start=old_start)
    sink.wait_for(lambda keys: len([k for k in keys if k.startswith("waitlist_offer:")]) >= 6)
    sink.wait_for(lambda keys: f"appointment:{winner.pk}:rescheduled" in " ".join(keys))
    offered_on = Offer.objects.filter(opening=left).values_list("entry__email", flat=True)
    assert winner.patient.email not in offered_on and len(offered_on) == 3

    # No double booking anywhere, and every email exactly once.
    for start in {a.start for a in Appointment.objects.filter(status="booked")}:
        assert Appointment.objects.filter(start=start, podiatrist=clinic.sole, status="booked").count() <= 1
    settled()
    keys = sink.keys()
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    sent = OutgoingMessage.objects.filter(kind="waitlist_offer", status="sent").count()
    assert sent == len([k for k in keys if k.startswith("waitlist_offer:")]) == 6
    rescheduled = [k for k in keys if k.startswith(f"appointment:{winner.pk}:rescheduled")]
    assert len(rescheduled) == 1
    assert WaitlistEntry.objects.get(patient=winner.patient).status == WaitlistEntry.Status.BOOKED
