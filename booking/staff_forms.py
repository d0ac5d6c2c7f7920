"""Forms of the front desk's booking pages and the podiatrist's list."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone

from booking.emails import OneEmailField
from booking.forms import SlotChoice
from booking.models import AppointmentType, Patient, Podiatrist, Site


class DateInput(forms.DateInput):
    input_type = "date"


def slot_value(*, site_id: int, podiatrist_id: int, start: datetime) -> str:
    """The value of a slot's radio button: the patient's flow encoding (booking.forms.SlotChoice)."""
    return SlotChoice(site_id=site_id, podiatrist_id=podiatrist_id, start=start).value


# How far from today the staff pages look: back for the records, ahead past any booking horizon.
# A date outside is moved to the nearest edge (9999-12-31 would overflow the day after it).
STAFF_DAYS_BACK = 5 * 366
STAFF_DAYS_AHEAD = 2 * 366


def clamp_staff_day(day: date) -> date:
    """The day, moved inside the range the staff pages show."""
    today = timezone.localdate()
    return min(max(day, today - timedelta(days=STAFF_DAYS_BACK)), today + timedelta(days=STAFF_DAYS_AHEAD))


class StaffDayField(forms.DateField):
    """A day for a staff page: parsed like a DateField, then clamped to the range staff look at."""

    def to_python(self, value: object) -> date | None:
        day = super().to_python(value)
        return clamp_staff_day(day) if day is not None else None


class SlotField(forms.CharField):
    """A chosen slot, parsed back into (podiatrist, aware start). The service decides if it is free."""

    def clean(self, value: str) -> tuple[Podiatrist, datetime]:  # type: ignore[override]
        raw = super().clean(value)
        try:
            choice = SlotChoice.parse(raw)
            podiatrist = Podiatrist.objects.get(pk=choice.podiatrist_id, is_active=True)
        except (forms.ValidationError, Podiatrist.DoesNotExist) as exc:
            raise forms.ValidationError("Choose one of the times listed.") from exc
        return podiatrist, choice.start


class SlotSearchForm(forms.Form):
    """Book for a patient, step one: where, what, with whom, which day."""

    site = forms.ModelChoiceField(Site.objects.filter(is_active=True))
    type = forms.ModelChoiceField(AppointmentType.objects.filter(is_active=True), label="Appointment type")
    podiatrist = forms.ModelChoiceField(
        Podiatrist.objects.filter(is_active=True), required=False, empty_label="First available"
    )
    date = StaffDayField(widget=DateInput, label="Day")


class CallerSearchForm(forms.Form):
    find = forms.CharField(
        max_length=100,
        required=False,
        label="Find the caller",
        help_text="A name, a phone number or a date of birth (MM/DD/YYYY).",
    )


class MoveSearchForm(forms.Form):
    """Move an appointment: which site and day, with whom (the type stays)."""

    site = forms.ModelChoiceField(Site.objects.filter(is_active=True), empty_label=None)
    podiatrist = forms.ModelChoiceField(
        Podiatrist.objects.filter(is_active=True), required=False, empty_label="Any podiatrist"
    )
    date = StaffDayField(widget=DateInput, label="Day")


class PatientDetailsForm(forms.Form):
    """Book for a patient, step two: the chosen slot and the patient's contact details."""

    slot = SlotField(widget=forms.HiddenInput)
    # Set when the caller was found on file: the booking goes to that record.
    patient = forms.ModelChoiceField(Patient.objects.all(), required=False, widget=forms.HiddenInput)
    patient_name = forms.CharField(max_length=150, label="Patient's name")
    patient_email = OneEmailField(
        label="Email",
        required=False,
        help_text="Optional. Without one no confirmation or reminder is sent: call to confirm.",
    )
    patient_phone = forms.CharField(max_length=30, required=False, label="Phone")
    date_of_birth = forms.DateField(required=False, widget=DateInput, label="Date of birth")
    # A double-click or resubmission carries the same key; the service returns the first booking.
    idempotency_key = forms.CharField(
        max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )


class MoveForm(forms.Form):
    slot = SlotField(widget=forms.HiddenInput)


class TodayForm(forms.Form):
    """Filters of the podiatrist's list; every one optional (the view fills the defaults)."""

    site = forms.ModelChoiceField(Site.objects.filter(is_active=True), required=False)
    podiatrist = forms.ModelChoiceField(
        Podiatrist.objects.filter(is_active=True),
        required=False,
        empty_label="Every podiatrist",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date = StaffDayField(required=False, widget=DateInput(attrs={"class": "form-control"}), label="Day")
