"""The grid on the days America/Detroit changes its clocks: same wall times, right instants.

Spring forward: 2027-03-14 (02:00 EST -> 03:00 EDT). Fall back: 2026-11-01 and 2027-11-07
(02:00 EDT -> 01:00 EST). All three are Sundays, so the site opens on Sunday here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from booking.availability import find_slots, first_available, is_bookable
from tests.booking.test_availability import (
    DETROIT,
    UTC,
    busy,
    grid,
    local,
    local_times,
    policy,
    query,
    shifts,
)

SPRING_FORWARD = date(2027, 3, 14)
FALL_BACK_2026 = date(2026, 11, 1)
FALL_BACK_2027 = date(2027, 11, 7)
CHANGES = [SPRING_FORWARD, FALL_BACK_2026, FALL_BACK_2027]
EVERY_DAY = range(7)
# 08:00 local in UTC on each change day: EDT (UTC-4) after spring forward, EST (UTC-5) after
# fall back.
EIGHT_AM_UTC = {
    SPRING_FORWARD: datetime(2027, 3, 14, 12, 0, tzinfo=UTC),
    FALL_BACK_2026: datetime(2026, 11, 1, 13, 0, tzinfo=UTC),
    FALL_BACK_2027: datetime(2027, 11, 7, 13, 0, tzinfo=UTC),
}


def open_every_day(until: time = time(17), **changes):
    return policy(opening={d: (time(8), until) for d in EVERY_DAY}, **changes)


@pytest.mark.parametrize("day", CHANGES, ids=str)
def test_a_day_shift_gives_exactly_the_local_grid(day):
    q = query(day=day, sites=(open_every_day(),), shifts=shifts(weekdays=EVERY_DAY))
    slots = find_slots(q)
    assert local_times(slots) == grid("08:00", "16:20")
    assert all(s.end - s.start == timedelta(minutes=40) for s in slots)
    assert slots[0].start == EIGHT_AM_UTC[day]
    assert slots[-1].end.astimezone(DETROIT) == local(day, 17)


@pytest.mark.parametrize("day", CHANGES, ids=str)
def test_an_evening_shift_to_19_gives_the_18_oclock_slots(day):
    q = query(
        day=day,
        sites=(open_every_day(until=time(19)),),
        shifts=shifts(weekdays=EVERY_DAY, start=time(8), end=time(19)),
    )
    times = local_times(find_slots(q))
    assert times == grid("08:00", "18:20")
    assert "18:00" in times


@pytest.mark.parametrize("day", CHANGES, ids=str)
def test_evenings_either_side_of_the_change_keep_the_same_local_grid(day):
    q = query(
        day=day - timedelta(days=1),
        days=3,
        sites=(open_every_day(until=time(19)),),
        shifts=shifts(weekdays=EVERY_DAY, start=time(17, 20), end=time(19)),
        duration=timedelta(minutes=30),
    )
    by_day: dict[date, list[str]] = {}
    for slot in find_slots(q):
        by_day.setdefault(slot.start.astimezone(DETROIT).date(), []).append(
            f"{slot.start.astimezone(DETROIT):%H:%M}"
        )
    assert by_day == {day + timedelta(days=i): grid("17:20", "18:30") for i in (-1, 0, 1)}


def test_the_skipped_hour_of_spring_forward_has_no_slots_and_no_duplicates():
    night = policy(opening={6: (time(0), time(5))}, grid_minutes=30)
    q = query(
        day=SPRING_FORWARD,
        sites=(night,),
        shifts=shifts(weekdays=[6], start=time(0), end=time(5)),
        duration=timedelta(minutes=30),
    )
    slots = find_slots(q)
    # 02:00 and 02:30 do not exist that night: the grid jumps from 01:30 to 03:00.
    assert local_times(slots) == grid("00:00", "01:30", 30) + grid("03:00", "04:30", 30)
    assert len({s.start for s in slots}) == len(slots)
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


def test_the_repeated_hour_of_fall_back_counts_once_at_its_first_occurrence():
    night = policy(opening={6: (time(0), time(4))}, grid_minutes=30)
    q = query(
        day=FALL_BACK_2027,
        sites=(night,),
        shifts=shifts(weekdays=[6], start=time(0), end=time(4)),
        duration=timedelta(minutes=30),
    )
    slots = find_slots(q)
    assert local_times(slots) == grid("00:00", "03:30", 30)
    one_am = [s for s in slots if s.start.astimezone(DETROIT).hour == 1]
    assert [s.start for s in one_am] == [
        datetime(2027, 11, 7, 5, 0, tzinfo=UTC),  # 01:00 EDT, the first time round
        datetime(2027, 11, 7, 5, 30, tzinfo=UTC),
    ]


@pytest.mark.parametrize("day", CHANGES, ids=str)
def test_busy_and_is_bookable_work_in_instants_on_change_days(day):
    q = query(
        day=day,
        sites=(open_every_day(),),
        shifts=shifts([1, 2], weekdays=EVERY_DAY),
        busy=(busy(1, local(day, 9), local(day, 9, 40)),),
    )
    slots = find_slots(q)
    assert "09:00" not in local_times(slots, podiatrist_id=1)
    assert "09:00" in local_times(slots, podiatrist_id=2)
    assert not is_bookable(q, local(day, 9), 1, 1)
    assert is_bookable(q, local(day, 9), 2, 1)
    assert len(first_available(slots)) == 51


def test_a_search_across_spring_forward_keeps_each_days_grid():
    friday = SPRING_FORWARD - timedelta(days=2)
    q = query(day=friday, days=4, shifts=shifts([1]))  # Mon-Fri site: Friday and Monday
    slots = find_slots(q)
    days = sorted({s.start.astimezone(DETROIT).date() for s in slots})
    assert days == [friday, SPRING_FORWARD + timedelta(days=1)]
    for day in days:
        on_day = [s for s in slots if s.start.astimezone(DETROIT).date() == day]
        assert local_times(on_day) == grid("08:00", "16:20")
    assert slots[0].start == datetime(2027, 3, 12, 13, 0, tzinfo=UTC)  # EST
    monday = [s for s in slots if s.start.astimezone(DETROIT).date() == days[1]]
    assert monday[0].start == datetime(2027, 3, 15, 12, 0, tzinfo=UTC)  # EDT


def test_is_bookable_takes_a_local_time_in_the_repeated_hour():
    night = policy(opening={6: (time(0), time(4))}, grid_minutes=30)
    q = query(
        day=FALL_BACK_2026,
        sites=(night,),
        shifts=shifts(weekdays=[6], start=time(0), end=time(4)),
        duration=timedelta(minutes=30),
    )
    assert is_bookable(q, local(FALL_BACK_2026, 1, 30), 1, 1)  # 01:30 EDT, the first one
