"""Slots and bookings on and around the days the clocks change in America/Detroit (2027)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from booking.selectors import search_slots
from tests.booking.test_services import book, make_clinic
from tests.factories.booking import local

pytestmark = pytest.mark.django_db

# Clocks go forward on Sunday 2027-03-14 and back on Sunday 2027-11-07.
CASES = [
    (dt.date(2027, 3, 15), dt.datetime(2027, 3, 15, 13, 0, tzinfo=dt.UTC)),  # EDT, UTC-4
    (dt.date(2027, 3, 12), dt.datetime(2027, 3, 12, 14, 0, tzinfo=dt.UTC)),  # EST, UTC-5
    (dt.date(2027, 11, 8), dt.datetime(2027, 11, 8, 14, 0, tzinfo=dt.UTC)),  # EST again
    (dt.date(2027, 11, 5), dt.datetime(2027, 11, 5, 13, 0, tzinfo=dt.UTC)),  # still EDT
]


@pytest.mark.parametrize(("day", "nine_local_utc"), CASES, ids=[str(c[0]) for c in CASES])
def test_slots_run_from_8_to_17_local_and_9_am_books_the_right_utc(day, nine_local_utc):
    with time_machine.travel(local(day.year, day.month, day.day - 3, 9), tick=False):
        clinic = make_clinic()
        slots = search_slots(sites=[clinic["site"]], type=clinic["exam"], start_date=day, days=1)
        local_starts = [s.start.astimezone(local(2027, 1, 1).tzinfo) for s in slots]
        assert local_starts[0].time() == dt.time(8, 0)
        assert local_starts[-1].time() == dt.time(16, 20)  # the last 40-minute exam ends at 17:00
        assert len(slots) == 51  # 08:00, 08:10, ... 16:20: every 10 minutes, no gap or repeat
        appointment = book(clinic, start=local(day.year, day.month, day.day, 9))
        assert appointment.start == nine_local_utc


def test_a_search_across_the_spring_change_shows_local_times(client: Client):
    with time_machine.travel(local(2027, 3, 11, 9), tick=False):
        clinic = make_clinic()
        query = {
            "site": clinic["site"].pk,
            "type": clinic["exam"].pk,
            "podiatrist": "any",
            "day": "2027-03-12",
        }
        friday = client.get(reverse("booking:slots"), query).content.decode()
        monday = client.get(reverse("booking:slots"), {**query, "day": "2027-03-15"}).content.decode()
    assert "Friday, March 12, 8:00 AM, Howell" in friday
    assert "Monday, March 15, 8:00 AM, Howell" in monday
    for page in (friday, monday):
        assert "7:00 AM" not in page and "5:00 PM" not in page
