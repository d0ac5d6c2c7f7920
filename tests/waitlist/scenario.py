"""A clinic with a waitlist: who waits, who books, who cancels (synthetic people only).

Howell is open Monday to Friday; Dr. Pat Sole and Dr. Robin Heel work there on Mondays. "Now" is
Monday 2027-03-01, 07:00 in Detroit. Alice holds Monday 2027-03-08 10:00 with Dr. Sole.
"""

from __future__ import annotations

import datetime as dt

from booking import services as booking
from booking.models import Appointment
from tests.booking.personas import Clinic, make_clinic
from tests.factories.booking import local
from waitlist import services
from waitlist.models import Opening, WaitlistEntry

NOW = local(2027, 3, 1, 7)
FREED = local(2027, 3, 8, 10)
MONDAYS = [0]
BOTH = ["morning", "afternoon"]


def book(clinic: Clinic, who: str, start: dt.datetime, podiatrist=None) -> Appointment:
    return booking.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=start,
        podiatrist=podiatrist or clinic.sole,
        patient_name=who.title(),
        patient_email=f"{who}@mail.example",
        now=NOW,
    )


def wait_with_booking(clinic: Clinic, who: str, booked: dt.datetime, podiatrist=None) -> WaitlistEntry:
    """`who` holds a later booking and would take an earlier Monday, morning or afternoon."""
    appointment = book(clinic, who, booked, podiatrist=podiatrist)
    return services.join_from_booking(
        appointment=appointment,
        site=None,
        first_day=dt.date(2027, 3, 1),
        last_day=dt.date(2027, 4, 15),
        weekdays=MONDAYS,
        day_parts=BOTH,
        now=NOW,
    )


def wait_without_booking(clinic: Clinic, who: str, **changes) -> WaitlistEntry:
    values = {
        "type": clinic.exam,
        "site": clinic.site,
        "first_day": dt.date(2027, 3, 1),
        "last_day": dt.date(2027, 3, 31),
        "weekdays": [0, 1, 2, 3, 4],
        "day_parts": BOTH,
        "name": who.title(),
        "email": f"{who}@mail.example",
        "now": NOW,
    }
    return services.join(**(values | changes))


def cancel(appointment: Appointment, *, actor=None) -> Opening:
    """Cancel (as the patient, or as `actor`) and return the opening the waitlist recorded for it."""
    booking.cancel_appointment(appointment=appointment, actor=actor, now=NOW)
    return Opening.objects.get(freed_from=appointment)


def make() -> Clinic:
    return make_clinic()
