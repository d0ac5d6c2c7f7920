"""submit_intake, mark_reviewed, mark_contacted, reassess, record_staff_view."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from booking.models import Patient
from intake import services, triage
from intake.models import Intake
from messaging.models import OutgoingMessage
from tests.factories.booking import AppointmentFactory, PatientFactory, SiteFactory
from tests.factories.intake import IntakeFactory, emergency_answers, routine_answers, urgent_answers

pytestmark = pytest.mark.django_db


def _submit(**overrides):
    kwargs = {
        "answers": routine_answers(),
        "name": "Robin Sample",
        "email": "Robin.Sample@Mail.Example",
        "phone": "(248) 555-0142",
        "date_of_birth": dt.date(1980, 4, 2),
        "preferred_site": None,
        "consent": True,
    }
    return services.submit_intake(**{**kwargs, **overrides})


def test_it_stores_the_answers_and_the_engines_outcome():
    intake = _submit()
    intake.refresh_from_db()
    expected = triage.assess(triage.validate(routine_answers()))
    assert intake.urgency == "routine" == expected.urgency
    assert intake.urgency_rank == 3
    assert intake.assessment == expected.to_dict()
    assert intake.triage_version == str(triage.VERSION)
    assert intake.answers == triage.validate(routine_answers())
    assert intake.status == Intake.Status.NEW
    assert intake.consent_to_contact is True


@pytest.mark.parametrize(
    ("answers", "urgency", "rank"),
    [(urgent_answers(), "urgent", 1), (emergency_answers(), "emergency", 0)],
    ids=["urgent", "emergency"],
)
def test_it_ranks_urgent_and_emergency_outcomes_first(answers, urgency, rank):
    intake = _submit(answers=answers)
    assert (intake.urgency, intake.urgency_rank) == (urgency, rank)


def test_it_finds_or_creates_the_patient_by_lower_cased_email():
    existing = PatientFactory(email="robin.sample@mail.example", name="Robin S.")
    intake = _submit()
    assert intake.patient == existing
    assert intake.email == "robin.sample@mail.example"
    other = _submit(email="New.Person@Mail.Example", name="New Person")
    assert other.patient.email == "new.person@mail.example"
    assert other.patient.name == "New Person"
    assert Patient.objects.count() == 2


def test_it_links_the_appointment_when_given():
    appointment = AppointmentFactory(patient=PatientFactory(email="robin.sample@mail.example"))
    intake = _submit(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.intake == intake


def test_it_refuses_invalid_answers_listing_every_problem_and_stores_nothing():
    answers = routine_answers(A01=500, B01="middle")
    del answers["B02"]
    with pytest.raises(triage.InvalidAnswers) as caught:
        _submit(answers=answers)
    assert len(caught.value.problems) >= 3
    assert Intake.objects.count() == 0


def test_it_refuses_without_consent():
    with pytest.raises(ValidationError):
        _submit(consent=False)
    assert Intake.objects.count() == 0


def test_it_tells_the_notifications_inside_its_transaction():
    with mock.patch("intake.notices.intake_submitted") as told:
        intake = _submit(answers=urgent_answers())
    told.assert_called_once_with(intake)


def test_it_rolls_back_when_the_notification_fails():
    with (
        mock.patch("intake.notices.intake_submitted", side_effect=RuntimeError("ledger down")),
        pytest.raises(RuntimeError),
    ):
        _submit()
    assert Intake.objects.count() == 0
    assert Patient.objects.count() == 0


def test_submitting_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    PatientFactory(email="robin.sample@mail.example")
    appointment = AppointmentFactory()
    with django_assert_max_num_queries(8):
        _submit(appointment=appointment)


def test_mark_reviewed_records_who_and_when_once(front_desk, podiatrist_user):
    intake = IntakeFactory()
    with time_machine.travel(dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC), tick=False):
        assert services.mark_reviewed(intake=intake, user=front_desk) is True
    assert services.mark_reviewed(intake=intake, user=podiatrist_user) is False
    intake.refresh_from_db()
    assert intake.status == Intake.Status.REVIEWED
    assert intake.reviewed_by == front_desk
    assert intake.reviewed_at == dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


def test_mark_contacted_records_who_and_when_and_implies_a_review(front_desk):
    intake = IntakeFactory()
    with time_machine.travel(dt.datetime(2027, 3, 1, 16, 0, tzinfo=dt.UTC), tick=False):
        assert services.mark_contacted(intake=intake, user=front_desk) is True
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CONTACTED
    assert (intake.contacted_by, intake.reviewed_by) == (front_desk, front_desk)
    assert intake.contacted_at == intake.reviewed_at == dt.datetime(2027, 3, 1, 16, 0, tzinfo=dt.UTC)
    assert services.mark_contacted(intake=intake, user=front_desk) is False


def test_reviewing_after_contact_keeps_the_status_contacted(front_desk, podiatrist_user):
    intake = IntakeFactory()
    services.mark_reviewed(intake=intake, user=front_desk)
    services.mark_contacted(intake=intake, user=podiatrist_user)
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CONTACTED
    assert intake.reviewed_by == front_desk
    assert intake.contacted_by == podiatrist_user


def test_reassess_uses_the_current_version_and_leaves_the_stored_outcome():
    intake = IntakeFactory(triage_version="0.0-old", urgency="soon", urgency_rank=2)
    current = services.reassess(intake=intake)
    assert current.version == triage.VERSION
    assert current.urgency == "routine"
    intake.refresh_from_db()
    assert (intake.urgency, intake.triage_version) == ("soon", "0.0-old")


@pytest.mark.parametrize(
    ("changes", "rule", "urgency"),
    [
        (
            {"B02": "midportion", "B03": "sudden", "B04": "lt_1w", "C16": "yes", "C15": "weak"},
            "E7",
            "emergency",
        ),
        ({"B02": "insertion", "B03": "sudden", "C18": "back_of_ankle"}, "U10", "urgent"),
        ({"S07": "unsure", "S07a": [], "S07b": "unsure"}, "U11", "urgent"),
        ({"S03": "yes", "E01": [], "S04": ["red"], "S04a": "larger_area"}, "U12", "urgent"),
    ],
    ids=["E7", "U10", "U11", "U12"],
)
def test_the_new_urgent_and_emergency_rules_alert_the_front_desk(changes, rule, urgency):
    SiteFactory(front_desk_email="desk@clinic.example")
    intake = _submit(answers=routine_answers(**changes))
    assert intake.urgency == urgency and rule in intake.assessment["rules"]
    alert = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=OutgoingMessage.Kind.URGENT_ALERT)
    assert alert.recipients == ["desk@clinic.example"]
