"""The items of policy 2026.12-1 in a real Chromium on a phone: revealed live, and a calf patient
with no risk factor reaches the urgent outcome with the same-day advice."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from intake.models import Intake
from tests.conftest import PHONE
from tests.demo import load_demo_clinic
from tests.e2e.test_questionnaire import CONTACT, _walk
from tests.factories.intake import routine_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _clinic():
    load_demo_clinic()
    cache.clear()


def test_s02e_appears_only_for_an_injury_over_10_days_ago_and_hides_with_its_controller(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/intake/")
    page.get_by_role("button", name="Start now").click()
    x_ray = page.locator("#div_id_S02e")
    expect(x_ray).to_be_hidden()
    page.check("input[name='S02'][value='yes']")
    expect(x_ray).to_be_hidden()
    page.check("input[name='S02d'][value='gt_10_days']")
    expect(x_ray).to_be_visible()
    page.check("input[name='S02d'][value='1_10_days']")
    expect(x_ray).to_be_hidden()
    page.check("input[name='S02d'][value='gt_10_days']")
    expect(x_ray).to_be_visible()
    # S02d hides with S02 "No": its follow-up S02e hides too, though S02d's radio stays ticked.
    page.check("input[name='S02'][value='no']")
    expect(page.locator("#div_id_S02d")).to_be_hidden()
    expect(x_ray).to_be_hidden()


def test_a_tender_calf_that_may_be_swollen_is_urgent_with_the_same_day_advice(live_server, page):
    answers = routine_answers(S07="yes", S07a=[], S07b="unsure")
    _walk(page, live_server, answers)
    assert page.get_by_role("heading", level=1).inner_text()
    expect(page.get_by_text("If the calf swells, seek same-day care", exact=False)).to_be_visible()
    intake = Intake.objects.get(email=CONTACT["email"])
    assert intake.urgency == "urgent"
    assert intake.assessment["rules"] == ["U11"]
    assert intake.answers["S07b"] == "unsure"
