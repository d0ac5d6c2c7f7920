"""The questionnaire's forms, derived from the catalogue: one field per item, nothing hand-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.utils import timezone

from booking.models import Site
from intake import triage
from intake.steps import Step, visible_items

EITHER_SITE = "either"
YES_NO_UNSURE = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
DIAGRAM_ITEMS = {"B02", "B02b"}


def _choices(item: Any) -> list[tuple[str, str]]:
    if item.choices:
        return [(choice.code, choice.label) for choice in item.choices]
    codes = ["yes", "no"] if item.kind == "YN" else list(YES_NO_UNSURE)
    return [(code, YES_NO_UNSURE[code]) for code in codes]


def field_for_item(item: Any, *, required: bool) -> forms.Field:
    """The form field that asks one catalogue item (question as label, hint as help text)."""
    kind = item.kind
    hint = " ".join(filter(None, [item.hint, f"In {item.unit}." if getattr(item, "unit", "") else ""]))
    common: dict[str, Any] = {"label": item.question, "help_text": hint, "required": required}
    if kind in {"YN", "YNU", "SC"}:
        return forms.ChoiceField(
            choices=_choices(item),
            widget=forms.RadioSelect,
            error_messages={"required": "Choose one answer", "invalid_choice": "Choose one of the answers"},
            **common,
        )
    if kind == "MC":
        common["help_text"] = " ".join(filter(None, [hint, "Tick all that apply, or none."]))
        return forms.MultipleChoiceField(
            choices=_choices(item), widget=forms.CheckboxSelectMultiple, **{**common, "required": False}
        )
    if kind in {"INT", "NRS"}:
        low, high = item.min_value, item.max_value
        between = f"between {low} and {high}" if low is not None and high is not None else ""
        message = f"Enter a whole number {between}".strip()
        return forms.IntegerField(
            min_value=low,
            max_value=high,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
            **common,
        )
    limit = item.max_length or 2000
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limit,
        error_messages={"max_length": f"Keep this under {limit:,} characters"},
        **common,
    )


def reveal_note(reveal: Any) -> str:
    """Plain words for a follow-up shown without JavaScript: which answer above it belongs to."""
    controller = triage.ITEMS_BY_ID[reveal.controller]
    if controller.kind == "MC":
        return "Only if you ticked any of the boxes in the question above."
    labels = dict(_choices(controller))
    answers = " or ".join(f"“{labels.get(value, value)}”" for value in reveal.values)
    return f"Only if you answered {answers} to the question above."


class StepForm(forms.Form):
    """One questionnaire step: a field per visible item; follow-ups are checked only where they apply."""

    def __init__(self, *args: Any, step: Step, prior_answers: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.prior_answers = {k: v for k, v in prior_answers.items() if k not in step.item_ids}
        shown = visible_items(step, prior_answers)
        self.items = [item for item, _ in shown]
        self.reveals = {item.id: reveal for item, reveal in shown if reveal is not None}
        for item in self.items:
            conditional = item.id in self.reveals
            self.fields[item.id] = field_for_item(item, required=item.required and not conditional)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*(self._layout_for(item) for item in self.items))

    def _layout_for(self, item: Any) -> Any:
        parts: list[Any] = []
        if item.id in DIAGRAM_ITEMS:
            parts.append(HTML(f'{{% include "intake/includes/heel_diagram.html" with target="{item.id}" %}}'))
        parts.append(Field(item.id))
        reveal = self.reveals.get(item.id)
        if reveal is None:
            return Div(*parts, css_class="question")
        note = HTML(f'<p class="form-text reveal-note">{reveal_note(reveal)}</p>')
        return Div(
            note,
            *parts,
            css_class="question conditional",
            data_controller=reveal.controller,
            data_show_when=" ".join(reveal.values),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answers = {**self.prior_answers, **self.step_answers()}
        for item in self.items:
            if item.id not in self.reveals or item.id in self._errors:
                continue
            applies = triage.applies(item, answers)
            # A multiple-choice item with nothing ticked is answered: "none of these" (S07a).
            if applies and item.required and item.kind != "MC" and answers.get(item.id) in (None, ""):
                self.add_error(item.id, "Answer this question, or change your answer above")
        return cleaned

    def step_answers(self) -> dict[str, Any]:
        """This step's answers as the catalogue stores them (unanswered optional items left out)."""
        answers: dict[str, Any] = {}
        for item in self.items:
            value = self.cleaned_data.get(item.id)
            if item.kind == "MC":
                answers[item.id] = list(value or [])
            elif value not in (None, ""):
                answers[item.id] = value
        return answers


def _site_choices() -> list[tuple[str, str]]:
    sites = [(site.slug, site.name) for site in Site.objects.filter(is_active=True).order_by("name")]
    return [*sites, (EITHER_SITE, "Either site, whichever is sooner")]


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your name"}
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example 27 3 1985. If you are answering for a child, their date of birth.",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={"required": "Enter a date of birth", "invalid": "Enter a real date of birth"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send your booking details here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="We call you on this number if your answers need a quick follow-up.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"required": "Enter a phone number"},
    )
    preferred_site = forms.ChoiceField(
        label="Which site would you like to go to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a site, or either"},
    )
    consent = forms.BooleanField(
        label="The clinic may contact me about my answers by phone or email",
        error_messages={"required": "Tick the box so the clinic can contact you about your answers"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_site"].choices = _site_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name in ("name", "email", "phone"):
            self.fields[name].widget.attrs.setdefault("autocomplete", name)

    def clean_date_of_birth(self) -> dt.date:
        value = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if value > today or value.year < today.year - 120:
            raise forms.ValidationError("Enter a real date of birth, in the past")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if sum(ch.isdigit() for ch in value) < 7:
            raise forms.ValidationError("Enter a phone number with its area code, like (248) 555-0142")
        return value
