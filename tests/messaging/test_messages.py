"""What the emails say: local times across DST, the site, contact details, links, and no health words
in any subject line."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.conf import settings

from booking.links import appointment_for_token
from care_plans.defaults import DEFAULT_PLANS
from messaging import delivery
from messaging.models import OutgoingMessage
from messaging.subjects import read
from tests.factories.booking import AppointmentFactory, SiteFactory, local
from tests.factories.care_plans import CarePlanFactory
from tests.factories.messaging import OutgoingMessageFactory

pytestmark = pytest.mark.django_db

Kind = OutgoingMessage.Kind
LIKELY_CAUSE_CODES = [
    "plantar_fasciitis", "calcaneal_stress_fracture", "heel_pad_syndrome", "nerve_entrapment",
    "achilles_tendinopathy_midportion", "achilles_tendinopathy_insertional", "retrocalcaneal_bursitis",
    "haglund_deformity", "achilles_rupture", "severs_disease", "inflammatory_enthesitis",
    "tumour_or_infection", "diabetic_foot_emergency", "dvt", "acute_fracture",
]  # fmt: skip


def condition_titles() -> set[str]:
    """The triage catalogue's condition titles (where the engine exposes them) and the cause codes."""
    titles = {code.replace("_", " ") for code in LIKELY_CAUSE_CODES}
    titles |= {plan["title"] for plan in DEFAULT_PLANS}
    for module_name in ("intake.triage.conditions", "intake.triage.likely", "intake.triage.catalogue"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, dict):
                titles |= {
                    getattr(v, "title", "")
                    for v in value.values()
                    if isinstance(getattr(v, "title", None), str)
                }
    return {title.lower() for title in titles if title}


HEALTH_WORDS = {
    "pain",
    "fracture",
    "tendon",
    "achilles",
    "fasciitis",
    "bursitis",
    "rupture",
    "injury",
    "diagnos",
}


def render(message):
    return delivery.render(message)


@pytest.fixture
def site():
    return SiteFactory(
        slug="bloomfield-hills", name="Bloomfield Hills", address="100 Example Ave", city="Bloomfield Hills",
        postcode="48302", phone="(248) 555-0100",
    )  # fmt: skip


@pytest.mark.parametrize(
    "day", [dt.date(2027, 3, 15), dt.date(2027, 11, 8)], ids=["after-spring", "after-fall"]
)
@pytest.mark.parametrize("kind", [Kind.CONFIRMATION, Kind.REMINDER, Kind.RESCHEDULED, Kind.CANCELLED])
def test_times_read_in_detroit_time_across_a_dst_change(site, day, kind):
    appointment = AppointmentFactory(site=site, start=local(day.year, day.month, day.day, 9))
    message = OutgoingMessageFactory(appointment=appointment, kind=kind, scheduled_for=appointment.start)

    email = render(message)

    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "9:00 AM" in text
        assert "Bloomfield Hills" in text and "100 Example Ave" in text
    assert "9:00 AM" in email.subject or kind == Kind.REMINDER and "today at 9:00 AM" in email.subject


