"""Re-triage: a policy change reaches the patients still waiting (manage.py retriage).

Intakes are written as 2026.11-1 stored them (its answers, its rules' outcome), then re-assessed
under the current policy through the real command, ledger and message delivery.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake import services, triage
from intake.models import Intake, Retriage, queue_rank
from intake.selectors import intake_queue
from intake.triage import policy_2026_11_1 as previous
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.booking.personas import client_for
from tests.factories.booking import AppointmentFactory, SiteFactory
from tests.factories.intake import routine_answers

pytestmark = pytest.mark.django_db

Kind = OutgoingMessage.Kind
# 2026.11-1 asked no S07b: a tender calf with no risk factor was routine. Now U11 (S07b not asked,
# so "not sure"), urgent.
TENDER_CALF = {"S07": "yes", "S07a": []}
# A puncture wound with fever, no diabetes: routine under 2026.11-1, E4 (emergency) now.
FEVERISH_WOUND = {"S06": "yes", "S06a": "no", "S05": "yes"}
# Load-related heel pain, new shoes the only change: U3 (urgent) then, routine now (narrowed).
NEW_SHOES_ONLY = {"B02": "heel_sides", "B05": ["new_shoes"], "C14": "a_lot", "A06": ["walking"]}


def old_intake(changes: dict[str, Any], **fields: Any) -> Intake:
    """An intake as 2026.11-1 stored it: its answers, the outcome its rules gave, its version."""
    answers = previous.validate(routine_answers(**changes))
    hits = previous.rule_hits(answers)
    level = hits[0].level.value
    return Intake.objects.create(
        name=fields.pop("name", "Pat Waiting"),
        email="pat@mail.example",
        consent_to_contact=True,
        answers=answers,
        assessment={
            "version": previous.VERSION,
            "urgency": level,
            "rules": [hit.id for hit in hits],
            "rule_details": [hit.to_dict() for hit in hits],
        },
        triage_version=previous.VERSION,
        urgency=level,
        urgency_rank=queue_rank(level),
        **fields,
    )


@pytest.fixture
def desk(db):
    return SiteFactory(slug="howell", front_desk_email="howell@clinic.example")


def retriage() -> str:
    out = StringIO()
    call_command("retriage", stdout=out)
    return out.getvalue()


def alerts(intake: Intake) -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.filter(subject=f"intake:{intake.pk}", kind=Kind.URGENT_ALERT))


def test_a_waiting_intake_that_goes_up_alerts_the_front_desk_once_over_two_runs(desk, mailoutbox):
    intake = old_intake(TENDER_CALF, preferred_site=desk)
    assert intake.urgency == "routine"

    first = retriage()
    second = retriage()
    for message in OutgoingMessage.objects.filter(kind=Kind.URGENT_ALERT):
        delivery.deliver(message.pk)
        delivery.deliver(message.pk)

    intake.refresh_from_db()
    assert (intake.urgency, intake.urgency_rank) == ("urgent", queue_rank("urgent"))
    assert intake.triage_version == triage.VERSION == "2026.12-1"
    assert intake.assessment["rules"] == ["U11"]
    assert len(alerts(intake)) == 1
    assert [m.to for m in mailoutbox] == [["howell@clinic.example"]]
    assert mailoutbox[0].subject == "Urgent intake waiting: raised by the new triage policy"
    assert "The new triage policy raised an intake sent earlier" in mailoutbox[0].body
    assert f"/admin/intake/intake/{intake.pk}/change/" in mailoutbox[0].body
    assert "Pat Waiting" not in mailoutbox[0].body  # no name, no health detail
    assert "1 raised (1 front-desk alert(s) recorded)" in first
    assert f"Intake #{intake.pk}: routine -> urgent" in first
    assert "0 waiting intake(s) re-assessed" in second
    row = Retriage.objects.get()
    assert (row.from_version, row.to_version, row.outcome) == ("2026.11-1", "2026.12-1", "raised")
    assert row.carried_forward == ["S07b"]
    assert row.previous_assessment["rules"] == ["R1"]


def test_a_raised_intake_moves_up_the_queue(desk):
    waiting_longer = old_intake({}, name="Waiting Longer")
    raised = old_intake(FEVERISH_WOUND, name="Feverish Wound")
    Intake.objects.filter(pk=waiting_longer.pk).update(submitted_at=timezone.now() - dt.timedelta(hours=3))
    assert list(intake_queue()) == [waiting_longer, raised]  # both routine: longest waiting first

    retriage()

    assert list(intake_queue()) == [raised, waiting_longer]
    raised.refresh_from_db()
    assert raised.urgency == "emergency" and raised.assessment["rules"][0] == "E4"


def test_a_reviewed_intake_with_an_appointment_ahead_goes_back_to_the_queue_when_raised(desk):
    reviewer = User.objects.create_user("frankie", "frankie@clinic.example", "pw", is_staff=True)
    intake = old_intake(FEVERISH_WOUND, preferred_site=desk)
    services.mark_reviewed(intake=intake, user=reviewer)
    AppointmentFactory(intake=intake, start=timezone.now() + dt.timedelta(days=3))

    retriage()

    intake.refresh_from_db()
    assert intake.urgency == "emergency"
    assert (intake.status, intake.reviewed_at, intake.reviewed_by) == (Intake.Status.NEW, None, None)
    row = intake.retriages.get()
    assert row.previous_status == Intake.Status.REVIEWED
    assert row.previous_reviewed_by == reviewer and row.previous_reviewed_at is not None
    assert len(alerts(intake)) == 1


def test_a_reviewed_intake_with_a_past_appointment_is_left_alone(desk):
    reviewer = User.objects.create_user("frankie", "frankie@clinic.example", "pw", is_staff=True)
    intake = old_intake(FEVERISH_WOUND, preferred_site=desk)
    services.mark_reviewed(intake=intake, user=reviewer)
    AppointmentFactory(intake=intake, start=timezone.now() - dt.timedelta(days=2))
    AppointmentFactory(intake=intake, start=timezone.now() + dt.timedelta(days=2), status="cancelled")
    before = Intake.objects.values().get(pk=intake.pk)

    assert "0 waiting intake(s) re-assessed" in retriage()

    assert Intake.objects.values().get(pk=intake.pk) == before
    assert not Retriage.objects.exists()
    assert alerts(intake) == []


def test_where_the_level_would_go_down_nothing_changes_for_the_patient(desk):
    intake = old_intake(NEW_SHOES_ONLY, preferred_site=desk)
    assert intake.urgency == "urgent"
    before = Intake.objects.values().get(pk=intake.pk)

    out = retriage()

    assert Intake.objects.values().get(pk=intake.pk) == before
    row = intake.retriages.get()
    assert (row.outcome, row.from_urgency, row.to_urgency) == ("lower", "urgent", "routine")
    assert "1 would be lower (kept as they were)" in out
    assert alerts(intake) == []
    # Not looked at again on the next run.
    assert "0 waiting intake(s)" in retriage()


def test_the_same_level_changes_nothing_and_sends_nothing(desk):
    intake = old_intake({"D06": "yes"}, preferred_site=desk)  # U9 then and now
    retriage()
    row = intake.retriages.get()
    assert row.outcome == "same"
    intake.refresh_from_db()
    assert intake.triage_version == "2026.11-1"
    assert alerts(intake) == []


def test_an_intake_sent_under_the_current_policy_is_not_re_triaged(desk):
    answers = routine_answers(**TENDER_CALF, S07b="no")
    intake = services.submit_intake(
        answers=answers,
        name="Pat Current",
        email="pat@mail.example",
        phone="",
        date_of_birth=None,
        preferred_site=desk,
        consent=True,
    )
    assert "0 waiting intake(s)" in retriage()
    assert not intake.retriages.exists()


def test_the_intake_page_shows_both_versions_reasons(desk, front_desk):
    raised = old_intake(TENDER_CALF, preferred_site=desk)
    kept = old_intake(NEW_SHOES_ONLY, preferred_site=desk)
    retriage()
    client = client_for(front_desk)

    page = client.get(reverse("admin:intake_intake_change", args=[raised.pk])).content.decode()
    assert "Re-triage under policy 2026.12-1: Level raised" in page
    assert "Rules under policy 2026.11-1" in page and "Rules under policy 2026.12-1" in page
    assert "U11 (urgent)" in page and "R1 (routine)" in page
    assert "counted as “Not sure”" in page and triage.ITEMS_BY_ID["S07b"].question in page
    assert "The front desk was alerted." in page

    page = client.get(reverse("admin:intake_intake_change", args=[kept.pk])).content.decode()
    assert "Would be lower: kept as it was" in page
    assert "U3 (urgent)" in page and "R1 (routine)" in page
    assert "nothing changed for the patient" in page


def test_an_intake_whose_answers_no_longer_fit_is_reported_and_the_command_fails(desk):
    broken = old_intake({}, preferred_site=desk)
    Intake.objects.filter(pk=broken.pk).update(answers={**broken.answers, "Z99": "yes"})
    fine = old_intake(TENDER_CALF, preferred_site=desk)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("retriage", stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert f"Intake #{broken.pk} could not be re-assessed: Z99: not a question" in err.getvalue()
    assert fine.retriages.get().outcome == "raised"


def test_a_second_run_racing_the_first_finds_nothing_to_claim(desk):
    intake = old_intake(TENDER_CALF, preferred_site=desk)
    assert services.retriage_intake(intake_id=intake.pk) is not None
    assert services.retriage_intake(intake_id=intake.pk) is None
    assert len(alerts(intake)) == 1
