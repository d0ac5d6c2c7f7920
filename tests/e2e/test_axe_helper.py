"""The axe helper checks the page the user ends up on, not a half-parsed one."""

from __future__ import annotations

import pytest

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.e2e.slow_page_urls")]


def test_axe_waits_for_a_page_still_arriving_after_a_click(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Show free times").click()
    # The radio is parsed and its label is still on the way: a check now would call it unlabelled.
    assert page.locator("label").count() == 0
    assert_accessible(page, context="slow slot page")
    assert page.get_by_label("Monday, March 8, 9:00 AM").is_visible()
