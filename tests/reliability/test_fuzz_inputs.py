"""No input gives a 5xx: Hypothesis fuzzes the query string and form fields of every URL the
project serves, as an anonymous visitor (the public pages) and as Fran at the front desk (every
staff page), and every answer must be below 500."""

from __future__ import annotations

import os
import re
import string

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.links import make_manage_token
from intake.steps import STEPS
from tests.booking.personas import NOW, front_desk_user, make_clinic
from tests.factories.booking import AppointmentFactory, local
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db

# Routes not fuzzed: logging out or changing the password end the session the test uses, the
# admin's catch-all only redirects, and the health checks answer 503 by design when a dependency
# is down (tests/reliability/test_health.py covers them).
SKIPPED = re.compile(r"logout|password_change|\(\?P<url>|^healthz")

# Names the views read, and the admin's (list filters, search, ordering, paging).
KNOWN_PARAMS = [
    "type",
    "day",
    "date",
    "site",
    "podiatrist",
    "slot",
    "lane",
    "next",
    "return",
    "confirm",
    "intake",
    "status",
    "idempotency_key",
    "name",
    "email",
    "phone",
    "date_of_birth",
    "consent",
    "preferred_site",
    "action",
    "what",
    "q",
    "o",
    "p",
    "e",
    "all",
    "_changelist_filters",
    "urgency__exact",
    "site__id__exact",
    "status__exact",
    "start__gte",
    "start__lt",
    "created_at__gte",
    "created_at__lt",
    "id__exact",
    "pk",
    "podiatrist__id__exact",
    "type__id__exact",
    "kind__exact",
    "moved",
    "cancelled",
    "format",
]

HOSTILE = [
    "",
    "0",
    "-1",
    "abc",
    "9" * 30,
    "-" + "9" * 30,
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2027-02-30",
    "0000-00-00",
    "2027-03-01T25:00",
    "\x00",
    "a\x00b",
    "' OR 1=1 --",
    "<script>",
    "../../etc/passwd",
    "%",
    "1.0.99999999999",
    "0.0.0",
    "\u202e",
    "\ud7ff",
    "[]",
    "{}",
]


def _values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(lambda d: d.isoformat()),
        st.text(max_size=30),
    )


def _params() -> st.SearchStrategy[dict[str, str]]:
    names = st.one_of(
        st.sampled_from(KNOWN_PARAMS), st.text(alphabet=string.ascii_lowercase + "_", max_size=12)
    )
    return st.dictionaries(names, _values(), max_size=6)


def _routes(patterns, prefix: str = "") -> list[str]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(prefix + str(p.pattern))
    return [r for r in found if not SKIPPED.search(r)]


ROUTES = _routes(get_resolver().url_patterns)
PUBLIC = [r for r in ROUTES if not r.startswith(("admin/", "staff/", "visits/", "intake/staff/"))]
STAFF = [r for r in ROUTES if r not in PUBLIC]


@pytest.fixture
def world():
    """A clinic on a Monday morning, an appointment, an intake, and Fran's login."""
    with time_machine.travel(NOW, tick=True):
        clinic = make_clinic()
        intake = IntakeFactory()
        appointment = AppointmentFactory(
            site=clinic.site,
            podiatrist=clinic.sole,
            type=clinic.exam,
            start=local(2027, 3, 8, 9),
            intake=intake,
        )
        fran = front_desk_user()
        yield {
            "token": make_manage_token(appointment),
            "ids": [str(appointment.pk), str(intake.pk), str(clinic.site.pk)],
            "fran": fran,
        }


def _fill(route: str, world: dict, data: st.DataObject) -> str:
    """A concrete path: each parameter a real value or a hostile one."""

    def value(kind: str) -> str:
        if kind in ("int", "path"):
            choice = data.draw(st.sampled_from([*world["ids"], "0", "999999999", "9" * 25, "abc"]))
        elif kind == "slug":
            choice = data.draw(st.sampled_from([STEPS[0].slug, "contact", "no-such-step"]))
        else:
            choice = data.draw(st.sampled_from([world["token"], "not-a-token", "a:b:c", "x" * 300]))
        return choice

    path = re.sub(r"<(\w+):\w+>", lambda m: value(m.group(1)), route)
    path = re.sub(
        r"\^?\(\?P<app_label>[^)]*\)/\$", lambda m: data.draw(st.sampled_from(["booking/", "intake/"])), path
    )
    return "/" + path.replace("^", "").replace("$", "")


def _request(client: Client, path: str, method: str, params: dict[str, str]):
    if method == "GET":
        return client.get(path, params)
    return client.post(path, params)


# FUZZ_EXAMPLES=3000 for a deeper search by hand; the suite's run is bounded.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize="FUZZ_EXAMPLES" not in os.environ,
)


@override_settings(RATELIMIT_ENABLE=False)
@FUZZ
@given(data=st.data())
def test_no_public_url_answers_a_5xx_to_any_parameters(world, data):
    route = data.draw(st.sampled_from(PUBLIC))
    path = _fill(route, world, data)
    method = data.draw(st.sampled_from(["GET", "POST"]))
    params = data.draw(_params())
    response = _request(Client(), path, method, params)
    assert response.status_code < 500, (method, path, params)


@override_settings(RATELIMIT_ENABLE=False)
@FUZZ
@given(data=st.data())
def test_no_staff_page_answers_a_5xx_to_the_front_desk_whatever_the_parameters(world, data):
    route = data.draw(st.sampled_from(STAFF))
    path = _fill(route, world, data)
    method = data.draw(st.sampled_from(["GET", "GET", "POST"]))
    params = data.draw(_params())
    client = Client()
    client.force_login(world["fran"])
    response = _request(client, path, method, params)
    assert response.status_code < 500, (method, path, params)
