"""When an unreviewed urgent intake escalates: after N minutes of opening hours. Plain Python.

The minutes count only while at least one of the alerted sites is open: on a day, from the
earliest opening to the latest closing of the sites that are open that day (not closed for a
holiday). A Friday-evening intake escalates on Monday morning; one sent on the evening before a
holiday, on the morning after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
# Opening hours when a site has none recorded (product.md: Mon-Fri 08:00-17:00).
DEFAULT_WEEKLY: Mapping[int, tuple[time, time]] = {weekday: (time(8), time(17)) for weekday in range(5)}
# How far ahead to look for opening hours; past it (a site with no hours at all) the minutes
# count as plain clock time, so an escalation is late rather than never.
SEARCH_DAYS = 62


@dataclass(frozen=True)
class SiteHours:
    """One site's weekly opening hours (weekday -> local opens, closes) and its closed dates."""

    weekly: Mapping[int, tuple[time, time]] = field(default_factory=lambda: DEFAULT_WEEKLY)
    closed: frozenset[date] = frozenset()


def hours_on(day: date, sites: Sequence[SiteHours]) -> tuple[time, time] | None:
    """From the earliest opening to the latest closing of the sites open on this local date."""
    spans = [s.weekly[day.weekday()] for s in sites if day.weekday() in s.weekly and day not in s.closed]
    if not spans:
        return None
    return min(opens for opens, _ in spans), max(closes for _, closes in spans)


def escalation_due(
    submitted: datetime, *, sites: Sequence[SiteHours], minutes: int, zone: ZoneInfo
) -> datetime:
    """When `minutes` of opening hours have passed since `submitted` (aware in, aware UTC out)."""
    left = timedelta(minutes=minutes)
    cursor = submitted.astimezone(zone)
    for _ in range(SEARCH_DAYS):
        hours = hours_on(cursor.date(), sites)
        if hours is not None:
            opens = datetime.combine(cursor.date(), hours[0], tzinfo=zone)
            closes = datetime.combine(cursor.date(), hours[1], tzinfo=zone)
            start = max(cursor, opens)
            if start < closes:
                if start + left <= closes:
                    return (start + left).astimezone(UTC)
                left -= closes - start
        cursor = datetime.combine(cursor.date() + timedelta(days=1), time(0), tzinfo=zone)
    return (submitted + timedelta(minutes=minutes)).astimezone(UTC)
