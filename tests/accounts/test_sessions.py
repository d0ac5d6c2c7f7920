"""Staff sessions end after 15 minutes idle and with the browser; patients' last hours, not weeks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.tasks import clear_expired_sessions
from tests.booking.personas import front_desk_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


def test_a_staff_session_ends_after_fifteen_idle_minutes(client):
    with time_machine.travel(NOW, tick=False):
        client.force_login(front_desk_user())
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=14), tick=False):
        assert client.get("/admin/").status_code == 200  # activity moves the deadline
    with time_machine.travel(NOW + dt.timedelta(minutes=28), tick=False):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=44), tick=False):
        response = client.get("/staff/today/")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next=%2Fstaff%2Ftoday%2F"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "logged out after 15 minutes without activity" in page


def test_the_idle_timeout_is_a_setting(client, settings):
    settings.STAFF_IDLE_MINUTES = 5
    with time_machine.travel(NOW, tick=False):
        client.force_login(front_desk_user())
        client.get("/admin/")
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        assert client.get("/admin/").status_code == 302


def test_the_keep_alive_counts_as_activity(client):
    with time_machine.travel(NOW, tick=False):
        client.force_login(front_desk_user())
        client.get("/admin/")
    with time_machine.travel(NOW + dt.timedelta(minutes=13), tick=False):
        assert client.post(reverse("accounts:keep_alive")).json() == {"signed_in": True, "idle_seconds": 900}
    with time_machine.travel(NOW + dt.timedelta(minutes=27), tick=False):
        assert client.get("/admin/").status_code == 200


def test_the_keep_alive_tells_an_anonymous_page_it_is_logged_out(client):
    assert client.post(reverse("accounts:keep_alive")).status_code == 401


def test_staff_pages_carry_the_idle_warning_as_a_static_script(client):
    client.force_login(front_desk_user())
    for path in ("/admin/", "/staff/today/"):
        html = client.get(path).content.decode()
        assert "data-idle-warning" in html and 'data-idle-seconds="900"' in html
        assert "/static/clinic/idle.js" in html
        assert "<script>" not in html  # nothing inline: the CSP forbids it


def test_session_cookies_end_with_the_browser(client):
    front_desk_user()
    response = client.post(reverse("admin:login"), {"username": "fran", "password": "pw-front-desk"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["expires"] == "" and cookie["max-age"] == ""


def _patient_session(client) -> None:
    session = client.session
    session["intake_draft"] = {"answers": {"S01": "no"}}
    session.save()


def test_a_patient_session_lasts_hours_not_weeks(client):
    with time_machine.travel(NOW, tick=False):
        _patient_session(client)
    assert Session.objects.get().expire_date == NOW + dt.timedelta(hours=3)


def test_the_nightly_task_deletes_expired_sessions(client):
    with time_machine.travel(NOW, tick=False):
        _patient_session(client)
    assert Session.objects.count() == 1
    with time_machine.travel(NOW + dt.timedelta(hours=4), tick=False):
        clear_expired_sessions()
    assert Session.objects.count() == 0


def test_beat_runs_the_session_cleanup_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == "accounts.clear_expired_sessions"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {15}
