"""The pure slot-search core: grid, shifts, opening hours, closures, Busy, notice, horizon, sites.

No database: plain values in, Slots out. Helpers here are shared by the other
test_availability_* modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from booking.availability import (
    Busy,
    Shift,
    SitePolicy,
    Slot,
    SlotQuery,
    find_slots,
    first_available,
    is_bookable,
    nearest_slots,
)

DETROIT = ZoneInfo("America/Detroit")
UTC = ZoneInfo("UTC")
MONDAY = date(2027, 4, 5)  # an ordinary week, far from the clock changes
WEEKDAYS = range(5)
EXAM = timedelta(minutes=40)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=DETROIT)


def policy(site_id: int = 1, **changes: Any) -> SitePolicy:
    """A site with product.md's defaults: Mon-Fri 08:00-17:00, no holds unless asked."""
    values: dict[str, Any] = {
        "site_id": site_id,
        "tz": DETROIT,
        "opening": {d: (time(8), time(17)) for d in WEEKDAYS},
        "closures": frozenset(),
    }
    return SitePolicy(**(values | changes))


def shifts(
    podiatrists: Iterable[int] = (1,),
    *,
    site_id: int = 1,
    weekdays: Iterable[int] = WEEKDAYS,
    start: time = time(8),
    end: time = time(17),
) -> tuple[Shift, ...]:
    weekdays = tuple(weekdays)
    return tuple(
        Shift(podiatrist_id=p, site_id=site_id, weekday=d, start=start, end=end)
        for p in podiatrists
        for d in weekdays
    )


def busy(podiatrist_id: int, start: datetime, end: datetime, **extra: Any) -> Busy:
    return Busy(podiatrist_id=podiatrist_id, start=start, end=end, **extra)


def query(day: date = MONDAY, days: int = 1, **changes: Any) -> SlotQuery:
    """One site, podiatrist 1 on the default shift, a window of whole local days from `day`."""
    values: dict[str, Any] = {
        "sites": (policy(),),
        "shifts": shifts(),
        "busy": (),
        "duration": EXAM,
        "window_start": local(day, 0),
        "window_end": local(day + timedelta(days=days), 0),
        "now": local(day - timedelta(days=7), 9),
    }
    return SlotQuery(**(values | changes))


def local_times(slots: Iterable[Slot], podiatrist_id: int | None = None) -> list[str]:
    return [
        f"{s.start.astimezone(DETROIT):%H:%M}"
        for s in slots
        if podiatrist_id is None or s.podiatrist_id == podiatrist_id
    ]


def grid(first: str, last: str, step: int = 10) -> list[str]:
    """Local wall times from first to last inclusive, as HH:MM."""
    start = datetime.strptime(first, "%H:%M").replace(tzinfo=UTC)
    end = datetime.strptime(last, "%H:%M").replace(tzinfo=UTC)
    times = []
    while start <= end:
        times.append(f"{start:%H:%M}")
        start += timedelta(minutes=step)
    return times


# Grid, shifts and opening hours


def test_it_lays_the_grid_in_local_time_from_opening_to_the_last_fitting_start():
    slots = find_slots(query())
    assert local_times(slots) == grid("08:00", "16:20")
    assert all(s.end - s.start == EXAM for s in slots)


def test_slot_times_are_aware_utc():
    slot = find_slots(query())[0]
    assert slot.start.utcoffset() == timedelta(0)
    assert slot.start == datetime(2027, 4, 5, 12, 0, tzinfo=UTC)  # 08:00 EDT


def test_an_off_grid_shift_starts_at_the_next_grid_point():
    slots = find_slots(query(shifts=shifts(start=time(8, 5), end=time(10, 0))))
    assert local_times(slots) == grid("08:10", "09:20")


def test_the_grid_follows_the_site_setting():
    slots = find_slots(query(sites=(policy(grid_minutes=15),), duration=timedelta(minutes=30)))
    assert local_times(slots) == grid("08:00", "16:30", step=15)


