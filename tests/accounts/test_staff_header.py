"""Staff pages outside the admin carry the admin's header (who, back to the admin, log out), no footer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.booking.personas import make_clinic, podiatrist_user
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db


def test_the_today_list_and_the_summary_carry_the_staff_header(client):
    clinic = make_clinic()
    client.force_login(podiatrist_user(clinic.sole))
    intake = IntakeFactory()
    for url in ("/staff/today/", reverse("intake:summary", args=[intake.pk])):
        html = client.get(url).content.decode()
        assert "Logged in as <strong>dr.sole</strong>" in html, url
        assert f'action="{reverse("admin:logout")}"' in html and "Log out</button>" in html
        assert f'href="{reverse("admin:index")}">Back to the admin' in html
        assert "Our sites" not in html and "site-footer" not in html  # the patient footer


def test_patient_pages_keep_the_patient_footer(client):
    html = client.get("/").content.decode()
    assert "site-footer" in html and "Log out" not in html
