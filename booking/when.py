"""A moment as staff and patients read it: Michigan time, one format ("Mon Nov 30, 9:00 AM")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def when(moment: datetime) -> str:
    """The moment in the clinic's zone, in DATETIME_FORMAT (clinic/formats/en/formats.py)."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def parse_day(raw: str | None, *, earliest: date | None = None, latest: date | None = None) -> date:
    """A day from a query string ("2027-03-10"), kept within [earliest, latest]; today when it is
    missing or malformed. The one day parser of the booking pages, the patient's and the staff's."""
    today = timezone.localdate()
    try:
        day = datetime.strptime(raw or "", "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError:
        return today
    if earliest is not None:
        day = max(day, earliest)
    if latest is not None:
        day = min(day, latest)
    return day


def short_name(podiatrist_name: str) -> str:
    """ "Dr. Casey Demo" -> "Dr. Demo": how the front desk names a podiatrist in a sentence."""
    words = podiatrist_name.split()
    if len(words) > 2 and words[0].rstrip(".").lower() == "dr":
        return f"{words[0]} {words[-1]}"
    return podiatrist_name
