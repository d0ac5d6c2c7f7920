"""booking.selectors: a bounded number of queries, whatever the number of appointments."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import services
from booking.models import Appointment
from booking.selectors import appointments_for_day, days_for_business_days, search_slots
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
