"""Every template of the project compiles and every include or parent it names exists; the emails
and the intake pages render with a minimal context and no missing variable.

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

from care_plans.services import plan_content
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import AppointmentFactory, SiteFactory, local
from tests.factories.care_plans import CarePlanFactory
from tests.factories.intake import IntakeFactory
from tests.factories.messaging import OutgoingMessageFactory
from tests.intake.test_templates import _contexts as intake_contexts
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_without_booking
from waitlist import services

ROOT = Path(settings.BASE_DIR) / "templates"
MISSING = "MISSING-VARIABLE<%s>"
Kind = OutgoingMessage.Kind


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
        fields |= {"subject": f"intake:{intake.pk}", "recipient": "desk@clinic.example"}
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
        found = sorted(set(re.findall(r"MISSING-VARIABLE(?:<|&lt;)(.*?)(?:>|&gt;)", html)))
        if found:
            missing[name] = found
    assert missing == {}
