"""Held urgent capacity: where each hold sits, and what it blocks or marks (package docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from booking.availability.days import Line, OpenDay, open_days, unique_sites
from booking.availability.intervals import EMPTY, Intervals, merge, overlaps
from booking.availability.values import Busy, SitePolicy, SlotQuery


def place_holds(
    query: SlotQuery, shifts: Mapping[tuple[int, int], list[Line]], busy: Mapping[int, Intervals]
) -> dict[int, list[tuple[float, float]]]:
    """Active held windows per podiatrist (UTC seconds), placed as the package docstring says."""
    now = query.now.timestamp()
    consumed = _consumed_by_site(query.busy)
    holds: dict[int, list[tuple[float, float]]] = defaultdict(list)
    sites = unique_sites(query)
    first, last = _placement_days(query, sites)
    for policy in sites:
        if not policy.urgent_hold_starts:
            continue
        taken = [consumed.get(policy.site_id, EMPTY), consumed.get(None, EMPTY)]
        for day in open_days(policy, first, last):
            for hold_time in policy.urgent_hold_starts:
                start = day.at(hold_time)
                end = start + policy.urgent_hold_minutes * 60
                if now >= start - policy.urgent_release.total_seconds():
                    continue  # released: ordinary free time
                if start < day.open_at or end > day.close_at:
                    continue
                if any(overlaps(bookings, start, end) for bookings in taken):
                    continue  # an urgent booking already used this hold
                on_shift = shifts.get((policy.site_id, day.weekday), ())
                holder = _holder(day, on_shift, start, end, busy, holds)
                if holder is not None:
                    holds[holder].append((start, end))
    return holds


def _placement_days(query: SlotQuery, sites: Iterable[SitePolicy]) -> tuple[float, float]:
    """The instants between which holds are placed: the same days at every site.

    A podiatrist may work at two sites, so a hold at one site can pass the other site's hold to
    the next podiatrist. Holds are therefore placed on every day of the window at every site, not
    only within each site's own notice and horizon: otherwise a question about one start (a
    narrower window, `is_bookable`) could skip a site whose horizon ends earlier and place the
    other site's hold differently from a search of the whole window. A day either side: a slot
    near the window's edge may still touch a hold next door. Days more than a day before now
    hold nothing (released), nor days past every site's horizon.
    """
    now = query.now.timestamp()
    reach = max((now + p.horizon.total_seconds() for p in sites), default=now)
    first = max(query.window_start.timestamp(), now) - 86400
    last = min(query.window_end.timestamp(), reach) + 86400
    return first, last


def _holder(
    day: OpenDay,
    on_shift: Iterable[Line],
    start: float,
    end: float,
    busy: Mapping[int, Intervals],
    holds: Mapping[int, list[tuple[float, float]]],
) -> int | None:
    """The lowest podiatrist on shift over [start, end) and free then, if any."""
    for podiatrist_id, shift_start, shift_end in on_shift:  # ordered by podiatrist
        if not (day.at(shift_start) <= start and end <= day.at(shift_end)):
            continue
        if overlaps(busy.get(podiatrist_id, EMPTY), start, end):
            continue
        if any(s < end and start < e for s, e in holds.get(podiatrist_id, ())):
            continue
        return podiatrist_id
    return None


def _consumed_by_site(busy: Iterable[Busy]) -> dict[int | None, Intervals]:
    pairs: dict[int | None, list[tuple[float, float]]] = defaultdict(list)
    for interval in busy:
        if interval.held:
            pairs[interval.site_id].append((interval.start.timestamp(), interval.end.timestamp()))
    return {site_id: merge(spans) for site_id, spans in pairs.items()}


def blocked_and_held(
    busy: Mapping[int, Intervals],
    holds: Mapping[int, list[tuple[float, float]]],
    may_use_holds: bool,
) -> tuple[dict[int, Intervals], dict[int, Intervals]]:
    """Per podiatrist: what a slot may not touch, and what marks a slot held."""
    if may_use_holds:
        return dict(busy), {pid: merge(spans) for pid, spans in holds.items()}
    blocked = dict(busy)
    for podiatrist_id, spans in holds.items():
        starts, ends = busy.get(podiatrist_id, EMPTY)
        blocked[podiatrist_id] = merge([*zip(starts, ends, strict=True), *spans])
    return blocked, {}
