"""intake_tags.choice_inputs: a question's options as the template loop wrote them, escaped."""

from __future__ import annotations

from django import forms
from django.template import engines

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
