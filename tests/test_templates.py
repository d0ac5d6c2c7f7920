"""Every template of the project compiles and every include or parent it names exists; the emails,
the intake pages, the patient's booking pages and the staff pages (day view, today list, pre-visit
summary, care-plan page) render with realistic data and no missing variable.

A variable a template prints but its context lacks renders as `string_if_invalid` (set here to a
marker), so a renamed context key fails this test instead of printing nothing to a patient.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import Client
from django.urls import reverse

from booking.forms import SlotChoice
from booking.links import make_manage_token
from booking.models import Appointment
from care_plans.models import CarePlanTemplate
from care_plans.services import plan_content, send_care_plan
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.booking import personas
from tests.booking.test_booking_views import details_post, intake_for
from tests.booking.test_services import make_clinic as make_patient_clinic
from tests.factories.booking import AppointmentFactory, PatientFactory, SiteFactory, local
from tests.factories.care_plans import CarePlanFactory
from tests.factories.intake import IntakeFactory
from tests.factories.messaging import OutgoingMessageFactory
from tests.intake.test_templates import _contexts as intake_contexts
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_without_booking
from waitlist import services

ROOT = Path(settings.BASE_DIR) / "templates"
MISSING = "MISSING-VARIABLE<%s>"
Kind = OutgoingMessage.Kind


def missing_variables(html: str) -> list[str]:
    """The names of the variables a page printed as the marker (escaped or not)."""
    return sorted(set(re.findall(r"MISSING-VARIABLE(?:<|&lt;)(.*?)(?:>|&gt;)", html)))


def every_template() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in ROOT.rglob("*") if path.suffix in {".html", ".txt"})


def named_templates(node_list) -> list[str]:
    """The constant names of the templates a template includes or extends."""
    names = []
    for node in node_list:
        if isinstance(node, ExtendsNode | IncludeNode):
            target = node.parent_name if isinstance(node, ExtendsNode) else node.template
            if getattr(target, "var", None) is not None and isinstance(target.var, str):
                names.append(target.var)
        for attr in getattr(node, "child_nodelists", ()):
            names.extend(named_templates(getattr(node, attr, None) or []))
        if isinstance(node, ExtendsNode):
            names.extend(named_templates(node.nodelist))
    return names


@pytest.fixture
def strict_templates(settings):
    """Missing variables print a marker the test looks for."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates  # Django rebuilds its engines on the change, and again after


@pytest.mark.parametrize("name", every_template())
def test_every_template_compiles_and_what_it_includes_or_extends_exists(name):
    template = get_template(name).template
    for target in named_templates(template.nodelist):
        assert get_template(target), f"{name} names {target}"


def test_the_walk_finds_includes_and_parents():
    names = named_templates(get_template("intake/outcome.html").template.nodelist)
    assert "base.html" in names and "intake/includes/safety_net.html" in names


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [k for k in Kind.values if k != Kind.WAITLIST_OFFER])
def test_every_email_renders_with_no_missing_variable(strict_templates, kind):
    site = SiteFactory(name="Howell", address="1 Example Way", city="Howell", phone="(517) 555-0100")
    appointment = AppointmentFactory(site=site, start=local(2027, 3, 10, 9, 30))
    fields = {"appointment": appointment, "scheduled_for": local(2027, 3, 9, 9, 30)}
    if kind in {Kind.URGENT_ALERT, Kind.ESCALATION}:
        intake = IntakeFactory(level="urgent", preferred_site=site)
        fields |= {"subject": f"intake:{intake.pk}", "recipients": ["desk@clinic.example"]}
    if kind in {Kind.CARE_PLAN, Kind.CHECKIN}:
        plan = CarePlanFactory(appointment=appointment)
        plan.content = plan_content(plan.template)  # what a sent plan holds
        plan.save()
        fields["subject"] = f"care_plan:{plan.pk}"

    email = delivery.render(OutgoingMessageFactory(kind=kind, **fields))

    for part in (email.subject, email.body, email.alternatives[0][0]):
        assert "MISSING-VARIABLE" not in part, part


@pytest.mark.django_db
def test_the_waitlist_offer_email_renders_with_no_missing_variable(strict_templates, settings):
    settings.WAITLIST_BATCH_SIZE = 3
    with time_machine.travel(NOW, tick=False):
        clinic = make()
        alice = book(clinic, "alice", FREED)
        wait_without_booking(clinic, "bea")
        (offer,) = services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)
        message = OutgoingMessage.objects.get(subject=f"waitlist_offer:{offer.pk}")
        email = delivery.render(message)

    for part in (email.subject, email.body, email.alternatives[0][0]):
        assert "MISSING-VARIABLE" not in part, part


