"""The patient's booking flow, as an anonymous patient, a patient after an intake, and the urgent lane."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from booking.forms import SlotChoice
from booking.models import Appointment
from booking.patients import find_or_create_patient
from intake.models import Intake
from tests.booking.test_services import NOW, WEDNESDAY_0930, make_clinic
from tests.factories.booking import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


def intake_for(client, urgency: str) -> Intake:
    """The intake this session sent, by the patient who then books (details_post's email)."""
    intake = Intake.objects.create(
        patient=find_or_create_patient(name="Sam Intake", email="sam@mail.example"),
        name="Sam Intake",
        email="sam@mail.example",
        phone="(248) 555-0111",
        answers={},
        assessment={},
        triage_version="test",
        urgency=urgency,
        urgency_rank=1,
    )
    session = client.session
    session["intake_id"] = intake.pk
    session.save()
    return intake


def details_post(clinic, **overrides) -> dict:
    data = {
        "slot": SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=WEDNESDAY_0930).value,
        "type": clinic["exam"].pk,
        "idempotency_key": "a" * 32,
        "name": "Pat Example",
        "email": "pat@mail.example",
        "phone": "",
        "date_of_birth": "",
    }
    data.update(overrides)
    return data


def test_anonymous_patient_sees_only_types_anyone_may_book(client, clinic):
    page = client.get(reverse("booking:start")).content.decode()
    assert "New patient heel-pain exam" in page
    assert "Diagnostic ultrasound" not in page and "Urgent heel evaluation" not in page


def test_slot_picker_labels_each_slot_for_screen_readers(client, clinic):
    query = {"site": clinic["site"].pk, "type": clinic["exam"].pk, "podiatrist": "any", "day": "2027-03-10"}
    page = client.get(reverse("booking:slots"), query).content.decode()
    assert '<span class="visually-hidden">Wednesday, March 10, 9:30 AM, Howell</span>' in page
    assert "Morning</legend>" in page and "Afternoon</legend>" in page


def test_first_available_names_no_podiatrist_and_a_chosen_one_is_named(client, clinic):
    query = {"site": clinic["site"].pk, "type": clinic["exam"].pk, "podiatrist": "any", "day": "2027-03-10"}
    page = client.get(reverse("booking:slots"), query).content.decode()
    assert "Dr. Avery Sample" not in page.split("<footer")[0]
    chosen = client.get(reverse("booking:slots"), {**query, "podiatrist": clinic["podiatrist"].pk})
    assert "Wednesday, March 10, 9:30 AM, Howell, Dr. Avery Sample" in chosen.content.decode()


def test_every_slot_radio_has_an_id_of_its_own_and_a_label_for_it(client, clinic):
    # Ids come from each radio's position, so they stay unique whatever the lists hold.
    intake_for(client, "soon")
    query = {"site": clinic["site"].pk, "type": clinic["exam"].pk, "podiatrist": "any", "day": "2027-03-12"}
    page = client.get(reverse("booking:slots"), query).content.decode()
    ids = re.findall(r'<input[^>]*name="slot" id="([^"]+)"', page)
    labelled = set(re.findall(r'<label class="time-chip" for="([^"]+)"', page))
    assert len(ids) > 10
    assert len(ids) == len(set(ids))
    assert set(ids) == labelled


def test_details_are_prefilled_from_the_intake(client, clinic):
    intake_for(client, "routine")
    slot = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=WEDNESDAY_0930).value
    page = client.get(reverse("booking:details"), {"slot": slot, "type": clinic["exam"].pk}).content.decode()
    assert 'value="sam@mail.example"' in page
    assert 'name="idempotency_key"' in page


def _key_of_this_session(client) -> str:
    """What rendering the details form does: a key remembered in the session."""
    session = client.session
    session["booking_keys"] = ["a" * 32]
    session.save()
    return "a" * 32


