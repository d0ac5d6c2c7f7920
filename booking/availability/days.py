"""Local days of a site: opening instants, the wall-clock grid, weekly shifts, search bounds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from booking.availability.values import Shift, SitePolicy, SlotQuery

UTC = ZoneInfo("UTC")
# A podiatrist's merged shift at a site on a weekday: (podiatrist_id, start, end), local times.
Line = tuple[int, time, time]


class OpenDay:
    """One open local date of a site: its opening instants and its grid of start instants."""

    __slots__ = ("close_at", "date", "grid", "grid_utc", "open_at", "tz", "weekday")

    def __init__(self, day: date, policy: SitePolicy, opens: time, closes: time):
        self.date = day
        self.weekday = day.weekday()
        self.tz = policy.tz
        self.open_at = self.at(opens)
        self.close_at = self.at(closes)
        self.grid, self.grid_utc = _grid(day, self.tz, opens, closes, policy.grid_minutes * 60)

    def at(self, wall: time) -> float:
        """The instant of a local wall time on this day."""
        return datetime.combine(self.date, wall, tzinfo=self.tz).timestamp()


@lru_cache(maxsize=4096)
def _grid(
    day: date, tz: ZoneInfo, opens: time, closes: time, step: int
) -> tuple[tuple[float, ...], tuple[datetime, ...]]:
    """A day's start instants on the grid (UTC seconds, and as datetimes), from opening to closing.

    Remembered: every search of the same days builds the same grid (a few thousand entries at most)."""
    grid: list[float] = []
    grid_utc: list[datetime] = []
    first = -(-_seconds(opens) // step) * step  # the first grid point at or after opening
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    clocks_change = midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset()
    for of_day in range(first, min(_seconds(closes), 86400), step):
        wall = time(of_day // 3600, of_day // 60 % 60, of_day % 60)
        utc = datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)
        if clocks_change and utc.astimezone(tz).time() != wall:
            continue  # skipped by spring forward: no such wall time today
        grid.append(utc.timestamp())
        grid_utc.append(utc)
    return tuple(grid), tuple(grid_utc)


def open_days(policy: SitePolicy, first: float, last: float) -> Iterator[OpenDay]:
    """The site's open days whose local date lies between the instants first and last."""
    day = datetime.fromtimestamp(first, policy.tz).date()
    last_day = datetime.fromtimestamp(last, policy.tz).date()
    while day <= last_day:
        hours = policy.opening.get(day.weekday())
        if hours is not None and day not in policy.closures:
            yield OpenDay(day, policy, *hours)
        day += timedelta(days=1)


def unique_sites(query: SlotQuery) -> list[SitePolicy]:
    """The query's sites, each once: a site listed twice keeps its first policy."""
    unique: dict[int, SitePolicy] = {}
    for policy in query.sites:
        unique.setdefault(policy.site_id, policy)
    return list(unique.values())


def start_bounds(query: SlotQuery, policy: SitePolicy) -> tuple[float, float]:
    """Earliest and latest allowed start at this site (both inclusive, UTC seconds)."""
    earliest = max(query.window_start, query.now + policy.min_notice)
    latest = min(query.window_end, query.now + policy.horizon)
    return earliest.timestamp(), latest.timestamp()


def shifts_by_site_weekday(shifts: Iterable[Shift]) -> dict[tuple[int, int], list[Line]]:
    """(site, weekday) -> [(podiatrist, start, end)] by podiatrist, with touching lines merged."""
    lines: dict[tuple[int, int, int], list[tuple[time, time]]] = defaultdict(list)
    for shift in shifts:
        if shift.start < shift.end:  # the model forbids others; an inverted line yields nothing
            key = (shift.site_id, shift.weekday, shift.podiatrist_id)
            lines[key].append((shift.start, shift.end))
    merged: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for site_id, weekday, podiatrist_id in sorted(lines):
        spans = sorted(lines[(site_id, weekday, podiatrist_id)])
        current_start, current_end = spans[0]
        for start, end in spans[1:]:
            if start <= current_end:
                current_end = max(current_end, end)
            else:
                merged[(site_id, weekday)].append((podiatrist_id, current_start, current_end))
                current_start, current_end = start, end
        merged[(site_id, weekday)].append((podiatrist_id, current_start, current_end))
    return merged


def _seconds(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second
