"""Malformed input the fuzzing first found, pinned: each is a 4xx or a page, never a 5xx."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from tests.booking.personas import NOW, front_desk_user, make_clinic
from tests.factories.booking import AppointmentFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    with time_machine.travel(NOW, tick=True):
        clinic = make_clinic()
        appointment = AppointmentFactory(
            site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 8, 9)
        )
        yield clinic, appointment


@override_settings(RATELIMIT_ENABLE=False)
@pytest.mark.parametrize(
    "url",
    [
        "/book/details/?type=abc",
        "/book/details/?type=99999999999999999999999",
        "/book/details/?slot=1.0.99999999999999999&type=1",
        "/book/times/?site=abc&type=x&day=9999-12-31",
        "/book/times/?day=0001-01-01&podiatrist=99999999999999999999",
        "/intake/step/contact/?return=check%00",
    ],
)
def test_a_patient_url_with_malformed_parameters_is_not_a_server_error(client, world, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "query",
    [
        "date=9999-12-31",
        "date=0001-01-01",
        "date=2027-02-30",
        "site=abc&date=x",
        "site=99999999999999999999999",
    ],
)
def test_the_day_view_clamps_or_ignores_a_bad_date_or_site(client, world, query):
    client.force_login(front_desk_user())
    assert client.get(f"/admin/booking/appointment/day/?{query}").status_code == 200


@pytest.mark.parametrize("query", ["date=9999-12-31", "date=0001-01-01", "site=abc", "podiatrist=9" * 3])
def test_move_clamps_a_bad_date(client, world, query):
    _, appointment = world
    client.force_login(front_desk_user())
    response = client.get(f"/admin/booking/appointment/{appointment.pk}/move/?{query}")
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/admin/booking/appointment/?site__id__exact=99999999999999999999999",
        "/admin/booking/appointment/?id__exact=99999999999999999999999",
        "/admin/intake/intake/?site__id__exact=99999999999999999999999",
        "/admin/booking/appointment/?start__gte=9999-99-99",
        "/admin/clinic/outgoingmessage/?appointment__id__exact=99999999999999999999999",
        "/admin/booking/appointment/99999999999999999999999/change/",
        "/admin/booking/appointment/99999999999999999999999/move/",
        "/admin/intake/intake/99999999999999999999999/change/",
        "/staff/today/?site=99999999999999999999999&date=9999-12-31",
        "/visits/99999999999999999999999/care-plan/",
        "/intake/staff/99999999999999999999999/summary/",
    ],
)
def test_staff_pages_refuse_huge_ids_and_bad_filters_without_a_server_error(client, world, path):
    client.force_login(front_desk_user())
    assert client.get(path).status_code < 500
