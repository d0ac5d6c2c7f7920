"""The questionnaire's forms, derived from the catalogue: one field per item, nothing hand-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BoundField
from django.utils import timezone

from booking.emails import OneEmailField
from booking.models import Site
from intake import triage, units
from intake.steps import Step, visible_items

EITHER_SITE = "either"
YES_NO_UNSURE = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
DIAGRAM_ITEMS = {"B02", "B02b"}
HEIGHT, WEIGHT = "A04H", "A04W"
UNIT_WORDS = {"cm": "centimeters", "kg": "kilograms", "years": "years"}
# The US-unit fields that stand for a catalogue item on the form.
US_FIELDS = {HEIGHT: ("A04H_ft", "A04H_in"), WEIGHT: ("A04W_lb",)}


def _choices(item: Any) -> list[tuple[str, str]]:
    if item.choices:
        return [(choice.code, choice.label) for choice in item.choices]
    codes = ["yes", "no"] if item.kind == "YN" else list(YES_NO_UNSURE)
    return [(code, YES_NO_UNSURE[code]) for code in codes]


def field_for_item(item: Any, *, required: bool) -> forms.Field:
    """The form field that asks one catalogue item (question as label, hint as help text)."""
    kind = item.kind
    hint = item.hint
    label = item.question
    if item.id in US_FIELDS:  # the metric switch is on: say the unit in the question
        label = f"{item.question.rstrip('?')}, in {UNIT_WORDS[item.unit]}?"
    common: dict[str, Any] = {"label": label, "help_text": hint, "required": required}
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
        unit = UNIT_WORDS.get(getattr(item, "unit", ""), "")
        message = f"Enter a whole number of {unit} {between}" if unit else f"Enter a whole number {between}"
        message = message.strip()
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


@dataclass(kw_only=True)
class Question:
    """One question as the step page shows it (templates/intake/includes/question.html): an item's
    field, or in US units the fields that stand for it in a fieldset of their own."""

    id: str
    field: BoundField | None
    unit_fields: list[BoundField]
    legend: str
    hint: str
    diagram: bool  # the heel diagram above the list of places
    reveal_note: str  # a follow-up's "Only if you answered ... above" (empty: always shown)
    controller: str  # the item whose answer shows a follow-up, and the answers that do
    show_when: str
    switch_to: str = ""  # under the height: the button to the other units

    @property
    def switch_words(self) -> str:
        return UNIT_SWITCH_WORDS.get(self.switch_to, "")


UNIT_SWITCH_WORDS = {units.METRIC: "centimeters and kilograms", units.US: "feet, inches and pounds"}


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

    def __init__(
        self,
        *args: Any,
        step: Step,
        prior_answers: Mapping[str, Any],
        unit_system: str = units.US,
        typed: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.unit_system = unit_system
        self.prior_answers = {k: v for k, v in prior_answers.items() if k not in step.item_ids}
        shown = visible_items(step, prior_answers)
        self.items = [item for item, _ in shown]
        self.reveals = {item.id: reveal for item, reveal in shown if reveal is not None}
        for item in self.items:
            conditional = item.id in self.reveals
            if item.id in US_FIELDS and unit_system == units.US:
                self._add_us_fields(item, typed or {})
            else:
                self.fields[item.id] = field_for_item(item, required=item.required and not conditional)

    def _add_us_fields(self, item: Any, typed: Mapping[str, Any]) -> None:
        """Height in feet and inches, weight in pounds; initial values from cm/kg or as typed."""
        number = {"widget": forms.NumberInput(attrs={"inputmode": "numeric"}), "required": False}
        invalid = {"invalid": "Enter a whole number"}
        if item.id == HEIGHT:
            self.fields["A04H_ft"] = forms.IntegerField(label="Feet", error_messages=invalid, **number)
            self.fields["A04H_in"] = forms.IntegerField(label="Inches", error_messages=invalid, **number)
        else:
            self.fields["A04W_lb"] = forms.IntegerField(label="Pounds", error_messages=invalid, **number)
        stored = self.initial.get(item.id)
        if stored in (None, ""):
            return
        if item.id == HEIGHT:
            feet, inches = units.feet_inches_from_cm(int(stored))
            as_typed = (typed.get("A04H_ft"), typed.get("A04H_in"))
            if as_typed[0] is not None and units.cm_from_feet_inches(as_typed[0], as_typed[1] or 0) == stored:
                feet, inches = as_typed[0], as_typed[1] or 0
            self.initial.update({"A04H_ft": feet, "A04H_in": inches})
        else:
            pounds = typed.get("A04W_lb")
            if pounds is None or units.kg_from_pounds(pounds) != stored:
                pounds = units.pounds_from_kg(int(stored))
            self.initial["A04W_lb"] = pounds

    def questions(self) -> list[Question]:
        """What the step's template shows, one entry per visible item, in order."""
        shown = []
        for item in self.items:
            reveal = self.reveals.get(item.id)
            question = Question(
                id=item.id,
                field=self[item.id] if item.id in self.fields else None,
                unit_fields=[self[name] for name in US_FIELDS.get(item.id, ()) if name in self.fields],
                legend=item.question,
                hint=item.hint,
                diagram=item.id in DIAGRAM_ITEMS,
                reveal_note=reveal_note(reveal) if reveal else "",
                controller=reveal.controller if reveal else "",
                show_when=" ".join(reveal.values) if reveal else "",
            )
            if item.id == HEIGHT:  # under the height: the switch to the other units
                question.switch_to = units.METRIC if self.unit_system == units.US else units.US
            shown.append(question)
        return shown

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "A04H_ft" in self.fields:
            problem = units.Height(cleaned.get("A04H_ft"), cleaned.get("A04H_in")).problem()
            if problem and not self.has_error("A04H_ft") and not self.has_error("A04H_in"):
                self.add_error("A04H_ft", problem)
        if "A04W_lb" in self.fields and not self.has_error("A04W_lb"):
            problem = units.weight_problem(cleaned.get("A04W_lb"))
            if problem:
                self.add_error("A04W_lb", problem)
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
            value = self._us_value(item.id) if item.id in US_FIELDS else self.cleaned_data.get(item.id)
            if item.kind == "MC":
                answers[item.id] = list(value or [])
            elif value not in (None, ""):
                answers[item.id] = value
        return answers

    def _us_value(self, item_id: str) -> int | None:
        """A04H in cm or A04W in kg, from the US fields when they are on the form."""
        data = self.cleaned_data
        if item_id not in self.fields:
            if item_id == HEIGHT and not self.has_error("A04H_ft"):
                return units.Height(data.get("A04H_ft"), data.get("A04H_in")).cm()
            if item_id == WEIGHT and data.get("A04W_lb") is not None and not self.has_error("A04W_lb"):
                return units.kg_from_pounds(data["A04W_lb"])
            return None
        value = data.get(item_id)
        return int(value) if value is not None else None

    def typed(self) -> dict[str, Any]:
        """The US-unit values as typed (kept beside the stored cm and kg, so a pound is not lost)."""
        names = [name for fields in US_FIELDS.values() for name in fields if name in self.fields]
        return {name: self.cleaned_data.get(name) for name in names}


