"""The offer path reads a fixed number of queries however long the waitlist (benchmarked in
tests/benchmarks/bench_waitlist.py at 10,000 entries and 100,000 appointments)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking import services as booking
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, make, wait_without_booking
from waitlist import services
from waitlist.models import Opening

pytestmark = [pytest.mark.django_db]

# The transaction's savepoint and its release (2), claim the batch, read the opening, the schedule
# (3: shifts, hours with closures, appointments with time off), the candidates, the offers, the
# ledger rows (their ids come back from the INSERT), and the next batch's time (a full batch plans
# the next one; a batch that is not full has nobody more to offer, so it costs one query less).
OFFER_QUERIES = 11
# Booking's cancellation (its own queries) plus the waitlist's hook: does anyone wait for the type,
# and the freed time recorded.
CANCEL_QUERIES = 13


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(("waiting", "batch"), [(1, 1), (50, 1), (3, 3), (50, 3)])
def test_from_a_cancellation_to_the_first_offers_costs_the_same_queries_for_1_or_50_waiting(
    waiting, batch, settings
):
    settings.WAITLIST_BATCH_SIZE = batch
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for i in range(waiting):
        wait_without_booking(clinic, f"w{i}")
    with CaptureQueriesContext(connection) as cancelling:
        booking.cancel_appointment(appointment=alice, now=NOW)
    opening = Opening.objects.get()  # the task's argument: not a query of the path
    with CaptureQueriesContext(connection) as offering:
        offers = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert len(offers) == batch
    assert (len(cancelling), len(offering)) == (CANCEL_QUERIES, OFFER_QUERIES)


@pytest.mark.parametrize("waiting", [4, 40])
def test_offering_a_freed_time_reads_a_fixed_number_of_queries(waiting, django_assert_num_queries):
    clinic = make()
    alice = book(clinic, "alice", FREED)
    for i in range(waiting):
        wait_without_booking(clinic, f"w{i}")
    booking.cancel_appointment(appointment=alice, now=NOW)
    opening = Opening.objects.get()
    with django_assert_num_queries(OFFER_QUERIES):
        assert len(services.offer_next_batch(opening_id=opening.pk, now=NOW)) == 3


def test_a_cancellation_costs_one_query_to_learn_nobody_waits_and_one_more_to_record_the_time():
    clinic = make()
    first = book(clinic, "first", local(2027, 3, 8, 11))
    second = book(clinic, "second", FREED)
    with CaptureQueriesContext(connection) as nobody_waits:
        booking.cancel_appointment(appointment=first, now=NOW)
    wait_without_booking(clinic, "bea")
    with CaptureQueriesContext(connection) as someone_waits:
        booking.cancel_appointment(appointment=second, now=NOW)
    assert len(someone_waits) == len(nobody_waits) + 1
    assert [o.freed_from_id for o in Opening.objects.all()] == [second.pk]
    assert sum("waitlist_" in q["sql"] for q in nobody_waits.captured_queries) == 1
