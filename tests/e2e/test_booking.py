"""A patient books at phone size, downloads the .ics, opens the manage link, reschedules, cancels."""

from __future__ import annotations

import icalendar
import pytest
import time_machine
from playwright.sync_api import expect

from booking.models import Appointment
from tests.demo import load_demo_clinic
from tests.e2e.axe import assert_accessible
from tests.factories.booking import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def friday_evening():
    """Friday 18:00 in Detroit: the first free slot (Monday) is past the 24-hour change cutoff.

    The live server runs in this process, so it sees the travelled clock; travel goes forward
    only, so the browser's cookies never look expired.
    """
    with time_machine.travel(local(2027, 3, 5, 18), tick=True):
        yield


def test_patient_books_downloads_the_calendar_reschedules_and_cancels(
    live_server, phone_page, friday_evening
):
    load_demo_clinic()
    page = phone_page
    page.goto(live_server.url + "/book/")
    assert_accessible(page, context="booking start")
    page.get_by_label("New patient heel-pain exam (40 minutes)").check()
    page.get_by_role("button", name="Show free times").click()
    assert_accessible(page, context="slot picker")
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, context="details")
    page.get_by_label("Full name").fill("Pat Browser")
    page.get_by_label("Email address").fill("pat.browser@mail.example")
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", name="Your appointment is booked")).to_be_visible()
    assert_accessible(page, context="confirmation")

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    appointment = Appointment.objects.get(patient__email="pat.browser@mail.example")
    assert event.decoded("DTSTART") == appointment.start

    page.get_by_role("link", name="View, reschedule or cancel this booking").click()
    assert_accessible(page, context="manage")
    page.get_by_role("link", name="Reschedule").click()
    assert_accessible(page, context="reschedule")
    page.locator("input[name=slot]").nth(3).check()
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_text("Your appointment has been moved")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.rescheduled_count == 1

    page.get_by_role("link", name="Cancel this appointment").click()
    assert_accessible(page, context="cancel confirm")
    page.get_by_role("button", name="Yes, cancel this appointment").click()
    expect(page.get_by_text("This booking was cancelled")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
