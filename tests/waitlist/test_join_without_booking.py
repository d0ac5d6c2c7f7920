"""A patient without a booking joins the waitlist from the page of free times when none suits."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.booking.test_booking_views import intake_for
from tests.waitlist.scenario import NOW, make
from waitlist.models import WaitlistEntry

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def wish(clinic, **changes) -> dict:
    data = {
        "type": clinic.exam.pk,
        "site": clinic.site.pk,
        "first_day": "2027-03-02",
        "last_day": "2027-03-31",
        "weekdays": ["0", "2"],
        "day_parts": ["morning"],
        "name": "Nora Newcomer",
        "email": "Nora@Mail.example",
        "phone": "(517) 555-0142",
    }
    return data | changes


def test_the_page_of_free_times_links_to_joining_for_the_type_and_site_searched(client):
    clinic = make()
    query = {"site": clinic.site.pk, "type": clinic.exam.pk, "podiatrist": "any", "day": "2027-03-08"}
    page = client.get(reverse("booking:slots"), query).content.decode()
    assert "None of these times suit you?" in page
    assert f'href="/waitlist/join/?type={clinic.exam.pk}&amp;site={clinic.site.pk}"' in page


def test_a_search_of_either_site_links_to_joining_for_either(client):
    clinic = make()
    query = {"site": "any", "type": clinic.exam.pk, "podiatrist": "any", "day": "2027-03-08"}
    page = client.get(reverse("booking:slots"), query).content.decode()
    assert f'href="/waitlist/join/?type={clinic.exam.pk}&amp;site=either"' in page


def test_joining_from_the_link_makes_an_entry_and_shows_it(client):
    clinic = make()
    form = client.get(reverse("waitlist:join"), {"type": clinic.exam.pk, "site": clinic.site.pk})
    assert form.status_code == 200
    assert "New patient heel-pain exam, 40 minutes." in form.content.decode()

    response = client.post(reverse("waitlist:join"), wish(clinic))

    entry = WaitlistEntry.objects.get()
    assert (entry.type, entry.site, entry.email, entry.status) == (
        clinic.exam,
        clinic.site,
        "nora@mail.example",
        WaitlistEntry.Status.WAITING,
    )
    assert entry.weekdays_text() == "Monday, Wednesday" and entry.day_parts_text() == "mornings"
    assert entry.priority == WaitlistEntry.Priority.ROUTINE
    page = client.get(response["Location"]).content.decode()
    assert "You are on the waitlist." in page
    assert "Monday, March 1" not in page and "Tuesday, March 2 and Wednesday, March 31" in page


def test_the_questionnaires_urgency_puts_the_entry_first_in_line(client):
    clinic = make()
    intake_for(client, "soon")
    client.post(reverse("waitlist:join"), wish(clinic))
    assert WaitlistEntry.objects.get().priority == WaitlistEntry.Priority.SOON


def test_a_type_the_patient_may_not_book_is_refused_with_the_reason(client):
    clinic = make()
    response = client.post(reverse("waitlist:join"), wish(clinic, type=clinic.follow_up.pk))
    assert response.status_code == 409
    assert not WaitlistEntry.objects.exists()


def test_a_wish_without_weekdays_is_shown_again_with_the_problem(client):
    clinic = make()
    data = wish(clinic)
    del data["weekdays"]
    response = client.post(reverse("waitlist:join"), data)
    assert response.status_code == 400
    assert "Choose at least one day." in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_the_join_page_without_a_type_sends_the_patient_to_search_first(client):
    response = client.get(reverse("waitlist:join"))
    assert response.status_code == 302 and response["Location"] == reverse("booking:start")


def test_after_an_emergency_outcome_the_join_page_sends_the_patient_to_its_advice(client):
    clinic = make()
    intake_for(client, "emergency")
    response = client.post(reverse("waitlist:join"), wish(clinic))
    assert response.status_code == 302 and response["Location"] == reverse("booking:start")
    assert not WaitlistEntry.objects.exists()
