"""The waitlist's pure matching core: who is offered a freed time, in what order, in batches."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from waitlist.matching import (
    DayPart,
    Entry,
    FreedTime,
    Priority,
    day_part_of,
    matches,
    next_batch,
    offer_order,
)

DETROIT = ZoneInfo("America/Detroit")
UTC = ZoneInfo("UTC")
# Tuesday 2027-03-09 09:30 in Bloomfield Hills; "now" is the Monday before, 9:00.
START = datetime(2027, 3, 9, 9, 30, tzinfo=DETROIT)
NOW = datetime(2027, 3, 8, 9, 0, tzinfo=DETROIT)
BLOOMFIELD, HOWELL = 1, 2
EXAM, ORTHOTICS = 10, 11
ALL_WEEK = frozenset(range(5))
ALL_DAY = frozenset(DayPart)


def freed(**changes: object) -> FreedTime:
    values: dict[str, object] = {
        "site_id": BLOOMFIELD,
        "type_id": EXAM,
        "start": START,
        "tz": DETROIT,
        "min_notice": timedelta(hours=2),
        "horizon": timedelta(days=60),
    }
    return FreedTime(**(values | changes))  # type: ignore[arg-type]


def entry(entry_id: int = 1, **changes: object) -> Entry:
    values: dict[str, object] = {
        "entry_id": entry_id,
        "patient_id": 100 + entry_id,
        "type_id": EXAM,
        "site_id": None,
        "first_day": date(2027, 3, 1),
        "last_day": date(2027, 3, 31),
        "weekdays": ALL_WEEK,
        "day_parts": ALL_DAY,
        "priority": Priority.ROUTINE,
        "joined": datetime(2027, 2, 1, 12, tzinfo=UTC) + timedelta(minutes=entry_id),
    }
    return Entry(**(values | changes))  # type: ignore[arg-type]


def test_an_entry_for_either_site_matches_a_time_at_either_site():
    assert matches(entry(), freed(site_id=BLOOMFIELD), now=NOW)
    assert matches(entry(), freed(site_id=HOWELL), now=NOW)


def test_an_entry_for_one_site_does_not_match_the_other_site():
    assert matches(entry(site_id=HOWELL), freed(site_id=HOWELL), now=NOW)
    assert not matches(entry(site_id=HOWELL), freed(site_id=BLOOMFIELD), now=NOW)


def test_an_entry_for_another_appointment_type_does_not_match():
    assert not matches(entry(type_id=ORTHOTICS), freed(), now=NOW)


def test_the_date_range_is_inclusive_and_read_in_the_sites_zone():
    assert matches(entry(first_day=date(2027, 3, 9), last_day=date(2027, 3, 9)), freed(), now=NOW)
    assert not matches(entry(last_day=date(2027, 3, 8)), freed(), now=NOW)
    assert not matches(entry(first_day=date(2027, 3, 10)), freed(), now=NOW)
    # 8:30 PM on Tuesday in Detroit is already Wednesday in UTC: the local date counts.
    evening = freed(start=datetime(2027, 3, 9, 20, 30, tzinfo=DETROIT))
    assert matches(entry(first_day=date(2027, 3, 9), last_day=date(2027, 3, 9)), evening, now=NOW)


def test_only_the_weekdays_the_patient_can_make_match():
    assert matches(entry(weekdays=frozenset({1})), freed(), now=NOW)  # Tuesday
    assert not matches(entry(weekdays=frozenset({0, 2, 3, 4})), freed(), now=NOW)


def test_parts_of_the_day_split_at_local_noon():
    morning = freed(start=datetime(2027, 3, 9, 11, 50, tzinfo=DETROIT))
    afternoon = freed(start=datetime(2027, 3, 9, 12, 0, tzinfo=DETROIT))
    mornings = entry(day_parts=frozenset({DayPart.MORNING}))
    afternoons = entry(day_parts=frozenset({DayPart.AFTERNOON}))
    assert matches(mornings, morning, now=NOW) and not matches(mornings, afternoon, now=NOW)
    assert matches(afternoons, afternoon, now=NOW) and not matches(afternoons, morning, now=NOW)
    assert day_part_of(datetime(2027, 3, 9, 16, 59, tzinfo=UTC), DETROIT) == DayPart.MORNING


def test_the_patient_who_freed_the_time_is_never_offered_it():
    assert not matches(entry(patient_id=7), freed(freed_by_patient_id=7), now=NOW)
    assert matches(entry(patient_id=8), freed(freed_by_patient_id=7), now=NOW)
    assert matches(entry(patient_id=None), freed(freed_by_patient_id=None), now=NOW)


def test_a_patient_with_a_booking_is_offered_only_an_earlier_time():
    assert matches(entry(booked_start=START + timedelta(days=7)), freed(), now=NOW)
    assert not matches(entry(booked_start=START), freed(), now=NOW)
    assert not matches(entry(booked_start=START - timedelta(days=1)), freed(), now=NOW)


def test_never_a_time_inside_the_minimum_notice():
    assert matches(entry(), freed(), now=START - timedelta(hours=2))
    assert not matches(entry(), freed(), now=START - timedelta(hours=1, minutes=59))


def test_never_a_time_past_the_horizon():
    assert matches(entry(), freed(), now=START - timedelta(days=60))
    assert not matches(entry(), freed(), now=START - timedelta(days=60, minutes=1))


def test_held_urgent_capacity_goes_to_others_only_after_its_release():
    release = START - timedelta(hours=24)
    held = freed(hold_released_at=release)
    routine, urgent = entry(1), entry(2, priority=Priority.URGENT, may_use_holds=True)
    before, after = release - timedelta(minutes=1), release
    assert not matches(routine, held, now=before)
    assert matches(urgent, held, now=before)
    assert matches(routine, held, now=after)


def test_urgent_first_then_soon_then_the_longest_waiting():
    joined = datetime(2027, 1, 1, tzinfo=UTC)
    entries = [
        entry(1, joined=joined + timedelta(days=3)),
        entry(2, joined=joined + timedelta(days=1)),
        entry(3, priority=Priority.SOON, joined=joined + timedelta(days=5)),
        entry(4, priority=Priority.URGENT, joined=joined + timedelta(days=9)),
        entry(5, joined=joined + timedelta(days=1)),  # same wait as 2: the lower id first
        entry(6, type_id=ORTHOTICS, priority=Priority.URGENT),
    ]
    assert [e.entry_id for e in offer_order(freed(), entries, now=NOW)] == [4, 3, 2, 5, 1]


def test_batches_of_n_skip_those_already_offered():
    entries = [entry(i) for i in range(1, 21)]
    first = next_batch(freed(), entries, now=NOW, size=3)
    assert [e.entry_id for e in first] == [1, 2, 3]
    second = next_batch(freed(), entries, now=NOW, size=3, already_offered=frozenset({1, 2, 3}))
    assert [e.entry_id for e in second] == [4, 5, 6]
    last = next_batch(freed(), entries, now=NOW, size=3, already_offered=frozenset(range(1, 20)))
    assert [e.entry_id for e in last] == [20]


def test_a_later_batch_rechecks_the_notice_with_its_own_now():
    entries = [entry(i) for i in range(1, 5)]
    late = START - timedelta(hours=1)
    assert next_batch(freed(), entries, now=late, size=3) == []


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError):
        next_batch(freed(), [entry()], now=NOW, size=0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        freed(start=datetime(2027, 3, 9, 9, 30))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError):
        replace(entry(), joined=datetime(2027, 3, 1))  # noqa: DTZ001


def test_the_core_imports_nothing_from_django():
    import subprocess
    import sys

    code = "import sys, waitlist.matching; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
