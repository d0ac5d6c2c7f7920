"""Five failed logins in 15 minutes lock that username from that address (django-axes)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from tests.booking.personas import front_desk_user, superuser

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)  # 10:00 AM in Michigan


def _try(client: Client, password: str, **extra: str):
    return client.post(LOGIN, {"username": "fran", "password": password, "next": "/admin/"}, **extra)


def test_five_failures_lock_the_username_at_that_address_and_say_until_when(client):
    front_desk_user()
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert _try(client, "wrong").status_code == 200  # the form again
        response = _try(client, "wrong")
        assert response.status_code == 429
        assert "until Mon Mar 1, 10:15 AM (Michigan time)" in response.content.decode()
        # Even the right password is refused now.
        assert _try(client, "pw-front-desk").status_code == 429
    assert AccessFailureLog.objects.filter(username="fran").count() >= 5


def test_the_lock_holds_only_for_that_address(client):
    front_desk_user()
    for _ in range(5):
        _try(client, "wrong")
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = _try(other, "pw-front-desk")
    assert response.status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client):
    front_desk_user()
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            _try(client, "wrong")
    with time_machine.travel(NOW + dt.timedelta(minutes=16), tick=False):
        assert _try(client, "pw-front-desk").status_code == 302


def test_a_superuser_unlocks_in_the_admin(client):
    front_desk_user()
    for _ in range(5):
        _try(client, "wrong")
    attempt = AccessAttempt.objects.get(username="fran")
    admin_client = Client()
    admin_client.force_login(superuser())
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _try(client, "pw-front-desk").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lock_without_a_trusted_proxy(client):
    front_desk_user()
    for i in range(5):
        _try(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert _try(client, "pw-front-desk", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # the proxy appends the address it received the request from
    front_desk_user()
    for i in range(5):
        # What the client wrote itself (left of the proxy's entry) changes nothing.
        _try(client, "wrong", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 198.51.100.7")
    assert _try(client, "pw-front-desk", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert _try(client, "pw-front-desk", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    assert AccessAttempt.objects.get(username="fran").ip_address == "198.51.100.7"


def test_the_lockout_and_the_rate_limits_read_the_same_client_address():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == settings.RATELIMIT_IP_META_KEY == "ratelimits.client_ip"
