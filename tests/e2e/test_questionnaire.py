"""The questionnaire in a real Chromium at a phone viewport: routine and emergency journeys, with axe-core."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from intake.models import Intake
from tests.conftest import PHONE
from tests.demo import load_demo_clinic
from tests.e2e.axe import assert_accessible
from tests.factories.intake import emergency_answers, routine_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT = {
    "name": "Robin Sample",
    "date_of_birth": "1980-04-02",
    "email": "robin@mail.example",
    "phone": "(248) 555-0142",
}


@pytest.fixture(autouse=True)
def _clinic():
    load_demo_clinic()
    cache.clear()


def _answer_step(page, answers):
    names = page.eval_on_selector_all(
        "form [name]", "els => [...new Set(els.map(e => e.name))].filter(n => n !== 'csrfmiddlewaretoken')"
    )
    for name in names:
        if name not in answers:
            continue
        value = answers[name]
        if name == "B02":
            # The heel diagram, by keyboard: the region ticks the radio in the list.
            region = page.locator(f"[data-target='B02'] .heel-region[data-code='{value}']")
            region.focus()
            page.keyboard.press("Enter")
            assert page.locator(f"input[name='B02'][value='{value}']").is_checked()
            assert region.get_attribute("aria-pressed") == "true"
        else:
            give_answer(page, name, value)


def give_answer(page, name: str, value) -> None:
    """Tick the boxes, choose the radio or type the value of one question."""
    if isinstance(value, list):
        for code in value:
            page.check(f"input[name='{name}'][value='{code}']")
    elif page.locator(f"input[type='radio'][name='{name}']").count():
        page.check(f"input[name='{name}'][value='{value}']")
    else:
        page.fill(f"[name='{name}']", str(value))


def fill_contact(page, site: str = "either") -> None:
    """The contact step: CONTACT's details, a site (or either) and the consent box."""
    for field, value in CONTACT.items():
        page.fill(f"[name='{field}']", value)
    page.check(f"input[name='preferred_site'][value='{site}']")
    page.check("input[name='consent']")


def _walk(page, live_server, answers, *, on_emergency=None):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/intake/")
    assert_accessible(page, context="questionnaire start")
    page.get_by_role("button", name="Start now").click()
    steps = 0
    while "/intake/check/" not in page.url:
        steps += 1
        assert steps < 30, page.url
        if "/intake/emergency/" in page.url:
            if on_emergency:
                on_emergency(page)
            page.get_by_role("link", name="Continue the questionnaire").click()
            continue
        expect(page.get_by_text("Step ", exact=False).first).to_be_visible()
        assert_accessible(page, context=page.url)
        if "/intake/step/contact/" in page.url:
            fill_contact(page)
        else:
            _answer_step(page, answers)
        page.get_by_role("button", name="Continue").click()
    assert_accessible(page, context="check your answers")
    page.get_by_role("button", name="Send my answers").first.click()
    page.wait_for_url("**/intake/outcome/")
    assert_accessible(page, context="outcome")
    return steps


def test_a_routine_patient_completes_the_questionnaire_on_a_phone(live_server, page):
    _walk(page, live_server, routine_answers())
    assert page.get_by_role("heading", level=1).inner_text() == "A routine appointment is right for you"
    expect(page.get_by_role("link", name="Book an appointment")).to_be_visible()
    expect(page.get_by_text("not a diagnosis", exact=False).first).to_be_visible()
    assert Intake.objects.get(email=CONTACT["email"]).urgency == "routine"


def test_an_emergency_answer_interrupts_and_the_outcome_offers_no_booking(live_server, page):
    seen = []

    def on_emergency(emergency_page):
        seen.append(emergency_page.url)
        expect(emergency_page.get_by_role("heading", name="Get emergency care now")).to_be_visible()
        expect(emergency_page.locator("#main").get_by_text("(248) 555-0100")).to_be_visible()
        assert_accessible(emergency_page, context="emergency interruption")

    _walk(page, live_server, emergency_answers(), on_emergency=on_emergency)
    assert len(seen) == 1
    assert page.get_by_role("heading", level=1).inner_text() == "Get emergency care now"
    expect(page.get_by_text("911").first).to_be_visible()
    assert page.get_by_role("link", name="Book an appointment").count() == 0
    assert Intake.objects.get(email=CONTACT["email"]).urgency == "emergency"


