"""The plain values the slot search takes and returns (see the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo


@dataclass(frozen=True, kw_only=True, slots=True)
class Shift:
    """A weekly schedule line: works at the site on weekday (0=Monday), local start to end."""

    podiatrist_id: int
    site_id: int
    weekday: int
    start: time
    end: time


@dataclass(frozen=True, kw_only=True, slots=True)
class Busy:
    """Time a podiatrist cannot be booked: an appointment with its buffer, time off, anything."""

    podiatrist_id: int
    start: datetime
    end: datetime
    # Only for appointments booked into a held urgent window: such a booking consumes the hold.
    site_id: int | None = None
    held: bool = False

    def __post_init__(self) -> None:
        require_aware(self.start, "Busy.start")
        require_aware(self.end, "Busy.end")


@dataclass(frozen=True, kw_only=True, slots=True)
class SitePolicy:
    """A site's time zone, opening hours, closures and booking policies."""

    site_id: int
    tz: ZoneInfo
    opening: Mapping[int, tuple[time, time]]  # weekday -> (open, close), local; missing = closed
    closures: frozenset[date] = frozenset()  # local dates
    grid_minutes: int = 10
    min_notice: timedelta = timedelta(hours=2)
    horizon: timedelta = timedelta(days=60)
    urgent_hold_starts: tuple[time, ...] = ()  # local start times of the held windows
    urgent_hold_minutes: int = 30
    urgent_release: timedelta = timedelta(hours=24)  # holds open to everyone this long before

    def __post_init__(self) -> None:
        if self.grid_minutes <= 0:
            raise ValueError("SitePolicy.grid_minutes must be positive")


@dataclass(frozen=True, kw_only=True, slots=True)
class SlotQuery:
    """Everything one search needs; `busy` need only cover the window's days."""

    sites: tuple[SitePolicy, ...]
    shifts: tuple[Shift, ...]
    busy: tuple[Busy, ...]
    duration: timedelta
    buffer: timedelta = timedelta(0)
    window_start: datetime
    window_end: datetime
    now: datetime
    podiatrist_ids: frozenset[int] | None = None  # None = any podiatrist ("first available")
    may_use_holds: bool = False  # the urgent lane, or staff

    def __post_init__(self) -> None:
        for name in ("window_start", "window_end", "now"):
            require_aware(getattr(self, name), f"SlotQuery.{name}")
        if self.duration <= timedelta(0):
            raise ValueError("SlotQuery.duration must be positive")
        if self.buffer < timedelta(0):
            raise ValueError("SlotQuery.buffer must not be negative")


class Slot(NamedTuple):
    """A bookable appointment time; start and end are aware UTC datetimes.

    A named tuple rather than a dataclass: a search makes a thousand or more of them, and a tuple
    is built in a third of the time. Ordered by (start, end, site, podiatrist, held).
    """

    start: datetime
    end: datetime
    site_id: int
    podiatrist_id: int
    held: bool = False


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
