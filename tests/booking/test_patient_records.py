"""Patient records never change by anonymous input; the one-exam rule cannot be turned against a patient."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import services
from booking.models import Appointment, Patient
from booking.patients import find_or_create_patient
from intake import services as intake_services
from tests.booking.personas import NOW, make_clinic
from tests.factories.booking import PatientFactory, local
from tests.factories.intake import routine_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _book(clinic, *, email: str, phone: str, start, name: str = "Someone Else"):
    return services.book_appointment(
        site=clinic.site, type=clinic.exam, start=start, patient_name=name, patient_email=email,
        patient_phone=phone, date_of_birth=dt.date(1990, 1, 1),
    )  # fmt: skip


def test_an_anonymous_booking_with_a_known_email_changes_nothing_on_the_record():
    clinic = make_clinic()
    real = PatientFactory(
        name="Pat Real", email="pat@mail.example", phone="(248) 555-0101", date_of_birth=None
    )
    booking = _book(clinic, email="PAT@mail.example", phone="(313) 555-0199", start=local(2027, 3, 1, 9))
    real.refresh_from_db()
    assert (real.name, real.phone, real.date_of_birth) == ("Pat Real", "(248) 555-0101", None)
    # ... and what was typed is kept on the booking, for staff to see as given.
    assert (booking.given_name, booking.given_phone, booking.given_email) == (
        "Someone Else", "(313) 555-0199", "pat@mail.example",
    )  # fmt: skip
    assert booking.given_date_of_birth == dt.date(1990, 1, 1)


def test_a_stranger_using_a_patients_email_cannot_block_the_patients_own_exam():
    clinic = make_clinic()
    _book(clinic, email="pat@mail.example", phone="", start=local(2027, 3, 1, 9))  # the stranger
    own = _book(clinic, email="pat@mail.example", phone="", start=local(2027, 3, 1, 10), name="Pat Real")
    assert own.status == Appointment.Status.BOOKED
    assert own.front_desk_flag == Appointment.Flag.SECOND_EXAM


def test_a_questionnaire_with_a_known_email_changes_nothing_on_the_record():
    real = PatientFactory(name="Pat Real", email="pat@mail.example", phone="(248) 555-0101")
    intake = intake_services.submit_intake(
        answers=routine_answers(), name="Someone Else", email="pat@mail.example", phone="(313) 555-0199",
        date_of_birth=None, preferred_site=None, consent=True,
    )  # fmt: skip
    real.refresh_from_db()
    assert (real.name, real.phone) == ("Pat Real", "(248) 555-0101")
    assert intake.patient_id == real.pk and intake.phone == "(313) 555-0199"


def test_there_is_one_find_or_create_and_it_creates_from_the_details_given():
    patient = find_or_create_patient(name=" New Person ", email="New@Mail.Example", phone="1")
    assert (patient.name, patient.email) == ("New Person", "new@mail.example")
    assert find_or_create_patient(name="x", email="new@mail.example").pk == patient.pk
    assert Patient.objects.count() == 1


def _intake_for(email: str):
    return intake_services.submit_intake(
        answers=routine_answers(), name="A", email=email, phone="", date_of_birth=None,
        preferred_site=None, consent=True,
    )  # fmt: skip


def test_a_booking_links_only_the_same_patients_intake():
    clinic = make_clinic()
    other = _intake_for("b@mail.example")
    booking = services.book_appointment(
        site=clinic.site, type=clinic.exam, start=local(2027, 3, 1, 9), patient_name="A",
        patient_email="a@mail.example", intake=other,
    )  # fmt: skip
    assert booking.intake_id is None
    own = _intake_for("a2@mail.example")
    second = services.book_appointment(
        site=clinic.site, type=clinic.exam, start=local(2027, 3, 1, 10), patient_name="A",
        patient_email="a2@mail.example", intake=own,
    )  # fmt: skip
    assert second.intake_id == own.pk


def test_a_questionnaire_links_only_to_the_same_patients_appointment():
    clinic = make_clinic()
    booking = _book(clinic, email="a@mail.example", phone="", start=local(2027, 3, 1, 9))
    intake = intake_services.submit_intake(
        answers=routine_answers(), name="B", email="b@mail.example", phone="", date_of_birth=None,
        preferred_site=None, consent=True, appointment=booking,
    )  # fmt: skip
    booking.refresh_from_db()
    assert booking.intake_id is None and intake.pk
