"""Fixtures of the intake web tests: the personas (tests/booking/personas.py) and a questionnaire walk."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.booking import personas
from tests.booking.personas import front_desk_user, superuser
from tests.factories.booking import SiteFactory

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


@pytest.fixture
def front_desk(db) -> User:
    """Frankie at the front desk."""
    return front_desk_user("frankie")


@pytest.fixture
def podiatrist_user(db) -> User:
    """Dr. Pat, a podiatrist."""
    return personas.podiatrist_user(username="dr.pat")


@pytest.fixture
def staff_without_role(db) -> User:
    """Sam: staff flag, no group, no permissions."""
    return personas.staff_without_role("sam")


@pytest.fixture
def admin_user_(db) -> User:
    return superuser("ada")


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
