"""The questionnaire's steps and forms are derived from the catalogue."""

from __future__ import annotations

import pytest
from django import forms

from intake import triage
from intake.forms import ContactForm, StepForm
from intake.steps import STEPS, STEPS_BY_SLUG, prune, steps_that_apply, visible_items
from tests.factories.intake import routine_answers

pytestmark = pytest.mark.django_db


def _step_of(item_id: str):
    return next(step for step in STEPS if item_id in step.item_ids)


def test_every_catalogue_item_is_asked_once_in_catalogue_order():
    asked = [item_id for step in STEPS for item_id in step.item_ids]
    assert asked == [item.id for item in triage.ITEMS]


def test_the_safety_screen_comes_first_and_each_step_is_one_section():
    assert STEPS[0].section == "S"
    for step in STEPS:
        assert {triage.ITEMS_BY_ID[i].section for i in step.item_ids} == {step.section}
        assert len(step.item_ids) <= 12


def test_follow_ups_stay_on_the_step_of_their_question():
    assert {"S02", "S02a", "S02b", "S02c", "S02d"} <= set(_step_of("S02").item_ids)
    assert _step_of("D04a") == _step_of("D04")


def test_the_form_has_one_field_per_item_with_the_question_as_label_and_hint_as_help():
    step = STEPS[0]
    form = StepForm(step=step, prior_answers={})
    for item, _ in visible_items(step, {}):
        field = form.fields[item.id]
        assert field.label == item.question
        if item.hint:
            assert item.hint in field.help_text


@pytest.mark.parametrize(
    ("kind", "field_class", "widget_class"),
    [
        ("YN", forms.ChoiceField, forms.RadioSelect),
        ("YNU", forms.ChoiceField, forms.RadioSelect),
        ("SC", forms.ChoiceField, forms.RadioSelect),
        ("MC", forms.MultipleChoiceField, forms.CheckboxSelectMultiple),
        ("INT", forms.IntegerField, forms.NumberInput),
        ("NRS", forms.IntegerField, forms.NumberInput),
        ("TXT", forms.CharField, forms.Textarea),
    ],
)
def test_each_kind_gets_its_widget(kind, field_class, widget_class):
    item = next(i for i in triage.ITEMS if i.kind == kind and i.condition is None)
    form = StepForm(step=_step_of(item.id), prior_answers=routine_answers())
    field = form.fields[item.id]
    assert type(field) is field_class
    assert isinstance(field.widget, widget_class)
    if kind in {"YN", "YNU", "SC", "MC"}:
        assert [code for code, _ in field.choices] == list(item.codes)


def test_nrs_fields_take_0_to_10_only():
    step = _step_of("C20")
    form = StepForm({"C20": "11"}, step=step, prior_answers=routine_answers())
    assert not form.is_valid()
    assert "between 0 and 10" in form.errors["C20"][0]


def test_a_follow_up_on_the_same_step_is_shown_with_its_reveal_and_checked_only_when_it_applies():
    step = _step_of("S02")
    form = StepForm(step=step, prior_answers={})
    assert "S02a" in form.fields and not form.fields["S02a"].required
    assert form.reveals["S02a"].controller == "S02"
    assert form.reveals["S02a"].values == ("yes",)
    base = {i: routine_answers()[i] for i in step.item_ids if i in routine_answers()}
    assert StepForm({**base, "S02": "no"}, step=step, prior_answers={}).is_valid()
    with_injury = StepForm({**base, "S02": "yes"}, step=step, prior_answers={})
    assert not with_injury.is_valid()
    assert "S02a" in with_injury.errors


def test_an_item_whose_condition_was_answered_on_an_earlier_step_is_hidden_server_side():
    step = _step_of("E01")
    assert "E01" not in StepForm(step=step, prior_answers=routine_answers(S03="no")).fields
    assert "E01" in StepForm(step=step, prior_answers=routine_answers(S03="yes")).fields


def test_a_required_item_left_blank_gets_a_plain_error():
    step = _step_of("S01")
    form = StepForm({}, step=step, prior_answers={})
    assert not form.is_valid()
    assert form.errors["S01"] == ["Choose one answer"]


def test_step_answers_are_stored_as_the_catalogue_expects():
    step = _step_of("C20")
    data = {i: v for i, v in routine_answers().items() if i in step.item_ids}
    form = StepForm(data, step=step, prior_answers=routine_answers())
    assert form.is_valid(), form.errors
    answers = form.step_answers()
    assert answers["C20"] == 3
    assert all(isinstance(answers[i], list) for i in step.item_ids if triage.ITEMS_BY_ID[i].kind == "MC")


def test_prune_drops_answers_that_no_longer_apply():
    answers = routine_answers(S02="yes", S02a="yes", S02b="yes", S02c="no", S02d="lt_24h")
    assert prune({**answers, "S02": "no"}).keys().isdisjoint({"S02a", "S02b", "S02c", "S02d"})
    assert triage.validate(prune({**answers, "S02": "no"}))


def test_steps_that_apply_skip_nothing_for_a_routine_patient_and_start_with_safety():
    slugs = [step.slug for step in steps_that_apply(routine_answers())]
    assert slugs[0] == STEPS[0].slug
    assert set(slugs) <= set(STEPS_BY_SLUG)


def test_contact_form_requires_consent_and_a_real_phone(sites):
    form = ContactForm(
        {
            "name": "A",
            "date_of_birth": "1980-01-01",
            "email": "a@mail.example",
            "phone": "12",
            "preferred_site": "howell",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"phone", "consent"}
    assert [code for code, _ in form.fields["preferred_site"].choices] == [
        "bloomfield-hills",
        "howell",
        "either",
    ]
