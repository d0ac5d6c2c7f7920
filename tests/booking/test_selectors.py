"""booking.selectors: a bounded number of queries, whatever the number of appointments."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import services
from booking.models import Appointment, TimeOff
from booking.selectors import appointments_for_day, days_for_business_days, search_slots, slot_query
from tests.booking.personas import front_desk_user
from tests.booking.test_services import NOW, make_clinic
from tests.factories.booking import PatientFactory, local

pytestmark = pytest.mark.django_db


def fill(clinic, count: int) -> None:
    patient = PatientFactory()
    start = local(2027, 3, 9, 8)
    rows = []
    for i in range(count):
        begin = start + dt.timedelta(days=i // 20, minutes=(i % 20) * 20)
        rows.append(
            Appointment(
                patient=patient,
                site=clinic["site"],
                podiatrist=clinic["podiatrist"],
                type=clinic["exam"],
                start=begin,
                end=begin + dt.timedelta(minutes=20),
                blocked_until=begin + dt.timedelta(minutes=20),
            )
        )
    Appointment.objects.bulk_create(rows)


@pytest.mark.parametrize("count", [10, 500])
def test_it_searches_with_the_same_number_of_queries_for_10_or_500_appointments(
    count, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(podiatrists=2)
        fill(clinic, count)
        with django_assert_num_queries(3):  # shifts; hours with closures; appointments with time off
            slots = search_slots(
                sites=[clinic["site"]], type=clinic["exam"], start_date=dt.date(2027, 3, 9), days=14
            )
    assert slots


def test_it_offers_no_slot_overlapping_an_appointment():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        fill(clinic, 1)  # 08:00-08:20 on Tuesday
        slots = search_slots(
            sites=[clinic["site"]], type=clinic["exam"], start_date=dt.date(2027, 3, 9), days=1
        )
    assert slots[0].start == local(2027, 3, 9, 8, 20)


def test_the_busy_times_are_the_stored_times_to_the_microsecond_across_a_dst_change():
    """The busy read counts each start from 1970 (an interval, not a timestamptz): the core gets
    the appointments' and the time off's own instants back, aware, in UTC."""
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        patient = PatientFactory()
        # Saturday 2027-03-13 before the spring change, and Monday after it; odd seconds and microseconds.
        starts = [
            local(2027, 3, 13, 23, 59) + dt.timedelta(seconds=7, microseconds=123457),
            local(2027, 3, 15, 9),
        ]
        for start in starts:
            Appointment.objects.create(
                patient=patient,
                site=clinic["site"],
                podiatrist=clinic["podiatrist"],
                type=clinic["exam"],
                start=start,
                end=start + dt.timedelta(minutes=20),
                blocked_until=start + dt.timedelta(minutes=25),
            )
        off = TimeOff.objects.create(
            podiatrist=clinic["podiatrist"], start=local(2027, 3, 14, 1, 30), end=local(2027, 3, 14, 4, 15)
        )
        window = (local(2027, 3, 13, 0), local(2027, 3, 16, 0))
        query = slot_query(
            sites=[clinic["site"]], type=clinic["exam"], window_start=window[0], window_end=window[1]
        )
    got = sorted((b.start, b.end, b.site_id) for b in query.busy)
    assert got == sorted(
        [(s, s + dt.timedelta(minutes=25), clinic["site"].pk) for s in starts] + [(off.start, off.end, None)]
    )
    assert all(b.start.utcoffset() == dt.timedelta(0) for b in query.busy)


def test_appointments_for_day_is_one_prepared_query(django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        fill(clinic, 5)
        with django_assert_num_queries(1):
            rows = list(appointments_for_day(site=clinic["site"], day=dt.date(2027, 3, 9)))
            assert [a.patient.name for a in rows] and rows[0].podiatrist.name and rows[0].type.name


def test_two_business_days_from_a_friday_reach_tuesday():
    assert days_for_business_days(dt.date(2027, 3, 12), 2) == 5
    assert days_for_business_days(dt.date(2027, 3, 8), 2) == 3


def test_a_search_for_one_podiatrist_sees_the_hold_where_everyones_search_does():
    """The hold sits on the lowest-id free podiatrist, whoever the patient picked."""
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(holds=["10:00"], podiatrists=2)
        first, second = sorted(clinic["podiatrists"], key=lambda p: p.pk)
        ten = local(2027, 3, 10, 10)

        def starts(podiatrist):
            found = search_slots(
                sites=[clinic["site"]],
                type=clinic["exam"],
                start_date=ten.date(),
                days=1,
                podiatrist=podiatrist,
            )
            return {s.start for s in found}

        assert ten not in starts(first)  # held for urgent patients until 24 hours before
        assert ten in starts(second)


def test_first_available_keeps_the_hold_free_when_another_podiatrist_is_free():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(holds=["10:00"], podiatrists=2)
        first, second = sorted(clinic["podiatrists"], key=lambda p: p.pk)
        staff = front_desk_user("fd")
        appointment = services.book_appointment(
            site=clinic["site"],
            type=clinic["urgent"],
            start=local(2027, 3, 10, 10),
            patient_name="Una Urgent",
            patient_email="una@mail.example",
            channel=Appointment.Channel.STAFF,
            actor=staff,
        )
    assert appointment.podiatrist == second
    assert appointment.in_urgent_hold is False
