"""booking.prepared: a read compiled once gives, for any values, the rows the ORM gives for them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import selectors
from booking.models import Appointment, Closure, TimeOff
from booking.prepared import PreparedRead
from tests.booking.test_services import NOW, make_clinic
from tests.factories.booking import PatientFactory, local

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 8)


@pytest.fixture
def clinic():
    """Two sites' worth of schedule: appointments (one cancelled), time off and a closure."""
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(podiatrists=2)
        patient = PatientFactory()
        for day, hour, podiatrist, status in [
            (8, 9, "podiatrist", Appointment.Status.BOOKED),
            (8, 11, "podiatrist", Appointment.Status.CANCELLED),
            (9, 10, "podiatrist", Appointment.Status.ARRIVED),
            (10, 14, "podiatrist", Appointment.Status.BOOKED),
        ]:
            start = local(2027, 3, day, hour)
            Appointment.objects.create(
                patient=patient,
                site=clinic["site"],
                podiatrist=clinic[podiatrist],
                type=clinic["exam"],
                start=start,
                end=start + dt.timedelta(minutes=20),
                blocked_until=start + dt.timedelta(minutes=30),
                status=status,
            )
        TimeOff.objects.create(
            podiatrist=clinic["podiatrist"], start=local(2027, 3, 11, 8), end=local(2027, 3, 11, 17)
        )
        Closure.objects.create(site=clinic["site"], date=dt.date(2027, 3, 12), reason="Inventory")
        yield clinic


def _windows():
    """Windows of one to ten days from several starts, DST's start among them (2027-03-14)."""
    for first in [MONDAY - dt.timedelta(days=3), MONDAY, MONDAY + dt.timedelta(days=2), dt.date(2027, 3, 13)]:
        for days in [1, 3, 10]:
            yield selectors.window_for(first, days)


def test_the_busy_read_gives_what_the_orm_gives_for_every_window_and_ignored_appointment(clinic):
    busy = PreparedRead(selectors._busy)
    podiatrists = sorted({clinic["podiatrist"].pk, *(p.pk for p in clinic["podiatrists"])})
    ignored = [None, *Appointment.objects.values_list("pk", flat=True)]
    seen = 0
    for start, end in _windows():
        for ignore in ignored:
            for ids in [podiatrists, podiatrists[:1]]:
                expected = sorted(selectors._busy(ids, start, end, ignore))
                got = sorted(busy.rows(podiatrist_ids=ids, start=start, end=end, ignore=ignore))
                assert got == expected
                seen += len(got)
    assert seen > 0  # the windows met appointments and time off, not only empty answers
    # One compilation per shape (ignore set or not, one or two podiatrists), not per call.
    assert len(busy._compiled) == 4


def test_the_hours_and_closures_read_converts_times_and_dates_as_the_orm_does(clinic):
    read = PreparedRead(selectors._hours_and_closures)
    site = clinic["site"].pk
    for first, last in [(MONDAY, MONDAY + dt.timedelta(days=6)), (MONDAY, MONDAY)]:
        expected = sorted(selectors._hours_and_closures([site], first, last), key=repr)
        got = sorted(read.rows(site_ids=[site], first=first, last=last), key=repr)
        assert got == expected
    closed = read.rows(site_ids=[site], first=MONDAY, last=MONDAY + dt.timedelta(days=6))
    assert dt.date(2027, 3, 12) in [row[4] for row in closed]  # a date, on SQLite too (not text)
    assert all(isinstance(row[2], dt.time) for row in closed if row[4] is None)


def test_an_empty_list_answers_nothing_and_the_search_still_takes_three_queries(
    clinic, django_assert_num_queries
):
    shifts = PreparedRead(selectors._shifts)
    with django_assert_num_queries(0):
        assert shifts.rows(site_ids=[]) == []
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(3):
        found = selectors.search_slots(sites=[clinic["site"]], type=clinic["exam"], start_date=MONDAY, days=7)
    assert found


def test_it_refuses_a_value_it_cannot_place():
    with pytest.raises(TypeError, match="not float"):
        PreparedRead(selectors._shifts).rows(site_ids=[1.5])


def test_a_read_with_select_related_gives_the_instances_and_their_related_ones_as_the_orm_does(clinic):
    read = PreparedRead(
        lambda podiatrist_id: (
            Appointment.objects.select_related("site", "podiatrist", "type", "patient", "intake")
            .filter(podiatrist_id=podiatrist_id)
            .order_by("start")
        )
    )
    queryset = (
        Appointment.objects.select_related("site", "podiatrist", "type", "patient", "intake")
        .filter(podiatrist_id=clinic["podiatrist"].pk)
        .order_by("start")
    )
    prepared, orm = read.instances(podiatrist_id=clinic["podiatrist"].pk), list(queryset)
    assert len(prepared) == len(orm) == 4

    def seen(appointment):
        return (
            {f.attname: getattr(appointment, f.attname) for f in Appointment._meta.concrete_fields},
            appointment.site.name,
            appointment.podiatrist.name,
            appointment.type.duration,
            appointment.patient.email,
            appointment.intake,  # none booked with one: the outer join's nulls give None
        )

    assert [seen(a) for a in prepared] == [seen(a) for a in orm]


def test_a_read_with_select_related_reads_its_related_rows_in_its_one_query(
    clinic, django_assert_num_queries
):
    read = PreparedRead(
        lambda pk: Appointment.objects.select_related("site", "type").filter(pk=pk).order_by("pk")[:1]
    )
    first = Appointment.objects.select_related("site", "type").order_by("pk").first()
    read.instances(pk=first.pk)  # compiled
    with django_assert_num_queries(1):
        [found] = read.instances(pk=first.pk)
        assert (found.site.name, found.type.name) == (first.site.name, first.type.name)
    assert read.instances(pk=-1) == []
