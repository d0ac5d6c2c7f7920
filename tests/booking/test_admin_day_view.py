"""The admin's day view: one site, one day, each podiatrist's appointments in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import Appointment
from tests.booking.personas import (
    DAY,
    appointments,
    podiatrist_user,
)
from tests.factories.booking import AppointmentFactory, PatientFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

URL = "admin:booking_appointment_day"


def _day(client, clinic, day: dt.date = DAY, **params):
    return client.get(reverse(URL), {"site": clinic.site.pk, "date": day.isoformat(), **params})


def test_it_lists_each_podiatrists_appointments_in_order_in_local_time(client, fran, clinic):
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 1, 14),
        patient=PatientFactory(name="Later Patient"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        patient=PatientFactory(name="Early Patient"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.heel,
        type=clinic.exam,
        start=local(2027, 3, 1, 10),
        patient=PatientFactory(name="Heel Patient"),
    )
    response = _day(client, clinic)
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c.podiatrist for c in columns] == [clinic.sole, clinic.heel]
    assert [a.patient.name for a, _ in columns[0].rows] == ["Early Patient", "Later Patient"]
    html = response.content.decode()
    assert "9:00 AM" in html and "2:00 PM" in html  # Detroit time, not UTC (14:00 / 19:00)
    assert html.index("Early Patient") < html.index("Later Patient")


def test_it_shows_only_the_chosen_site_and_day(client, fran, clinic):
    AppointmentFactory(
        site=clinic.other_site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        patient=PatientFactory(name="Other Site"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 2, 9),
        patient=PatientFactory(name="Next Day"),
    )
    html = _day(client, clinic).content.decode()
    assert "Other Site" not in html
    assert "Next Day" not in html
    assert "No appointments at Howell" in html


def test_it_links_the_previous_and_next_day(client, fran, clinic):
    html = _day(client, clinic).content.decode()
    assert f"?site={clinic.site.pk}&amp;date=2027-02-28" in html
    assert f"?site={clinic.site.pk}&amp;date=2027-03-02" in html


def test_it_offers_quick_actions_that_fit_the_status(client, fran, clinic):
    booked, arrived, cancelled = appointments(clinic, 3)
    Appointment.objects.filter(pk=arrived.pk).update(status=Appointment.Status.ARRIVED)
    Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
    rows = {a.pk: actions for column in _day(client, clinic).context["columns"] for a, actions in column.rows}
    assert [s for s, _ in rows[booked.pk]] == ["arrived", "completed", "no_show", "cancelled"]
    assert [s for s, _ in rows[arrived.pk]] == ["completed"]
    assert rows[cancelled.pk] == []


def test_its_quick_action_marks_arrived_and_comes_back_to_the_day(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    day_url = f"{reverse(URL)}?site={clinic.site.pk}&date=2027-03-01"
    response = client.post(
        reverse("admin:booking_appointment_status", args=[appointment.pk]),
        {"status": "arrived", "next": day_url},
    )
    assert response.url == day_url
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED


def test_a_podiatrist_sees_the_day_view(client, clinic):
    client.force_login(podiatrist_user(clinic.sole))
    appointments(clinic, 2)
    response = _day(client, clinic)
    assert response.status_code == 200
    assert "Book for a patient" not in response.content.decode()


def test_it_falls_back_to_today_for_a_malformed_date(client, fran, clinic):
    response = client.get(reverse(URL), {"site": clinic.site.pk, "date": "not-a-date"})
    assert response.status_code == 200
    assert response.context["day"] == DAY


def test_its_query_count_does_not_grow_with_the_appointments(client, fran, clinic):
    appointments(clinic, 5)
    _day(client, clinic)  # warm the session and content types
    with CaptureQueriesContext(connection) as five:
        assert len(_day(client, clinic).context["columns"][0].rows) == 3
    appointments(clinic, 45, after=5)  # 50 on the day
    with CaptureQueriesContext(connection) as fifty:
        response = _day(client, clinic)
    assert sum(len(c.rows) for c in response.context["columns"]) == 50
    assert len(fifty) == len(five), [q["sql"] for q in fifty.captured_queries]


def test_cancel_from_the_day_view_asks_first_and_then_comes_back(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    day_url = f"{reverse(URL)}?site={clinic.site.pk}&date=2027-03-01"
    status_url = reverse("admin:booking_appointment_status", args=[appointment.pk])

    day = client.get(day_url).content.decode()
    # Cancel is a link to a question, not a button that cancels.
    assert f"{status_url}?confirm=cancelled&amp;next=" in day
    assert 'name="status" value="cancelled"' not in day

    question = client.get(status_url, {"confirm": "cancelled", "next": day_url})
    page = question.content.decode()
    assert "Cancel this appointment?" in page and "emailed a cancellation notice" in page
    assert f'name="next" value="{day_url.replace("&", "&amp;")}"' in page
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED

    response = client.post(status_url, {"status": "cancelled", "next": day_url})
    assert response.url == day_url
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_the_cancel_question_is_not_asked_of_an_appointment_that_cannot_be_cancelled(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.COMPLETED)
    status_url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    page = client.get(status_url, {"confirm": "cancelled", "next": "https://evil.example/"}).content.decode()
    assert "Cancel this appointment?" not in page
    assert "evil.example" not in page
