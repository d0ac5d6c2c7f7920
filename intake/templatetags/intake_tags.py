"""Small template helpers for the questionnaire, the outcome and the summary."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect
from django.forms.utils import flatatt

from intake.triage import Urgency

register = template.Library()

URGENCY_WORDS = {
    Urgency.EMERGENCY: "Get emergency care now",
    Urgency.URGENT: "Be seen within 1 to 2 days",
    Urgency.SOON: "Be seen within a week",
    Urgency.ROUTINE: "A routine appointment is right for you",
}


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field's input (the first option of a radio or checkbox list)."""
    if isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


QUESTION_OF = {
    "A04H_ft": "How tall are you?",
    "A04H_in": "How tall are you?",
    "A04W_lb": "How much do you weigh?",
}


@register.simple_tag
def named_error(field: BoundField, error: str) -> str:
    """An error that names its question: "How bad is the pain right now? Enter a whole number ..."."""
    question = QUESTION_OF.get(field.name, str(field.label or ""))
    if not question:
        return error
    return f"{question} {error}" if question.rstrip()[-1] in "?." else f"{question}: {error}"


@register.filter
def urgency_words(urgency: str) -> str:
    return URGENCY_WORDS.get(str(urgency), "")  # type: ignore[call-overload]


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.inclusion_tag("intake/includes/urgency_badge.html")
def urgency_badge(urgency: str, label: str = "") -> dict[str, str]:
    return {"urgency": str(urgency), "label": label or str(urgency).capitalize()}


@register.filter
def control(field: BoundField) -> str:
    """A number or text box with Bootstrap's classes (red when the answer has an error)."""
    widget = field.field.widget
    classes = f"{type(widget).__name__.lower()} form-control{' is-invalid' if field.errors else ''}"
    return field.as_widget(attrs={"class": classes})


@register.filter
def attributes(attrs: dict[str, Any]) -> str:
    """An option's HTML attributes (id, required, checked, aria-invalid), as a widget writes them."""
    return flatatt(attrs)
