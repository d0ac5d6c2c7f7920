"""The public shell: home page, error pages, admin, health, and the security headers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from booking.models import Site
from tests.demo import load_demo_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():

    load_demo_clinic()
    return list(Site.objects.all())


def test_home_leads_to_the_questionnaire_and_to_booking(client, sites):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("intake:start") in html
    assert reverse("booking:start") in html


def test_home_footer_lists_both_sites_with_phone_numbers(client, sites):
    html = client.get("/").content.decode()
    for site in sites:
        assert site.name in html
        assert site.phone in html


def test_pages_load_nothing_from_another_origin(client, sites):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_pages_carry_a_content_security_policy_without_inline_script(client, sites):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_unknown_page_gets_the_clinic_404(client, sites):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_admin_login_page_carries_the_clinic_name(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Heel Pain Clinic" in response.content.decode()


def test_admin_requires_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_error_templates_render(client, rf, sites):
    from clinic import views

    request = rf.get("/")
    for handler, status in ((views.error_400, 400), (views.error_403, 403), (views.error_404, 404)):
        assert handler(request, Exception()).status_code == status
    assert views.error_500(request).status_code == 500