def test_slots_lie_wholly_inside_the_shift():
    slots = find_slots(query(shifts=shifts(start=time(9), end=time(12))))
    assert local_times(slots) == grid("09:00", "11:20")


def test_opening_hours_cut_a_longer_shift():
    slots = find_slots(query(shifts=shifts(start=time(7), end=time(18))))
    assert local_times(slots) == grid("08:00", "16:20")


def test_a_shift_on_a_weekday_without_opening_hours_yields_nothing():
    saturday = MONDAY + timedelta(days=5)
    assert find_slots(query(day=saturday, shifts=shifts(weekdays=[5]))) == []


def test_a_closure_date_yields_nothing_and_the_next_day_is_open():
    closed = policy(closures=frozenset({MONDAY}))
    slots = find_slots(query(days=2, sites=(closed,)))
    assert {s.start.astimezone(DETROIT).date() for s in slots} == {MONDAY + timedelta(days=1)}


def test_overlapping_and_touching_shift_lines_count_as_one_shift():
    lines = (
        *shifts(start=time(8), end=time(10)),
        *shifts(start=time(9), end=time(12)),
        *shifts(start=time(12), end=time(13)),
    )
    slots = find_slots(query(shifts=lines))
    assert local_times(slots) == grid("08:00", "12:20")  # 11:40-12:20 spans the touching lines


def test_a_split_shift_has_no_slot_across_its_gap():
    lines = (*shifts(start=time(8), end=time(12)), *shifts(start=time(13), end=time(17)))
    slots = find_slots(query(shifts=lines))
    assert local_times(slots) == grid("08:00", "11:20") + grid("13:00", "16:20")


# Busy, buffer, time off


def test_busy_blocks_every_slot_that_overlaps_it():
    taken = busy(1, local(MONDAY, 10), local(MONDAY, 10, 40))
    times = local_times(find_slots(query(busy=(taken,))))
    assert "09:20" in times and "10:40" in times
    assert not set(grid("09:30", "10:30")) & set(times)


def test_the_buffer_after_an_appointment_may_not_touch_the_next_busy():
    taken = busy(1, local(MONDAY, 10), local(MONDAY, 10, 40))
    times = local_times(find_slots(query(busy=(taken,), buffer=timedelta(minutes=10))))
    assert "09:10" in times  # 09:10-09:50, buffer to 10:00
    assert "09:20" not in times  # its buffer would run to 10:10


def test_the_buffer_may_run_past_closing():
    times = local_times(find_slots(query(buffer=timedelta(minutes=10))))
    assert times[-1] == "16:20"


def test_the_buffer_may_not_run_into_busy_after_the_shift():
    elsewhere = busy(1, local(MONDAY, 17), local(MONDAY, 18))
    times = local_times(find_slots(query(busy=(elsewhere,), buffer=timedelta(minutes=10))))
    assert times[-1] == "16:10"


def test_time_off_over_several_days_blocks_them_all():
    off = busy(1, local(MONDAY, 0), local(MONDAY + timedelta(days=2), 12))
    slots = find_slots(query(days=3, busy=(off,)))
    days = {s.start.astimezone(DETROIT).date() for s in slots}
    assert days == {MONDAY + timedelta(days=2)}
    assert local_times(slots)[0] == "12:00"


def test_busy_in_any_time_zone_is_compared_as_an_instant():
    start = datetime(2027, 4, 5, 14, 0, tzinfo=UTC)
    in_utc = busy(1, start, start + EXAM)
    times = local_times(find_slots(query(busy=(in_utc,))))
    assert "10:00" not in times and "10:40" in times  # 14:00Z is 10:00 EDT


def test_busy_of_another_podiatrist_does_not_block():
    taken = busy(2, local(MONDAY, 10), local(MONDAY, 12))
    assert local_times(find_slots(query(busy=(taken,)))) == grid("08:00", "16:20")


# Window, notice, horizon


