"""Forms of the patient's booking flow. Rules live in booking.services; these only parse input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking import selectors
from booking.emails import OneEmailField
from booking.models import AppointmentType, Podiatrist, Site

ANY = "any"


@dataclass(frozen=True)
class SlotChoice:
    """A slot as the forms pass it around: site, podiatrist (None: first available), start (UTC)."""

    site_id: int
    podiatrist_id: int | None
    start: datetime

    @property
    def value(self) -> str:
        return f"{self.site_id}.{self.podiatrist_id or 0}.{int(self.start.timestamp())}"

    @classmethod
    def parse(cls, raw: str) -> SlotChoice:
        try:
            site, podiatrist, epoch = (int(part) for part in raw.split("."))
            start = datetime.fromtimestamp(epoch, tz=UTC)
        except (ValueError, OverflowError, OSError) as error:
            raise ValidationError("Choose a time from the list.") from error
        return cls(site_id=site, podiatrist_id=podiatrist or None, start=start)


class SlotField(forms.CharField):
    def to_python(self, value: object) -> SlotChoice | None:
        raw = super().to_python(value)
        return SlotChoice.parse(raw) if raw else None


def default_type(types: list[AppointmentType]) -> AppointmentType | None:
    """What a patient who taps straight through books: a follow-up when they may book one (they
    have had a visit), otherwise the new-patient heel-pain exam, otherwise the first type offered."""
    follow_up = next((t for t in types if t.bookable_by == AppointmentType.BookableBy.RETURNING), None)
    if follow_up is not None:
        return follow_up
    exam = next((t for t in types if t.is_new_patient_exam), None)
    return exam or (types[0] if types else None)


class ListedTypeField(forms.ChoiceField):
    """The appointment types the view has loaded already (`types`), as radios: the choice is checked
    against them and cleans to the type itself, with no query or queryset of its own."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices."
    }
    listed: dict[str, AppointmentType]

    def set_types(self, types: list[AppointmentType]) -> None:
        # The exam a new patient needs comes first, then by name (the list comes by name).
        ordered = sorted(types, key=lambda t: not t.is_new_patient_exam)
        self.choices = [(str(t.pk), f"{t.name} ({t.duration_minutes} minutes)") for t in ordered]
        self.listed = {str(t.pk): t for t in types}

    def clean(self, value: object) -> AppointmentType | None:
        chosen = super().clean(str(getattr(value, "pk", value)) if value not in self.empty_values else value)
        return self.listed[chosen] if chosen else None


class SearchForm(forms.Form):
    """Step one: where, what, with whom and from which day."""

    site = forms.ChoiceField(label="Which site?", widget=forms.RadioSelect)
    type = ListedTypeField(label="What kind of appointment?", widget=forms.RadioSelect)
    podiatrist = forms.ChoiceField(label="Which podiatrist?", required=False)
    day = forms.DateField(
        label="From which day?",
        help_text="We show free times for this day and the six days after it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args: object,
        types: list[AppointmentType],
        preferred_site: Site | None = None,
        active_sites: list[Site] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Read once: the radios, and `sites()` after validation (a view may pass the request's list).
        self._active_sites = active_sites if active_sites is not None else selectors.active_sites()
        self.fields["site"].choices = [(ANY, "Either site (earliest time)")] + [
            (str(s.pk), f"{s.name}, {s.full_address}") for s in self._active_sites
        ]
        # The radios list what this person may book.
        self.fields["type"].set_types(types)
        self._podiatrists = selectors.active_podiatrists()
        self.fields["podiatrist"].choices = [(ANY, "First available")] + [
            (str(p.pk), p.name) for p in self._podiatrists
        ]
        self.fields["podiatrist"].initial = ANY
        self.fields["site"].initial = str(preferred_site.pk) if preferred_site else ANY
        default = default_type(types)
        if default is not None:
            self.fields["type"].initial = default.pk
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        today = timezone.localdate()
        if day < today:
            raise ValidationError("Choose today or a later day.")
        if day > today + timedelta(days=90):
            raise ValidationError("Choose a day within the next three months.")
        return day

    def sites(self) -> list[Site]:
        chosen = self.cleaned_data["site"]
        return [s for s in self._active_sites if chosen == ANY or str(s.pk) == chosen]

    def chosen_podiatrist(self) -> Podiatrist | None:
        chosen = self.cleaned_data.get("podiatrist") or ANY
        return next((p for p in self._podiatrists if str(p.pk) == chosen), None)


class DetailsForm(forms.Form):
    """The last step: who is coming. Carries the chosen slot and an idempotency key."""

    slot = SlotField(widget=forms.HiddenInput)
    type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = OneEmailField(
        label="Email address",
        help_text="We send your confirmation and the link to manage your booking here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="So the clinic can reach you if something changes.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise ValidationError("Date of birth must be in the past.")
        return born


class PickSlotForm(forms.Form):
    """A chosen slot (the slot picker's radios, or one of the nearest slots after a lost race)."""

    slot = SlotField(error_messages={"required": "Choose a time."})


class ChosenSlotForm(PickSlotForm):
    """The details page's query: the slot and the appointment type chosen on the slot list."""

    type = forms.ModelChoiceField(queryset=AppointmentType.objects.filter(is_active=True))
