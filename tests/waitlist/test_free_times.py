"""Times freed without a booking giving them up reach the waitlist through the five-minute search
(beat's `waitlist.offer_free_times`): a closure or time off removed, a shift added, held urgent
capacity released 24 hours before."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.models import Closure, TimeOff
from tests.factories.booking import ClosureFactory, TimeOffFactory, WeeklyShiftFactory, local
from tests.waitlist.scenario import NOW, make, wait_without_booking
from waitlist import services
from waitlist.models import FOUND_FREE, Offer, Opening
from waitlist.tasks import offer_free_times

pytestmark = [pytest.mark.django_db]

MONDAY = dt.date(2027, 3, 8)
TUESDAY = dt.date(2027, 3, 9)


@pytest.fixture(autouse=True)
def policy(settings):
    settings.WAITLIST_BATCH_SIZE = 3
    settings.WAITLIST_SCAN_DAYS = 14


def wait_for(clinic, who: str, day: dt.date, **changes):
    """`who` waits for that one day at Howell, any time of it."""
    with time_machine.travel(NOW, tick=False):
        return wait_without_booking(
            clinic, who, first_day=day, last_day=day, weekdays=[day.weekday()], **changes
        )


def search_at(moment: dt.datetime) -> list[Opening]:
    with time_machine.travel(moment, tick=False):
        offer_free_times()
    return list(Opening.objects.filter(reason=FOUND_FREE).order_by("pk"))


def test_a_closure_removed_frees_its_day_for_whoever_waits_for_it():
    clinic = make()
    closure = ClosureFactory(site=clinic.site, date=MONDAY)
    carol = wait_for(clinic, "carol", MONDAY)
    assert search_at(NOW) == []

    closure.delete()
    (opening,) = search_at(NOW)

    assert (opening.site, opening.start) == (clinic.site, local(2027, 3, 8, 8))  # the earliest time
    assert opening.status == Opening.Status.OPEN
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert offer.entry == carol


def test_time_off_removed_frees_that_podiatrists_times():
    clinic = make()
    TimeOffFactory(podiatrist=clinic.sole, start=local(2027, 3, 8, 7), end=local(2027, 3, 8, 18))
    TimeOffFactory(podiatrist=clinic.heel, start=local(2027, 3, 8, 7), end=local(2027, 3, 8, 18))
    wait_for(clinic, "carol", MONDAY)
    assert search_at(NOW) == []

    TimeOff.objects.filter(podiatrist=clinic.heel).delete()
    (opening,) = search_at(NOW)

    assert (opening.podiatrist, opening.start) == (clinic.heel, local(2027, 3, 8, 8))


def test_a_shift_added_offers_the_new_times():
    clinic = make()
    carol = wait_for(clinic, "carol", TUESDAY)  # nobody works Tuesdays at Howell yet
    assert search_at(NOW) == []

    WeeklyShiftFactory(podiatrist=clinic.sole, site=clinic.site, weekday=1)
    (opening,) = search_at(NOW)

    assert (opening.site, opening.podiatrist, opening.start) == (
        clinic.site,
        clinic.sole,
        local(2027, 3, 9, 8),
    )
    assert [o.entry for o in services.offer_next_batch(opening_id=opening.pk, now=NOW)] == [carol]


def test_held_urgent_capacity_is_offered_once_released_24_hours_before():
    clinic = make()
    clinic.site.urgent_hold_starts = ["09:00"]
    clinic.site.save()
    # Only Dr. Sole's 9:00 to 10:00 is left on Monday, and 9:00 to 9:30 is held for urgent patients.
    TimeOffFactory(podiatrist=clinic.heel, start=local(2027, 3, 8, 7), end=local(2027, 3, 8, 18))
    TimeOffFactory(podiatrist=clinic.sole, start=local(2027, 3, 8, 7), end=local(2027, 3, 8, 9))
    TimeOffFactory(podiatrist=clinic.sole, start=local(2027, 3, 8, 10), end=local(2027, 3, 8, 18))
    carol = wait_for(clinic, "carol", MONDAY)

    assert search_at(local(2027, 3, 7, 8, 59)) == []  # still held
    (opening,) = search_at(local(2027, 3, 7, 9))  # released

    assert (opening.podiatrist, opening.start) == (clinic.sole, local(2027, 3, 8, 9))
    offers = services.offer_next_batch(opening_id=opening.pk, now=local(2027, 3, 7, 9))
    assert [o.entry for o in offers] == [carol]


def test_a_second_search_makes_no_second_opening_for_the_same_time():
    clinic = make()
    ClosureFactory(site=clinic.site, date=MONDAY)
    wait_for(clinic, "carol", MONDAY)
    Closure.objects.all().delete()
    first = search_at(NOW)
    assert search_at(NOW) == first


def test_each_waiting_patient_is_the_reason_for_one_time_a_search_and_a_batch_serves_several():
    clinic = make()
    for who in ["bea", "cal", "dee", "eve"]:
        wait_for(clinic, who, MONDAY)
    openings = search_at(NOW)
    # Bea, Cal and Dee share the first time's batch; Eve, fourth in line, gets the next time.
    assert [o.start for o in openings] == [local(2027, 3, 8, 8), local(2027, 3, 8, 8)]
    assert {o.podiatrist for o in openings} == {clinic.sole, clinic.heel}


def test_a_search_makes_no_more_times_than_its_limit(settings):
    settings.WAITLIST_BATCH_SIZE = 1
    settings.WAITLIST_SCAN_OPENINGS = 2
    clinic = make()
    for who in ["bea", "cal", "dee"]:
        wait_for(clinic, who, MONDAY)
    assert len(search_at(NOW)) == 2
    assert Opening.objects.count() == 2


def test_a_patient_who_let_a_found_time_lapse_is_not_offered_that_time_again():
    clinic = make()
    carol = wait_for(clinic, "carol", MONDAY)
    (opening,) = search_at(NOW)
    (offer,) = services.offer_next_batch(opening_id=opening.pk, now=NOW)
    later = NOW + dt.timedelta(hours=3)
    services.expire_lapsed_offers(now=later)
    services.offer_next_batch(opening_id=opening.pk, now=later)  # no one else: the time closes
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED

    again = [o for o in search_at(later) if o.pk != opening.pk]
    assert again  # another Monday time: Dr. Heel's 8:00
    assert all((o.podiatrist_id, o.start) != (opening.podiatrist_id, opening.start) for o in again)
    assert list(Offer.objects.filter(entry=carol)) == [offer]


def test_a_patient_with_an_offer_out_is_left_to_decide_it():
    clinic = make()
    wait_for(clinic, "carol", MONDAY)
    (opening,) = search_at(NOW)
    services.offer_next_batch(opening_id=opening.pk, now=NOW)
    assert search_at(NOW + dt.timedelta(minutes=5)) == [opening]


def test_a_search_reads_a_fixed_number_of_queries_whatever_the_number_waiting(django_assert_num_queries):
    clinic = make()
    ClosureFactory(site=clinic.site, date=TUESDAY)
    wait_for(clinic, "carol", MONDAY)
    # 40 more wait for a closed day: the search weighs them all, and reads no more for it.
    for i in range(40):
        wait_for(clinic, f"waiting{i}", TUESDAY)
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(QUERIES):
        made = services.offer_free_times()
    assert len(made) == 1


# Types (locked), sites, offers out; per type: the slot search (3), open times, offers made,
# waiting entries; one insert per time found; and the savepoint and its release (the test's own
# transaction around the search's).
QUERIES = 3 + 6 + 1 + 2
