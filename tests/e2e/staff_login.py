"""Logging a staff member in through the real pages: password, then the second factor.

A first login enrols the authenticator app the way a person does: read the key from the page,
compute the current code from it (what the app would show), type it, keep the backup codes.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit TOTP an authenticator app shows for this base32 key (30-second steps)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def code_for(username: str) -> str:
    """What the user's enrolled app shows now, or in the next 30 seconds when this window's code
    was already used (a code is accepted once: django-otp refuses a replay; it allows one step
    of clock drift)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now_step = int(time.time()) // 30
    ahead = 1 if device.last_t >= now_step else 0
    return code_from_secret(base64.b32encode(device.bin_key).decode().rstrip("="), steps_ahead=ahead)


def submit_password(page, live_server, username: str, password: str, next_path: str = "") -> None:
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    page.goto(f"{live_server.url}/admin/login/{query}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page, live_server, username: str, password: str, next_path: str = "") -> list[str]:
    """Password, then enrol (first login) or type the app's code; lands on next_path. Backup codes out."""
    submit_password(page, live_server, username, password, next_path)
    page.wait_for_url("**/staff/account/second-factor/**")
    secret = page.locator("#totp-secret")
    codes: list[str] = []
    if secret.count():
        page.get_by_label("Code from the app").fill(code_from_secret(secret.inner_text()))
        page.get_by_role("button", name="Confirm and continue").click()
        listed = page.get_by_role("list", name="Backup codes").locator("code")
        expect(listed).to_have_count(10)
        codes = listed.all_inner_texts()
        page.get_by_role("link", name="I have kept them: continue").click()
    else:
        page.get_by_label("Code").fill(code_for(username))
        page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    return codes