def test_the_confirmation_carries_the_ics_the_manage_link_and_the_clinics_contact_details(site):
    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    email = render(OutgoingMessageFactory(appointment=appointment, kind=Kind.CONFIRMATION))

    assert email.subject == "Your appointment on Wed, Mar 10 at 9:30 AM"
    (name, ics, mimetype) = email.attachments[0]
    assert name == "appointment.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    link = re.search(rf"{re.escape(settings.SITE_URL)}/book/manage/([^/\s\"]+)/", email.body)
    assert link and appointment_for_token(link.group(1)) == appointment
    assert "(248) 555-0100" in email.body
    assert email.to == [appointment.patient.email]


def test_a_reminder_links_to_the_questionnaire_only_when_it_is_not_done(site):
    from intake.models import Intake

    without = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    reminder = OutgoingMessageFactory(
        appointment=without, kind=Kind.REMINDER, scheduled_for=local(2027, 3, 9, 9, 30)
    )
    email = render(reminder)
    assert email.subject == "Reminder: your appointment tomorrow at 9:30 AM"
    assert f"{settings.SITE_URL}/intake/for/" in email.body

    intake = Intake.objects.create(
        name="P", email="p@mail.example", answers={}, assessment={}, triage_version="t", urgency="routine",
        urgency_rank=3,
    )  # fmt: skip
    with_intake = AppointmentFactory(site=site, start=local(2027, 3, 11, 9, 30), intake=intake)
    done = OutgoingMessageFactory(
        appointment=with_intake, kind=Kind.REMINDER, scheduled_for=local(2027, 3, 11, 7, 30)
    )
    assert "/intake/for/" not in render(done).body
    assert render(done).subject == "Reminder: your appointment today at 9:30 AM"


def test_the_care_plan_email_and_its_check_in_read_as_the_patient_should(site):
    plan = CarePlanFactory(appointment=AppointmentFactory(site=site), note="Ice after runs.")
    plan.content = {**plan.content, "safety_block": "In an emergency call 911.", "call_sooner": ["A pop"]}
    plan.save()
    care = render(
        OutgoingMessageFactory(
            kind=Kind.CARE_PLAN, subject=f"care_plan:{plan.pk}", appointment=plan.appointment
        )
    )
    checkin = render(
        OutgoingMessageFactory(
            kind=Kind.CHECKIN, subject=f"care_plan:{plan.pk}", appointment=plan.appointment
        )
    )

    assert care.subject == f"Your care plan from {settings.CLINIC_NAME}"
    assert "Ice after runs." in care.body and "In an emergency call 911." in care.body
    assert "Ice massage under the arch" in care.alternatives[0][0]
    assert "Still hurting after two weeks?" in checkin.body
    assert f"{settings.SITE_URL}/book/" in checkin.body


@time_machine.travel(local(2027, 3, 1, 10), tick=False)
def test_no_subject_line_carries_a_health_detail(site):
    from intake.models import Intake

    titles = condition_titles()
    assert "plantar fasciitis" in titles
    intake = Intake.objects.create(
        name="P", email="p@mail.example", answers={}, assessment={}, triage_version="t", urgency="urgent",
        urgency_rank=1,
    )  # fmt: skip
    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    plan = CarePlanFactory(appointment=appointment)
    subjects = []
    for kind in Kind.values:
        fields = {"appointment": appointment}
        if kind in {Kind.URGENT_ALERT, Kind.ESCALATION}:
            fields["subject"] = f"intake:{intake.pk}"
            fields["recipients"] = ["desk@clinic.example"]
        if kind in {Kind.CARE_PLAN, Kind.CHECKIN}:
            fields["subject"] = f"care_plan:{plan.pk}"
        subjects.append(read(OutgoingMessageFactory(kind=kind, **fields)).subject_line)

    for subject in subjects:
        lowered = subject.lower().replace(settings.CLINIC_NAME.lower(), "")
        assert not any(title in lowered for title in titles), subject
        assert not any(word in lowered for word in HEALTH_WORDS), subject
    assert "Urgent intake waiting" in subjects


def test_every_appointment_email_names_the_time_zone_as_the_pages_do(site):
    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    for kind in (Kind.CONFIRMATION, Kind.REMINDER, Kind.RESCHEDULED):
        email = render(OutgoingMessageFactory(appointment=appointment, kind=kind))
        for text in (email.body, email.alternatives[0][0]):
            assert "Michigan time" in text and "Eastern" not in text


def _cancelled_email(appointment):
    message = OutgoingMessage.objects.get(subject=f"appointment:{appointment.pk}", kind=Kind.CANCELLED)
    email = render(message)
    return email.body, email.alternatives[0][0]


def test_a_patients_own_cancellation_has_no_manage_link_and_a_way_to_book_again(site):
    from booking import services

    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    services.cancel_appointment(appointment=appointment)
    for text in _cancelled_email(appointment):
        assert "/book/manage/" not in text and "View, reschedule or cancel" not in text
        assert "cancelled, as you asked" in text and "/book/" in text
        assert "We are sorry" not in text


def test_a_clinic_cancellation_gives_the_reason_an_apology_and_the_way_to_rebook(site):
    from booking import services
    from tests.booking.personas import front_desk_user

    desk = front_desk_user("desk")
    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    services.cancel_appointment(appointment=appointment, actor=desk, reason="The podiatrist is ill")
    body, html = _cancelled_email(appointment)
    for text in (body, html):
        assert "We are sorry: we have had to cancel your appointment" in text
        assert "The reason: The podiatrist is ill" in text
        assert "/book/manage/" not in text
        assert "/book/" in text and "(248) 555-0100" in text
    assert 'href="tel:+12485550100"' in html
