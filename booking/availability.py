"""Slot search: which (start, podiatrist, site) can be booked, as a pure function of plain values.

No Django here (house style rule 1): a selector loads shifts, opening hours, closures and Busy
intervals, builds a `SlotQuery` and calls `find_slots`. Everything below is in instants (UTC
seconds) except the grid, which is laid in each site's LOCAL wall time.

Rules, in the order they apply:

- Days: a site is open on a local date whose weekday has opening hours and which is not one of
  its closures. A shift at a closed site yields nothing.
- Grid: slot starts sit on the site's grid counted from local midnight (08:00, 08:10, ...).
  Local times are made with zoneinfo (`datetime.combine(day, t, tzinfo=zone)`), never a fixed
  offset, so DST days keep the wall-clock grid. A wall time that does not exist (the skipped
  hour of spring forward) is no grid point; an ambiguous one (the repeated hour of fall back)
  means its first occurrence.
- Shift and opening hours: the appointment [start, start + duration) lies wholly inside one of
  the podiatrist's shifts at that site that day AND inside the opening hours. Shift lines of one
  podiatrist at one site and weekday that overlap or touch count as one shift.
- Buffer: [start, start + duration + buffer) must overlap no Busy of that podiatrist (at any
  site). The trailing buffer MAY run past the shift end and closing time: it is tidy-up time
  for the podiatrist, not patient time, so a 40-minute exam can still start at 16:20 for a
  17:00 close. It still may not run into a Busy interval (e.g. a shift at the other site).
- Window, notice, horizon: window_start <= start < window_end, start >= now + min_notice and
  start <= now + horizon, the last two per site.

Held urgent capacity (product.md, "Policies"):

- On every open day, for each time in `urgent_hold_starts`, the site holds one window
  [hold, hold + urgent_hold_minutes) if it lies inside the opening hours. The hold sits on ONE
  podiatrist: the lowest podiatrist_id whose shift there covers the window and who is not Busy
  during it (nor holding another overlapping window). If nobody is free the hold is not placed:
  the capacity is already taken. Placement looks at every shift and Busy in the query, not only
  the podiatrists asked for, so a search for one podiatrist sees the holds where a search for
  everyone would.
- A hold is active until `urgent_release` before its start (now < hold - urgent_release). While
  active, `may_use_holds=False` treats it as Busy for its podiatrist; `may_use_holds=True`
  returns the slots whose [start, end + buffer) overlaps it with `held=True`. After release it
  is ordinary free time and nothing is marked held.
- A booking in a hold makes its podiatrist Busy there, so a plain Busy moves the hold to the
  next free podiatrist when there is one: the clinic keeps its two urgent windows a day while
  capacity exists, and gives them up only when everyone is booked. A Busy with `held=True` (a
  booking made INTO a hold; `site_id` names its site, None means any) consumes the hold it
  overlaps instead, so an urgent booking uses up the hold rather than pushing it along.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
# [starts], [ends] of disjoint intervals sorted by start, in UTC seconds; ends are sorted too,
# which lets bisect find the first interval ending after an instant.
_Intervals = tuple[list[float], list[float]]
_EMPTY: _Intervals = ([], [])


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
        _require_aware(self.start, "Busy.start")
        _require_aware(self.end, "Busy.end")


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
            _require_aware(getattr(self, name), f"SlotQuery.{name}")
        if self.duration <= timedelta(0):
            raise ValueError("SlotQuery.duration must be positive")
        if self.buffer < timedelta(0):
            raise ValueError("SlotQuery.buffer must not be negative")


@dataclass(frozen=True, order=True, kw_only=True, slots=True)
class Slot:
    """A bookable appointment time; start and end are aware UTC datetimes."""

    start: datetime
    end: datetime
    site_id: int
    podiatrist_id: int
    held: bool = False


def find_slots(query: SlotQuery) -> list[Slot]:
    """Every bookable (start, podiatrist, site) in the window, sorted by start, site, podiatrist."""
    shifts = _shifts_by_site_weekday(query.shifts)
    busy = _busy_by_podiatrist(query.busy)
    blocked, held = _blocked_and_held(busy, _place_holds(query, shifts, busy), query.may_use_holds)
    duration = query.duration.total_seconds()
    span = duration + query.buffer.total_seconds()
    window_end = query.window_end.timestamp()  # exclusive, unlike the horizon
    found: list[tuple[float, int, int, bool, datetime]] = []
    for policy in query.sites:
        earliest, latest = _start_bounds(query, policy)
        for day in _open_days(policy, earliest, latest):
            # Starts allowed by window, notice and horizon: grid[first_allowed:stop].
            first_allowed = bisect_left(day.grid, earliest)
            stop = min(bisect_right(day.grid, latest), bisect_left(day.grid, window_end))
            for podiatrist_id, shift_start, shift_end in shifts.get(
                (policy.site_id, day.weekday), ()
            ):
                if query.podiatrist_ids is not None and podiatrist_id not in query.podiatrist_ids:
                    continue
                first = max(first_allowed, bisect_left(day.grid, day.at(shift_start)))
                end_by = min(day.at(shift_end), day.close_at) - duration  # latest start here
                free = _free_starts(
                    day.grid[first:stop],
                    end_by,
                    span,
                    blocked.get(podiatrist_id, _EMPTY),
                    held.get(podiatrist_id, _EMPTY),
                )
                for k, is_held in free:
                    row = (day.grid[first + k], policy.site_id, podiatrist_id, is_held)
                    found.append((*row, day.grid_utc[first + k]))
    return _as_slots(found, query.duration)


def _free_starts(
    starts: list[float], end_by: float, span: float, blocked: _Intervals, held: _Intervals
) -> Iterator[tuple[int, bool]]:
    """(index, held) of the increasing starts up to end_by whose [start, start + span) is free."""
    # One pointer per interval list, only moving forward: O(starts + intervals), not a product.
    block_starts, block_ends = blocked
    held_starts, held_ends = held
    if not starts:
        return
    i = bisect_right(block_ends, starts[0])
    j = bisect_right(held_ends, starts[0])
    for k, start in enumerate(starts):
        if start > end_by:
            return
        while i < len(block_ends) and block_ends[i] <= start:
            i += 1
        if i < len(block_ends) and block_starts[i] < start + span:
            continue
        while j < len(held_ends) and held_ends[j] <= start:
            j += 1
        yield k, j < len(held_ends) and held_starts[j] < start + span


def _as_slots(
    found: list[tuple[float, int, int, bool, datetime]], duration: timedelta
) -> list[Slot]:
    """Sorted, unique Slots from (start, site, podiatrist, held, start as UTC datetime) rows."""
    found.sort(key=lambda row: row[:3])
    slots: list[Slot] = []
    previous: tuple[float, int, int] | None = None
    for start, site_id, podiatrist_id, is_held, start_utc in found:
        if (start, site_id, podiatrist_id) == previous:
            continue  # the same site listed twice in the query
        previous = (start, site_id, podiatrist_id)
        slots.append(
            Slot(
                start=start_utc,
                end=start_utc + duration,
                site_id=site_id,
                podiatrist_id=podiatrist_id,
                held=is_held,
            )
        )
    return slots


def first_available(slots: Iterable[Slot]) -> list[Slot]:
    """One slot per (start, site): the lowest podiatrist_id free then, unheld before held."""
    # Preferring an unheld podiatrist keeps the urgent hold for the next urgent patient.
    best: dict[tuple[datetime, int], Slot] = {}
    for slot in slots:
        key = (slot.start, slot.site_id)
        current = best.get(key)
        if current is None or _rank(slot) < _rank(current):
            best[key] = slot
    return sorted(best.values(), key=lambda slot: (slot.start, slot.site_id))


def _rank(slot: Slot) -> tuple[bool, int]:
    return slot.held, slot.podiatrist_id


def is_bookable(query: SlotQuery, start: datetime, podiatrist_id: int, site_id: int) -> bool:
    """Whether find_slots(query) would offer exactly this start, podiatrist and site."""
    _require_aware(start, "start")
    if query.podiatrist_ids is not None and podiatrist_id not in query.podiatrist_ids:
        return False
    # Narrowing the window and the podiatrists leaves hold placement unchanged: it looks at the
    # whole day and at every podiatrist's shifts and Busy whatever the filter.
    narrowed = replace(
        query,
        podiatrist_ids=frozenset({podiatrist_id}),
        window_start=max(query.window_start, start),
        window_end=min(query.window_end, start + timedelta(microseconds=1)),
    )
    if narrowed.window_start >= narrowed.window_end:
        return False
    return any(s.start == start and s.site_id == site_id for s in find_slots(narrowed))


def nearest_slots(slots: Iterable[Slot], around: datetime, n: int = 5) -> list[Slot]:
    """The n (start, site) choices closest in time to `around`, in start order."""
    # One per (start, site): six podiatrists free at 09:30 are one choice for a patient.
    choices = first_available(slots)
    choices.sort(key=lambda slot: (abs(slot.start - around), slot.start, slot.site_id))
    return sorted(choices[:n], key=lambda slot: (slot.start, slot.site_id))


class _Day:
    """One open local date of a site: its opening instants and its grid of start instants."""

    __slots__ = ("close_at", "date", "grid", "grid_utc", "open_at", "tz", "weekday")

    def __init__(self, day: date, policy: SitePolicy, opens: time, closes: time):
        self.date = day
        self.weekday = day.weekday()
        self.tz = policy.tz
        self.open_at = self.at(opens)
        self.close_at = self.at(closes)
        self.grid: list[float] = []
        self.grid_utc: list[datetime] = []
        step = policy.grid_minutes * 60
        first = -(-_seconds(opens) // step) * step  # the first grid point at or after opening
        midnight = datetime.combine(day, time(0), tzinfo=self.tz)
        clocks_change = midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset()
        for of_day in range(first, min(_seconds(closes), 86400), step):
            wall = time(of_day // 3600, of_day // 60 % 60, of_day % 60)
            utc = datetime.combine(day, wall, tzinfo=self.tz).astimezone(UTC)
            if clocks_change and utc.astimezone(self.tz).time() != wall:
                continue  # skipped by spring forward: no such wall time today
            self.grid.append(utc.timestamp())
            self.grid_utc.append(utc)

    def at(self, wall: time) -> float:
        """The instant of a local wall time on this day."""
        return datetime.combine(self.date, wall, tzinfo=self.tz).timestamp()


def _open_days(policy: SitePolicy, first: float, last: float) -> Iterator[_Day]:
    """The site's open days whose local date lies between the instants first and last."""
    day = datetime.fromtimestamp(first, policy.tz).date()
    last_day = datetime.fromtimestamp(last, policy.tz).date()
    while day <= last_day:
        hours = policy.opening.get(day.weekday())
        if hours is not None and day not in policy.closures:
            yield _Day(day, policy, *hours)
        day += timedelta(days=1)


