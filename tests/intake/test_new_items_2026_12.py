"""The items added in 2026.12-1 (S02e, S07b) reach every place a question shows: the steps with and
without JavaScript, "check your answers", the admin's intake page and the pre-visit summary."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from intake import triage
from intake.forms import StepForm
from intake.models import Intake
from intake.steps import STEPS, prune, visible_items
from tests.booking.personas import client_for
from tests.factories.intake import IntakeFactory, routine_answers
from tests.intake.conftest import fill_questionnaire

pytestmark = pytest.mark.django_db

S02E = triage.ITEMS_BY_ID["S02e"].question
S07B = triage.ITEMS_BY_ID["S07b"].question
OLD_INJURY = {"S02": "yes", "S02a": "yes", "S02b": "no", "S02c": "no", "S02d": "gt_10_days", "S02e": "no"}
CALF = {"S07": "unsure", "S07a": [], "S07b": "unsure"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _step_of(item_id: str):
    return next(step for step in STEPS if item_id in step.item_ids)


def _post(step, answers):
    data = {}
    for item_id in step.item_ids:
        if item_id in answers:
            data[item_id] = answers[item_id]
    return data


def test_s02e_is_revealed_by_s02d_which_is_revealed_by_s02_on_the_same_step():
    step = _step_of("S02e")
    assert step == _step_of("S02") == _step_of("S02d")
    shown = {item.id: reveal for item, reveal in visible_items(step, {})}
    assert shown["S02e"].controller == "S02d" and shown["S02e"].values == ("gt_10_days",)
    assert shown["S02d"].controller == "S02"


def test_s07b_is_revealed_by_s07_on_the_same_step():
    shown = {item.id: reveal for item, reveal in visible_items(_step_of("S07b"), {})}
    assert shown["S07b"].controller == "S07"
    assert shown["S07b"].values == ("yes", "unsure")


def test_without_javascript_s02e_is_required_only_after_an_injury_over_10_days_ago():
    step = _step_of("S02e")
    base = routine_answers(**OLD_INJURY)
    missing = StepForm(_post(step, {**base, "S02e": None}), step=step, prior_answers={})
    assert not missing.is_valid()
    assert missing.errors["S02e"] == ["Answer this question, or change your answer above"]
    recent = StepForm(_post(step, {**base, "S02d": "1_10_days", "S02e": None}), step=step, prior_answers={})
    assert recent.is_valid(), recent.errors


def test_an_s02e_answer_left_behind_by_a_changed_injury_answer_is_dropped():
    answers = routine_answers(**OLD_INJURY)
    assert "S02e" not in prune({**answers, "S02d": "1_10_days"})
    assert "S02e" not in prune({**answers, "S02": "no"})
    assert "S07b" not in prune(routine_answers(**{**CALF, "S07": "no"}))


def test_calf_symptoms_with_no_risk_factor_ticked_may_go_on():
    # S07a's "tick all that apply, or none": none is an answer (it used to block the step).
    step = _step_of("S07b")
    form = StepForm(_post(step, routine_answers(**CALF)), step=step, prior_answers={})
    assert form.is_valid(), form.errors
    assert form.step_answers()["S07a"] == []


def test_without_javascript_s07b_is_required_after_calf_symptoms():
    step = _step_of("S07b")
    base = routine_answers(**CALF)
    missing = StepForm(_post(step, {**base, "S07b": None}), step=step, prior_answers={})
    assert not missing.is_valid()
    assert "S07b" in missing.errors
    assert StepForm(_post(step, routine_answers()), step=step, prior_answers={}).is_valid()


def test_the_steps_say_when_to_answer_the_new_items_without_javascript(client, sites):
    first = client.get(reverse("intake:step", args=[STEPS[0].slug])).content.decode()
    assert S02E in first
    assert "Only if you answered “More than 10 days ago” to the question above." in first
    second = client.get(reverse("intake:step", args=[_step_of("S07b").slug])).content.decode()
    assert S07B in second and 'data-controller="S07"' in second


def test_check_your_answers_lists_the_new_items_with_a_change_link(client, sites):
    fill_questionnaire(client, routine_answers(**OLD_INJURY, **CALF))
    html = client.get(reverse("intake:check")).content.decode()
    assert S02E in html and S07B in html
    assert reverse("intake:step", args=[_step_of("S07b").slug]) + "?return=check" in html
    client.post(reverse("intake:check"))
    intake = Intake.objects.get()
    assert (intake.answers["S02e"], intake.answers["S07b"]) == ("no", "unsure")
    assert intake.urgency == "urgent"  # U11 (S7 too)
    assert {"U11", "S7"} <= set(intake.assessment["rules"])


def test_a_patient_who_was_x_rayed_is_not_asked_again_on_check(client, sites):
    fill_questionnaire(client, routine_answers())
    html = client.get(reverse("intake:check")).content.decode()
    assert S02E not in html and S07B not in html


def test_the_admin_intake_page_shows_the_new_items_and_the_rules_they_fired(front_desk):
    intake = IntakeFactory(answers=routine_answers(**OLD_INJURY, **CALF))
    intake.assessment = triage.assess(intake.answers).to_dict()
    intake.save()
    html = (
        client_for(front_desk).get(reverse("admin:intake_intake_change", args=[intake.pk])).content.decode()
    )
    assert S02E in html and S07B in html
    assert "U11" in html and "S7" in html


def test_the_summary_shows_the_new_items_and_their_exam_prompts(podiatrist_user):
    answers = routine_answers(**OLD_INJURY, **CALF)
    assessment = triage.assess(answers).to_dict()
    intake = IntakeFactory(answers=answers, assessment=assessment, urgency="urgent", urgency_rank=1)
    html = client_for(podiatrist_user).get(reverse("intake:summary", args=[intake.pk])).content.decode()
    assert "Injury and calf" in html
    assert S02E in html and S07B in html
    assert "Wells score" in html
    assert "request x-rays" in html
