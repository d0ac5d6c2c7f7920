"""With the database unreachable every page answers a plain 503 with both sites' phone numbers,
never a traceback or the 500 page; once it is reachable again pages work with no restart.

The outage is made by pointing this process's connection at a closed port (PostgreSQL) or at a
file that cannot be opened (SQLite); the shared server is never stopped."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from booking.links import make_manage_token
from intake.steps import STEPS
from tests.booking.personas import front_desk_user
from tests.factories.booking import AppointmentFactory, SiteFactory
from tests.messaging.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    ("GET", "/"),
    ("GET", "/book/"),
    ("GET", "/book/times/?site=1&type=1&podiatrist=any&day=2030-01-07"),
    ("POST", "/book/details/"),
    ("GET", "/intake/"),
    ("POST", f"/intake/step/{STEPS[0].slug}/"),
]
STAFF_PAGES = [
    ("GET", "/admin/"),
    ("GET", "/admin/booking/appointment/day/"),
    ("GET", "/admin/intake/intake/"),
    ("GET", "/staff/today/"),
]


@contextlib.contextmanager
def database_unreachable() -> Iterator[None]:
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": str(free_port())})
    else:
        connection.settings_dict["NAME"] = "/nonexistent/clinic/down.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _looks_like_the_outage_page(response) -> bool:
    page = response.content.decode()
    return (
        response.status_code == 503
        and "We are having trouble" in page
        and "(248) 555-0100" in page
        and "(517) 555-0100" in page
        and "Traceback" not in page
        and "Something went wrong on our side" not in page
    )


@override_settings(RATELIMIT_ENABLE=True)
@pytest.mark.parametrize("debug", [False, True])
def test_every_page_answers_the_503_page_while_the_database_is_down_and_recovers_by_itself(
    client, settings, debug
):
    settings.DEBUG = debug
    SiteFactory(name="Howell")
    appointment = AppointmentFactory()
    manage = reverse("booking:manage", args=[make_manage_token(appointment)])
    staff = Client(raise_request_exception=False)
    staff.force_login(front_desk_user())
    client.raise_request_exception = False
    # In DEBUG a failure inside a middleware (the staff idle timeout reads the session) shows
    # Django's debug page, as any error there does; production (DEBUG off) answers the 503 page.
    with database_unreachable():
        for who, (method, url) in [
            *((client, page) for page in [*PAGES, ("GET", manage), ("POST", manage + "cancel/")]),
            *((staff, page) for page in ([] if debug else STAFF_PAGES)),
        ]:
            response = who.get(url) if method == "GET" else who.post(url, {"x": "1"})
            assert _looks_like_the_outage_page(response), (method, url, response.status_code)
            assert response["Retry-After"]
    assert client.get("/").status_code == 200
    assert client.get(manage).status_code == 200
    assert staff.get("/admin/booking/appointment/day/").status_code == 200
