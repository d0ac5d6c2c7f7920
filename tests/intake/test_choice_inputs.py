"""intake_tags.choice_inputs: a question's options as the template loop wrote them, escaped, read
as Django's subwidgets give them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.template import engines
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from intake.forms import StepForm
from intake.steps import STEPS
from intake.templatetags.intake_tags import _escape, attributes, choice_options

TEMPLATE = engines["django"].from_string("{% load intake_tags %}{{ form.answer|choice_inputs }}")


class Question(forms.Form):
    answer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("odd", 'A <b>bold</b> & "quoted" answer')], widget=forms.RadioSelect
    )


class Several(forms.Form):
    answer = forms.MultipleChoiceField(
        choices=[("a", "First"), ("b", "Second"), ("c", "Third")], widget=forms.CheckboxSelectMultiple
    )


def test_each_option_is_a_form_check_with_its_radio_and_label_and_every_value_escaped():
    html = TEMPLATE.render({"form": Question()})
    assert html.count('<div class="form-check">') == 2
    assert (
        '<input type="radio" class="form-check-input" name="answer" value="yes" id="id_answer_0" required>'
        in html
    )
    assert (
        '<label for="id_answer_1" class="form-check-label">'
        "A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; answer</label>" in html
    )
    assert "<b>" not in html and "invalid" not in html


def test_a_wrong_answer_marks_every_option_and_lists_the_errors_after_the_last():
    form = Question({"answer": '"><script>'})
    assert not form.is_valid()
    html = TEMPLATE.render({"form": form})
    assert html.count("form-check-input is-invalid") == 2
    assert 'aria-invalid="true"' in html
    error = html.index(
        '<div id="id_answer_error" class="invalid-feedback"><p id="error_1_id_answer"><strong>'
    )
    assert error > html.index('for="id_answer_1"')  # after the last option, inside its form-check
    assert "<script>" not in html and "&lt;script&gt;" in html  # the error repeats the value, escaped


def test_checkboxes_keep_what_was_ticked():
    html = TEMPLATE.render({"form": Several({"answer": ["a", "c"]})})
    assert html.count('type="checkbox"') == 3
    assert html.count("checked") == 2
    assert 'value="b" id="id_answer_1">' in html


def _from_subwidgets(field):
    """The options as Django's own `field.subwidgets` gives them (what choice_inputs read before)."""
    return [(o.data["type"], o.data["value"], o.choice_label, o.data["attrs"]) for o in field.subwidgets]


def _answer_sets():
    """Prior answers in which every follow-up of every step shows (each item's probe values), and none."""
    answers = {}
    for step in STEPS:
        for item in step.items:
            if item.kind in {"YN", "YNU"}:
                answers[item.id] = "yes"
            elif item.kind == "SC":
                answers[item.id] = item.choices[-1].code
            elif item.kind == "MC":
                answers[item.id] = [choice.code for choice in item.choices[:2]]
    return [{}, answers]


def test_the_options_of_every_question_of_every_step_are_the_ones_django_builds():
    """Every radio and checkbox list of the questionnaire, unanswered, answered, sent back with
    answers and sent back empty (errors): the same types, values, labels, ids, ticks and attributes."""
    compared = 0
    for answers in _answer_sets():
        for step in STEPS:
            posted = {
                key: value
                for key, value in answers.items()
                if key in step.item_ids and isinstance(value, str | list)
            }
            forms_ = [
                StepForm(step=step, prior_answers=answers),
                StepForm(initial=answers, step=step, prior_answers=answers),
                StepForm(QueryDict(urlencode(posted, doseq=True)), step=step, prior_answers=answers),
                StepForm(QueryDict(""), step=step, prior_answers=answers),
            ]
            for form in forms_:
                form.is_bound and form.is_valid()
                for field in form:
                    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                        assert choice_options(field) == _from_subwidgets(field), (step.slug, field.name)
                        compared += 1
    assert compared > 100
    ticked = [
        option
        for field in StepForm(initial=_answer_sets()[1], step=STEPS[0], prior_answers={})
        for option in choice_options(field)
        if "checked" in option[3]
    ]
    assert ticked, "an answered step ticks its answers"


def test_an_option_with_no_value_and_a_widget_id_are_kept_as_django_keeps_them():
    class Odd(forms.Form):
        answer = forms.ChoiceField(
            choices=[(None, "Nothing"), (1, "One"), ("1", "One again")],
            widget=forms.RadioSelect(attrs={"id": "chosen", "data-x": "<y>"}),
            required=False,
        )
        grouped = forms.ChoiceField(
            choices=[("Group", [("a", "A"), ("b", "B")]), ("c", "C")], widget=forms.RadioSelect
        )

    for form in (Odd(), Odd({"answer": "1", "grouped": "b"}), Odd(initial={"answer": 1})):
        for field in form:
            assert choice_options(field) == _from_subwidgets(field), field.name
    assert 'name="answer" value="1" data-x="&lt;y&gt;" id="chosen_1" checked>' in TEMPLATE.render(
        {"form": Odd({"answer": "1"})}
    )


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_a_0", "required": True, "checked": True, "aria-invalid": "true"},
        {"z": 1, "a": 0, "off": False, "none": None, "on": True, "b": "x"},
        {"data-x": '"><script>&', "title": mark_safe("<b>kept</b>"), "lazy": gettext_lazy("Yes")},
    ],
)
def test_attributes_are_written_as_flatatt_writes_them(attrs):
    assert attributes(attrs) == flatatt(attrs)


def test_every_options_attributes_are_written_as_flatatt_writes_them():
    for answers in _answer_sets():
        for step in STEPS:
            for field in StepForm(initial=answers, step=step, prior_answers=answers):
                for *_, attrs in choice_options(field) if hasattr(field.field.widget, "choices") else ():
                    assert attributes(attrs) == flatatt(attrs)


@pytest.mark.parametrize(
    "value", ["\"><script>&'", mark_safe("<b>kept</b>"), gettext_lazy("Yes"), 7, None, "plain"]
)
def test_values_are_escaped_as_conditional_escape_escapes_them(value):
    assert _escape(value) == conditional_escape(value)