def test_minimum_notice_counts_from_now():
    slots = find_slots(query(now=local(MONDAY, 9, 5)))
    assert local_times(slots)[0] == "11:10"


def test_notice_is_per_site():
    hurried = policy(site_id=2, min_notice=timedelta(0))
    both = (*shifts(), *shifts([2], site_id=2))
    slots = find_slots(query(sites=(policy(), hurried), shifts=both, now=local(MONDAY, 9, 5)))
    assert local_times([s for s in slots if s.site_id == 1])[0] == "11:10"
    assert local_times([s for s in slots if s.site_id == 2])[0] == "09:10"


def test_the_horizon_is_inclusive_and_cuts_the_last_day():
    now = local(MONDAY, 12)
    last_day = MONDAY + timedelta(days=60)
    slots = find_slots(query(day=last_day - timedelta(days=1), days=2, now=now))
    assert max(s.start for s in slots) == local(last_day, 12)


def test_the_window_is_half_open():
    window = {"window_start": local(MONDAY, 10), "window_end": local(MONDAY, 11)}
    assert local_times(find_slots(query(**window))) == grid("10:00", "10:50")


def test_a_window_in_the_past_of_the_notice_is_empty():
    assert find_slots(query(now=local(MONDAY + timedelta(days=1), 9))) == []


# Sites and podiatrists


def test_results_are_sorted_by_start_then_site_then_podiatrist_and_unique():
    both = (*shifts([2, 1]), *shifts([1, 3], site_id=2))
    slots = find_slots(query(sites=(policy(site_id=2), policy()), shifts=both))
    keys = [(s.start, s.site_id, s.podiatrist_id) for s in slots]
    assert keys == sorted(set(keys))
    assert slots == sorted(slots)
    assert keys[:4] == [(local(MONDAY, 8), 1, 1), (local(MONDAY, 8), 1, 2)] + [
        (local(MONDAY, 8), 2, 1),
        (local(MONDAY, 8), 2, 3),
    ]


def test_the_podiatrist_filter_keeps_only_the_chosen_podiatrists():
    slots = find_slots(query(shifts=shifts([1, 2, 3]), podiatrist_ids=frozenset({2})))
    assert {s.podiatrist_id for s in slots} == {2}


def test_a_podiatrist_at_one_site_in_the_morning_and_the_other_in_the_afternoon():
    day = (
        *shifts(start=time(8), end=time(12)),
        *shifts(site_id=2, start=time(13), end=time(17)),
    )
    lunch_at_site_one = busy(1, local(MONDAY, 9), local(MONDAY, 10))
    slots = find_slots(query(sites=(policy(), policy(2)), shifts=day, busy=(lunch_at_site_one,)))
    site_one = local_times([s for s in slots if s.site_id == 1])
    site_two = local_times([s for s in slots if s.site_id == 2])
    assert site_one == grid("08:00", "08:20") + grid("10:00", "11:20")
    assert site_two == grid("13:00", "16:20")


def test_a_podiatrist_at_each_site_on_different_days():
    week = (*shifts(weekdays=[0]), *shifts(site_id=2, weekdays=[1]))
    slots = find_slots(query(days=2, sites=(policy(), policy(2)), shifts=week))
    by_site = {(s.site_id, s.start.astimezone(DETROIT).date()) for s in slots}
    assert by_site == {(1, MONDAY), (2, MONDAY + timedelta(days=1))}


def test_a_closure_at_one_site_leaves_the_other_open():
    both = (*shifts([1]), *shifts([2], site_id=2))
    sites = (policy(closures=frozenset({MONDAY})), policy(2))
    slots = find_slots(query(sites=sites, shifts=both))
    assert {s.site_id for s in slots} == {2}


def test_a_site_listed_twice_gives_no_duplicates():
    slots = find_slots(query(sites=(policy(), policy())))
    assert len(slots) == len(set(slots)) == 51


# first_available, is_bookable, nearest_slots


