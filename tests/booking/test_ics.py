"""booking.ics: a valid calendar file, parsed back with icalendar."""

from __future__ import annotations

import icalendar
import pytest
import time_machine

from booking import services
from booking.ics import appointment_ics
from tests.booking.test_services import NOW, WEDNESDAY_0930, book, make_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment():
    with time_machine.travel(NOW, tick=False):
        yield book(make_clinic())


def test_it_writes_a_local_time_event_with_the_site_address(appointment):
    calendar = icalendar.Calendar.from_ical(appointment_ics(appointment))
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == WEDNESDAY_0930
    assert str(event["DTSTART"].params["TZID"]) == "America/Detroit"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Detroit"
    assert str(event["SUMMARY"]) == "Podiatry appointment at Howell"
    assert str(event["LOCATION"]) == appointment.site.full_address
    assert appointment.site.phone in str(event["DESCRIPTION"])
    assert "/book/manage/" in str(event["DESCRIPTION"])
    assert event["UID"] and event["DTSTAMP"]
    assert int(event["SEQUENCE"]) == 0


def test_it_marks_a_cancelled_event_and_counts_reschedules(appointment):
    moved = services.reschedule_appointment(appointment=appointment, start=WEDNESDAY_0930.replace(hour=14))
    cancelled = services.cancel_appointment(appointment=moved)
    (event,) = icalendar.Calendar.from_ical(appointment_ics(cancelled)).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_the_uid_names_the_host_of_site_url(appointment, settings):
    settings.SITE_URL = "https://portal.heelclinic.example:8443"
    (event,) = icalendar.Calendar.from_ical(appointment_ics(appointment)).walk("VEVENT")
    assert str(event["UID"]) == f"appointment-{appointment.pk}@portal.heelclinic.example"
