"""The active sites, types and podiatrists, kept per process (booking.prepared.KeptRead): read once,
then none until a change or REFERENCE_DATA_SECONDS; a change saved shows at once; nothing one
caller sets on an instance reaches the next."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from booking import prepared, selectors
from booking.models import AppointmentType, Podiatrist, Site
from tests.booking.personas import superuser
from tests.booking.test_services import make_clinic
from tests.factories.booking import SiteFactory

pytestmark = pytest.mark.django_db

READS = {
    "sites": selectors.active_sites,
    "types": selectors.active_types,
    "podiatrists": selectors.active_podiatrists,
}


@pytest.fixture
def clinic():
    clinic = make_clinic(podiatrists=2)  # at Howell
    SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills")
    return clinic


class _Clock:
    """time.monotonic as booking.prepared reads it, moved on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(prepared.time, "monotonic", clock)
    return clock


@pytest.mark.parametrize("name", READS)
def test_each_list_is_read_once_and_then_kept(clinic, name, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = READS[name]()
    with django_assert_num_queries(0):
        again = READS[name]()
    assert [(row.pk, row.name) for row in again] == [(row.pk, row.name) for row in first]
    assert first, "the clinic has rows of each"


def test_the_kept_lists_are_what_the_orm_reads(clinic):
    AppointmentType.objects.filter(pk=clinic["exam"].pk).update(is_active=False)  # no signal: read as it is
    assert [s.pk for s in selectors.active_sites()] == list(
        Site.objects.filter(is_active=True).order_by("name").values_list("pk", flat=True)
    )
    assert [t.pk for t in selectors.active_types()] == list(
        AppointmentType.objects.filter(is_active=True).order_by("name").values_list("pk", flat=True)
    )
    assert clinic["exam"].pk not in [t.pk for t in selectors.active_types()]
    assert [p.pk for p in selectors.active_podiatrists()] == list(
        Podiatrist.objects.filter(is_active=True).order_by("name").values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("name", "row"), [("sites", "site"), ("types", "exam"), ("podiatrists", "podiatrist")]
)
def test_a_change_saved_shows_on_the_next_read(clinic, name, row):
    assert clinic[row].pk in [r.pk for r in READS[name]()]
    clinic[row].is_active = False
    clinic[row].save()  # as the admin saves it
    assert clinic[row].pk not in [r.pk for r in READS[name]()]
    clinic[row].is_active = True
    clinic[row].save()
    assert clinic[row].pk in [r.pk for r in READS[name]()]
    if name == "sites":  # a site with no bookings can go
        clinic[row].delete()
        assert clinic[row].pk not in [r.pk for r in READS[name]()]


def test_a_change_without_a_signal_shows_after_the_kept_seconds(clinic, clock, settings):
    settings.REFERENCE_DATA_SECONDS = 10
    howell = clinic["site"]
    assert howell.pk in [s.pk for s in selectors.active_sites()]
    Site.objects.filter(pk=howell.pk).update(is_active=False)  # QuerySet.update sends no signal
    clock.now += 9.9
    assert howell.pk in [s.pk for s in selectors.active_sites()], "kept for 10 seconds"
    clock.now += 0.2
    assert howell.pk not in [s.pk for s in selectors.active_sites()]


def test_with_no_kept_seconds_every_call_reads(clinic, settings, django_assert_num_queries):
    settings.REFERENCE_DATA_SECONDS = 0
    selectors.active_types()
    with django_assert_num_queries(1):
        selectors.active_types()


def test_what_one_caller_sets_on_an_instance_does_not_reach_the_next(clinic):
    first = selectors.active_sites()
    first[0].name = "Changed by a caller"
    first[0]._active_sites = ["a caller's note"]
    again = selectors.active_sites()
    assert again[0] is not first[0]
    assert again[0].name != "Changed by a caller"
    assert not hasattr(again[0], "_active_sites")


def test_the_footer_drops_a_site_closed_in_the_admin_at_once(clinic, client):
    """Through the pages: the footer lists both sites, the admin closes one, the next page lists one."""
    assert _footer_sites(client) == ["Bloomfield Hills", "Howell"]
    bloomfield = Site.objects.get(slug="bloomfield-hills")
    staff = Client()
    staff.force_login(superuser())
    change = reverse("admin:booking_site_change", args=[bloomfield.pk])
    data = _form_data(staff.get(change).content.decode())
    data.pop("is_active")  # the box unticked
    response = staff.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Site.objects.get(pk=bloomfield.pk).is_active is False
    assert _footer_sites(client) == ["Howell"]


def _footer_sites(client: Client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    return re.findall(r"<strong>([^<]+)</strong>", page[page.index('<footer class="site-footer') :])


class _Inputs(HTMLParser):
    """What a browser would post from a page's form: inputs, ticked boxes, chosen options, text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def _form_data(page: str) -> dict[str, list[str]]:
    parser = _Inputs()
    parser.feed(page)
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data
