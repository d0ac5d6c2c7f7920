"""Booking and moving for a patient on the phone: the admin pages call the same booking services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from booking.models import Appointment, AppointmentEvent, AppointmentType
from booking.staff_forms import slot_value
from intake.models import Intake
from tests.booking.personas import DAY
from tests.factories.booking import AppointmentFactory, AppointmentTypeFactory, PatientFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

BOOK = "admin:booking_appointment_book"
NINE = local(2027, 3, 1, 9)


def _book_url(clinic, *, type_=None, podiatrist=None, **extra) -> str:
    params = {
        "site": clinic.site.pk,
        "type": (type_ or clinic.exam).pk,
        "podiatrist": podiatrist.pk if podiatrist else "",
        "date": DAY.isoformat(),
        **extra,
    }
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse(BOOK)}?{query}"


def _details(clinic, podiatrist, start, **overrides) -> dict:
    return {
        "slot": slot_value(site_id=clinic.site.pk, podiatrist_id=podiatrist.pk, start=start),
        "patient_name": "Casey Caller",
        "patient_email": "Casey.Caller@mail.example",
        "patient_phone": "(517) 555-0123",
        "date_of_birth": "1980-02-03",
        "idempotency_key": "key-1",
        **overrides,
    }


def test_it_shows_the_search_form_first(client, fran, clinic):
    response = client.get(reverse(BOOK))
    assert response.status_code == 200
    assert response.context["slots"] == []
    assert "Show free times" in response.content.decode()


def test_it_lists_free_times_as_labelled_radio_buttons(client, fran, clinic):
    response = client.get(_book_url(clinic))
    assert response.status_code == 200
    labels = [slot.label for slot in response.context["slots"]]
    assert any(label.startswith("Monday, March 1, 9:00 AM, Howell, Dr.") for label in labels), labels[:3]
    html = response.content.decode()
    assert 'type="radio" name="slot"' in html
    assert 'aria-label="Monday, March 1, 9:00 AM, Howell, Dr. Pat Sole"' in html


def test_it_books_for_a_patient_through_the_service(client, fran, clinic):
    response = client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:booking_appointment_change", args=[appointment.pk])
    assert (appointment.start, appointment.podiatrist, appointment.site) == (NINE, clinic.sole, clinic.site)
    assert appointment.channel == Appointment.Channel.STAFF
    assert appointment.patient.email == "casey.caller@mail.example"
    event = appointment.events.get()
    assert (event.kind, event.actor, event.actor_label) == (AppointmentEvent.Kind.BOOKED, fran, "fran")


def test_a_double_click_books_once(client, fran, clinic):
    client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE))
    client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE))
    assert Appointment.objects.count() == 1


def test_the_admin_cannot_double_book_a_podiatrist(client, fran, clinic):
    client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE))
    response = client.post(
        _book_url(clinic),
        _details(clinic, clinic.sole, NINE, patient_email="other@mail.example", idempotency_key="key-2"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That time was just taken" in html
    assert Appointment.objects.filter(podiatrist=clinic.sole, start=NINE).count() == 1
    nearest = response.context["slots"]
    assert nearest, "the nearest free times are offered"
    assert slot_value(site_id=clinic.site.pk, podiatrist_id=clinic.sole.pk, start=NINE) not in {
        s.value for s in nearest
    }


def test_it_shows_a_refusal_plainly(client, fran, clinic):
    patient = PatientFactory(email="casey.caller@mail.example")
    AppointmentFactory(
        patient=patient,
        site=clinic.site,
        podiatrist=clinic.heel,
        type=clinic.exam,
        start=local(2027, 3, 8, 9),
    )
    response = client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE))
    assert response.status_code == 200
    assert "already has a new patient exam" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_it_rejects_a_tampered_slot_value(client, fran, clinic):
    response = client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE, slot="nonsense"))
    assert response.status_code == 200
    assert "Choose one of the times listed." in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_front_desk_sees_held_urgent_capacity(client, fran, clinic):
    clinic.site.urgent_hold_starts = ["10:00"]
    clinic.site.save()
    urgent = AppointmentTypeFactory(
        slug="urgent-evaluation",
        name="Urgent heel evaluation",
        duration_minutes=30,
        bookable_by=AppointmentType.BookableBy.URGENT,
        uses_urgent_hold=True,
        is_new_patient_exam=False,
    )
    # Held until 24 hours before: a week ahead the 10:00 window is still held for urgent patients.
    url = _book_url(clinic, type_=urgent, date="2027-03-08")
    response = client.get(url)
    held = [
        s for s in response.context["slots"] if s.held and s.label.startswith("Monday, March 8, 10:00 AM")
    ]
    assert held
    assert "held urgent slot" in response.content.decode()
    client.post(url, _details(clinic, clinic.sole, local(2027, 3, 8, 10)) | {"slot": held[0].value})
    appointment = Appointment.objects.get()
    assert appointment.in_urgent_hold
    assert appointment.type == urgent


def test_it_prefills_and_links_the_patients_intake(client, fran, clinic):
    intake = Intake.objects.create(
        name="Ivy Intake",
        email="ivy@mail.example",
        phone="(248) 555-0155",
        answers={},
        assessment={},
        triage_version="test",
        urgency="routine",
        urgency_rank=3,
    )
    url = _book_url(clinic, intake=intake.pk)
    form = client.get(url).context["details"]
    assert form.initial["patient_name"] == "Ivy Intake"
    client.post(
        url, _details(clinic, clinic.sole, NINE, patient_name="Ivy Intake", patient_email="ivy@mail.example")
    )
    assert Appointment.objects.get().intake == intake


# --- Move --------------------------------------------------------------------------------------
def _move_url(appointment, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("admin:booking_appointment_move", args=[appointment.pk]) + (f"?{query}" if query else "")


@pytest.fixture
def booked(clinic):
    return AppointmentFactory(
        site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=NINE, patient=PatientFactory()
    )


def test_it_lists_new_times_for_the_same_site_and_type(client, fran, clinic, booked):
    response = client.get(_move_url(booked))
    assert response.status_code == 200
    labels = [slot.label for slot in response.context["slots"]]
    assert labels and all("Dr. Pat Sole" in label for label in labels)  # the same podiatrist by default
    assert not any(label.startswith("Monday, March 1, 9:00 AM") for label in labels)


def test_it_moves_an_appointment_through_the_service(client, fran, clinic, booked):
    eleven = local(2027, 3, 1, 11)
    response = client.post(
        _move_url(booked),
        {"slot": slot_value(site_id=clinic.site.pk, podiatrist_id=clinic.heel.pk, start=eleven)},
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.start, booked.podiatrist, booked.rescheduled_count) == (eleven, clinic.heel, 1)
    event = booked.events.get()
    assert (event.kind, event.actor) == (AppointmentEvent.Kind.RESCHEDULED, fran)


def test_a_move_cannot_double_book(client, fran, clinic, booked):
    eleven = local(2027, 3, 1, 11)
    AppointmentFactory(site=clinic.site, podiatrist=clinic.heel, type=clinic.exam, start=eleven)
    response = client.post(
        _move_url(booked),
        {"slot": slot_value(site_id=clinic.site.pk, podiatrist_id=clinic.heel.pk, start=eleven)},
    )
    assert response.status_code == 200
    assert "That time was just taken" in response.content.decode()
    booked.refresh_from_db()
    assert (booked.start, booked.podiatrist) == (NINE, clinic.sole)


def test_a_cancelled_appointment_cannot_be_moved(client, fran, clinic, booked):
    Appointment.objects.filter(pk=booked.pk).update(status=Appointment.Status.CANCELLED)
    assert "cannot be moved" in client.get(_move_url(booked)).content.decode()
    response = client.post(
        _move_url(booked),
        {
            "slot": slot_value(
                site_id=clinic.site.pk, podiatrist_id=clinic.sole.pk, start=local(2027, 3, 1, 11)
            )
        },
    )
    assert "was cancelled" in response.content.decode()
    booked.refresh_from_db()
    assert booked.start == NINE


def test_it_offers_a_time_overlapping_the_old_one_but_not_the_old_one_itself(client, fran, clinic, booked):
    labels = [slot.label for slot in client.get(_move_url(booked)).context["slots"]]
    assert any(label.startswith("Monday, March 1, 9:10 AM") for label in labels)
    assert not any(label.startswith("Monday, March 1, 9:00 AM") for label in labels)


def test_it_moves_an_appointment_to_the_other_site(client, fran, clinic, booked):
    tuesday = local(2027, 3, 2, 10)
    url = _move_url(booked, site=clinic.other_site.pk, date="2027-03-02", podiatrist="")
    labels = [slot.label for slot in client.get(url).context["slots"]]
    assert "Tuesday, March 2, 10:00 AM, Bloomfield Hills, Dr. Pat Sole" in labels

    response = client.post(
        url,
        {"slot": slot_value(site_id=clinic.other_site.pk, podiatrist_id=clinic.sole.pk, start=tuesday)},
        follow=True,
    )
    # The message names the NEW time, in Michigan time.
    message = response.content.decode()
    assert "to Tue Mar 2, 10:00 AM with Dr. Pat Sole at Bloomfield Hills" in message
    assert "UTC" not in message
    booked.refresh_from_db()
    assert (booked.site, booked.start, booked.podiatrist) == (clinic.other_site, tuesday, clinic.sole)
    detail = booked.events.get().detail
    assert (detail["old_site"], detail["new_site"]) == (clinic.site.pk, clinic.other_site.pk)


def test_a_move_to_a_day_the_other_site_has_no_shift_is_refused(client, fran, clinic, booked):
    monday_eleven = local(2027, 3, 1, 11)  # nobody works at Bloomfield Hills on Mondays
    url = _move_url(booked, site=clinic.other_site.pk, date="2027-03-01", podiatrist="")
    assert client.get(url).context["slots"] == []
    response = client.post(
        url,
        {"slot": slot_value(site_id=clinic.other_site.pk, podiatrist_id=clinic.sole.pk, start=monday_eleven)},
    )
    assert response.status_code == 200
    booked.refresh_from_db()
    assert (booked.site, booked.start) == (clinic.site, NINE)
