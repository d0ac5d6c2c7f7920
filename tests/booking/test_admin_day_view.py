"""The admin's day view: one site, one day, each podiatrist's appointments in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking import staff_views
from booking.models import Appointment
from tests.booking.personas import (
    DAY,
    NOW,
    appointments,
    podiatrist_user,
)
from tests.factories.booking import AppointmentFactory, AppointmentTypeFactory, PatientFactory, local

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
    assert [c.podiatrist for c, _ in columns] == [clinic.sole, clinic.heel]
    assert [line.entry.appointment.patient.name for line in columns[0][1]] == [
        "Early Patient",
        "Later Patient",
    ]
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
    # Both podiatrists work Mondays at Howell: each has a column, empty that day.
    assert html.count("No appointments.") == 2


def test_it_links_the_previous_and_next_day(client, fran, clinic):
    html = _day(client, clinic).content.decode()
    assert f"?site={clinic.site.pk}&amp;date=2027-02-28" in html
    assert f"?site={clinic.site.pk}&amp;date=2027-03-02" in html


def test_it_offers_quick_actions_that_fit_the_status(client, fran, clinic):
    booked, arrived, cancelled = appointments(clinic, 3)
    Appointment.objects.filter(pk=arrived.pk).update(status=Appointment.Status.ARRIVED)
    Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
    rows = {
        line.entry.appointment.pk: line.actions
        for _, lines in _day(client, clinic).context["columns"]
        for line in lines
        if line.entry.appointment
    }
    assert [a.status for a in rows[booked.pk]] == ["arrived", "completed", "no_show", "cancelled"]
    assert [a.status for a in rows[arrived.pk]] == ["completed"]
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
        assert len(_day(client, clinic).context["columns"][0][1]) == 3
    appointments(clinic, 45, after=5)  # 50 on the day
    with CaptureQueriesContext(connection) as fifty:
        response = _day(client, clinic)
    assert sum(len(entries) for _, entries in response.context["columns"]) == 50
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
    assert "Reason, for the patient's email" in page
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED

    # A POST that skipped the question is sent to it, and changes nothing.
    unasked = client.post(status_url, {"status": "cancelled", "next": day_url})
    assert unasked.url.startswith(f"{status_url}?confirm=cancelled")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED

    response = client.post(
        status_url,
        {"status": "cancelled", "confirmed": "yes", "next": day_url, "reason": "The podiatrist is ill"},
    )
    assert response.url == day_url
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.events.get(kind="cancelled").detail["reason"] == "The podiatrist is ill"


def test_the_cancel_question_is_not_asked_of_an_appointment_that_cannot_be_cancelled(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.COMPLETED)
    status_url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    page = client.get(status_url, {"confirm": "cancelled", "next": "https://evil.example/"}).content.decode()
    assert "Cancel this appointment?" not in page
    assert "evil.example" not in page


NEXT_MONDAY = dt.date(2027, 3, 8)


def test_each_podiatrist_has_a_column_with_the_held_urgent_slots_marked(client, fran, clinic):
    clinic.site.urgent_hold_starts = ["10:00", "14:00"]
    clinic.site.save()
    AppointmentTypeFactory(
        slug="urgent-evaluation",
        name="Urgent heel evaluation",
        duration_minutes=30,
        bookable_by="urgent",
        uses_urgent_hold=True,
        is_new_patient_exam=False,
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 8, 10),
        patient=PatientFactory(name="Busy At Ten"),
    )
    response = _day(client, clinic, NEXT_MONDAY)
    columns = {column.podiatrist: entries for column, entries in response.context["columns"]}
    held = {
        podiatrist: [
            timezone.localtime(line.entry.start).strftime("%H:%M") for line in entries if line.entry.is_hold
        ]
        for podiatrist, entries in columns.items()
    }
    # Dr. Sole is busy at ten, so that hold sits with Dr. Heel; the 14:00 one with the first free.
    assert sorted(held[clinic.sole] + held[clinic.heel]) == ["10:00", "14:00"]
    assert "10:00" in held[clinic.heel]
    html = response.content.decode()
    assert html.count("Held urgent slot</span>") == 2
    assert html.count('class="module day-column"') == 2


def test_a_visit_not_yet_due_asks_before_it_is_marked(client, fran, clinic):
    tomorrow = AppointmentFactory(
        site=clinic.other_site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 2, 9),
        patient=PatientFactory(name="Tuesday Patient"),
    )
    html = client.get(reverse(URL), {"site": clinic.other_site.pk, "date": "2027-03-02"}).content.decode()
    status_url = reverse("admin:booking_appointment_status", args=[tomorrow.pk])
    for status in ("arrived", "completed", "no_show", "cancelled"):
        assert f"{status_url}?confirm={status}&amp;next=" in html
    assert 'name="status" value="arrived"' not in html  # no one-click button

    unasked = client.post(status_url, {"status": "arrived"})
    assert unasked.url.startswith(f"{status_url}?confirm=arrived")
    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.BOOKED
    question = client.get(status_url, {"confirm": "arrived"}).content.decode()
    assert "Mark arrived for a visit that has not started yet?" in question
    assert "Tue Mar 2, 9:00 AM" in question

    client.post(status_url, {"status": "arrived", "confirmed": "yes"})
    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.ARRIVED


def test_todays_visit_is_marked_arrived_in_one_click(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)  # 08:00 today; it is 07:00: patients come early
    html = _day(client, clinic).content.decode()
    assert 'name="status" value="arrived"' in html
    status_url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    assert f"{status_url}?confirm=completed" in html  # but not completed before it starts


def test_the_day_view_lists_tomorrows_patients_without_email_to_call(client, fran, clinic):
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 2, 11),
        patient=PatientFactory(name="No Email Nell", email=None, phone="(517) 555-0199"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.heel,
        type=clinic.exam,
        start=local(2027, 3, 2, 12),
        patient=PatientFactory(name="Has Email Hal"),
    )
    html = _day(client, clinic).content.decode()
    assert "To call: Tuesday, March 2, no email on file" in html
    section = html[html.index("To call:") : html.index("</section>", html.index("To call:"))]
    assert "No Email Nell" in section and "(517) 555-0199" in section and "11:00 AM" in section
    assert "Has Email Hal" not in section


@pytest.mark.parametrize("pk", [1, 7, 42, 987654321, 10**12])
@pytest.mark.parametrize(
    "name",
    [
        "admin:booking_appointment_change",
        "admin:booking_appointment_status",
        "admin:booking_appointment_move",
    ],
)
def test_its_addresses_are_what_reverse_gives(name, pk):
    assert staff_views._address(name, pk) == reverse(name, args=[pk])


def test_its_times_are_michigan_time_in_words_across_the_spring_change():
    lines = staff_views.DayLines(None, NOW)
    assert lines._clock(dt.datetime(2027, 3, 14, 6, 59, tzinfo=dt.UTC)) == "1:59 AM"  # EST
    assert lines._clock(dt.datetime(2027, 3, 14, 7, 0, tzinfo=dt.UTC)) == "3:00 AM"  # EDT
    assert lines._clock(dt.datetime(2027, 3, 15, 16, 30, tzinfo=dt.UTC)) == "12:30 PM"