def test_first_available_gives_the_lowest_free_podiatrist_per_start_and_site():
    taken = busy(1, local(MONDAY, 10), local(MONDAY, 10, 40))
    slots = find_slots(query(shifts=shifts([3, 1, 2]), busy=(taken,)))
    chosen = first_available(slots)
    assert len(chosen) == len({(s.start, s.site_id) for s in slots}) == 51
    by_time = {f"{s.start.astimezone(DETROIT):%H:%M}": s.podiatrist_id for s in chosen}
    assert by_time["08:00"] == 1
    assert by_time["10:00"] == 2
    assert chosen == sorted(chosen, key=lambda s: (s.start, s.site_id))


def test_first_available_keeps_one_per_site():
    both = (*shifts([1]), *shifts([2], site_id=2))
    chosen = first_available(find_slots(query(sites=(policy(), policy(2)), shifts=both)))
    assert [(s.site_id, s.podiatrist_id) for s in chosen[:2]] == [(1, 1), (2, 2)]


def test_is_bookable_agrees_with_find_slots():
    taken = busy(1, local(MONDAY, 10), local(MONDAY, 10, 40))
    q = query(shifts=shifts([1, 2]), busy=(taken,))
    assert is_bookable(q, local(MONDAY, 9, 20), 1, 1)
    assert not is_bookable(q, local(MONDAY, 9, 30), 1, 1)  # runs into the busy
    assert is_bookable(q, local(MONDAY, 9, 30), 2, 1)
    assert not is_bookable(q, local(MONDAY, 9, 25), 2, 1)  # off the grid
    assert not is_bookable(q, local(MONDAY, 9, 30), 2, 2)  # no such site
    assert not is_bookable(q, local(MONDAY, 16, 30), 2, 1)  # would end after 17:00
    assert not is_bookable(q, local(MONDAY + timedelta(days=1), 9), 2, 1)  # outside the window
    assert not is_bookable(replace(q, podiatrist_ids=frozenset({1})), local(MONDAY, 9), 2, 1)


def test_is_bookable_for_every_slot_found():
    taken = busy(1, local(MONDAY, 10), local(MONDAY, 10, 40))
    q = query(shifts=shifts([1, 2]), busy=(taken,), buffer=timedelta(minutes=10))
    for slot in find_slots(q):
        assert is_bookable(q, slot.start, slot.podiatrist_id, slot.site_id)


def test_nearest_slots_gives_the_closest_choices_in_start_order():
    taken = busy(1, local(MONDAY, 9, 30), local(MONDAY, 10, 30))
    slots = find_slots(query(busy=(taken,)))
    nearest = nearest_slots(slots, local(MONDAY, 10))
    # 10:30 to 11:00 are 30-60 minutes off; 08:50 and 11:10 tie at 70 and the earlier wins.
    assert local_times(nearest) == ["08:50", "10:30", "10:40", "10:50", "11:00"]


def test_nearest_slots_counts_a_time_once_however_many_podiatrists_are_free():
    slots = find_slots(query(shifts=shifts([1, 2, 3])))
    nearest = nearest_slots(slots, local(MONDAY, 12, 5))
    # 12:00 and 12:10 are 5 minutes off, 11:50 and 12:20 15; of 11:40 and 12:30 the earlier wins.
    assert local_times(nearest) == ["11:40", "11:50", "12:00", "12:10", "12:20"]
    assert {s.podiatrist_id for s in nearest} == {1}


def test_nearest_slots_of_nothing_is_nothing():
    assert nearest_slots([], local(MONDAY, 10)) == []


# Bad input


@pytest.mark.parametrize("field", ["window_start", "window_end", "now"])
def test_naive_query_datetimes_are_refused(field):
    naive = datetime(2027, 4, 5, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match=field):
        query(**{field: naive})


def test_naive_busy_is_refused():
    naive = datetime(2027, 4, 5, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="Busy.start"):
        busy(1, naive, local(MONDAY, 10))


def test_a_duration_must_be_positive():
    with pytest.raises(ValueError, match="duration"):
        query(duration=timedelta(0))
