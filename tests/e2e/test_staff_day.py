"""A day at the clinic in Chromium at 1366x900 (issue 14's done-when).

The front desk books a phone caller without email through the lookup, moves the booking to the
other site and cancels it, and reads the intake queue in the right order. A podiatrist reads
today's list and the summary, sends a care plan after arrival (refused before the visit, and
refused to the front desk), then replaces it. Every staff page on the way is free of "UTC" and raw
JSON, and axe-core finds no serious or critical violation on the pages the project added.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Appointment
from care_plans.models import CarePlan
from messaging.models import OutgoingMessage
from tests.booking.personas import front_desk_user, make_clinic, podiatrist_user
from tests.e2e.axe import assert_accessible
from tests.e2e.staff_login import log_in
from tests.factories.booking import AppointmentFactory, PatientFactory, local
from tests.factories.intake import IntakeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_SCREEN = {"width": 1366, "height": 900}


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def _reads_well(page, what: str) -> None:
    """What a person reads on the page: no UTC, no raw JSON, and (admin pages) no axe violation."""
    text = page.locator("body").inner_text()
    assert "UTC" not in text, f"{what} shows UTC"
    assert '{"' not in text, f"{what} shows raw JSON"
    assert_accessible(page, context=what)


def test_the_front_desk_books_a_caller_without_email_moves_it_to_the_other_site_and_cancels_it(
    live_server, page
):
    clinic = make_clinic()
    front_desk_user()
    caller = PatientFactory(name="Phoebe Caller", email=None, phone="(517) 555-0188")
    monday = _next_monday()
    tuesday = monday + dt.timedelta(days=1)
    page.set_viewport_size(STAFF_SCREEN)
    day_path = f"/admin/booking/appointment/day/?site={clinic.site.pk}&date={monday.isoformat()}"
    log_in(page, live_server, "fran", "pw-front-desk", day_path)
    _reads_well(page, "day view")

    page.get_by_role("link", name="Book for a patient").click()
    expect(page.get_by_text("This field is required.")).to_have_count(0)  # nothing asked yet
    page.get_by_label("Find the caller").fill("517 555 0188")
    page.get_by_role("button", name="Find").click()
    _reads_well(page, "book for a patient: the lookup")
    page.get_by_role("link", name="Book for Phoebe Caller (Patient on file)").click()
    expect(page.locator(".caller-chosen")).to_contain_text("Booking for Phoebe Caller (patient on file)")
    page.get_by_label("Appointment type").select_option(label=clinic.exam.name)
    page.get_by_role("button", name="Show free times").click()
    page.get_by_role("radio", name=f"{monday:%A, %B} {monday.day}, 9:00 AM, Howell, Dr. Pat Sole").check()
    expect(page.get_by_label("Patient's name")).to_have_value("Phoebe Caller")
    expect(page.get_by_label("Email")).to_have_value("")
    _reads_well(page, "book for a patient: free times and the patient")
    page.get_by_role("button", name="Book").click()

    expect(page.locator(".messagelist")).to_contain_text("No email: call to confirm")
    expect(page.locator(".field-contact")).to_contain_text("No email: call to confirm")
    appointment = Appointment.objects.get()
    assert appointment.patient == caller and appointment.start == local(
        monday.year, monday.month, monday.day, 9
    )
    assert not OutgoingMessage.objects.exists()  # no email owed
    _reads_well(page, "appointment page")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)

    page.get_by_role("link", name="Move").click()
    page.get_by_label("Site").select_option(label="Bloomfield Hills")
    page.get_by_label("Podiatrist").select_option(label="Any podiatrist")
    page.locator("#id_date").fill(tuesday.isoformat())
    page.get_by_role("button", name="Show free times").click()
    _reads_well(page, "move: free times")
    page.get_by_role(
        "radio", name=f"{tuesday:%A, %B} {tuesday.day}, 10:00 AM, Bloomfield Hills, Dr. Pat Sole"
    ).check()
    page.get_by_role("button", name="Move here").click()
    new_time = f"{tuesday:%a %b} {tuesday.day}, 10:00 AM"
    expect(page.locator(".messagelist")).to_contain_text(
        f"Moved Phoebe Caller to {new_time} with Dr. Pat Sole at Bloomfield Hills."
    )
    old_time = f"{monday:%a %b} {monday.day}, 9:00 AM"
    expect(page.locator(".appointment-history")).to_contain_text(
        f"Moved from {old_time} (Dr. Sole, Howell) to {new_time} (Dr. Sole, Bloomfield Hills) by fran"
    )
    _reads_well(page, "appointment page after the move")

    page.get_by_role("link", name="Change status or cancel").click()
    page.get_by_role("link", name="Cancel…").click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    expect(page.get_by_text("This patient has no email: call them")).to_be_visible()
    _reads_well(page, "cancel question")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".messagelist")).to_contain_text("Cancel")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert not OutgoingMessage.objects.exists()


def test_the_front_desk_reads_the_queue_by_level_then_longest_waiting(live_server, page):
    front_desk_user()
    now = timezone.now()
    for minutes, level, name in [
        (5, "routine", "Newest Routine"),
        (50, "routine", "Old Routine"),
        (10, "soon", "Newer Soon"),
        (90, "soon", "Old Soon"),
        (3, "urgent", "Newest Urgent"),
        (40, "urgent", "Old Urgent"),
        (2, "emergency", "Newest Emergency"),
        (30, "emergency", "Old Emergency"),
    ]:
        with time_machine.travel(now - dt.timedelta(minutes=minutes), tick=False):
            IntakeFactory(level=level, name=name, preferred_site=None)
    page.set_viewport_size(STAFF_SCREEN)
    log_in(page, live_server, "fran", "pw-front-desk", "/admin/intake/intake/")
    names = page.locator("#result_list tbody tr td.field-name, #result_list tbody tr th.field-name")
    assert names.all_inner_texts() == [
        "Old Emergency",
        "Newest Emergency",
        "Old Urgent",
        "Newest Urgent",
        "Old Soon",
        "Newer Soon",
        "Old Routine",
        "Newest Routine",
    ]
    first = page.locator("#result_list tbody tr").first
    expect(first.locator("td.field-why")).to_contain_text("E1: Pop, snap or kicked feeling")
    expect(first.locator("td.field-site")).to_have_text("Either site")
    expect(first.locator("td.field-waiting")).to_have_text("30 min")
    # The table fits the screen: nothing cut off at the right.
    width = page.evaluate("document.querySelector('#result_list').getBoundingClientRect().right")
    assert width <= STAFF_SCREEN["width"], width
    _reads_well(page, "intake queue")
    first.get_by_role("link", name="Old Emergency").click()
    _reads_well(page, "intake page")
    rules, contact = page.get_by_text("Rules that fired"), page.get_by_text("Date of birth:")
    assert rules.bounding_box()["y"] < contact.bounding_box()["y"]


def test_a_podiatrist_sends_a_care_plan_after_arrival_and_replaces_it(
    live_server, page, browser, default_care_plans
):
    clinic = make_clinic()
    podiatrist_user(clinic.sole)
    front_desk_user()
    now = timezone.now()
    intake = IntakeFactory(level="emergency", name="Casey Visit")
    started = AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        patient=PatientFactory(name="Casey Visit", email="casey.visit@mail.example"),
        intake=intake,
        start=now + dt.timedelta(minutes=30),  # today, not yet begun: the patient came early
    )
    tomorrow = AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        patient=PatientFactory(name="Tomorrow Patient"),
        start=now + dt.timedelta(days=1),
    )
    page.set_viewport_size(STAFF_SCREEN)
    today = timezone.localtime(started.start).date()
    log_in(page, live_server, "dr.sole", "pw-podiatrist", f"/staff/today/?site={clinic.site.pk}&date={today}")
    expect(page.locator(".today-row").first).to_contain_text("Casey Visit")
    _reads_well(page, "podiatrist's list")

    page.get_by_role("link", name="Pre-visit summary for Casey Visit").click()
    expect(page.get_by_role("heading", name="Red flags and rules")).to_be_in_viewport()
    _reads_well(page, "pre-visit summary")

    # Before the visit: no plan.
    page.goto(f"{live_server.url}/visits/{tomorrow.pk}/care-plan/")
    expect(page.get_by_text("This visit has not started yet")).to_be_visible()
    expect(page.get_by_role("button", name="Complete visit and send plan")).to_have_count(0)

    # After arrival (marked by the front desk in the admin; here directly): the plan goes.
    Appointment.objects.filter(pk=started.pk).update(status=Appointment.Status.ARRIVED)
    page.goto(f"{live_server.url}/visits/{started.pk}/care-plan/")
    page.get_by_label("Achilles tear (after diagnosis)", exact=False).check()
    page.get_by_label("Personal note for the patient").fill("Boot on, heel wedges in.")
    page.get_by_role("button", name="Complete visit and send plan").click()
    expect(page.locator(".alert-success")).to_contain_text("was emailed to casey.visit@mail.example")
    started.refresh_from_db()
    assert started.status == Appointment.Status.COMPLETED
    _reads_well(page, "care plan page")

    # A second plan asks first, then replaces the first.
    page.get_by_label("Achilles tendinopathy", exact=False).first.check()
    page.get_by_role("button", name="Send a replacement plan").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Replace the plan sent on \w{3} \w{3} \d+, "))
    ).to_be_visible()
    assert CarePlan.objects.count() == 1
    page.get_by_role("button", name="Yes, replace it").click()
    expect(page.locator(".alert-success")).to_contain_text("replacement care plan was emailed")
    assert CarePlan.objects.filter(replaced_at__isnull=True).count() == 1
    assert OutgoingMessage.objects.filter(kind="checkin", status="pending").count() == 1
    _reads_well(page, "care plan page after the replacement")

    # The front desk is refused, by link and by URL.
    desk = browser.new_context(viewport=STAFF_SCREEN, bypass_csp=True).new_page()
    log_in(desk, live_server, "fran", "pw-front-desk", "/admin/")
    response = desk.goto(f"{live_server.url}/visits/{started.pk}/care-plan/")
    assert response.status == 403


def test_the_admin_pages_the_project_configures_pass_axe(live_server, page, default_care_plans):
    """The login page has its h1; the care-plan templates list names its editable cells; the
    appointment and patient pages have no empty table header."""
    from django.contrib.auth.models import User

    clinic = make_clinic()
    appointment = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, type=clinic.exam)
    User.objects.create_superuser("ada", "ada@clinic.example", "pw-admin-2026")
    page.set_viewport_size(STAFF_SCREEN)
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff log in")
    _reads_well(page, "admin login")
    log_in(page, live_server, "ada", "pw-admin-2026", "/admin/")
    for path in (
        "/admin/care_plans/careplantemplate/",
        f"/admin/booking/appointment/{appointment.pk}/change/",
        f"/admin/booking/patient/{appointment.patient_id}/change/",
        "/admin/booking/appointment/",
        f"/admin/booking/appointment/{appointment.pk}/status/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("th:empty").count() == 0, f"{path} has an empty table header"
        _reads_well(page, path)
