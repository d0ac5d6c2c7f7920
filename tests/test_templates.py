"""Every template of the project compiles and every include or parent it names exists; every one
is also rendered, with realistic data, by a missing-variable check in this module: the emails, the
intake pages, the patient's booking and waitlist pages, the staff pages, the staff account pages,
the home and error pages, and the admin's overrides through real admin requests.

A variable a template prints but its context lacks renders as `string_if_invalid` (set here to a
marker), so a renamed context key fails this test instead of printing nothing to a patient.

Each check declares in `COVERS` the templates it renders (patterns; `*` stays within a folder) and
fails if it did not render each of them; `test_every_template_is_rendered_by_a_missing_variable_check`
fails when a template is covered by no check, so a new template needs a render here.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
from tests.staff_login import password_only_login
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from tests.waitlist.test_views import JOIN
from waitlist import services
from waitlist.links import make_entry_token, make_offer_token
from waitlist.models import WaitlistEntry

ROOT = Path(settings.BASE_DIR) / "templates"
MISSING = "MISSING-VARIABLE<%s>"
Kind = OutgoingMessage.Kind


def missing_variables(html: str) -> list[str]:
    """The names of the variables a page printed as the marker (escaped or not)."""
    return sorted(set(re.findall(r"MISSING-VARIABLE(?:<|&lt;)(.*?)(?:>|&gt;)", html)))


def template_dirs() -> list[Path]:
    """templates/ and the templates/ folder of each of the project's apps (not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    venv = Path(sys.prefix).resolve()  # `make install`'s .venv sits inside the checkout
    in_apps = [Path(app.path).resolve() / "templates" for app in apps.get_app_configs()]
    ours = [d for d in in_apps if d.is_relative_to(base) and not d.is_relative_to(venv)]
    return [ROOT, *sorted(d for d in ours if "site-packages" not in d.parts and d.is_dir())]


def every_template() -> list[str]:
    return sorted(
        {
            str(path.relative_to(folder))
            for folder in template_dirs()
            for path in folder.rglob("*")
            if path.suffix in {".html", ".txt"}
        }
    )


