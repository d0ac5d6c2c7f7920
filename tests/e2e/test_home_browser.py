"""The home page in a real Chromium, at a phone and a desktop viewport, checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PHONE
from tests.demo import load_demo_clinic
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_page_is_accessible_and_leads_to_the_questionnaire(live_server, page, viewport):
    load_demo_clinic()
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Heel pain")
    expect(page.get_by_role("link", name="Start the heel-pain questionnaire")).to_be_visible()
    expect(page.get_by_text("(517) 555-0100")).to_be_visible()
    assert_accessible(page, context=f"home at {viewport['width']}px")


def test_home_page_runs_under_its_own_csp_with_no_violations(live_server, browser):
    """No bypass here: the page must work with the real Content-Security-Policy."""
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    context.close()
    assert violations == []
