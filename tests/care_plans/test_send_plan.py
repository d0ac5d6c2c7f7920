"""Sending a care plan after a visit: the service, the page and who may use it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from booking.models import Appointment, Podiatrist
from care_plans import defaults as care_plans
from care_plans.models import CarePlan, CarePlanTemplate
from care_plans.services import CarePlanRefused, ReplaceFirst, current_plan, send_care_plan
from intake.models import Intake
from messaging.delivery import render
from messaging.models import OutgoingMessage
from tests.booking.personas import (
    front_desk_user,
    make_clinic,
    non_staff_user,
    podiatrist_user,
    staff_without_role,
)
from tests.factories.booking import AppointmentFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_care_plans")]

Kind = OutgoingMessage.Kind
SENT_AT = local(2027, 3, 10, 11)


@pytest.fixture
def podiatrist(appointment):
    """Dr. Maya, whose visit `appointment` is (a podiatrist completes only their own visits)."""
    return podiatrist_user(appointment.podiatrist, username="maya")


@pytest.fixture
def front_desk():
    return front_desk_user("alice")


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


@time_machine.travel(SENT_AT, tick=False)
def test_a_podiatrist_sees_the_page_with_the_suggested_plan_first(client, appointment, podiatrist):
    client.force_login(podiatrist)
    response = client.get(url(appointment))
    assert response.status_code == 200
    labels = [label for _, label in response.context["form"].fields["template"].choices]
    assert labels[:2] == ["Heel pad pain (suggested)", "Plantar heel pain (suggested)"]


@time_machine.travel(SENT_AT, tick=False)
def test_preview_shows_the_plan_and_note_without_sending(client, appointment, podiatrist):
    client.force_login(podiatrist)
    template = CarePlanTemplate.objects.get(slug="plantar-heel-pain")
    response = client.post(
        url(appointment), {"template": template.pk, "note": "Ice it.", "action": "preview"}
    )
    assert response.status_code == 200
    assert b"Ice massage under the arch" in response.content and b"Ice it." in response.content
    assert not CarePlan.objects.exists() and not OutgoingMessage.objects.exists()


@time_machine.travel(SENT_AT, tick=False)
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
    client.force_login(staff_without_role("bob"))
    assert client.get(url(appointment)).status_code == 403


def test_a_non_staff_account_is_refused(client, appointment):
    client.force_login(non_staff_user("charlie"))
    assert client.post(url(appointment), {"action": "send"}).status_code == 403
    assert not CarePlan.objects.exists()


def test_the_wrong_method_is_refused(client, appointment, podiatrist):
    client.force_login(podiatrist)
    assert client.put(url(appointment)).status_code == 405


def test_an_unknown_appointment_is_not_found(client, podiatrist):
    client.force_login(podiatrist)
    assert client.get(reverse("care_plans:send", args=[999999])).status_code == 404


# --- Only after a visit, only by a podiatrist, one plan per visit --------------------------------
def _send(appointment, actor, slug="achilles-tear", **kwargs):
    template = CarePlanTemplate.objects.get(slug=slug)
    return send_care_plan(appointment=appointment, template=template, note="", actor=actor, **kwargs)


def test_no_plan_before_the_visit_has_started(appointment, podiatrist):
    evening_before = time_machine.travel(local(2027, 3, 9, 16), tick=False)
    with evening_before, pytest.raises(CarePlanRefused, match="has not started yet .Wed Mar 10, 9:00 AM."):
        _send(appointment, podiatrist)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert not CarePlan.objects.exists()


def test_a_plan_may_follow_arrival_before_the_start_time(appointment, podiatrist):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.ARRIVED)
    with time_machine.travel(local(2027, 3, 10, 8, 55), tick=False):
        _send(appointment, podiatrist)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED


def test_a_no_show_gets_no_plan_and_stays_a_no_show(appointment, podiatrist):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.NO_SHOW)
    with time_machine.travel(SENT_AT, tick=False), pytest.raises(CarePlanRefused, match="no-show"):
        _send(appointment, podiatrist)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW


def test_the_front_desk_cannot_send_a_plan_by_the_service_or_by_url(client, appointment, front_desk):
    with time_machine.travel(SENT_AT, tick=False):
        with pytest.raises(CarePlanRefused, match="Only a podiatrist"):
            _send(appointment, front_desk)
        client.force_login(front_desk)
        template = CarePlanTemplate.objects.get(slug="plantar-heel-pain")
        response = client.post(url(appointment), {"template": template.pk, "action": "send"})
    assert response.status_code == 403
    assert client.get(url(appointment)).status_code == 403
    assert not CarePlan.objects.exists()


def test_completing_by_a_plan_stops_the_visits_pending_reminders(podiatrist):
    from booking import services as booking_services

    clinic = make_clinic()
    with time_machine.travel(local(2027, 3, 1, 7), tick=False):
        booked = booking_services.book_appointment(
            site=clinic.site,
            type=clinic.exam,
            start=local(2027, 3, 8, 9),
            patient_name="Rem Inder",
            patient_email="rem@mail.example",
        )
    Podiatrist.objects.filter(user=podiatrist).update(user=None)
    booked.podiatrist.user = podiatrist  # a podiatrist completes their own visits
    booked.podiatrist.save(update_fields=["user"])
    reminders = OutgoingMessage.objects.filter(subject=f"appointment:{booked.pk}", kind=Kind.REMINDER)
    assert reminders.filter(status="pending").count() == 2
    # The patient arrived early; the plan is sent before the 2-hour reminder's time would have come.
    Appointment.objects.filter(pk=booked.pk).update(status=Appointment.Status.ARRIVED)
    with time_machine.travel(local(2027, 3, 8, 6, 30), tick=False):
        _send(booked, podiatrist, slug="plantar-heel-pain")
    assert not reminders.filter(status="pending").exists()


def test_a_second_plan_asks_then_replaces_the_first_with_one_check_in(appointment, podiatrist):
    with time_machine.travel(SENT_AT, tick=False):
        first = _send(appointment, podiatrist, slug="achilles-tear")
    with time_machine.travel(SENT_AT + dt.timedelta(hours=2), tick=False):
        with pytest.raises(ReplaceFirst, match="Replace the plan sent on Wed Mar 10, 11:00 AM"):
            _send(appointment, podiatrist, slug="achilles-tendinopathy")
        assert CarePlan.objects.count() == 1
        second = _send(appointment, podiatrist, slug="achilles-tendinopathy", replace=True)
    first.refresh_from_db()
    assert second.replaces == first and first.replaced_at is not None
    check_ins = OutgoingMessage.objects.filter(kind=Kind.CHECKIN, status="pending")
    assert list(check_ins.values_list("subject", flat=True)) == [f"care_plan:{second.pk}"]
    assert current_plan(appointment) == second


def test_the_replacement_email_says_it_replaces_the_earlier_plan_and_names_the_notes_author(
    appointment, podiatrist
):
    podiatrist.first_name, podiatrist.last_name = "Maya", "Patel"
    podiatrist.save()
    podiatrist.podiatrist.name = "Maya Patel"  # her podiatrist record: the name patients know
    podiatrist.podiatrist.save(update_fields=["name"])
    with time_machine.travel(SENT_AT, tick=False):
        first = _send(appointment, podiatrist, slug="achilles-tear")
        second = send_care_plan(
            appointment=appointment,
            template=CarePlanTemplate.objects.get(slug="achilles-tendinopathy"),
            note="Heel lifts in both shoes.",
            actor=podiatrist,
            replace=True,
        )
    message = OutgoingMessage.objects.get(subject=f"care_plan:{second.pk}", kind=Kind.CARE_PLAN)
    email = render(message)
    assert f"replaces the one we sent on {first.sent_at:%a %b} 10, 11:00 AM" in email.body
    assert "A note from Maya Patel:" in email.body
    assert "Achilles tendinopathy" in email.body
    assert "updated care plan" in email.subject.lower()
    assert "achilles" not in email.subject.lower()  # no health details in the subject


def test_the_manage_link_shows_only_the_current_plan(client, appointment, podiatrist):
    from booking.links import manage_url

    with time_machine.travel(SENT_AT, tick=False):
        _send(appointment, podiatrist, slug="achilles-tear")
        _send(appointment, podiatrist, slug="achilles-tendinopathy", replace=True)
        page = client.get(manage_url(appointment, absolute=False)).content.decode()
    assert "Achilles tendinopathy" in page
    assert "Achilles tear (after diagnosis)" not in page


@time_machine.travel(SENT_AT, tick=False)
def test_the_page_asks_before_replacing_and_replaces_on_yes(client, appointment, podiatrist):
    client.force_login(podiatrist)
    first = CarePlanTemplate.objects.get(slug="achilles-tear")
    second = CarePlanTemplate.objects.get(slug="achilles-tendinopathy")
    client.post(url(appointment), {"template": first.pk, "action": "send"})
    asked = client.post(url(appointment), {"template": second.pk, "action": "send"})
    assert asked.status_code == 200
    assert "Replace the plan sent on Wed Mar 10, 11:00 AM?" in asked.content.decode()
    assert CarePlan.objects.count() == 1
    client.post(url(appointment), {"template": second.pk, "action": "send", "replace": "yes"})
    assert CarePlan.objects.count() == 2
    assert current_plan(appointment).template == second
