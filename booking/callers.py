"""The front desk's lookup of a caller on the phone: patients on file and questionnaires not yet booked.

One search box takes a name, a phone number (any punctuation) or a date of birth (MM/DD/YYYY or
YYYY-MM-DD); each match carries what the booking form needs, so nothing is typed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Func, Q, QuerySet, Value

from booking.models import Appointment, Patient
from booking.when import when

MAX_MATCHES = 10
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%m/%d/%y")


@dataclass(frozen=True, kw_only=True)
class Caller:
    """One match: a patient on file (`patient_id`) or a submitted questionnaire (`intake_id`)."""

    name: str
    email: str
    phone: str
    date_of_birth: date | None
    source: str  # "Patient on file" or "Questionnaire, <when>"
    patient_id: int | None = None
    intake_id: int | None = None


def _as_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _digits_only(field: str) -> Func:
    """The phone column without its punctuation, so '5550123' finds '(248) 555-0123'."""
    expression: Any = F(field)
    for char in ("(", ")", "-", " ", ".", "+"):
        expression = Func(expression, Value(char), Value(""), function="REPLACE")
    return expression


def _matching(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    born = _as_date(text)
    if born is not None:
        return queryset.filter(date_of_birth=born)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4 and len(digits) >= len(text.replace(" ", "")) - 4:
        return queryset.annotate(phone_digits=_digits_only("phone")).filter(phone_digits__contains=digits)
    words = Q()
    for word in text.split():
        words &= Q(name__icontains=word)
    return queryset.filter(words)


def intake_model() -> Any:
    # Intake sits above booking: booking reaches it only through the appointment's foreign key.
    return Appointment._meta.get_field("intake").related_model


def find_callers(text: str) -> list[Caller]:
    """Patients on file, then questionnaires without a booking, that match a name, phone or birth date."""
    text = text.strip()
    if len(text) < 2:
        return []
    intakes = list(
        _matching(intake_model().objects.filter(appointments__isnull=True), text)
        .order_by("-submitted_at", "-pk")
        .distinct()[:MAX_MATCHES]
    )
    # A patient whose questionnaire matched shows once, as that questionnaire (it links both).
    linked = {i.patient_id for i in intakes if i.patient_id}
    patients = _matching(Patient.objects.exclude(pk__in=linked), text).order_by("name", "pk")[:MAX_MATCHES]
    matches = [
        Caller(
            name=p.name,
            email=p.email or "",
            phone=p.phone,
            date_of_birth=p.date_of_birth,
            source="Patient on file",
            patient_id=p.pk,
        )
        for p in patients
    ]
    matches += [
        Caller(
            name=i.name,
            email=i.email,
            phone=i.phone,
            date_of_birth=i.date_of_birth,
            source=(
                f"{'Patient on file; q' if i.patient_id else 'Q'}uestionnaire "
                f"({i.get_urgency_display().lower()}), {when(i.submitted_at)}"
            ),
            intake_id=i.pk,
            patient_id=i.patient_id,
        )
        for i in intakes
    ]
    return matches[:MAX_MATCHES]
