"""Held urgent capacity: where a hold sits, who may use it, when it is released."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking.availability import find_slots, first_available, is_bookable
from tests.booking.test_availability import (
    DETROIT,
    MONDAY,
    busy,
    grid,
    local,
    local_times,
    policy,
    query,
    shifts,
)

HOLDS = (time(10), time(14))
# Every 40-minute start whose [start, end) touches [10:00, 10:30) or [14:00, 14:30).
TOUCHING_HOLDS = grid("09:30", "10:20") + grid("13:30", "14:20")
EARLY = local(MONDAY - timedelta(days=3), 9)  # well before the 24-hour release


def held_query(**changes):
    values = {
        "sites": (policy(urgent_hold_starts=HOLDS),),
        "shifts": shifts([1, 2]),
        "now": EARLY,
    }
    return query(**(values | changes))


def test_before_release_the_hold_blocks_the_lowest_free_podiatrist_for_everyone_else():
    slots = find_slots(held_query())
    assert not set(TOUCHING_HOLDS) & set(local_times(slots, podiatrist_id=1))
    assert local_times(slots, podiatrist_id=2) == grid("08:00", "16:20")
    assert not any(s.held for s in slots)


def test_the_urgent_lane_sees_the_held_slots_marked_held():
    slots = find_slots(held_query(may_use_holds=True))
    held = [s for s in slots if s.held]
    assert {s.podiatrist_id for s in held} == {1}
    assert local_times(held) == TOUCHING_HOLDS
    assert local_times(slots, podiatrist_id=1) == grid("08:00", "16:20")


def test_the_buffer_counts_when_deciding_whether_a_slot_touches_a_hold():
    slots = find_slots(held_query(buffer=timedelta(minutes=10)))
    times = local_times(slots, podiatrist_id=1)
    assert "09:20" not in times  # 09:20-10:00 plus 10 minutes of buffer runs into the hold
    assert "09:10" in times


def test_after_release_the_hold_is_ordinary_free_time():
    now = local(MONDAY - timedelta(days=1), 14)  # exactly 24 hours before the 14:00 hold
    for may_use_holds in (False, True):
        slots = find_slots(held_query(now=now, may_use_holds=may_use_holds))
        assert local_times(slots, podiatrist_id=1) == grid("08:00", "16:20")
        assert not any(s.held for s in slots)


def test_each_hold_is_released_on_its_own_clock():
    now = local(MONDAY - timedelta(days=1), 12)  # the 10:00 hold is released, the 14:00 one not
    slots = find_slots(held_query(now=now, may_use_holds=True))
    assert local_times([s for s in slots if s.held]) == grid("13:30", "14:20")


def test_a_busy_podiatrist_passes_the_hold_to_the_next_free_one():
    booked = busy(1, local(MONDAY, 10), local(MONDAY, 10, 30))
    slots = find_slots(held_query(busy=(booked,), may_use_holds=True))
    held = [s for s in slots if s.held]
    assert {(s.podiatrist_id, f"{s.start.astimezone(DETROIT):%H}") for s in held} == {
        (2, "09"),
        (2, "10"),
        (1, "13"),
        (1, "14"),
    }


def test_when_nobody_is_free_the_hold_is_not_placed():
    everyone = (
        busy(1, local(MONDAY, 10), local(MONDAY, 11)),
        busy(2, local(MONDAY, 10), local(MONDAY, 11)),
    )
    slots = find_slots(held_query(busy=everyone, may_use_holds=True))
    assert local_times([s for s in slots if s.held]) == grid("13:30", "14:20")


def test_a_booking_made_into_a_hold_consumes_it_instead_of_moving_it():
    urgent = busy(1, local(MONDAY, 10), local(MONDAY, 10, 30), site_id=1, held=True)
    slots = find_slots(held_query(busy=(urgent,)))
    assert "10:00" in local_times(slots, podiatrist_id=2)  # no new hold on podiatrist 2
    assert "10:00" not in local_times(slots, podiatrist_id=1)  # the booking itself


def test_a_held_booking_at_another_site_does_not_consume_this_sites_hold():
    elsewhere = busy(3, local(MONDAY, 10), local(MONDAY, 10, 30), site_id=2, held=True)
    slots = find_slots(held_query(busy=(elsewhere,)))
    assert "10:00" not in local_times(slots, podiatrist_id=1)


def test_the_hold_goes_to_a_podiatrist_whose_shift_covers_it():
    late_start = (*shifts([1], start=time(10, 10)), *shifts([2]))
    slots = find_slots(held_query(shifts=late_start, may_use_holds=True))
    held = [s for s in slots if s.held]
    assert {(s.podiatrist_id, f"{s.start.astimezone(DETROIT):%H}") for s in held} == {
        (2, "09"),
        (2, "10"),
        (1, "13"),
        (1, "14"),
    }


def test_overlapping_hold_times_sit_on_different_podiatrists():
    site = policy(urgent_hold_starts=(time(10), time(10, 15)))
    slots = find_slots(held_query(sites=(site,), may_use_holds=True))
    assert {s.podiatrist_id for s in slots if s.held} == {1, 2}


def test_a_hold_outside_opening_hours_or_on_a_closed_day_is_not_placed():
    late = policy(urgent_hold_starts=(time(16, 45),))
    assert not any(s.held for s in find_slots(held_query(sites=(late,), may_use_holds=True)))
    closed = policy(urgent_hold_starts=HOLDS, closures=frozenset({MONDAY}))
    assert find_slots(held_query(sites=(closed,), may_use_holds=True)) == []


def test_a_search_for_one_podiatrist_sees_the_hold_where_everyone_would():
    only_two = find_slots(held_query(podiatrist_ids=frozenset({2})))
    assert local_times(only_two) == grid("08:00", "16:20")  # the hold is on podiatrist 1
    only_one = find_slots(held_query(podiatrist_ids=frozenset({1})))
    assert not set(TOUCHING_HOLDS) & set(local_times(only_one))


def test_holds_are_per_site():
    both = (*shifts([1]), *shifts([2], site_id=2))
    sites = (policy(urgent_hold_starts=HOLDS), policy(2))
    slots = find_slots(held_query(sites=sites, shifts=both, may_use_holds=True))
    assert {s.site_id for s in slots if s.held} == {1}


def test_first_available_prefers_an_unheld_podiatrist_at_the_same_time():
    chosen = first_available(find_slots(held_query(may_use_holds=True)))
    at_ten = next(s for s in chosen if s.start == local(MONDAY, 10))
    assert (at_ten.podiatrist_id, at_ten.held) == (2, False)
    only_one = first_available(find_slots(held_query(may_use_holds=True, shifts=shifts([1]))))
    assert next(s for s in only_one if s.start == local(MONDAY, 10)).held


def test_is_bookable_respects_the_hold():
    ten = local(MONDAY, 10)
    assert not is_bookable(held_query(), ten, 1, 1)
    assert is_bookable(held_query(may_use_holds=True), ten, 1, 1)
    assert is_bookable(held_query(), ten, 2, 1)


def test_a_hold_on_a_clock_change_day_sits_at_the_local_time():
    spring_forward = date(2027, 3, 14)
    site = policy(opening={6: (time(8), time(17))}, urgent_hold_starts=(time(10),))
    q = held_query(
        day=spring_forward,
        sites=(site,),
        shifts=shifts([1], weekdays=[6]),
        now=local(spring_forward - timedelta(days=3), 9),
        may_use_holds=True,
    )
    held = [s for s in find_slots(q) if s.held]
    assert local_times(held) == grid("09:30", "10:20")
    assert held[0].start.astimezone(DETROIT) == datetime(2027, 3, 14, 9, 30, tzinfo=DETROIT)


def test_a_site_listed_twice_holds_its_windows_once():
    site = policy(urgent_hold_starts=HOLDS)
    slots = find_slots(held_query(sites=(site, site), may_use_holds=True))
    assert {s.podiatrist_id for s in slots if s.held} == {1}


def test_a_hold_at_one_site_counts_at_the_other_whatever_the_window_asked_about():
    # Podiatrist 1 works Mondays at both sites (data the model allows). Site 1 books only six
    # days ahead, so Monday is past its horizon, yet its 10:00 hold is placed on podiatrist 1 in
    # a search of the whole week and site 2's hold passes to podiatrist 2. A question about one
    # start at site 2 must see the same placement, or booking and search disagree.
    sites = (
        policy(1, urgent_hold_starts=(time(10),), horizon=timedelta(days=6)),
        policy(2, urgent_hold_starts=(time(10),)),
    )
    both = shifts([1], site_id=1) + shifts([1, 2], site_id=2)
    week = query(MONDAY - timedelta(days=1), days=3, sites=sites, shifts=both, now=EARLY - timedelta(days=4))
    offered = {(s.start, s.podiatrist_id, s.site_id) for s in find_slots(week)}
    for podiatrist_id in (1, 2):
        start = local(MONDAY, 10)
        assert is_bookable(week, start, podiatrist_id, 2) == ((start, podiatrist_id, 2) in offered), (
            podiatrist_id
        )
    assert (local(MONDAY, 10), 2, 2) not in offered  # podiatrist 2 holds site 2's window
