"""The front desk in a real Chromium: book for a patient on the phone, find them on the day view,
mark them arrived, cancel with a question first; the podiatrist's list. axe-core checks each staff page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Appointment
from tests.booking.personas import front_desk_user, make_clinic, podiatrist_user
from tests.conftest import DESKTOP
from tests.e2e.axe import assert_accessible
from tests.e2e.staff_login import log_in as _log_in
from tests.factories.booking import AppointmentFactory, PatientFactory, local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_monday() -> dt.date:
    """A Monday at least two days ahead, so the morning is inside notice and horizon."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def test_the_front_desk_books_for_a_caller_and_marks_them_arrived(live_server, page):
    clinic = make_clinic()
    front_desk_user()
    monday = _next_monday()
    page.set_viewport_size(DESKTOP)
    day_path = f"/admin/booking/appointment/day/?site={clinic.site.pk}&date={monday.isoformat()}"
    _log_in(page, live_server, "fran", "pw-front-desk", day_path)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Howell")
    assert_accessible(page, context="day view (empty)")

    page.get_by_role("link", name="Book for a patient").click()
    page.get_by_label("Appointment type").select_option(label=clinic.exam.name)
    page.get_by_role("button", name="Show free times").click()
    assert_accessible(page, context="book for a patient: free times")
    when = f"{monday:%A, %B} {monday.day}, 9:00 AM, Howell, Dr. Pat Sole"
    page.get_by_role("radio", name=when).check()
    page.get_by_label("Patient's name").fill("Casey Caller")
    page.get_by_label("Email").fill("casey@mail.example")
    page.get_by_label("Phone").fill("(517) 555-0123")
    page.get_by_role("button", name="Book").click()
    assert "Booked:" in page.locator(".messagelist").inner_text()

    appointment = Appointment.objects.get()
    assert appointment.start == local(monday.year, monday.month, monday.day, 9)
    assert appointment.channel == Appointment.Channel.STAFF

    page.goto(f"{live_server.url}{day_path}")
    expect(page.get_by_role("heading", name="Dr. Pat Sole")).to_be_visible()
    # Next Monday's visit is not due yet: marking it arrived asks first.
    page.get_by_role("link", name="Mark arrived: Casey Caller at 9:00 AM").click()
    expect(
        page.get_by_role("heading", name="Mark arrived for a visit that has not started yet?")
    ).to_be_visible()
    page.get_by_role("button", name="Yes, mark arrived").click()
    assert "Mark arrived" in page.locator(".messagelist").inner_text()
    assert_accessible(page, context="day view with an arrived patient")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED


def test_cancelling_from_the_day_view_asks_first(live_server, page):
    clinic = make_clinic()
    front_desk_user()
    monday = _next_monday()
    appointment = AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        patient=PatientFactory(name="Jamie Canceller"),
        start=local(monday.year, monday.month, monday.day, 10),
    )
    page.set_viewport_size(DESKTOP)
    day_path = f"/admin/booking/appointment/day/?site={clinic.site.pk}&date={monday.isoformat()}"
    _log_in(page, live_server, "fran", "pw-front-desk", day_path)

    page.get_by_role("link", name="Cancel: Jamie Canceller at 10:00 AM").click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    assert_accessible(page, context="cancel question")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED

    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".messagelist")).to_contain_text("Cancel")
    assert page.url.endswith(day_path)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_the_podiatrists_list_is_accessible_and_links_each_visit(live_server, page):
    clinic = make_clinic()
    podiatrist_user(clinic.sole)
    today = timezone.localdate()
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(today.year, today.month, today.day, 9),
        patient=PatientFactory(name="Morgan Patient"),
    )
    _log_in(page, live_server, "dr.sole", "pw-podiatrist", f"/staff/today/?site={clinic.site.pk}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dr. Pat Sole")
    assert "Morgan Patient" in page.locator(".today-row").first.inner_text()
    expect(page.get_by_text("Questionnaire not done yet")).to_be_visible()
    expect(
        page.get_by_role("link", name="Complete visit and send care plan for Morgan Patient")
    ).to_be_visible()
    assert_accessible(page, context="podiatrist's list at phone size")