def _start_bounds(query: SlotQuery, policy: SitePolicy) -> tuple[float, float]:
    """Earliest and latest allowed start at this site (both inclusive, UTC seconds)."""
    earliest = max(query.window_start, query.now + policy.min_notice)
    latest = min(query.window_end, query.now + policy.horizon)
    return earliest.timestamp(), latest.timestamp()


def _shifts_by_site_weekday(
    shifts: Iterable[Shift],
) -> dict[tuple[int, int], list[tuple[int, time, time]]]:
    """(site, weekday) -> [(podiatrist, start, end)] by podiatrist, with touching lines merged."""
    lines: dict[tuple[int, int, int], list[tuple[time, time]]] = defaultdict(list)
    for shift in shifts:
        if shift.start < shift.end:  # the model forbids others; an inverted line yields nothing
            key = (shift.site_id, shift.weekday, shift.podiatrist_id)
            lines[key].append((shift.start, shift.end))
    merged: dict[tuple[int, int], list[tuple[int, time, time]]] = defaultdict(list)
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


def _busy_by_podiatrist(busy: Iterable[Busy]) -> dict[int, _Intervals]:
    pairs: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for interval in busy:
        pairs[interval.podiatrist_id].append((interval.start.timestamp(), interval.end.timestamp()))
    return {podiatrist_id: _merge(spans) for podiatrist_id, spans in pairs.items()}


