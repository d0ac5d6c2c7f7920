"""The slot search and what the booking flow asks of its result."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from booking.availability.days import (
    UTC,
    open_days,
    shifts_by_site_weekday,
    start_bounds,
    unique_sites,
)
from booking.availability.holds import blocked_and_held, place_holds
from booking.availability.intervals import EMPTY, Intervals, merge
from booking.availability.values import Busy, Slot, SlotQuery, require_aware

# A slot found: (start in UTC seconds, site, podiatrist, held, start as a UTC datetime).
_Row = tuple[float, int, int, bool, datetime]


def find_slots(query: SlotQuery) -> list[Slot]:
    """Every bookable (start, podiatrist, site) in the window, sorted by start, site, podiatrist."""
    shifts = shifts_by_site_weekday(query.shifts)
    busy = _busy_by_podiatrist(query.busy)
    blocked, held = blocked_and_held(busy, place_holds(query, shifts, busy), query.may_use_holds)
    duration = query.duration.total_seconds()
    span = duration + query.buffer.total_seconds()
    window_end = query.window_end.timestamp()  # exclusive, unlike the horizon
    found: list[_Row] = []
    for policy in unique_sites(query):
        earliest, latest = start_bounds(query, policy)
        for day in open_days(policy, earliest, latest):
            # Starts allowed by window, notice and horizon: grid[first_allowed:stop].
            first_allowed = bisect_left(day.grid, earliest)
            stop = min(bisect_right(day.grid, latest), bisect_left(day.grid, window_end))
            on_shift = shifts.get((policy.site_id, day.weekday), ())
            for podiatrist_id, shift_start, shift_end in on_shift:
                if query.podiatrist_ids is not None and podiatrist_id not in query.podiatrist_ids:
                    continue
                first = max(first_allowed, bisect_left(day.grid, day.at(shift_start)))
                end_by = min(day.at(shift_end), day.close_at) - duration  # latest start here
                free = _free_starts(
                    day.grid[first:stop],
                    end_by,
                    span,
                    blocked.get(podiatrist_id, EMPTY),
                    held.get(podiatrist_id, EMPTY),
                )
                for k, is_held in free:
                    row = (day.grid[first + k], policy.site_id, podiatrist_id, is_held)
                    found.append((*row, day.grid_utc[first + k]))
    return _as_slots(found, query.duration)


def _free_starts(
    starts: Sequence[float], end_by: float, span: float, blocked: Intervals, held: Intervals
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


def _as_slots(found: list[_Row], duration: timedelta) -> list[Slot]:
    """Slots from (start, site, podiatrist, held, start as UTC datetime) rows, sorted."""
    found.sort()  # (start, site, podiatrist) is unique, so the rows never compare further
    # tuple.__new__ with the fields in Slot's order: a search makes a thousand slots or more, and
    # the named tuple's keyword constructor took four times as long per slot.
    new = tuple.__new__
    return [
        new(Slot, (utc, utc + duration, site_id, pid, is_held)) for _, site_id, pid, is_held, utc in found
    ]


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
    require_aware(start, "start")
    # Compared in UTC: a local time in the repeated hour of fall back never == a UTC datetime.
    start = start.astimezone(UTC)
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


def _busy_by_podiatrist(busy: Iterable[Busy]) -> dict[int, Intervals]:
    pairs: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for interval in busy:
        pairs[interval.podiatrist_id].append((interval.start.timestamp(), interval.end.timestamp()))
    return {podiatrist_id: merge(spans) for podiatrist_id, spans in pairs.items()}
