"""The waitlist's matching rules (see the package docstring for the policy in words)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

NOON = time(12, 0)


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"


class Priority(IntEnum):
    """Lower goes first: the triage outcome behind the entry."""

    URGENT = 0
    SOON = 1
    ROUTINE = 2


@dataclass(frozen=True, kw_only=True, slots=True)
class FreedTime:
    """A time that has just become free for one appointment type at one site."""

    site_id: int
    type_id: int
    start: datetime  # aware
    tz: ZoneInfo  # the site's zone: dates, weekdays and day parts are local
    min_notice: timedelta
    horizon: timedelta
    # Held urgent capacity still active until `hold_released_at`; None when the time is not held.
    hold_released_at: datetime | None = None
    freed_by_patient_id: int | None = None

    def __post_init__(self) -> None:
        _require_aware(self.start, "FreedTime.start")
        if self.hold_released_at is not None:
            _require_aware(self.hold_released_at, "FreedTime.hold_released_at")


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One patient's wish for an earlier or any time, as the waitlist stores it."""

    entry_id: int
    patient_id: int | None
    type_id: int
    site_id: int | None  # None: either site
    first_day: date
    last_day: date
    weekdays: frozenset[int]  # 0 = Monday
    day_parts: frozenset[DayPart]
    priority: Priority
    joined: datetime
    # The start of the booking they hold and would give up for an earlier time, if any.
    booked_start: datetime | None = None
    may_use_holds: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.joined, "Entry.joined")
        if self.booked_start is not None:
            _require_aware(self.booked_start, "Entry.booked_start")


def day_part_of(moment: datetime, tz: ZoneInfo) -> DayPart:
    """Morning before local noon, afternoon from it."""
    return DayPart.MORNING if moment.astimezone(tz).time() < NOON else DayPart.AFTERNOON


def is_offerable(freed: FreedTime, *, now: datetime) -> bool:
    """Whether the time may be offered at all now: outside the notice and within the horizon."""
    _require_aware(now, "now")
    return now + freed.min_notice <= freed.start <= now + freed.horizon


def _hold_active(freed: FreedTime, now: datetime) -> bool:
    return freed.hold_released_at is not None and now < freed.hold_released_at


def wants(entry: Entry, *, site_id: int, type_id: int, start: datetime, tz: ZoneInfo) -> bool:
    """Whether a time is what the entry asks for: its type, its site (or either), and a local date,
    weekday and part of the day it can make. A booking of such a time ends the entry."""
    _require_aware(start, "start")
    if entry.type_id != type_id:
        return False
    if entry.site_id is not None and entry.site_id != site_id:
        return False
    local = start.astimezone(tz)
    if not entry.first_day <= local.date() <= entry.last_day:
        return False
    if local.weekday() not in entry.weekdays:
        return False
    return day_part_of(start, tz) in entry.day_parts


def matches(entry: Entry, freed: FreedTime, *, now: datetime) -> bool:
    """Whether this entry may be offered this time now (every rule but the order)."""
    if not wants(entry, site_id=freed.site_id, type_id=freed.type_id, start=freed.start, tz=freed.tz):
        return False
    if entry.patient_id is not None and entry.patient_id == freed.freed_by_patient_id:
        return False
    if entry.booked_start is not None and freed.start >= entry.booked_start:
        return False
    if _hold_active(freed, now) and not entry.may_use_holds:
        return False
    return is_offerable(freed, now=now)


def _rank(entry: Entry) -> tuple[int, datetime, int]:
    return (entry.priority, entry.joined, entry.entry_id)


def offer_order(freed: FreedTime, entries: Iterable[Entry], *, now: datetime) -> list[Entry]:
    """Every entry that may be offered this time, urgent first, then the longest waiting."""
    return sorted((e for e in entries if matches(e, freed, now=now)), key=_rank)


def next_batch(
    freed: FreedTime,
    entries: Iterable[Entry],
    *,
    now: datetime,
    size: int,
    already_offered: frozenset[int] = frozenset(),
) -> list[Entry]:
    """The next `size` entries to offer this time, skipping those already offered it."""
    if size <= 0:
        raise ValueError("batch size must be positive")
    waiting = (e for e in entries if e.entry_id not in already_offered)
    return offer_order(freed, waiting, now=now)[:size]


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
