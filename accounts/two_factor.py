"""The second factor of staff accounts (django-otp): enrol TOTP with backup codes, verify, reset.

One authenticator app (TOTP) per person plus single-use backup codes (a static device). The
library keeps the secrets, checks the codes and throttles repeated wrong ones; this module
holds the clinic's use cases on top of it.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.auth.models import User

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def is_required() -> bool:
    return bool(settings.STAFF_2FA_REQUIRED)


def needs_second_factor(user: User) -> bool:
    """A staff member whose session has only a password (and the setting asks for more)."""
    return bool(user.is_authenticated and user.is_staff and is_required() and not user.is_verified())


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, as an authenticator app takes it by hand
    qr_data_uri: str  # an SVG image of the otpauth:// URL: no script, allowed by the CSP's img-src


def pending_enrolment(user: User) -> Enrolment:
    """The unconfirmed authenticator device of this user (made once, kept across reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return Enrolment(device=device, secret=secret, qr_data_uri=qr.svg_data_uri(scale=5, border=2))


def confirm_enrolment(*, request: HttpRequest, token: str) -> list[str] | None:
    """Check the first code from the app; on success confirm it, issue backup codes, verify the session.

    Returns the new backup codes (shown once), or None when the code is wrong.
    """
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(token.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = new_backup_codes(user)
    otp_login(request, device)
    return codes


def new_backup_codes(user: User) -> list[str]:
    """Replace the user's backup codes with a new set (single-use, OTP_BACKUP_CODES of them)."""
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return codes


def verify(*, request: HttpRequest, token: str) -> bool:
    """Accept a code from the app or an unused backup code (which is then spent); verify the session."""
    token = token.strip().replace(" ", "")
    if not token:
        return False
    # A 6-digit code is the app's; anything else can only be a backup code. Each device checks
    # (and throttles) only the codes that could be its own.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=request.user, confirmed=True):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                otp_login(request, locked)
                return True
    return False


def wait_seconds(user: User) -> int:
    """How long django-otp's throttle makes this user wait before another code is checked (0: none)."""
    waits = [0]
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                waits.append(math.ceil((data["locked_until"] - timezone.now()).total_seconds()))
    return max(waits)


def reset_devices(user: User) -> int:
    """Remove every second-factor device of a user: they enrol again at their next login."""
    with transaction.atomic():
        apps, backups = TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)
        removed = apps.count() + backups.count()
        apps.delete()
        backups.delete()
    return removed
