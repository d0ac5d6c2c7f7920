"""Every staff account needs a second factor: TOTP from an app, or a single-use backup code."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.booking.personas import front_desk_user, superuser
from tests.clinic.test_settings import PROD_ENV, _manage
from tests.staff_login import password_only_login

pytestmark = pytest.mark.django_db

SECOND_FACTOR = reverse("accounts:second_factor")
STAFF_PAGES = ["/admin/", "/admin/booking/appointment/", "/staff/today/", "/visits/1/care-plan/",
               "/intake/staff/1/summary/"]  # fmt: skip


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _enrol(client, user: User) -> list[str]:
    client.get(SECOND_FACTOR)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SECOND_FACTOR, {"otp_token": _code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_password_only_staff_session_opens_no_staff_page(client, path):
    password_only_login(client, front_desk_user())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_FACTOR}?next={path.replace('/', '%2F')}"


def test_a_password_only_session_cannot_post_to_a_staff_page_either(client):
    password_only_login(client, superuser())
    response = client.post("/admin/auth/user/add/", {"username": "eve", "password1": "x", "password2": "x"})
    assert response.status_code == 302 and response["Location"] == SECOND_FACTOR
    assert not User.objects.filter(username="eve").exists()


def test_a_new_staff_member_enrols_with_a_qr_code_and_gets_ten_backup_codes(client):
    fran = front_desk_user()
    password_only_login(client, fran)
    page = client.get(SECOND_FACTOR).content.decode()
    device = TOTPDevice.objects.get(user=fran, confirmed=False)
    secret = re.search(r'id="totp-secret"[^>]*>(\w+)<', page).group(1)
    assert secret == two_factor.pending_enrolment(fran).secret
    assert 'src="data:image/svg+xml' in page  # the QR code is an image, no script
    assert client.get(SECOND_FACTOR).content.decode().count(secret) == 1  # same secret on reload

    codes = _enrol(client, fran)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_enrolment_refuses_a_wrong_code_and_no_code(client):
    fran = front_desk_user()
    password_only_login(client, fran)
    client.get(SECOND_FACTOR)
    device = TOTPDevice.objects.get(user=fran)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    for token in (wrong, ""):
        response = client.post(SECOND_FACTOR, {"otp_token": token})
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def _enrolled_and_back_with_a_password(client) -> TOTPDevice:
    fran = front_desk_user()
    password_only_login(client, fran)
    _enrol(client, fran)
    client.logout()
    password_only_login(client, fran)
    return TOTPDevice.objects.get(user=fran, confirmed=True)


def test_an_enrolled_member_logs_in_with_the_code_from_the_app(client):
    device = _enrolled_and_back_with_a_password(client)
    assert client.get("/admin/").status_code == 302
    response = client.post(f"{SECOND_FACTOR}?next=/staff/today/", {"otp_token": _code(device, offset=1)})
    assert response.status_code == 302 and response["Location"] == "/staff/today/"
    assert client.get("/admin/").status_code == 200


def test_an_unsafe_next_lands_on_the_admin(client):
    device = _enrolled_and_back_with_a_password(client)
    response = client.post(
        SECOND_FACTOR, {"otp_token": _code(device, offset=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_a_backup_code_works_once(client):
    fran = front_desk_user()
    password_only_login(client, fran)
    code = _enrol(client, fran)[0]
    for expected in (302, 200):
        client.logout()
        password_only_login(client, fran)
        response = client.post(SECOND_FACTOR, {"otp_token": code})
        assert response.status_code == expected
    assert StaticToken.objects.filter(device__user=fran).count() == 9


def test_a_non_staff_account_is_not_asked_for_a_second_factor(client):
    bob = User.objects.create_user("bob", password="pw-not-staff-at-all")
    password_only_login(client, bob)
    assert client.get("/").status_code == 200
    assert client.get(SECOND_FACTOR)["Location"] == "/"


def test_development_may_turn_the_requirement_off(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    password_only_login(client, front_desk_user())
    assert client.get("/admin/").status_code == 200


def test_production_refuses_to_start_with_the_requirement_off():
    result = _manage("check", env={**PROD_ENV, "STAFF_2FA_REQUIRED": "no"})
    assert result.returncode != 0
    assert "STAFF_2FA_REQUIRED may be turned off only in development" in result.stderr


def test_a_superuser_resets_a_members_devices_and_it_is_recorded(client):
    fran = front_desk_user()
    password_only_login(client, fran)
    _enrol(client, fran)
    ada = superuser()
    client.force_login(ada)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [fran.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=fran).exists()
    assert not StaticDevice.objects.filter(user=fran).exists()
    entry = LogEntry.objects.get(object_id=str(fran.pk))
    assert entry.user == ada and "Reset the second factor" in entry.get_change_message()


def test_the_front_desk_cannot_reset_devices(client):
    fran = front_desk_user()
    fran.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(fran)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert "reset_second_factor" not in response.content.decode()


def test_logging_in_with_an_unsafe_next_lands_on_the_admin_then_the_second_factor(client):
    front_desk_user()
    response = client.post(
        reverse("admin:login"),
        {"username": "fran", "password": "pw-front-desk", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == f"{SECOND_FACTOR}?next=%2Fadmin%2F"