@pytest.mark.django_db
def test_the_intake_pages_render_with_no_missing_variable(strict_templates):
    sites = [
        SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills", phone="(248) 555-0100"),
        SiteFactory(slug="howell", name="Howell", phone="(517) 555-0100"),
    ]
    request, contexts = intake_contexts(sites)
    # The check page shows every contact field the contact step saves.
    contexts["check.html"]["contact"] |= {"email": "robin@mail.example", "phone": "", "date_of_birth": ""}
    contexts["check.html"]["date_of_birth"] = "March 4, 1980"  # the view words it
    missing = {}
    for name, context in contexts.items():
        html = render_to_string(f"intake/{name}", context, request=request)
        found = missing_variables(html)
        if found:
            missing[name] = found
    assert missing == {}


def _pages_render_with_no_missing_variable(requests) -> set[str]:
    """Make each (client, method, url, data, expected status) request; fail on a missing variable.

    Returns the names of the templates the responses rendered."""
    missing, wrong_status, rendered = {}, [], set()
    for client, method, url, data, status in requests:
        response = getattr(client, method)(url, data)
        if response.status_code != status:
            wrong_status.append((method, url, response.status_code))
            continue
        rendered |= {t.name for t in response.templates if t.name}
        found = missing_variables(response.content.decode())
        if found:
            missing[f"{method.upper()} {url}"] = found
    assert wrong_status == []
    assert missing == {}
    return rendered


PATIENT_BOOKING_TEMPLATES = {
    str(path.relative_to(ROOT))
    for path in (ROOT / "booking").glob("*.html")  # the staff's are under booking/staff/
}


@pytest.mark.django_db
def test_the_patients_booking_pages_render_with_no_missing_variable(strict_templates):
    now = local(2027, 3, 8, 9)  # Monday
    wednesday = local(2027, 3, 10, 9, 30)
    with time_machine.travel(now, tick=False):
        clinic = make_patient_clinic(holds=["10:00"], podiatrists=2)
        site, exam = clinic["site"], clinic["exam"]
        patient = Client()  # books, then holds the manage link
        slot = SlotChoice(site_id=site.pk, podiatrist_id=None, start=wednesday).value
        search = {"site": site.pk, "type": exam.pk, "podiatrist": "any", "day": "2027-03-10"}
        patient.get(reverse("booking:details"), {"slot": slot, "type": exam.pk})  # remembers a key
        key = patient.session["booking_keys"][-1]
        booked = patient.post(reverse("booking:details"), details_post(clinic, idempotency_key=key))
        assert booked.status_code == 302, booked.status_code
        appointment = Appointment.objects.get()
        token = make_manage_token(appointment)
        urgent = Client()  # after an urgent questionnaire
        intake_for(urgent, "urgent")
        emergency = Client()  # after an emergency outcome
        intake_for(emergency, "emergency")
        second = Client()  # loses the race for the same time
        second.get(reverse("booking:details"), {"slot": slot, "type": exam.pk})
        lost = details_post(
            clinic, idempotency_key=second.session["booking_keys"][-1], email="second@mail.example"
        )
        mistyped = Client()  # a form that fails comes back as a GET with what was typed
        failed = mistyped.post(reverse("booking:details"), {**lost, "email": "not-an-email"})
        assert failed.status_code == 302, failed.status_code
        assert "Enter one email address" in mistyped.get(failed["Location"]).content.decode()
        anonymous = Client()
        rendered = _pages_render_with_no_missing_variable(
            [
                (anonymous, "get", reverse("booking:start"), {}, 200),
                (anonymous, "get", reverse("booking:slots"), search, 200),
                (
                    anonymous,
                    "get",
                    reverse("booking:slots"),
                    {**search, "podiatrist": clinic["podiatrist"].pk},
                    200,
                ),
                (anonymous, "get", reverse("booking:slots"), {"site": "", "type": ""}, 400),
                (anonymous, "get", reverse("booking:details"), {}, 400),
                (anonymous, "get", reverse("booking:details"), {"slot": slot, "type": exam.pk}, 200),
                (urgent, "get", reverse("booking:details"), {"slot": slot, "type": exam.pk}, 200),
                (mistyped, "get", failed["Location"], {}, 200),
                (
                    anonymous,
                    "post",
                    reverse("booking:details"),
                    {**lost, "type": clinic["ultrasound"].pk},
                    422,
                ),
                (patient, "get", booked["Location"], {}, 200),
                (patient, "get", reverse("booking:manage", args=[token]), {}, 200),
                (patient, "get", reverse("booking:reschedule", args=[token]), {}, 200),
                (patient, "get", reverse("booking:reschedule", args=[token]), {"day": "2027-03-12"}, 200),
                (patient, "get", reverse("booking:cancel", args=[token]), {}, 200),
                (anonymous, "get", reverse("booking:manage", args=["not-a-token"]), {}, 404),
                (second, "post", reverse("booking:details"), lost, 409),
                (urgent, "get", reverse("booking:urgent"), {}, 200),
                (urgent, "get", reverse("booking:start"), {}, 200),
                (anonymous, "get", reverse("booking:urgent"), {}, 403),
                (emergency, "get", reverse("booking:start"), {}, 200),
            ]
        )
    unrendered = PATIENT_BOOKING_TEMPLATES - rendered
    assert unrendered == set()


