"""Every intake template renders with realistic data (a smoke test, like zulip's test_templates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory

from intake import readable
from intake.forms import ContactForm, StepForm
from intake.steps import STEPS
from tests.factories.intake import IntakeFactory, emergency_answers

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "intake"


def _contexts(sites):
    intake = IntakeFactory(
        level="emergency", answers=emergency_answers(B02b="midportion"), preferred_site=sites[0]
    )
    request = RequestFactory().get("/")
    progress = {"number": 2, "total": 9}
    assessment = intake.assessment
    about_you_step = next(step for step in STEPS if "A04H" in step.item_ids)
    about_you = StepForm({}, step=about_you_step, prior_answers={})  # unanswered: with its errors
    height = next(question for question in about_you.questions() if question.switch_to)
    heel = {"region_labels": readable.region_labels(), "marked": readable.marked_regions(intake.answers)}
    return request, {
        "start.html": {"first_url": "/intake/step/x/", "resume_url": None, "appointment_linked": True},
        "step.html": {
            "form": StepForm(step=STEPS[0], prior_answers={}),
            "step": STEPS[0],
            "progress": progress,
            "back_url": "/intake/",
            **heel,
        },
        "contact.html": {"form": ContactForm({}), "progress": progress, "back_url": "/"},
        "emergency.html": {"continue_url": "/intake/step/x/", "call_911": True},
        "check.html": {
            "rows": [],
            "contact": {"name": "Robin"},
            "site_name": "Howell",
            "unfinished_url": None,
            "problems": [{"text": "Answer: How old are you?", "url": "/intake/step/about-you/"}],
        },
        "outcome.html": {
            "intake": intake,
            "advice": assessment["advice"],
            "next_url": None,
            "has_appointment": False,
        },
        "summary.html": {
            "intake": intake,
            "assessment": assessment,
            "panels": readable.summary_panels(intake.answers),
            **heel,
        },
        "includes/heel_diagram.html": {"target": "B02", **heel},
        "includes/heel_region.html": {"code": "calf", "a": 1, "b": 1, "c": 1, "d": 1, **heel},
        "includes/urgency_badge.html": {"urgency": "urgent", "label": "Urgent"},
        "includes/question.html": {"question": about_you.questions()[0], **heel},
        "includes/answer_box.html": {"field": about_you["A01"], "wrapper_class": ""},
        "includes/unit_switch.html": {"question": height},
        "includes/error_summary.html": {"form": ContactForm({})},
        "includes/progress.html": {"progress": progress},
        "includes/safety_net.html": {},
        "includes/clinic_phones.html": {"clinic_sites": sites},
        "includes/not_a_diagnosis.html": {},
        "includes/emergency_advice.html": {"call_911": False, "clinic_sites": sites},
    }


def test_every_intake_template_renders(sites):
    request, contexts = _contexts(sites)
    on_disk = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")}
    assert on_disk == set(contexts), "add a context for each new template"
    for name, context in contexts.items():
        html = render_to_string(f"intake/{name}", context, request=request)
        assert html.strip(), name


def test_the_summary_shows_both_marked_regions(sites):
    request, contexts = _contexts(sites)
    html = render_to_string("intake/summary.html", contexts["summary.html"], request=request)
    assert "is-marked-most" in html and "is-marked-also" in html
