"""Small template helpers for the questionnaire, the outcome and the summary."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect
from django.utils.safestring import SafeString, mark_safe

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
def choice_inputs(field: BoundField) -> SafeString:
    """A radio or checkbox list's options, each a Bootstrap form-check, the field's errors after
    the last one. Written here, not as a loop in question.html: on the busiest form of the portal
    that loop was most of the page's rendering. Every value is escaped as the template would."""
    auto_id = _escape(field.auto_id)
    invalid = " is-invalid" if field.errors else ""
    name = _escape(field.html_name)
    options = choice_options(field)
    parts = []
    for number, (input_type, value, label, attrs) in enumerate(options, start=1):
        parts.append(
            '<div class="form-check">'
            f'<input type="{_escape(input_type)}" class="form-check-input{invalid}" '
            f'name="{name}" value="{_escape(value)}"{attributes(attrs)}>'
            f'<label for="{_escape(attrs.get("id"))}" class="form-check-label">'
            f"{_escape(label)}</label>"
        )
        if field.errors and number == len(options):
            errors = "".join(
                f'<p id="error_{n}_{auto_id}"><strong>{_escape(error)}</strong></p>'
                for n, error in enumerate(field.errors, start=1)
            )
            parts.append(f'<div id="{auto_id}_error" class="invalid-feedback">{errors}</div>')
        parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped values only


def _escape(value: Any) -> str:
    """What conditional_escape gives (a safe string as it is, anything else escaped), without
    its lazy-string wrapper, which cost more than the escaping on a page of a hundred values."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def attributes(attrs: dict[str, Any]) -> str:
    """What django.forms.utils.flatatt gives: ' name="value"' sorted by name, then the True
    booleans sorted; False and None left out. Without format_html_join, for the same reason."""
    pairs = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {_escape(k)}="{_escape(v)}"' for k, v in pairs) + "".join(
        f" {_escape(k)}" for k in flags
    )


Option = tuple[str, Any, Any, dict[str, Any]]  # input type, value, label, the input's attributes


def choice_options(field: BoundField) -> list[Option]:
    """The options of a radio or checkbox list, as Django's `field.subwidgets` gives them (the
    same ids, attributes and ticks), read from the widget's choices without building a widget
    context per option: that was two thirds of the questionnaire's first step's rendering.
    Grouped choices and other widgets go through `subwidgets` itself."""
    widget = field.field.widget
    choices = list(widget.choices)
    if type(widget) not in (RadioSelect, CheckboxSelectMultiple) or any(
        isinstance(label, list | tuple) for _, label in choices
    ):
        return [(o.data["type"], o.data["value"], o.choice_label, o.data["attrs"]) for o in field.subwidgets]
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = widget.build_attrs(widget.attrs, field.build_widget_attrs({"id": id_} if id_ else {}))
    chosen = widget.format_value(field.value())
    multiple = widget.allow_multiple_selected
    options: list[Option] = []
    ticked = False
    for index, (value, label) in enumerate(choices):
        value = "" if value is None else value
        option_attrs = dict(attrs)
        selected = (multiple or not ticked) and str(value) in chosen
        ticked = ticked or selected
        if selected:
            option_attrs.update(widget.checked_attribute)
        if "id" in option_attrs:
            option_attrs["id"] = widget.id_for_label(option_attrs["id"], str(index))
        options.append((widget.input_type, value, label, option_attrs))
    return options
