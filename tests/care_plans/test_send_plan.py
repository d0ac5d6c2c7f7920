"""Sending a care plan after a visit: the service, the page and who may use it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from booking.models import Appointment
from care_plans import defaults as care_plans
from care_plans.models import CarePlan, CarePlanTemplate
from care_plans.services import CarePlanRefused, send_care_plan
from intake.models import Intake
from messaging.models import OutgoingMessage
from tests.factories.booking import AppointmentFactory, local
from tests.roles import staff_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_care_plans")]

Kind = OutgoingMessage.Kind
SENT_AT = local(2027, 3, 10, 11)


def staff(username: str, group: str | None) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    if group:
        user.groups.add(staff_group(group))
    return user


@pytest.fixture
def podiatrist():
    return staff("maya", "Podiatrist")


@pytest.fixture
def front_desk():
    return staff("alice", "Front desk")


@pytest.fixture
def appointment():
    intake = Intake.objects.create(
        name="Pat", email="pat@mail.example", answers={}, triage_version="t", urgency="soon", urgency_rank=2,
        assessment={"likely_conditions": [{"code": "heel_pad_syndrome"}, {"code": "plantar_fasciitis"}]},
    )  # fmt: skip
    return AppointmentFactory(start=local(2027, 3, 10, 9), intake=intake)


def url(appointment):
    return reverse("care_plans:send", args=[appointment.pk])


def test_the_default_plans_are_seeded_and_never_suggest_cortisone():
    assert CarePlanTemplate.objects.count() == len(care_plans.DEFAULT_PLANS) == 10
    for template in CarePlanTemplate.objects.all():
        text = str(template.phases).lower()
        assert "cortisone" not in text and "steroid" not in text
        assert template.call_sooner == care_plans.CALL_SOONER


def test_plans_are_suggested_from_the_intakes_likely_causes_in_rank_order():
    templates = list(CarePlanTemplate.objects.all())
    ordered = care_plans.suggest(templates, ["heel_pad_syndrome", "plantar_fasciitis"])
    assert [t.slug for t in ordered[:2]] == ["heel-pad-pain", "plantar-heel-pain"]


@time_machine.travel(SENT_AT, tick=False)
def test_sending_completes_the_visit_snapshots_the_plan_and_records_the_email_and_the_check_in(
    appointment, podiatrist
):
    template = CarePlanTemplate.objects.get(slug="plantar-heel-pain")

    plan = send_care_plan(appointment=appointment, template=template, note="Night splint.", actor=podiatrist)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    assert plan.content["title"] == "Plantar heel pain" and "911" in plan.content["safety_block"]
    messages = {m.kind: m for m in OutgoingMessage.objects.filter(subject=f"care_plan:{plan.pk}")}
    assert messages[Kind.CARE_PLAN].scheduled_for == SENT_AT
    assert messages[Kind.CHECKIN].scheduled_for == SENT_AT + dt.timedelta(days=14)
    # Later edits to the template do not change what was sent.
    template.title = "Edited"
    template.save()
    plan.refresh_from_db()
    assert plan.content["title"] == "Plantar heel pain"


def test_a_cancelled_visit_gets_no_plan(appointment, podiatrist):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    with pytest.raises(CarePlanRefused):
        send_care_plan(
            appointment=appointment, template=CarePlanTemplate.objects.first(), note="", actor=podiatrist
        )
    assert not CarePlan.objects.exists()


@pytest.mark.parametrize("persona", ["podiatrist", "front_desk"])
def test_staff_see_the_page_with_the_suggested_plan_first(client, appointment, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(appointment))
    assert response.status_code == 200
    labels = [label for _, label in response.context["form"].fields["template"].choices]
    assert labels[:2] == ["Heel pad pain (suggested)", "Plantar heel pain (suggested)"]


def test_preview_shows_the_plan_and_note_without_sending(client, appointment, podiatrist):
    client.force_login(podiatrist)
    template = CarePlanTemplate.objects.get(slug="plantar-heel-pain")
    response = client.post(
        url(appointment), {"template": template.pk, "note": "Ice it.", "action": "preview"}
    )
    assert response.status_code == 200
    assert b"Ice massage under the arch" in response.content and b"Ice it." in response.content
    assert not CarePlan.objects.exists() and not OutgoingMessage.objects.exists()


def test_send_sends_and_comes_back_to_the_page(client, appointment, podiatrist):
    client.force_login(podiatrist)
    template = CarePlanTemplate.objects.get(slug="plantar-heel-pain")
    response = client.post(url(appointment), {"template": template.pk, "note": "", "action": "send"})
    assert response.status_code == 302 and response["Location"] == url(appointment)
    assert CarePlan.objects.get().sent_by == podiatrist
    assert OutgoingMessage.objects.filter(kind__in=[Kind.CARE_PLAN, Kind.CHECKIN]).count() == 2


def test_an_anonymous_visitor_is_sent_to_log_in(client, appointment):
    response = client.get(url(appointment))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_staff_user_without_a_clinical_role_is_refused(client, appointment):
    client.force_login(staff("bob", None))
    assert client.get(url(appointment)).status_code == 403


def test_a_non_staff_account_is_refused(client, appointment):
    client.force_login(User.objects.create_user("charlie", password="x"))
    assert client.post(url(appointment), {"action": "send"}).status_code == 403
    assert not CarePlan.objects.exists()


def test_the_wrong_method_is_refused(client, appointment, podiatrist):
    client.force_login(podiatrist)
    assert client.put(url(appointment)).status_code == 405


def test_an_unknown_appointment_is_not_found(client, podiatrist):
    client.force_login(podiatrist)
    assert client.get(reverse("care_plans:send", args=[999999])).status_code == 404
