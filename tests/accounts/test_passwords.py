"""Staff passwords: 12+ characters, not common, not like the user's name, not all digits."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import AdminUserCreationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.urls import reverse

from tests.booking.personas import front_desk_user, superuser

pytestmark = pytest.mark.django_db

WEAK = {
    "1": "too short",
    "password1234": "too common",
    "fran.clinic.example": "too similar",  # to the email fran@clinic.example
    "480392017465": "entirely numeric",
}
STRONG = "heel-spur-ladder-7Q"


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_password_is_refused_on_change(weak):
    fran = front_desk_user()
    form = PasswordChangeForm(
        fran, {"old_password": "pw-front-desk", "new_password1": weak, "new_password2": weak}
    )
    assert not form.is_valid()
    assert WEAK[weak] in " ".join(form.errors["new_password2"])


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_password_is_refused_on_reset(weak):
    form = SetPasswordForm(front_desk_user(), {"new_password1": weak, "new_password2": weak})
    assert not form.is_valid()


@pytest.mark.parametrize("weak", ["1", "password1234", "480392017465"])
def test_a_weak_password_is_refused_when_an_admin_creates_a_user(weak):
    form = AdminUserCreationForm(
        {"username": "newdesk", "password1": weak, "password2": weak, "usable_password": "true"}
    )
    assert not form.is_valid()


def test_a_strong_password_is_accepted_everywhere():
    fran = front_desk_user()
    change = PasswordChangeForm(
        fran, {"old_password": "pw-front-desk", "new_password1": STRONG, "new_password2": STRONG}
    )
    assert change.is_valid(), change.errors
    creation = AdminUserCreationForm(
        {"username": "newdesk", "password1": STRONG, "password2": STRONG, "usable_password": "true"}
    )
    assert creation.is_valid(), creation.errors


def test_the_admin_user_add_page_refuses_a_short_password(client):
    client.force_login(superuser())
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newdesk", "password1": "1", "password2": "1", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="newdesk").exists()


def test_the_admin_password_change_page_refuses_a_short_password(client):
    fran = front_desk_user()
    client.force_login(fran)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": "pw-front-desk", "new_password1": "1", "new_password2": "1"},
    )
    assert response.status_code == 200
    fran.refresh_from_db()
    assert fran.check_password("pw-front-desk")
