"""An emergency or urgent intake alerts the front desk at once and escalates if unreviewed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import transaction

from booking.models import Podiatrist
from intake import notices
from intake.models import Intake
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import ClosureFactory, PodiatristFactory, SiteFactory, local

pytestmark = pytest.mark.django_db

Kind, Status = OutgoingMessage.Kind, OutgoingMessage.Status
SUBMITTED = local(2027, 3, 10, 10)


def submit(*, urgency="urgent", site=None) -> Intake:
    with transaction.atomic():
        intake = Intake.objects.create(
            name="Pat Example",
            email="pat@mail.example",
            preferred_site=site,
            consent_to_contact=True,
            answers={"A01": 40},
            assessment={"urgency": urgency, "likely_conditions": []},
            triage_version="test",
            urgency=urgency,
            urgency_rank=1,
        )
        notices.intake_submitted(intake)
    return intake


@pytest.fixture
def sites():
    return [
        SiteFactory(slug="bloomfield-hills", front_desk_email="bloomfield@clinic.example"),
        SiteFactory(slug="howell", front_desk_email="howell@clinic.example"),
    ]


@time_machine.travel(SUBMITTED, tick=False)
def test_an_urgent_intake_alerts_its_sites_front_desk_now_and_schedules_one_escalation(sites):
    PodiatristFactory(email="oncall@clinic.example", is_on_call=True)
    intake = submit(site=sites[1])

    alert = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.URGENT_ALERT)
    assert alert.recipients == ["howell@clinic.example"]
    assert alert.scheduled_for == SUBMITTED
    escalation = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.ESCALATION)
    assert escalation.scheduled_for == local(2027, 3, 10, 10, 30)
    assert escalation.recipients == ["howell@clinic.example", "oncall@clinic.example"]


@time_machine.travel(SUBMITTED, tick=False)
def test_an_emergency_with_no_site_chosen_alerts_both_front_desks(sites):
    intake = submit(urgency="emergency")

    alert = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.URGENT_ALERT)
    assert alert.recipients == ["bloomfield@clinic.example", "howell@clinic.example"]


@pytest.mark.parametrize("urgency", ["soon", "routine"])
def test_a_soon_or_routine_intake_alerts_nobody(sites, urgency):
    submit(urgency=urgency)
    assert not OutgoingMessage.objects.exists()


def test_an_urgent_intake_produces_exactly_one_alert_email(sites, mailoutbox):
    with time_machine.travel(SUBMITTED, tick=False):
        intake = submit(site=sites[0])
        alert = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.URGENT_ALERT)
        delivery.deliver(alert.pk)
        delivery.deliver(alert.pk)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.subject == "Urgent intake waiting"
    assert email.body.startswith("An urgent intake (#")
    assert f"/admin/intake/intake/{intake.pk}/change/" in email.body
    # Says only that it is waiting: no answers, no outcome details, no name.
    assert "Pat Example" not in email.body
    assert "40" not in email.body.replace(str(intake.pk), "")


def test_an_emergency_alert_says_emergency_not_urgent(sites, mailoutbox):
    with time_machine.travel(SUBMITTED, tick=False):
        intake = submit(urgency="emergency", site=sites[0])
        alert = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.URGENT_ALERT)
        delivery.deliver(alert.pk)
    (email,) = mailoutbox
    assert email.subject == "Emergency intake waiting"
    assert email.body.startswith(f"An emergency intake (#{intake.pk}) is waiting for review.")
    assert "urgent" not in email.subject.lower() and "Pat Example" not in email.body


def test_the_escalation_is_skipped_when_the_intake_was_reviewed_in_time(sites, mailoutbox):
    with time_machine.travel(SUBMITTED, tick=False):
        intake = submit(site=sites[0])
    with time_machine.travel(local(2027, 3, 10, 10, 20), tick=False):
        Intake.objects.filter(pk=intake.pk).update(
            reviewed_at=local(2027, 3, 10, 10, 20), reviewed_by=User.objects.create(username="desk")
        )
    escalation = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.ESCALATION)
    with time_machine.travel(local(2027, 3, 10, 10, 31), tick=False):
        assert delivery.deliver(escalation.pk).status == Status.SKIPPED

    assert mailoutbox == []


def test_the_escalation_goes_when_the_intake_is_still_unreviewed(sites, mailoutbox):
    with time_machine.travel(SUBMITTED, tick=False):
        intake = submit(site=sites[0])
    escalation = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.ESCALATION)
    with time_machine.travel(local(2027, 3, 10, 10, 29), tick=False):
        assert delivery.deliver(escalation.pk).status == "nothing to claim"  # not due yet
    with time_machine.travel(local(2027, 3, 10, 10, 31), tick=False):
        assert delivery.deliver(escalation.pk).status == Status.SENT

    assert [m.subject for m in mailoutbox] == ["Still unreviewed: urgent intake waiting"]


def test_the_escalation_waits_out_a_holiday_at_the_chosen_site(sites):
    ClosureFactory(site=sites[0], date=dt.date(2027, 3, 11), reason="Holiday")
    with time_machine.travel(local(2027, 3, 10, 16, 50), tick=False):
        intake = submit(site=sites[0])

    escalation = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.ESCALATION)
    assert escalation.scheduled_for == local(2027, 3, 12, 8, 20)  # 10 min Wednesday, 20 on Friday


def test_the_escalation_goes_to_whoever_is_on_call_when_it_is_sent(sites, mailoutbox):
    friday = PodiatristFactory(email="friday.oncall@clinic.example", is_on_call=True)
    with time_machine.travel(local(2027, 3, 12, 16, 45), tick=False):
        intake = submit(site=sites[0])
    escalation = OutgoingMessage.objects.get(subject=f"intake:{intake.pk}", kind=Kind.ESCALATION)
    assert escalation.recipients == ["bloomfield@clinic.example", "friday.oncall@clinic.example"]

    # Over the weekend the rota changes.
    Podiatrist.objects.filter(pk=friday.pk).update(is_on_call=False)
    PodiatristFactory(email="monday.oncall@clinic.example", is_on_call=True)
    with time_machine.travel(local(2027, 3, 15, 8, 16), tick=False):
        assert delivery.deliver(escalation.pk).status == Status.SENT

    assert [m.to for m in mailoutbox] == [["bloomfield@clinic.example", "monday.oncall@clinic.example"]]
    escalation.refresh_from_db()
    assert escalation.recipients == mailoutbox[0].to