def test_going_back_keeps_an_answer_and_follow_ups_appear_live(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/intake/")
    page.get_by_role("button", name="Start now").click()
    follow_up = page.locator("#div_id_S02a")
    expect(follow_up).to_be_hidden()
    page.check("input[name='S02'][value='yes']")
    expect(follow_up).to_be_visible()
    page.check("input[name='S02'][value='no']")
    expect(follow_up).to_be_hidden()
    _answer_step(page, routine_answers())
    first_url = page.url
    page.get_by_role("button", name="Continue").click()
    assert page.url != first_url
    page.get_by_role("link", name="Back").click()
    assert page.url == first_url
    assert page.locator("input[name='S01'][value='no']").is_checked()
    assert page.locator("input[name='S03'][value='no']").is_checked()


def test_the_questionnaire_runs_under_its_own_csp(live_server, browser):
    """No bypass here: the reveal script and the heel diagram work under the real Content-Security-Policy."""
    context = browser.new_context(bypass_csp=False, viewport=PHONE)
    page = context.new_page()
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.goto(live_server.url + "/intake/")
    page.get_by_role("button", name="Start now").click()
    page.check("input[name='S02'][value='yes']")
    expect(page.locator("#div_id_S02a")).to_be_visible()
    page.goto(live_server.url + "/intake/step/where-and-when-it-hurts/")
    expect(page.locator("[data-target='B02'] .heel-region").first).to_be_visible()
    context.close()
    assert violations == []


def test_every_heel_diagram_target_is_a_44px_square_of_its_own_and_a_tap_at_its_edge_ticks_it(
    live_server, browser
):
    """WCAG 2.5.5 at 390x844: each region's target is at least 44x44 CSS px, no target covers another,
    and a tap inside the square but off the drawn spot still chooses that spot."""
    context = browser.new_context(viewport=PHONE, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/intake/step/where-and-when-it-hurts/")
    for target in ("B02", "B02b"):
        page.locator(f"[data-target='{target}'] svg").scroll_into_view_if_needed()  # whole, in view
        regions = page.locator(f"[data-target='{target}'] .heel-region[role=button]")
        expect(regions).to_have_count(9)
        boxes = {}
        for i in range(regions.count()):
            region = regions.nth(i)
            code = region.get_attribute("data-code")
            box = region.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, f"{target} {code}: {box}"
            boxes[code] = box
        for code, box in boxes.items():
            for other, them in boxes.items():
                assert other == code or _overlap(box, them) <= 0.5, f"{target}: {code} overlaps {other}"
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.closest('.heel-region')?.dataset.code",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
            )
            assert hit == code, f"{target}: the middle of {code}'s target is {hit}"
    region = page.locator("[data-target='B02'] .heel-region[data-code='back_bump']")
    region.scroll_into_view_if_needed()
    corner = region.bounding_box()
    drawn = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).tagName", [corner["x"] + 3, corner["y"] + 3]
    )
    assert drawn == "rect"  # the corner of the square, off the drawn ellipse
    region.tap(position={"x": 3, "y": 3})
    expect(page.locator("input[name='B02'][value='back_bump']")).to_be_checked()
    expect(region).to_have_attribute("aria-pressed", "true")
    expect(page.locator("input[name='B02b']:checked")).to_have_count(0)
    assert_accessible(page, context="the heel diagram")
    context.close()


def _overlap(one, two) -> float:
    """How far two boxes overlap, in px (0 or less: they do not)."""
    across = min(one["x"] + one["width"], two["x"] + two["width"]) - max(one["x"], two["x"])
    down = min(one["y"] + one["height"], two["y"] + two["height"]) - max(one["y"], two["y"])
    return min(across, down)