def _merge(spans: Iterable[tuple[float, float]]) -> _Intervals:
    """Sort and join overlapping or touching intervals; drop empty ones."""
    starts: list[float] = []
    ends: list[float] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlaps(intervals: _Intervals, start: float, end: float) -> bool:
    starts, ends = intervals
    i = bisect_right(ends, start)
    return i < len(ends) and starts[i] < end


def _place_holds(
    query: SlotQuery,
    shifts: Mapping[tuple[int, int], list[tuple[int, time, time]]],
    busy: Mapping[int, _Intervals],
) -> dict[int, list[tuple[float, float]]]:
    """Active held windows per podiatrist (UTC seconds), placed as the module docstring says."""
    now = query.now.timestamp()
    consumed = _consumed_by_site(query.busy)
    holds: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for policy in query.sites:
        if not policy.urgent_hold_starts:
            continue
        earliest, latest = _start_bounds(query, policy)
        if earliest > latest:
            continue
        length = policy.urgent_hold_minutes * 60
        release = policy.urgent_release.total_seconds()
        # A day either side: a slot near the window's edge may still touch a hold next door.
        for day in _open_days(policy, earliest - 86400, latest + 86400):
            for hold_time in policy.urgent_hold_starts:
                start = day.at(hold_time)
                end = start + length
                if now >= start - release:
                    continue  # released: ordinary free time
                if start < day.open_at or end > day.close_at:
                    continue
                if _overlaps(consumed.get(policy.site_id, _EMPTY), start, end) or _overlaps(
                    consumed.get(None, _EMPTY), start, end
                ):
                    continue
                for podiatrist_id, shift_start, shift_end in shifts.get(
                    (policy.site_id, day.weekday), ()
                ):
                    if not (day.at(shift_start) <= start and end <= day.at(shift_end)):
                        continue
                    if _overlaps(busy.get(podiatrist_id, _EMPTY), start, end):
                        continue
                    if any(s < end and start < e for s, e in holds[podiatrist_id]):
                        continue
                    holds[podiatrist_id].append((start, end))
                    break
    return holds


def _consumed_by_site(busy: Iterable[Busy]) -> dict[int | None, _Intervals]:
    pairs: dict[int | None, list[tuple[float, float]]] = defaultdict(list)
    for interval in busy:
        if interval.held:
            pairs[interval.site_id].append((interval.start.timestamp(), interval.end.timestamp()))
    return {site_id: _merge(spans) for site_id, spans in pairs.items()}


def _blocked_and_held(
    busy: Mapping[int, _Intervals],
    holds: Mapping[int, list[tuple[float, float]]],
    may_use_holds: bool,
) -> tuple[dict[int, _Intervals], dict[int, _Intervals]]:
    """Per podiatrist: what a slot may not touch, and what marks a slot held."""
    if may_use_holds:
        return dict(busy), {pid: _merge(spans) for pid, spans in holds.items()}
    blocked = dict(busy)
    for podiatrist_id, spans in holds.items():
        starts, ends = busy.get(podiatrist_id, _EMPTY)
        blocked[podiatrist_id] = _merge([*zip(starts, ends, strict=True), *spans])
    return blocked, {}


def _seconds(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
