"""Personas and helpers for the intake web tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tests.factories.booking import SiteFactory
from tests.roles import staff_group

CONTACT = {
    "name": "Robin Sample",
    "date_of_birth": "1980-04-02",
    "email": "Robin.Sample@Mail.Example",
    "phone": "(248) 555-0142",
    "preferred_site": "howell",
    "consent": "on",
}


@pytest.fixture
def sites(db):
    return [
        SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills", phone="(248) 555-0100"),
        SiteFactory(slug="howell", name="Howell", phone="(517) 555-0100"),
    ]


def role(name: str) -> Group:
    """A staff group as the roles migrations made it (re-made if a transactional test flushed it)."""
    return staff_group(name)


def _staff(username: str, group: str | None) -> User:
    user = User.objects.create_user(username, f"{username}@clinic.example", "pw", is_staff=True)
    if group:
        user.groups.add(role(group))
    return user


@pytest.fixture
def front_desk(db) -> User:
    """Frankie at the front desk (group "Front desk", created by the roles migration)."""
    return _staff("frankie", "Front desk")


@pytest.fixture
def podiatrist_user(db) -> User:
    """Dr. Pat, a podiatrist (group "Podiatrist")."""
    return _staff("dr.pat", "Podiatrist")


@pytest.fixture
def staff_without_role(db) -> User:
    """Sam: staff flag, no group, no permissions."""
    return _staff("sam", None)


@pytest.fixture
def admin_user_(db) -> User:
    return User.objects.create_superuser("ada", "ada@clinic.example", "pw")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_data(answers: dict[str, Any], item_ids: list[str]) -> dict[str, Any]:
    """Form data for one step: lists become repeated values."""
    return {item_id: answers[item_id] for item_id in item_ids if item_id in answers}


def fill_questionnaire(client: Client, answers: dict[str, Any], contact: dict[str, Any] | None = None) -> Any:
    """Walk every step as a patient would, the contact step included; returns the last response."""
    url = reverse("intake:start")
    response = client.get(url)
    url = response.context["first_url"]
    for _ in range(40):
        if url.startswith(reverse("intake:emergency")):
            response = client.get(url)
            url = response.context["continue_url"]
            continue
        if url == reverse("intake:contact"):
            response = client.post(url, contact or CONTACT)
        elif url.startswith("/intake/step/"):
            page = client.get(url)
            ids = list(page.context["form"].fields)
            response = client.post(url, post_data(answers, ids))
        else:
            return client.get(url)
        assert response.status_code == 302, (
            url,
            getattr(response, "context", None) and response.context["form"].errors,
        )
        url = response["Location"]
    raise AssertionError("the questionnaire did not end")
