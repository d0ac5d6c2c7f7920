"""Forms of the waitlist pages. Rules live in waitlist.services; these only parse input."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from booking.forms import DetailsForm
from booking.models import AppointmentType, Site
from waitlist.matching import DayPart
from waitlist.models import WEEKDAY_NAMES

EITHER = "either"
JOIN_DAYS = 30  # a new entry's last day, as first offered


class EarlierTimeForm(forms.Form):
    """Which earlier times the patient could make: where, between which days, which days and when."""

    site = forms.ChoiceField(label="Where?", widget=forms.RadioSelect)
    first_day = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At the latest the day before your booking.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Which days can you come?",
        coerce=int,
        choices=[(day, WEEKDAY_NAMES[day]) for day in range(5)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    day_parts = forms.MultipleChoiceField(
        label="Which part of the day?",
        choices=[(DayPart.MORNING.value, "Mornings (before noon)"), (DayPart.AFTERNOON.value, "Afternoons")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose mornings, afternoons or both."},
    )

    def __init__(self, *args: object, last_day: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].choices = [(EITHER, "Either site")] + [
            (str(site.pk), f"{site.name}, {site.full_address}")
            for site in Site.objects.filter(is_active=True)
        ]
        today = timezone.localdate()
        self.fields["site"].initial = EITHER
        self.fields["first_day"].initial = today
        self.fields["last_day"].initial = max(today, last_day)
        self.fields[
            "last_day"
        ].help_text = f"Up to the day of your booking, {last_day:%A, %B} {last_day.day}."
        self.fields["weekdays"].initial = list(range(5))
        self.fields["day_parts"].initial = [part.value for part in DayPart]

    def clean_site(self) -> Site | None:
        raw = self.cleaned_data["site"]
        if raw == EITHER:
            return None
        site = Site.objects.filter(pk=int(raw) if raw.isdigit() else 0, is_active=True).first()
        if site is None:
            raise forms.ValidationError("Choose a site from the list.")
        return site

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:  # type: ignore[operator]
            self.add_error("last_day", "The last day must be on or after the first day.")
        return data


class JoinForm(EarlierTimeForm):
    """Join without a booking: the wish, the appointment type searched, and how to reach the patient."""

    type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    # As in booking's details step (the same fields, so the same checks).
    name = DetailsForm.base_fields["name"]
    email = DetailsForm.base_fields["email"]
    phone = DetailsForm.base_fields["phone"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        today = timezone.localdate()
        super().__init__(*args, last_day=today + timedelta(days=JOIN_DAYS), **kwargs)  # type: ignore[arg-type]
        self.fields["last_day"].help_text = "The last day you could come."
        self.fields["email"].help_text = "We email you here when a time that suits you frees up."
