"""The patient's path at 390x844 as a patient lives it: tapped straight through, the urgent lane, an
emergency outcome and a reschedule to the other site (the path without JavaScript: see
test_patient_journey_no_js.py).

Each journey checks what the patient sees: the exam booked, one day's times in about three screens,
the button to go on in view once a time is chosen, and axe-core on every page. A failure leaves a
full-page screenshot in var/e2e-failures/.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from booking import services
from booking.links import make_manage_token
from booking.models import Appointment, AppointmentType, Site
from intake.models import Intake
from tests.conftest import PHONE
from tests.e2e.axe import assert_accessible
from tests.e2e.test_questionnaire import CONTACT, _walk
from tests.factories.booking import local
from tests.factories.intake import emergency_answers, urgent_answers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_wednesday"),
]

SCREENS = 3.3  # "about three phone screens" for one day's times at either site
MAX_HTML = 60_000


def _check_page(page, context: str) -> None:
    assert_accessible(page, context=context)
    size = len(page.content().encode())
    assert size <= MAX_HTML, f"{context}: {size:,} bytes of HTML"


def _choose_a_time_and_see_the_button(page, button: str) -> None:
    """One day's times fit in about three screens; after choosing one, the button is in view."""
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= SCREENS * PHONE["height"], f"one day's times are {height}px tall"
    times = page.locator("input[name=slot]")
    middle = times.nth(times.count() // 2)
    middle.scroll_into_view_if_needed()
    page.locator("label.time-chip").nth(times.count() // 2).click()
    assert middle.is_checked()
    expect(page.get_by_role("button", name=button)).to_be_in_viewport(ratio=1)


def test_a_new_patient_taps_straight_through_and_books_the_new_patient_exam(live_server, journey):
    page = journey
    page.goto(live_server.url + "/")
    _check_page(page, "home")
    urgent_box = page.get_by_role("note").filter(has_text="Get urgent care now if")
    expect(urgent_box).to_be_in_viewport()  # above the fold
    page.get_by_role("link", name="Book an exam").click()
    _check_page(page, "booking start")
    page.get_by_role("button", name="Show free times").click()
    _check_page(page, "times")
    expect(page.get_by_role("heading", level=2, name="Wednesday, March 3")).to_be_visible()
    _choose_a_time_and_see_the_button(page, "Continue")
    page.get_by_role("button", name="Continue").click()
    _check_page(page, "details")
    page.get_by_label("Full name").fill("Pat Thumb")
    page.get_by_label("Email address").fill("pat.thumb@mail.example")
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", name="Your appointment is booked")).to_be_visible()
    _check_page(page, "confirmation")
    appointment = Appointment.objects.get(patient__email="pat.thumb@mail.example")
    assert appointment.type.is_new_patient_exam
    expect(page.get_by_text("New patient heel-pain exam, 40 minutes")).to_be_visible()


def test_the_urgent_lane_offers_every_free_time_a_day_at_a_time_and_the_phones(live_server, journey):
    page = journey
    _walk(page, live_server, urgent_answers())
    page.get_by_role("link", name="Book an urgent appointment").click()
    _check_page(page, "urgent lane")
    strip = page.get_by_role("navigation", name="Choose a day")
    expect(strip.get_by_role("link")).to_have_count(3)  # Wed, Thu, Fri: today and 2 business days
    expect(page.locator("a[href='tel:+12485550100']").first).to_be_visible()
    expect(page.get_by_text("None of these suit? Call Bloomfield Hills")).to_be_visible()
    strip.get_by_role("link").nth(1).click()
    expect(page.get_by_role("heading", level=2, name="Thursday, March 4")).to_be_visible()
    _choose_a_time_and_see_the_button(page, "Continue")
    page.get_by_role("button", name="Continue").click()
    _check_page(page, "urgent details")
    page.get_by_role("button", name="Book this appointment").click()  # prefilled from the intake
    expect(page.get_by_role("heading", name="Your appointment is booked")).to_be_visible()
    appointment = Appointment.objects.get(patient__email=CONTACT["email"])
    assert appointment.channel == Appointment.Channel.URGENT_LANE
    assert appointment.type.slug == "urgent-evaluation"


def test_an_emergency_outcome_speaks_with_one_voice_and_book_gives_its_advice_first(live_server, journey):
    page = journey
    _walk(page, live_server, emergency_answers())
    _check_page(page, "emergency outcome")
    main = page.locator("#main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Get emergency care now")
    expect(main.locator("a[href='tel:911']")).to_be_visible()
    expect(main.locator("a[href='tel:+15175550100']")).to_be_visible()
    for words in ("Before your visit", "podiatrist will examine", "same-day check", "Book an appointment"):
        expect(main.get_by_text(words)).to_have_count(0)
    page.goto(live_server.url + reverse("booking:start"))
    _check_page(page, "book after an emergency")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency care now")
    expect(page.get_by_role("button", name="Show free times")).to_have_count(0)
    assert Intake.objects.get(email=CONTACT["email"]).urgency == "emergency"


def test_a_reschedule_moves_the_booking_to_the_other_site(live_server, journey):
    page = journey
    bloomfield, howell = Site.objects.get(slug="bloomfield-hills"), Site.objects.get(slug="howell")
    exam = AppointmentType.objects.get(is_new_patient_exam=True)
    appointment = services.book_appointment(
        site=bloomfield,
        type=exam,
        start=local(2027, 3, 10, 9),
        patient_name="Robin Mover",
        patient_email="robin.mover@mail.example",
    )
    page.goto(live_server.url + reverse("booking:manage", args=[make_manage_token(appointment)]))
    _check_page(page, "manage")
    page.get_by_role("link", name="Reschedule").click()
    _check_page(page, "reschedule")
    page.get_by_text("Change site or appointment type").click()
    page.check(f"input[name=site][value='{howell.pk}']")
    page.get_by_role("button", name="Show free times").click()
    _check_page(page, "reschedule at Howell")
    _choose_a_time_and_see_the_button(page, "Move my appointment")
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_text("Your appointment has been moved")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.site == howell and appointment.rescheduled_count == 1
    expect(page.get_by_text("Howell: 200 Sample Grand River Ave")).to_be_visible()


def test_booking_details_survive_a_failed_form_and_a_reload_until_booked(live_server, journey):
    page = journey
    page.goto(live_server.url + reverse("booking:start"))
    page.get_by_role("button", name="Show free times").click()
    page.locator("label.time-chip").first.click()
    page.get_by_role("button", name="Continue").click()
    details_url = page.url
    typed = {"Full name": "Pat Reload", "Phone number": "(248) 555-0199", "Date of birth": "1980-04-02"}
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Email address").fill("pat.reload@")
    page.get_by_role("button", name="Book this appointment").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Email address: Enter one email address")
    _check_page(page, "details with a problem")
    # A reload is a plain GET (no "resend the form?" prompt); so is opening the address again, as a
    # phone does with a tab it put away.
    with page.expect_request(lambda request: request.is_navigation_request()) as reload:
        page.reload(wait_until="load")
    assert reload.value.method == "GET"
    page.goto(page.url, wait_until="load")
    expect(summary).to_be_visible()
    for label, value in {**typed, "Email address": "pat.reload@"}.items():
        expect(page.get_by_label(label)).to_have_value(value)
    page.get_by_label("Email address").fill("pat.reload@mail.example")
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", name="Your appointment is booked")).to_be_visible()
    booked = Appointment.objects.get(given_email="pat.reload@mail.example")
    assert (booked.given_name, booked.given_phone, str(booked.given_date_of_birth)) == (
        "Pat Reload", "(248) 555-0199", "1980-04-02"
    )  # fmt: skip
    page.goto(details_url)  # the same page again, after booking: nothing of the patient's is left
    for label in (*typed, "Email address"):
        expect(page.get_by_label(label)).to_have_value("")
