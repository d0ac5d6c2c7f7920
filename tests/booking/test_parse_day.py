"""One day parser for the booking pages: a calendar day from the query string, or today."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.when import parse_day
from tests.factories.booking import local

TODAY = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(local(2027, 3, 1, 9), tick=False):
        yield


@pytest.mark.parametrize("raw", [None, "", "nonsense", "2027-02-30", "20270310", "2027-W10-3"])
def test_a_missing_or_malformed_day_is_today(raw):
    assert parse_day(raw) == TODAY


def test_a_day_is_read_as_written_and_kept_within_the_bounds_given():
    assert parse_day("2026-12-24") == dt.date(2026, 12, 24)  # the staff's day view looks back too
    assert parse_day("2026-12-24", earliest=TODAY) == TODAY
    assert parse_day("2028-06-01", earliest=TODAY, latest=TODAY + dt.timedelta(days=366)) == dt.date(
        2028, 3, 1
    )
    assert parse_day("2027-03-10", earliest=TODAY, latest=TODAY + dt.timedelta(days=366)) == dt.date(
        2027, 3, 10
    )
