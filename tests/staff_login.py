"""Logging staff in from tests: with the second factor done (the usual case), or with only a password.

The root conftest makes `client.force_login(staff_user)` also complete the second factor, as a
staff member does at every real login: every staff-page test then runs with the requirement
enforced. Tests of the requirement itself use `password_only_login`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

_DJANGO_FORCE_LOGIN = Client.force_login


def password_only_login(client: Client, user: AbstractBaseUser) -> None:
    """A session that has passed the password and nothing more."""
    _DJANGO_FORCE_LOGIN(client, user)


def verify_second_factor(client: Client, user: AbstractBaseUser) -> None:
    """Mark the client's session as having passed the second factor with one of the user's devices."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Test device", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_with_second_factor(
    client: Client, user: AbstractBaseUser, backend: str | None = None
) -> None:
    _DJANGO_FORCE_LOGIN(client, user, backend)
    if getattr(user, "is_staff", False):
        verify_second_factor(client, user)