def matching(pattern: str, names) -> set[str]:
    """The names a pattern matches; `*` matches within one folder only."""
    regex = re.compile("[^/]*".join(re.escape(part) for part in pattern.split("*")))
    return {name for name in names if regex.fullmatch(name)}


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
def strict_templates(settings, request):
    """Missing variables print a marker the test looks for; at the end, the test must have rendered
    every template its entry in COVERS names."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates  # Django rebuilds its engines on the change, and again after
    rendered: set[str] = set()

    def record(sender, template, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(record)
    yield
    template_rendered.disconnect(record)
    declared = set().union(*(matching(p, every_template()) for p in COVERS[request.node.name]))
    assert declared - rendered == set(), "declared in COVERS but not rendered"


@pytest.mark.parametrize("name", every_template())
def test_every_template_compiles_and_what_it_includes_or_extends_exists(name):
    template = get_template(name).template
    for target in named_templates(template.nodelist):
        assert get_template(target), f"{name} names {target}"


def test_the_walk_finds_includes_and_parents():
    names = named_templates(get_template("intake/outcome.html").template.nodelist)
    assert "base.html" in names and "intake/includes/safety_net.html" in names


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", [k for k in Kind.values if k not in {Kind.WAITLIST_OFFER, Kind.WAITLIST_JOINED}]
)
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
@pytest.mark.parametrize("either_site", [False, True])
def test_the_waitlist_confirmation_email_renders_with_no_missing_variable(strict_templates, either_site):
    with time_machine.travel(NOW, tick=False):
        clinic = make()
        entry = wait_without_booking(clinic, "bea", site=None if either_site else clinic.site)
        message = OutgoingMessage.objects.get(subject=f"waitlist_entry:{entry.pk}")
        email = delivery.render(message)

    for part in (email.subject, email.body, email.alternatives[0][0]):
        assert "MISSING-VARIABLE" not in part, part
    assert ("either site" in email.body) is either_site


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


def _pages_render_with_no_missing_variable(requests) -> None:
    """Make each (client, method, url, data, expected status) request; fail on a missing variable."""
    missing, wrong_status = {}, []
    for client, method, url, data, status in requests:
        response = getattr(client, method)(url, data)
        if response.status_code != status:
            wrong_status.append((method, url, response.status_code))
            continue
        found = missing_variables(response.content.decode())
        if found:
            missing[f"{method.upper()} {url}"] = found
    assert wrong_status == []
    assert missing == {}


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
        _pages_render_with_no_missing_variable(
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
        tomorrows = AppointmentFactory(
            site=clinic.site, podiatrist=clinic.heel, type=clinic.exam, start=local(2027, 3, 2, 9)
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
        changelist = reverse("admin:booking_appointment_changelist")
        _pages_render_with_no_missing_variable(
            [
                (fran, "get", reverse("admin:booking_appointment_day"), day, 200),
                (fran, "get", reverse("admin:booking_appointment_day"), {"site": clinic.other_site.pk}, 200),
                (dr_sole, "get", reverse("staff:today"), day, 200),
                (dr_sole, "get", reverse("staff:today"), {"date": "2027-03-06"}, 200),  # an empty Saturday
                (fran, "get", reverse("staff:today"), {**day, "podiatrist": ""}, 200),
                (fran, "get", reverse("admin:booking_appointment_status", args=[made[1].pk]), {}, 200),
                (fran, "get", reverse("admin:booking_appointment_move", args=[made[1].pk]), {}, 200),
                *(  # the appointment list's bulk actions ask first: every cancel, a mark not yet due
                    (fran, "post", changelist, {"action": action, "_selected_action": picked}, 200)
                    for action, picked in (
                        ("cancel_appointments", [made[0].pk, tomorrows.pk]),
                        ("mark_no_show", [made[0].pk, tomorrows.pk]),
                    )
                ),
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


@pytest.mark.django_db
def test_the_home_and_error_pages_render_with_no_missing_variable(strict_templates, settings):
    """Each through a real request: an unknown page, a foreign Host header, a staff member without a
    role, a view that fails, a database that is down, and a patient searching too often."""
    settings.SLOT_SEARCH_RATE = "1/m"
    caches["ratelimit"].clear()
    with time_machine.travel(personas.NOW, tick=False):
        clinic = personas.make_clinic()
        anonymous = Client()
        failing = Client(raise_request_exception=False)
        sam = personas.client_for(personas.staff_without_role())
        intake = IntakeFactory(level="urgent", preferred_site=clinic.site)
        search = {"site": clinic.site.pk, "type": clinic.exam.pk, "podiatrist": "any", "day": "2027-03-01"}
        requests = [
            (anonymous, "get", reverse("home"), {}, 200),
            (anonymous, "get", "/no-such-page/", {}, 404),
            (Client(HTTP_HOST="not-the-clinic.example"), "get", reverse("home"), {}, 400),
            (sam, "get", reverse("intake:summary", args=[intake.pk]), {}, 403),  # may not read intakes
            (anonymous, "get", reverse("booking:slots"), search, 200),
            (anonymous, "get", reverse("booking:slots"), search, 429),  # over the rate
        ]
        _pages_render_with_no_missing_variable(requests)
        for failure, status in ((RuntimeError("a bug"), 500), (OperationalError("database down"), 503)):
            with mock.patch("booking.views.render", side_effect=failure):
                _pages_render_with_no_missing_variable(
                    [(failing, "get", reverse("booking:start"), {}, status)]
                )
    caches["ratelimit"].clear()


@pytest.mark.django_db
def test_the_staff_account_pages_render_with_no_missing_variable(strict_templates):
    """Fran enrols her authenticator app and gets her backup codes; at her next login she is asked
    for a code; someone guessing her password from one address is locked out."""
    caches["ratelimit"].clear()
    with time_machine.travel(personas.NOW, tick=True):
        fran = personas.front_desk_user()
        enrolling = Client()
        password_only_login(enrolling, fran)
        second_factor = reverse("accounts:second_factor")
        _pages_render_with_no_missing_variable([(enrolling, "get", second_factor, {}, 200)])
        device = TOTPDevice.objects.get(user=fran, confirmed=False)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        next_login = Client()
        password_only_login(next_login, fran)
        guesser = Client()
        wrong = {"username": "fran", "password": "wrong", "next": "/admin/"}
        for _ in range(4):
            assert guesser.post(reverse("admin:login"), wrong).status_code == 200
        _pages_render_with_no_missing_variable(
            [
                (enrolling, "post", second_factor, {"otp_token": f"{code:06d}"}, 200),  # the backup codes
                (next_login, "get", second_factor, {"next": "/admin/"}, 200),
                (next_login, "post", second_factor, {"otp_token": "000000"}, 200),  # a wrong code
                (Client(), "get", reverse("admin:login"), {"next": "/admin/"}, 200),
                (guesser, "post", reverse("admin:login"), wrong, 429),  # the fifth failure: locked out
            ]
        )
    caches["ratelimit"].clear()


@pytest.mark.django_db
def test_the_waitlist_pages_render_with_no_missing_variable(strict_templates, settings):
    """Bob, booked for March 22, asks for an earlier time and is offered Alice's freed March 8; Cal,
    with no booking, is offered it too and loses the race; Dee joins from the times page."""
    settings.RATELIMIT_ENABLE = False
    with time_machine.travel(NOW, tick=False):
        clinic = make()
        alice = book(clinic, "alice", FREED)
        bob = book(clinic, "bob", local(2027, 3, 22, 9))
        bob_client = personas.link_holder(bob)
        earlier = reverse("waitlist:earlier", args=[make_manage_token(bob)])
        wish = JOIN  # either site, Mondays and Wednesdays, mornings, March 1 to 20
        joined = bob_client.post(earlier, wish)
        assert joined.status_code == 302, joined.status_code
        cal = wait_without_booking(clinic, "cal")
        bob_offer, cal_offer = services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)
        assert {bob_offer.entry.pk, cal_offer.entry.pk} == {
            WaitlistEntry.objects.get(appointment=bob).pk,
            cal.pk,
        }
        dee = Client()
        join = reverse("waitlist:join")
        dee_wish = {
            **wish,
            "type": clinic.exam.pk,
            "site": clinic.site.pk,
            "name": "Dee Walker",
            "email": "dee@mail.example",
        }
        times = {"site": clinic.site.pk, "type": clinic.exam.pk, "podiatrist": "any", "day": "2027-03-01"}
        anonymous = Client()
        _pages_render_with_no_missing_variable(
            [
                (bob_client, "get", reverse("booking:manage", args=[make_manage_token(bob)]), {}, 200),
                (bob_client, "get", earlier, {}, 200),
                (bob_client, "post", earlier, {**wish, "weekdays": []}, 400),  # no day chosen
                (dee, "get", reverse("booking:slots"), times, 200),  # "none of these suit?"
                (dee, "get", join, {"type": clinic.exam.pk, "site": clinic.site.pk}, 200),
                (dee, "post", join, {**dee_wish, "email": "not-an-email"}, 400),
                (anonymous, "get", reverse("waitlist:offer", args=[make_offer_token(bob_offer)]), {}, 200),
                (anonymous, "post", reverse("waitlist:offer", args=[make_offer_token(bob_offer)]), {}, 302),
                (anonymous, "post", reverse("waitlist:offer", args=[make_offer_token(cal_offer)]), {}, 409),
                (anonymous, "get", reverse("waitlist:entry", args=[make_entry_token(cal)]), {}, 200),
            ]
        )
        joined = dee.post(join, dee_wish)
        assert joined.status_code == 302, joined.status_code
        _pages_render_with_no_missing_variable([(dee, "get", joined["Location"], {}, 200)])


@pytest.mark.django_db
def test_the_admin_overrides_render_with_no_missing_variable(strict_templates):
    """The admin's own pages that the project overrides, through real admin requests: Ada (superuser)
    and Fran (front desk) on the index (with messages in trouble), the appointment list and change
    page, an intake, a waitlist entry and its offer page."""
    with time_machine.travel(personas.NOW, tick=False):
        clinic = make()
        booked = book(clinic, "bob", local(2027, 3, 22, 9))
        entry = wait_with_booking(clinic, "cal", local(2027, 3, 29, 9))
        intake = IntakeFactory(level="urgent", preferred_site=clinic.site, name="Ivy O'Intake")
        # The index's "messages that need a person": one failed, one overdue a month and not sent.
        OutgoingMessageFactory(appointment=booked, status=OutgoingMessage.Status.FAILED)
        OutgoingMessageFactory(appointment=booked)
        ada = personas.client_for(personas.superuser())
        fran = personas.client_for(personas.front_desk_user())
        requests = [
            (client, "get", url, {}, 200)
            for client in (ada, fran)
            for url in (
                reverse("admin:index"),
                reverse("admin:booking_appointment_changelist"),
                reverse("admin:booking_appointment_change", args=[booked.pk]),
                reverse("admin:intake_intake_change", args=[intake.pk]),
                reverse("admin:waitlist_waitlistentry_change", args=[entry.pk]),
                reverse("admin:waitlist_waitlistentry_offer", args=[entry.pk]),
            )
        ]
        _pages_render_with_no_missing_variable(requests)
        index = ada.get(reverse("admin:index")).content.decode()
    assert "1 failed message" in index and "1 message overdue" in index


# Each check above and the templates it must render (`*` stays within one folder).
EMAIL_PARTS = {
    Kind.CONFIRMATION: {"email/_visit.*"},
    Kind.RESCHEDULED: {"email/_visit.*"},
    Kind.REMINDER: {"email/_visit.*"},
    Kind.CARE_PLAN: {"care_plans/includes/plan.*"},
}
COVERS: dict[str, set[str]] = {
    **{
        f"test_every_email_renders_with_no_missing_variable[{kind}]": {
            f"email/{kind}.*",
            "email/base.html",
            *EMAIL_PARTS.get(kind, ()),
        }
        for kind in Kind.values
        if kind not in {Kind.WAITLIST_OFFER, Kind.WAITLIST_JOINED}
    },
    "test_the_waitlist_offer_email_renders_with_no_missing_variable": {
        "email/base.*",
        "email/waitlist_offer.*",
    },
    **{
        f"test_the_waitlist_confirmation_email_renders_with_no_missing_variable[{either}]": {
            "email/base.*",
            "email/waitlist_joined.*",
        }
        for either in (False, True)
    },
    "test_the_intake_pages_render_with_no_missing_variable": {"intake/*.html", "intake/includes/*.html"},
    "test_the_patients_booking_pages_render_with_no_missing_variable": {
        "base.html",
        "includes/footer.html",
        "booking/*.html",
        "booking/includes/*.html",
    },
    "test_the_staff_pages_render_with_no_missing_variable": {
        "staff_base.html",
        "admin/base_site.html",
        "admin/includes/*.html",
        "admin/booking/appointment/day.html",
        "admin/booking/appointment/book.html",
        "admin/booking/appointment/move.html",
        "admin/booking/appointment/status.html",
        "admin/booking/appointment/bulk_confirm.html",
        "admin/booking/appointment/includes/*.html",
        "booking/staff/*.html",
        "care_plans/*.html",
        "care_plans/includes/plan.html",
    },
    "test_the_home_and_error_pages_render_with_no_missing_variable": {
        "clinic/home.html",
        "400.html",
        "403.html",
        "404.html",
        "500.html",
        "503.html",
        "ratelimited.html",
    },
    "test_the_staff_account_pages_render_with_no_missing_variable": {"accounts/*.html", "admin/login.html"},
    "test_the_waitlist_pages_render_with_no_missing_variable": {
        "waitlist/*.html",
        "waitlist/includes/*.html",
    },
    "test_the_admin_overrides_render_with_no_missing_variable": {
        "admin/index.html",
        "admin/booking/appointment/change_list.html",
        "admin/booking/appointment/change_form.html",
        "admin/intake/intake/change_form.html",
        "admin/waitlist/waitlistentry/*.html",
    },
}
# Templates no check here renders, and why. Keep it short: a template belongs here only when no real
# request or email can render it.
NOT_RENDERED: dict[str, str] = {}


def test_every_template_is_rendered_by_a_missing_variable_check():
    names = set(every_template())
    assert {p: matching(p, names) for ps in COVERS.values() for p in ps if not matching(p, names)} == {}
    checks = {key.split("[")[0] for key in COVERS}
    assert {c for c in checks if not callable(globals().get(c))} == set(), "COVERS names no such test"
    covered = set().union(*(matching(p, names) for ps in COVERS.values() for p in ps))
    assert set(NOT_RENDERED) <= names
    assert names - covered - set(NOT_RENDERED) == set()


def test_a_star_in_a_coverage_pattern_stays_within_one_folder():
    names = ["booking/slots.html", "booking/staff/today.html", "email/base.html", "email/base.txt"]
    assert matching("booking/*.html", names) == {"booking/slots.html"}
    assert matching("email/base.*", names) == {"email/base.html", "email/base.txt"}
