"""Times as people read them in email: local to the site, DST-correct, never UTC."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def local(moment: datetime, zone_name: str | None = None) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name or settings.CLINIC_TIME_ZONE))


def when_text(moment: datetime, zone_name: str | None = None) -> str:
    """'Tue, Mar 10 at 9:30 AM' in the site's zone (DST-correct through zoneinfo)."""
    at = local(moment, zone_name)
    return f"{at:%a, %b} {at.day} at {clock(at)}"


def clock(at: datetime) -> str:
    return f"{at.hour % 12 or 12}:{at:%M %p}"


def stamp(moment: datetime) -> str:
    """A minute in UTC for ledger keys: '2027-03-10T14:30Z'."""
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")
