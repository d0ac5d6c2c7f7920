"""The pre-visit summary in Chromium: a podiatrist opens it, axe-core passes, it prints on one Letter page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.conftest import DESKTOP
from tests.e2e.axe import assert_accessible
from tests.factories.intake import IntakeFactory, emergency_answers
from tests.intake.conftest import role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user: User) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_podiatrist_reads_the_summary_and_it_prints_on_one_letter_page(live_server, page):
    podiatrist = User.objects.create_user("dr.print", "dr.print@clinic.example", "pw", is_staff=True)
    podiatrist.groups.add(role("Podiatrist"))
    answers = emergency_answers(
        B02b="midportion",
        H01="I stand all day at work and the heel is worst on Mondays. " * 3,
        F07="Ice and calf stretches helped a little, insoles did not.",
    )
    intake = IntakeFactory(level="emergency", answers=answers, name="Robin Sample")
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, podiatrist)
    page.goto(f"{live_server.url}/intake/staff/{intake.pk}/summary/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Pre-visit summary")
    assert page.locator(".heel-region.is-marked-most").count() == 1
    assert_accessible(page, context="pre-visit summary")
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter", print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the summary prints on {pages} Letter pages"
