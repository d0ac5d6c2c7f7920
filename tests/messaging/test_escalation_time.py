"""messaging.escalation: 30 minutes of opening hours, across nights, weekends, holidays and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from messaging.escalation import SiteHours, escalation_due, hours_on

DETROIT = ZoneInfo("America/Detroit")
WEEKDAYS = SiteHours()  # Mon-Fri 08:00-17:00


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=DETROIT)


def due(moment: dt.datetime, *sites: SiteHours, minutes: int = 30) -> dt.datetime:
    result = escalation_due(moment, sites=sites or (WEEKDAYS,), minutes=minutes, zone=DETROIT)
    assert result.tzinfo is not None and result.utcoffset() == dt.timedelta(0)
    return result.astimezone(DETROIT)


def test_it_waits_thirty_minutes_of_opening_hours():
    assert due(local(2027, 3, 10, 9)) == local(2027, 3, 10, 9, 30)  # Wednesday morning
    assert due(local(2027, 3, 10, 16, 50)) == local(2027, 3, 11, 8, 20)  # 10 min today, 20 tomorrow
    assert due(local(2027, 3, 10, 6)) == local(2027, 3, 10, 8, 30)  # before opening
    assert due(local(2027, 3, 12, 20)) == local(2027, 3, 15, 8, 30)  # Friday night -> Monday


def test_the_weekend_clock_change_moves_nothing():
    # Spring forward on Sunday 2027-03-14, fall back on Sunday 2027-11-07.
    assert due(local(2027, 3, 13, 7)) == local(2027, 3, 15, 8, 30)
    assert due(local(2027, 11, 5, 16, 45)) == local(2027, 11, 8, 8, 15)


def test_a_holiday_closure_counts_as_closed():
    thursday = dt.date(2027, 3, 11)
    closed_thursday = SiteHours(closed=frozenset({thursday}))
    assert due(local(2027, 3, 10, 16, 50), closed_thursday) == local(2027, 3, 12, 8, 20)


def test_with_two_sites_it_counts_while_either_is_open():
    thursday = dt.date(2027, 3, 11)
    bloomfield = SiteHours(closed=frozenset({thursday}))
    howell = SiteHours(weekly={d: (dt.time(9), dt.time(18)) for d in range(5)})
    # Howell is open Thursday though Bloomfield Hills is not.
    assert due(local(2027, 3, 10, 17, 50), bloomfield, howell) == local(2027, 3, 11, 9, 20)
    assert hours_on(thursday, (bloomfield, howell)) == (dt.time(9), dt.time(18))
    assert hours_on(dt.date(2027, 3, 10), (bloomfield, howell)) == (dt.time(8), dt.time(18))
    both_closed = SiteHours(closed=frozenset({thursday}), weekly=howell.weekly)
    assert hours_on(thursday, (bloomfield, both_closed)) is None


def test_a_site_with_no_opening_hours_at_all_escalates_on_plain_clock_time():
    never_open = SiteHours(weekly={})
    assert due(local(2027, 3, 13, 7), never_open) == local(2027, 3, 13, 7, 30)
