"""A caller on the phone: booked without an email, found by name, phone or date of birth."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from booking import services
from booking.callers import find_callers
from booking.models import Appointment, Patient
from messaging.models import OutgoingMessage
from tests.booking.personas import DAY, NOW
from tests.booking.test_admin_booking import BOOK, NINE, _book_url, _details
from tests.factories.booking import PatientFactory, local
from tests.factories.intake import IntakeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]


def _messages_for(appointment: Appointment) -> int:
    return OutgoingMessage.objects.filter(subject=f"appointment:{appointment.pk}").count()


def test_the_front_desk_books_a_caller_without_email_and_no_email_is_owed(client, fran, clinic):
    response = client.post(
        _book_url(clinic), _details(clinic, clinic.sole, NINE, patient_email=""), follow=True
    )
    appointment = Appointment.objects.get()
    assert appointment.patient.email is None
    assert _messages_for(appointment) == 0  # no confirmation, no reminders
    page = response.content.decode()
    assert "No email: call to confirm" in page  # the message and the appointment page say so
    assert "UTC" not in page


def test_two_callers_without_email_are_two_patients(client, fran, clinic):
    client.post(_book_url(clinic), _details(clinic, clinic.sole, NINE, patient_email="", idempotency_key="a"))
    client.post(
        _book_url(clinic),
        _details(
            clinic, clinic.heel, NINE, patient_email="", patient_name="Second Caller", idempotency_key="b"
        ),
    )
    assert Patient.objects.filter(email__isnull=True).count() == 2


def test_moving_and_cancelling_a_booking_without_email_sends_nothing(fran, clinic):
    appointment = services.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=NINE,
        podiatrist=clinic.sole,
        patient_name="Quiet Caller",
        patient_email="",
        actor=fran,
        now=NOW,
    )
    moved = services.reschedule_appointment(
        appointment=appointment, start=local(2027, 3, 2, 10), site=clinic.other_site, actor=fran, now=NOW
    )
    services.cancel_appointment(appointment=moved, actor=fran, now=NOW)
    assert _messages_for(appointment) == 0


def _book_online(clinic, **who):
    return services.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=local(2027, 3, 3, 9),
        patient_name="Web Visitor",
        now=NOW,
        **who,
    )


def test_a_patient_online_must_give_an_email(clinic):
    with pytest.raises(services.BookingRefused, match="Enter an email"):
        _book_online(clinic, patient_email="  ")
    assert not Appointment.objects.exists()


def test_a_patient_online_cannot_book_for_someone_on_file(clinic):
    with pytest.raises(services.BookingRefused, match="Only the clinic"):
        _book_online(clinic, patient_email="web@mail.example", patient=PatientFactory())


def test_the_lookup_finds_a_patient_by_name_phone_or_date_of_birth(clinic):
    ann = PatientFactory(name="Ann Archer", phone="(248) 555-0111", date_of_birth=dt.date(1970, 4, 5))
    PatientFactory(name="Bo Baker", phone="(517) 555-0177", date_of_birth=dt.date(1990, 1, 1))
    for text in (
        "ann arch",
        "archer",
        "555-0111",
        "2485550111",
        "(248) 555 0111",
        "04/05/1970",
        "1970-04-05",
    ):
        assert [c.patient_id for c in find_callers(text)] == [ann.pk], text
    assert find_callers("x") == []


def test_the_lookup_finds_a_questionnaire_not_yet_booked(clinic):
    intake = IntakeFactory(name="Ivy Intake", phone="(517) 555-0166", level="urgent")
    (match,) = find_callers("5550166")
    assert match.intake_id == intake.pk
    assert match.source.startswith("Questionnaire (urgent), ")


def test_book_for_this_caller_fills_the_form_and_books_the_patient_on_file(client, fran, clinic):
    ann = PatientFactory(name="Ann Archer", email=None, phone="(248) 555-0111")
    page = client.get(reverse(BOOK), {"find": "Archer"})
    (row,) = page.context["callers"]
    assert "patient=" in row.use_url
    form = client.get(row.use_url).context["details"]
    assert form.initial["patient_name"] == "Ann Archer"
    assert form.initial["patient"] == ann.pk

    data = _details(clinic, clinic.sole, NINE, patient_name="Ann Archer", patient_email="", patient=ann.pk)
    client.post(_book_url(clinic, patient=ann.pk), data)
    appointment = Appointment.objects.get()
    assert appointment.patient == ann
    assert Patient.objects.count() == 1


def test_a_questionnaire_found_by_the_lookup_is_linked_to_the_booking(client, fran, clinic):
    intake = IntakeFactory(name="Ivy Intake", email="ivy@mail.example")
    (row,) = client.get(reverse(BOOK), {"find": "Ivy"}).context["callers"]
    assert f"intake={intake.pk}" in row.use_url
    client.post(
        _book_url(clinic, intake=intake.pk),
        _details(clinic, clinic.sole, NINE, patient_name="Ivy Intake", patient_email="ivy@mail.example"),
    )
    assert Appointment.objects.get().intake == intake


def test_the_first_visit_shows_no_errors_and_errors_sit_under_their_field(client, fran, clinic):
    first = client.get(reverse(BOOK), {"site": clinic.site.pk, "date": DAY.isoformat()}).content.decode()
    assert "This field is required." not in first
    assert f'<option value="{clinic.site.pk}" selected>' in first  # the day view's site carried over

    missing_type = client.get(
        reverse(BOOK), {"site": clinic.site.pk, "date": DAY.isoformat(), "type": ""}
    ).content.decode()
    # The error follows the appointment type's field, not the site's.
    type_field = missing_type.index('name="type"')
    error = missing_type.index("This field is required.")
    assert missing_type.index('name="site"') < type_field < error < missing_type.index('name="podiatrist"')