@pytest.mark.django_db
@pytest.mark.usefixtures("default_care_plans")
def test_the_staff_pages_render_with_no_missing_variable(strict_templates):
    """The day view, the podiatrist's list, the pre-visit summary and the care-plan page (and the
    status, move and book pages), on a day with a visit in every status, a questionnaire done and a
    plan already sent."""
    with time_machine.travel(personas.NOW, tick=False):
        clinic = personas.make_clinic()
        made = personas.appointments(clinic, 6)  # 08:00 to 08:40, Dr. Sole and Dr. Heel in turn
        for appointment, status in zip(made, Appointment.Status.values, strict=False):
            Appointment.objects.filter(pk=appointment.pk).update(status=status)
        intake = IntakeFactory(level="urgent", preferred_site=clinic.site, name="Ivy O'Intake")
        visit = AppointmentFactory(
            site=clinic.site,
            podiatrist=clinic.sole,
            type=clinic.exam,
            start=local(2027, 3, 1, 9),
            patient=PatientFactory(name="Ivy O'Intake"),
            intake=intake,
        )
        sent = made[0]  # Dr. Sole's 08:00 visit, still booked
        front_desk = personas.front_desk_user()
        sole = personas.podiatrist_user(clinic.sole)
    after_the_visits = local(2027, 3, 1, 11)
    with time_machine.travel(after_the_visits, tick=False):
        fran, dr_sole = personas.client_for(front_desk), personas.client_for(sole)
        send_care_plan(
            appointment=sent,
            template=CarePlanTemplate.objects.get(slug="plantar-heel-pain"),
            note="",
            actor=sole,
        )
        template = CarePlanTemplate.objects.get(slug="achilles-tear")
        day = {"site": clinic.site.pk, "date": personas.DAY.isoformat()}
        _pages_render_with_no_missing_variable(
            [
                (fran, "get", reverse("admin:booking_appointment_day"), day, 200),
                (fran, "get", reverse("admin:booking_appointment_day"), {"site": clinic.other_site.pk}, 200),
                (dr_sole, "get", reverse("staff:today"), day, 200),
                (dr_sole, "get", reverse("staff:today"), {"date": "2027-03-06"}, 200),  # an empty Saturday
                (fran, "get", reverse("staff:today"), {**day, "podiatrist": ""}, 200),
                (fran, "get", reverse("admin:booking_appointment_status", args=[made[1].pk]), {}, 200),
                (fran, "get", reverse("admin:booking_appointment_move", args=[made[1].pk]), {}, 200),
                (
                    fran,
                    "get",
                    reverse("admin:booking_appointment_book"),
                    {"site": clinic.site.pk, "type": clinic.exam.pk, "date": "2027-03-02", "find": "Ivy"},
                    200,
                ),
                (dr_sole, "get", reverse("intake:summary", args=[intake.pk]), {}, 200),
                (dr_sole, "get", reverse("care_plans:send", args=[visit.pk]), {}, 200),
                (
                    dr_sole,
                    "post",
                    reverse("care_plans:send", args=[visit.pk]),
                    {"template": template.pk, "note": "Ice it.", "action": "preview"},
                    200,
                ),
                (dr_sole, "get", reverse("care_plans:send", args=[sent.pk]), {}, 200),
                (
                    dr_sole,
                    "post",
                    reverse("care_plans:send", args=[sent.pk]),
                    {"template": template.pk, "action": "send"},
                    200,  # asks before replacing the plan sent
                ),
            ]
        )
