"""The whole path without JavaScript, at 390x844: the home page, the questionnaire, a booked exam and
the manage page, in a Chromium context that runs no script at all.

Every click that leaves the page waits for the next page to load (with a bounded timeout of its own)
before anything on it is read, so a slow server under load makes the test slower, not flaky.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from booking.models import Appointment
from intake.models import Intake
from tests.conftest import PHONE
from tests.e2e.conftest import photograph_if_failed
from tests.e2e.test_questionnaire import CONTACT, fill_contact, give_answer
from tests.factories.intake import routine_answers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_wednesday"),
]

STEP_TIMEOUT = 30_000  # ms for one page to load; generous for a loaded machine, but bounded
MAX_HTML = 60_000


@pytest.fixture
def no_js_page(browser, request):
    """A phone-sized page that runs no script; photographed (full page) if the test fails."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(STEP_TIMEOUT)
    context.set_default_navigation_timeout(STEP_TIMEOUT)
    page = context.new_page()
    yield page
    photograph_if_failed(request, page)
    context.close()


@contextmanager
def _next_page(page):
    """What is done inside leads to another page: return once that page has loaded."""
    with page.expect_navigation(wait_until="load", timeout=STEP_TIMEOUT):
        yield


def _page_is_whole(page, what: str) -> None:
    html = page.content()
    assert html.rstrip().endswith("</html>"), f"{what}: the page did not finish"
    assert len(html.encode()) <= MAX_HTML, f"{what}: {len(html.encode()):,} bytes of HTML"


def _answer(page, answers: dict) -> None:
    """Tick and type this page's answers; follow-ups that do not apply are left alone."""
    for name, value in answers.items():
        if page.locator(f"[name='{name}']").count():
            give_answer(page, name, value)


def test_the_whole_path_without_javascript_books_an_exam_and_reaches_the_manage_page(live_server, no_js_page):
    page = no_js_page
    answers = routine_answers()
    page.goto(live_server.url + "/", wait_until="load")
    _page_is_whole(page, "home")
    with _next_page(page):
        page.get_by_role("link", name="Start the heel-pain questionnaire").click()
    with _next_page(page):
        page.get_by_role("button", name="Start now").click()

    for _ in range(20):
        if "/intake/check/" in page.url:
            break
        _page_is_whole(page, page.url)
        # Without JavaScript the heel picture stays hidden and its instructions with it.
        expect(page.locator("[data-heel-diagram]:visible")).to_have_count(0)
        assert "picture" not in page.locator("#main").inner_text()
        if "/intake/step/contact/" in page.url:
            fill_contact(page, site="howell")
        else:
            _answer(page, answers)
        with _next_page(page):
            page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)
    assert "/intake/check/" in page.url, page.url

    _page_is_whole(page, "check your answers")
    with _next_page(page):
        page.get_by_role("button", name="Send my answers").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A routine appointment is right for you")
    with _next_page(page):
        page.get_by_role("link", name="Book an appointment").click()

    _page_is_whole(page, "booking start")
    expect(page.get_by_role("radio", name=re.compile("New patient heel-pain exam"))).to_be_checked()
    with _next_page(page):
        page.get_by_role("button", name="Show free times").click()
    _page_is_whole(page, "times")
    with _next_page(page):  # a day far enough ahead that the booking can still be changed online
        page.get_by_role("navigation", name="Choose a day").get_by_role("link").last.click()
    _page_is_whole(page, "a later day's times")
    page.locator("label.time-chip").first.click()
    expect(page.locator("input[name=slot]").first).to_be_checked()
    expect(page.get_by_role("button", name="Continue")).to_be_in_viewport(ratio=1)
    with _next_page(page):
        page.get_by_role("button", name="Continue").click()

    _page_is_whole(page, "details")
    expect(page.get_by_label("Email address")).to_have_value(CONTACT["email"])  # from the questionnaire
    with _next_page(page):
        page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", name="Your appointment is booked")).to_be_visible()
    _page_is_whole(page, "confirmation")
    appointment = Appointment.objects.get(given_email=CONTACT["email"])
    assert appointment.type.is_new_patient_exam and appointment.site.slug == "howell"
    assert appointment.intake == Intake.objects.get(email=CONTACT["email"])

    with _next_page(page):
        page.get_by_role("link", name="View, reschedule or cancel this booking").click()
    _page_is_whole(page, "manage")
    expect(page.get_by_text("Howell: 200 Sample Grand River Ave")).to_be_visible()
    with _next_page(page):
        page.get_by_role("link", name="Reschedule").click()
    _page_is_whole(page, "reschedule")
    expect(page.locator("label.time-chip").first).to_be_visible()
