"""The role table of the README, asserted: every URL of the portal and every admin action, as each persona.

Personas: an anonymous visitor, a patient holding their manage link, Fran at the front desk,
Dr. Pat Sole the podiatrist, Ada the superuser. Every URL the resolver knows is requested as each;
a URL the table does not cover fails the test, so a new page must be placed in the table.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from booking.links import make_manage_token
from tests.booking.personas import NOW, front_desk_user, make_clinic, podiatrist_user, superuser
from tests.factories.audit import StaffAccessFactory
from tests.factories.booking import AppointmentFactory, local
from tests.factories.care_plans import CarePlanFactory
from tests.factories.intake import IntakeFactory
from tests.factories.messaging import OutgoingMessageFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "patient", "front desk", "podiatrist", "superuser"]
STAFF = ["front desk", "podiatrist", "superuser"]

# --- The table (README "Who may do what") ----------------------------------------------------
# Admin pages by model: what each staff role may do there ("change" includes view; "-": nothing).
ADMIN_MODELS = {
    "booking.appointment": ("change", "change"),  # podiatrists: mark their own visits only
    "booking.patient": ("change", "view"),
    "booking.site": ("change", "-"),
    "booking.podiatrist": ("change", "-"),
    "booking.appointmenttype": ("change", "-"),
    "intake.intake": ("change", "view"),
    "care_plans.careplan": ("view", "view"),
    "care_plans.careplantemplate": ("change", "change"),
    "messaging.outgoingmessage": ("change", "view"),
    "audit.staffaccess": ("-", "-"),  # the audit: superusers only
    "auth.user": ("-", "-"),
    "auth.group": ("-", "-"),
    "axes.accessattempt": ("-", "-"),
    "axes.accessfailurelog": ("-", "-"),
    "axes.accesslog": ("-", "-"),
    "otp_totp.totpdevice": ("-", "-"),
    "otp_static.staticdevice": ("-", "-"),
    "waitlist.waitlistentry": ("change", "view"),
    "waitlist.opening": ("view", "view"),
}
KEPT_RECORDS = ["booking.appointment", "intake.intake", "audit.staffaccess", "care_plans.careplan",
                "messaging.outgoingmessage"]  # fmt: skip
# Admin actions each role is offered on each list (superusers: every action of the list).
ADMIN_ACTIONS = {
    "booking.appointment": {
        "front desk": {"mark_arrived", "mark_completed", "mark_no_show", "cancel_appointments"},
        "podiatrist": {"mark_arrived", "mark_completed", "mark_no_show"},  # their own visits only
    },
    "intake.intake": {"front desk": {"mark_reviewed", "mark_contacted"}, "podiatrist": set()},
    "messaging.outgoingmessage": {"front desk": {"retry"}, "podiatrist": set()},
    "auth.user": {"front desk": set(), "podiatrist": set()},  # superuser: reset_second_factor
}
# Staff pages outside the admin's model pages: who gets the page (others: 403, anonymous: login).
STAFF_PAGES = {
    "staff:today": STAFF,
    "care_plans:send": ["podiatrist", "superuser"],  # care_plans.add_careplan: the podiatrists
    "intake:summary": STAFF,
    "accounts:second_factor": STAFF,
    "admin:index": STAFF,
    "admin:booking_appointment_day": STAFF,
    "admin:booking_appointment_status": STAFF,
    "admin:booking_appointment_move": ["front desk", "superuser"],
    "admin:booking_appointment_book": ["front desk", "superuser"],
    "admin:intake_intake_mark": ["front desk", "superuser"],  # POST only: GET is 405 for all
    "admin:password_change": STAFF,
    "admin:password_change_done": STAFF,
}
# Patient pages: open to everyone; those with a token open the patient's booking only with it.
TOKEN_PAGES = {"booking:manage", "booking:ics", "booking:reschedule", "booking:cancel", "booking:done",
               "intake:for_appointment", "waitlist:earlier", "waitlist:leave_from_booking", "waitlist:entry",
               "waitlist:offer"}  # fmt: skip
LOGIN_PAGES = {"admin:login", "admin:logout", "staff_login", "accounts:keep_alive"}
# Helpers of other pages, and the machines' health check (tests/clinic covers it).
NOT_PAGES = {"admin:view_on_site", "admin:autocomplete", "admin:jsi18n", "healthz", "healthz_ready"}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)))
    return found


def _model_for(name: str):
    for key in ADMIN_MODELS:
        app_label, model = key.split(".")
        if name.startswith(f"admin:{app_label}_{model}_"):
            return apps.get_model(app_label, model), name.removeprefix(f"admin:{app_label}_{model}_")
    return None, ""


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        appointment = AppointmentFactory(
            site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 9)
        )
        intake = IntakeFactory()
        CarePlanFactory(appointment=appointment)
        OutgoingMessageFactory()
        users = {
            "front desk": front_desk_user(),
            "podiatrist": podiatrist_user(clinic.sole),
            "superuser": superuser(),
        }
        StaffAccessFactory(intake=intake, user=users["front desk"])
        yield {"appointment": appointment, "intake": intake, "users": users, "clinic": clinic}


@pytest.fixture
def _totp_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world["users"]["front desk"], name="App", confirmed=True)


def _path(name: str, pattern: str, world: dict) -> str | None:
    """A real path for the pattern, its arguments filled with objects that exist."""
    if pattern.startswith("^"):  # the admin's app index regex
        return "/admin/booking/" if name == "admin:app_list" else None
    model, _ = _model_for(name)
    obj = model.objects.first() if model is not None else None
    values = {
        "token": make_manage_token(world["appointment"]),
        "pk": world["intake"].pk if name == "intake:summary" else getattr(obj, "pk", world["appointment"].pk),
        "object_id": getattr(obj, "pk", None),
        "id": getattr(obj, "pk", None),
    }

    def fill(match: re.Match) -> str:
        value = values.get(match.group(2))
        if value is None:
            raise LookupError(match.group(2))
        return str(value)

    try:
        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)
    except LookupError:
        return None


def _client(persona: str, world: dict) -> Client:
    client = Client()
    if persona in world["users"]:
        client.force_login(world["users"][persona])
    return client


def _expected_for_admin_model(name: str, persona: str) -> set[int] | None:
    model, view = _model_for(name)
    if model is None:
        return None
    if persona == "superuser":
        return {200, 302, 403, 404}  # delete and add pages are refused where records must stay
    role = ADMIN_MODELS[f"{model._meta.app_label}.{model._meta.model_name}"][STAFF.index(persona)]
    if role == "-":
        return {403}
    if view in {"changelist", "change", "history"}:
        return {200, 302}
    return {200, 302, 403, 404, 405}  # add/delete/custom: checked by the action and page tests


@pytest.mark.usefixtures("_totp_device")
def test_every_url_answers_each_persona_as_the_role_table_says(world):
    urls = _walk(get_resolver().url_patterns)
    covered = set(STAFF_PAGES) | TOKEN_PAGES | LOGIN_PAGES | NOT_PAGES
    unplaced, wrong = [], []
    with time_machine.travel(NOW, tick=False):
        clients = {persona: _client(persona, world) for persona in PERSONAS}
        for name, pattern in urls:
            path = _path(name, pattern, world)
            if path is None or name in NOT_PAGES or name in LOGIN_PAGES or path == "/favicon.ico":
                continue
            staff_url = path.startswith(("/admin/", "/staff/", "/visits/", "/intake/staff/"))
            if (
                not staff_url
                and name not in TOKEN_PAGES
                and not name.startswith(("intake:", "booking:", "waitlist:", "home"))
            ):
                unplaced.append(name)
                continue
            if (
                staff_url
                and name not in covered | {"admin:app_list", "admin:password_reset"}
                and _model_for(name)[0] is None
            ):
                unplaced.append(name)
                continue
            for persona in PERSONAS:
                client = clients[persona]
                target = path
                if persona == "anonymous" and name in TOKEN_PAGES:
                    target = path.replace(make_manage_token(world["appointment"]), "not-a-token")
                status = client.get(target).status_code
                if status >= 500:
                    wrong.append((name, persona, status))
                elif persona in {"anonymous", "patient"}:
                    if staff_url and status != 302:
                        wrong.append((name, persona, status))
                    if name in TOKEN_PAGES and persona == "anonymous" and status not in {404, 405, 410}:
                        wrong.append((name, persona, status))
                elif name in STAFF_PAGES:
                    allowed = persona in STAFF_PAGES[name]
                    ok = {200, 302, 405} if allowed else {403, 405}
                    if status not in ok:
                        wrong.append((name, persona, status))
                else:
                    expected = _expected_for_admin_model(name, persona)
                    if expected is not None and status not in expected:
                        wrong.append((name, persona, status))
    assert not unplaced, f"URLs missing from the role table: {sorted(set(unplaced))}"
    assert not wrong, wrong


def test_every_admin_action_is_offered_as_the_role_table_says(world):
    factory = RequestFactory()
    for key, by_role in ADMIN_ACTIONS.items():
        model = apps.get_model(key)
        model_admin = admin.site._registry[model]
        for persona, expected in by_role.items():
            request = factory.get("/admin/")
            request.user = world["users"][persona]
            assert set(model_admin.get_actions(request)) == expected, (key, persona)
    # Records of care and of who looked are never deleted, not even by a superuser.
    for key in KEPT_RECORDS:
        model_admin = admin.site._registry[apps.get_model(key)]
        request = factory.get("/admin/")
        request.user = world["users"]["superuser"]
        assert "delete_selected" not in model_admin.get_actions(request), key
        assert not model_admin.has_delete_permission(request), key


def test_the_groups_hold_exactly_the_admin_rights_of_the_table(world):
    for key, (desk, podiatrist) in ADMIN_MODELS.items():
        app_label, model = key.split(".")
        for persona, role in (("front desk", desk), ("podiatrist", podiatrist)):
            user = world["users"][persona]
            assert user.has_perm(f"{app_label}.view_{model}") == (role != "-"), (key, persona)
            assert user.has_perm(f"{app_label}.change_{model}") == (role == "change"), (key, persona)