def test_booking_links_the_intake_and_a_resubmission_books_once(client, clinic):
    intake = intake_for(client, "routine")
    _key_of_this_session(client)
    first = client.post(reverse("booking:details"), details_post(clinic, email="sam@mail.example"))
    second = client.post(reverse("booking:details"), details_post(clinic, email="sam@mail.example"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    appointment = Appointment.objects.get()
    assert appointment.intake == intake
    done = client.get(first["Location"]).content.decode()
    assert "Your appointment is booked" in done and "calendar.ics" in done


def test_losing_the_race_shows_just_taken_and_the_nearest_slots(client, clinic):
    client.post(reverse("booking:details"), details_post(clinic))
    response = client.post(
        reverse("booking:details"), details_post(clinic, idempotency_key="b" * 32, email="b@mail.example")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "That time was just taken" in page
    assert 'name="slot"' in page and 'value="b@mail.example"' in page


def test_a_refused_booking_keeps_what_was_entered(client, clinic):
    response = client.post(
        reverse("booking:details"), details_post(clinic, type=clinic["ultrasound"].pk, name="Kept Name")
    )
    assert response.status_code == 422
    assert "Kept Name" in response.content.decode()


def test_the_urgent_lane_is_for_urgent_intakes_only(client, clinic):
    assert client.get(reverse("booking:urgent")).status_code == 403
    intake_for(client, "urgent")
    page = client.get(reverse("booking:urgent"))
    assert page.status_code == 200
    assert "Tuesday, March 9" in page.content.decode() or "Monday, March 8" in page.content.decode()


def test_urgent_lane_books_held_capacity_with_channel_urgent_lane(client):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(holds=["10:00"])
        intake_for(client, "urgent")
        held = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=local(2027, 3, 9, 10)).value
        response = client.post(
            reverse("booking:details"),
            details_post(clinic, slot=held, type=clinic["urgent"].pk, lane="urgent"),
        )
        assert response.status_code == 302
        appointment = Appointment.objects.get()
        assert appointment.channel == "urgent_lane" and appointment.in_urgent_hold


def test_wrong_method_is_refused(client, clinic):
    assert client.post(reverse("booking:start")).status_code == 405
    assert client.put(reverse("booking:details")).status_code == 405


@override_settings(PUBLIC_FORM_RATE="2/m")
def test_public_posts_are_rate_limited_with_a_friendly_page(client, clinic):
    for _ in range(2):
        client.post(reverse("booking:details"), {})
    response = client.post(reverse("booking:details"), {})
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()


def _slots_page(client, clinic, day: str) -> str:
    query = {"site": clinic["site"].pk, "type": clinic["exam"].pk, "podiatrist": "any", "day": day}
    response = client.get(reverse("booking:slots"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_soon_patient_who_asks_for_a_later_day_sees_the_next_week_first(client, clinic):
    intake_for(client, "soon")
    page = _slots_page(client, clinic, "2027-03-22")  # two weeks after today (Monday, March 8)
    assert "these are the free times from today" in page
    assert '<h2 class="h4 mt-3">Monday, March 8</h2>' in page
    assert "as_asked=1" in page and "Show the times from Monday, March 22" in page


def test_a_soon_patient_searching_from_today_gets_one_list(client, clinic):
    intake_for(client, "soon")
    page = _slots_page(client, clinic, "2027-03-08")
    assert "these are the free times from today" not in page
    assert "choose one of the first days if you can" in page


@pytest.mark.parametrize("urgency", [None, "routine"])
def test_other_patients_see_the_day_they_asked_for(client, clinic, urgency):
    if urgency:
        intake_for(client, urgency)
    page = _slots_page(client, clinic, "2027-03-22")
    assert "Tuesday, March 9" not in page
    assert '<h2 class="h4 mt-3">Monday, March 22</h2>' in page


def test_a_key_from_another_session_does_not_hand_over_its_booking(client, clinic):
    _key_of_this_session(client)
    first = client.post(reverse("booking:details"), details_post(clinic))
    assert first.status_code == 302
    other = Client()
    response = other.post(reverse("booking:details"), details_post(clinic, email="eve@mail.example"))
    # Not the first booking's page (its manage link): a booking of its own, or "just taken".
    assert response.status_code in {302, 409}
    assert response.get("Location") != first["Location"]


def test_the_details_form_carries_a_key_remembered_by_the_session(client, clinic):
    response = client.get(reverse("booking:details"), {
        "slot": details_post(clinic)["slot"], "type": clinic["exam"].pk,
    })  # fmt: skip
    assert response.status_code == 200
    key = response.context["form"].initial["idempotency_key"]
    assert key in client.session["booking_keys"]


def test_once_booked_the_session_forgets_the_questionnaire(client, clinic):
    intake_for(client, "routine")
    _key_of_this_session(client)
    assert client.post(reverse("booking:details"), details_post(clinic)).status_code == 302
    assert "intake_id" not in client.session
    assert "intake_draft" not in client.session


def test_details_that_fail_are_shown_again_by_a_get_so_a_reload_keeps_them(client, clinic):
    typed = details_post(clinic, name="Kept Name", email="not-an-email", phone="(248) 555-0199")
    typed["date_of_birth"] = "1980-04-02"
    response = client.post(reverse("booking:details"), typed)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("booking:details") + "?slot=")
    for _ in range(2):  # the page, then a reload of it
        page = client.get(response["Location"])
        assert page.status_code == 200
        form = page.context["form"]
        kept = {name: form[name].value() for name in ("name", "email", "phone", "date_of_birth")}
        assert kept == {
            "name": "Kept Name", "email": "not-an-email", "phone": "(248) 555-0199",
            "date_of_birth": "1980-04-02",
        }  # fmt: skip
        assert form.errors == {"email": ["Enter one email address, like name@example.com"]}


def test_once_booked_the_session_forgets_what_was_typed_on_the_details_page(client, clinic):
    intake_for(client, "routine")
    client.post(reverse("booking:details"), details_post(clinic, email="not-an-email", name="Typed Once"))
    assert "Typed Once" in str(client.session.items())
    _key_of_this_session(client)
    booked = client.post(reverse("booking:details"), details_post(clinic, email="sam@mail.example"))
    assert booked.status_code == 302
    assert "Typed Once" not in str(client.session.items())
    later = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=local(2027, 3, 10, 9)).value
    page = client.get(reverse("booking:details"), {"slot": later, "type": clinic["exam"].pk}).content.decode()
    assert "Typed Once" not in page and "Sam Intake" not in page
