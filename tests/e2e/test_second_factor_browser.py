"""A new staff member in Chromium: enrols an authenticator app from the page, logs in with its code,
and is refused with a wrong code or none."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.booking.personas import front_desk_user
from tests.conftest import DESKTOP
from tests.e2e.axe import assert_accessible
from tests.e2e.staff_login import code_for, code_from_secret, submit_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/work/notes/shots/security"


def _shot(page, name: str) -> None:
    import os

    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_new_staff_member_enrols_then_logs_in_with_a_computed_code(live_server, page):
    front_desk_user()
    page.set_viewport_size(DESKTOP)
    submit_password(page, live_server, "fran", "pw-front-desk", "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    expect(page.get_by_role("img", name="QR code to add fran to an authenticator app")).to_be_visible()
    assert_accessible(page, context="second factor: enrolment")
    _shot(page, "enrol")
    secret = page.locator("#totp-secret").inner_text()

    # A wrong code, then none: still on the enrolment page, nothing opens.
    wrong = f"{(int(code_from_secret(secret)) + 500_000) % 1_000_000:06d}"
    page.get_by_label("Code from the app").fill(wrong)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    assert page.locator("#totp-secret").inner_text() == secret
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/staff/account/second-factor/?next=%2Fadmin%2F")

    page.wait_for_timeout(1100)  # after one wrong code django-otp checks the next one after a second
    page.get_by_label("Code from the app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    codes = page.get_by_role("list", name="Backup codes").locator("code")
    expect(codes).to_have_count(10)
    _shot(page, "backup-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Front desk and podiatrists")

    # Log out, log in again: the password alone opens nothing; a wrong code or none is refused.
    page.get_by_role("button", name="Log out").click()
    submit_password(page, live_server, "fran", "pw-front-desk", "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")
    _shot(page, "verify")
    for attempt in (wrong, ""):
        page.get_by_label("Code").fill(attempt)
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")
    page.goto(f"{live_server.url}/staff/today/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")

    # Two wrong codes make django-otp wait 2 seconds before it checks another (its throttle).
    page.wait_for_timeout(2100)
    page.get_by_label("Code").fill(code_for("fran"))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{live_server.url}/staff/today/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _shot(page, "today-with-staff-header")