def _site_choices() -> list[tuple[str, str]]:
    sites = [(site.slug, site.name) for site in Site.objects.filter(is_active=True).order_by("name")]
    return [*sites, (EITHER_SITE, "Either site, whichever is sooner")]


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your name"}
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example 03/27/1985 (month, day, year). "
        "If you are answering for a child, their date of birth.",
        # The picker sends 1985-03-27; where there is no picker a person types 03/27/1985.
        input_formats=["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": "Enter a date of birth",
            "invalid": "Enter a real date of birth, like 03/27/1985",
        },
    )
    email = OneEmailField(
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

    def __init__(self, *args: Any, age: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.age = age
        self.fields["preferred_site"].choices = _site_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name in ("name", "email", "phone"):
            self.fields[name].widget.attrs.setdefault("autocomplete", name)
        if self.is_bound and "age_confirmed" in self.data:
            self._offer_age_confirmation()

    def _offer_age_confirmation(self) -> None:
        """A box shown once the date of birth and the age given disagree (see clean())."""
        self.fields["age_confirmed"] = forms.BooleanField(
            label="Both are right: keep this date of birth and this age", required=False
        )

    def clean_date_of_birth(self) -> dt.date:
        value = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if value > today or value.year < today.year - 120:
            raise forms.ValidationError("Enter a real date of birth, in the past")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        if born is None or self.age is None or cleaned.get("age_confirmed"):
            return cleaned
        today = timezone.localdate()
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if abs(years - self.age) > 1:
            self._offer_age_confirmation()
            self.add_error(
                "date_of_birth",
                f"This date of birth ({born:%B} {born.day}, {born.year}) makes the patient {years}, but the "
                f"age given earlier was {self.age}. Check the date, or tick the box below if both are right",
            )
        return cleaned

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if sum(ch.isdigit() for ch in value) < 7:
            raise forms.ValidationError("Enter a phone number with its area code, like (248) 555-0142")
        return value
