"""Staff pages in Chromium: the front desk's urgent-first queue and review buttons; the podiatrist's
summary, which passes axe-core and prints on one Letter page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.booking.personas import FRONT_DESK_PASSWORD, PODIATRIST_PASSWORD, front_desk_user, podiatrist_user
from tests.conftest import DESKTOP
from tests.e2e.axe import assert_accessible
from tests.e2e.staff_login import log_in
from tests.factories.intake import IntakeFactory, emergency_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str, password: str) -> None:
    log_in(page, live_server, username, password)
    page.wait_for_url("**/admin/")


def test_a_podiatrist_reads_the_summary_and_it_prints_on_one_letter_page(live_server, page):
    podiatrist = podiatrist_user(username="dr.print")
    answers = emergency_answers(
        B02b="midportion",
        H01="I stand all day at work and the heel is worst on Mondays. " * 3,
        F07="Ice and calf stretches helped a little, insoles did not.",
    )
    intake = IntakeFactory(level="emergency", answers=answers, name="Robin Sample")
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, podiatrist.username, PODIATRIST_PASSWORD)
    page.goto(f"{live_server.url}/intake/staff/{intake.pk}/summary/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Pre-visit summary")
    assert page.locator(".heel-region.is-marked-most").count() == 1
    # The first screen at 1366x900 holds the red flags, the likely causes and the key scores.
    page.set_viewport_size({"width": 1366, "height": 900})
    for what in (
        page.get_by_role("heading", name="Red flags and rules"),
        page.locator(".summary-rules li").first,
        page.get_by_role("heading", name="Likely causes (ranked)"),
        page.locator(".summary-causes li").first,
        page.locator(".summary-key"),
    ):
        box = what.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, box
    assert "Pain now" in page.locator(".summary-key").inner_text()
    assert_accessible(page, context="pre-visit summary")
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter", print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the summary prints on {pages} Letter pages"


def test_the_front_desk_finds_the_urgent_intake_first_and_marks_it_reviewed(live_server, page):
    desk = front_desk_user("desk.browser")
    IntakeFactory(level="routine", name="Riley Routine")
    urgent = IntakeFactory(level="urgent", name="Uma Urgent")
    IntakeFactory(level="routine", name="Rowan Later")
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, desk.username, FRONT_DESK_PASSWORD)

    page.goto(f"{live_server.url}/admin/intake/intake/")
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text("Uma Urgent")
    expect(first_row).to_contain_text("Urgent")
    expect(first_row.locator("td.field-waiting")).to_have_text("0 min")
    assert_accessible(page, context="intake queue")

    first_row.get_by_role("link", name="Uma Urgent").click()
    expect(page.get_by_role("button", name="Mark reviewed")).to_be_visible()
    assert_accessible(page, context="intake page")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Intake #{urgent.pk} marked reviewed by you.")
    expect(page.get_by_role("button", name="Mark reviewed")).to_have_count(0)
    urgent.refresh_from_db()
    assert urgent.reviewed_by == desk
