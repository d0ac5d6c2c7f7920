"""booking.services: every booking rule, on whichever database the run uses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking import services
from booking.models import Appointment, AppointmentEvent, AppointmentType
from booking.services import BookingRefused, SlotTaken
from tests.booking.personas import front_desk_user
from tests.factories.booking import (
    AppointmentFactory,
    AppointmentTypeFactory,
    ClosureFactory,
    PatientFactory,
    PodiatristFactory,
    SiteFactory,
    WeeklyShiftFactory,
    local,
)

pytestmark = pytest.mark.django_db

NOW = local(2027, 3, 8, 9)  # Monday
WEDNESDAY_0930 = local(2027, 3, 10, 9, 30)


def make_clinic(*, holds: list[str] | None = None, podiatrists: int = 1) -> dict:
    """Howell open Mon-Fri 08:00-17:00, podiatrists working there every weekday, the usual types."""
    site = SiteFactory(slug="howell", name="Howell", urgent_hold_starts=holds or [])
    people = []
    for i in range(podiatrists):
        person = PodiatristFactory(name=["Dr. Avery Sample", "Dr. Jordan Example", "Dr. Casey Demo"][i % 3])
        for weekday in range(5):
            WeeklyShiftFactory(podiatrist=person, site=site, weekday=weekday)
        people.append(person)
    kinds = AppointmentType.BookableBy
    return {
        "site": site,
        "podiatrist": people[0],
        "podiatrists": people,
        "exam": AppointmentTypeFactory(),
        "urgent": AppointmentTypeFactory(
            slug="urgent-evaluation",
            name="Urgent heel evaluation",
            duration_minutes=30,
            bookable_by=kinds.URGENT,
            uses_urgent_hold=True,
            is_new_patient_exam=False,
        ),
        "follow_up": AppointmentTypeFactory(
            slug="follow-up",
            name="Follow-up visit",
            duration_minutes=20,
            bookable_by=kinds.RETURNING,
            is_new_patient_exam=False,
        ),
        "ultrasound": AppointmentTypeFactory(
            slug="diagnostic-ultrasound",
            name="Diagnostic ultrasound",
            duration_minutes=30,
            bookable_by=kinds.STAFF,
            is_new_patient_exam=False,
        ),
    }


@pytest.fixture
def clinic():
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def front_desk(db):
    return front_desk_user("frontdesk")


class UrgentIntake:
    urgency = "urgent"
    email = ""


def book(clinic, **overrides):
    kwargs = {
        "site": clinic["site"],
        "type": clinic["exam"],
        "start": WEDNESDAY_0930,
        "patient_name": "Pat Example",
        "patient_email": "Pat@Mail.example",
    }
    kwargs.update(overrides)
    return services.book_appointment(**kwargs)


def test_it_books_a_free_slot_with_an_event_and_a_lowercased_patient(clinic):
    appointment = book(clinic)
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start == WEDNESDAY_0930
    assert appointment.end - appointment.start == dt.timedelta(minutes=40)
    assert appointment.patient.email == "pat@mail.example"
    assert appointment.podiatrist == clinic["podiatrist"]
    assert list(appointment.events.values_list("kind", "actor_label")) == [("booked", "patient")]


def test_it_refuses_a_taken_slot_with_the_nearest_free_slots(clinic):
    book(clinic)
    with pytest.raises(SlotTaken) as taken:
        book(clinic, patient_email="other@mail.example")
    assert taken.value.nearest
    assert all(slot.start != WEDNESDAY_0930 for slot in taken.value.nearest)
    assert Appointment.objects.count() == 1


def test_it_refuses_an_overlapping_start_on_the_grid(clinic):
    book(clinic)
    with pytest.raises(SlotTaken):
        book(clinic, start=WEDNESDAY_0930 + dt.timedelta(minutes=20), patient_email="b@mail.example")


def test_it_picks_the_first_free_podiatrist_when_none_is_chosen():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(podiatrists=2)
        first = book(clinic)
        second = book(clinic, patient_email="second@mail.example")
        assert {first.podiatrist_id, second.podiatrist_id} == {p.pk for p in clinic["podiatrists"]}


def test_it_returns_the_same_booking_for_the_same_idempotency_key(clinic):
    first = book(clinic, idempotency_key="k" * 32)
    again = book(clinic, idempotency_key="k" * 32)
    assert again.pk == first.pk
    assert Appointment.objects.count() == 1


def test_a_second_future_new_patient_exam_goes_through_flagged_for_the_front_desk(clinic):
    first = book(clinic)
    second = book(clinic, start=local(2027, 3, 11, 10), patient_email="pat@mail.example")
    assert second.status == "booked" and second.patient_id == first.patient_id
    assert second.front_desk_flag == Appointment.Flag.SECOND_EXAM
    assert first.front_desk_flag == ""


def test_it_allows_a_new_exam_after_the_first_was_cancelled(clinic):
    services.cancel_appointment(appointment=book(clinic))
    assert book(clinic, start=local(2027, 3, 11, 10)).status == "booked"


def test_it_enforces_the_minimum_notice_for_patients_but_not_staff(clinic, front_desk):
    soon = local(2027, 3, 8, 10)  # one hour from now
    with pytest.raises(BookingRefused, match="notice"):
        book(clinic, start=soon)
    assert book(clinic, start=soon, actor=front_desk).channel == Appointment.Channel.STAFF


def test_it_enforces_the_horizon(clinic, front_desk):
    with pytest.raises(BookingRefused, match="days ahead"):
        book(clinic, start=local(2027, 5, 12, 9))
    with pytest.raises(BookingRefused):
        book(clinic, start=local(2027, 5, 12, 9), actor=front_desk)


def test_it_refuses_a_closed_day(clinic):
    ClosureFactory(site=clinic["site"], date=dt.date(2027, 3, 10))
    with pytest.raises(SlotTaken):
        book(clinic)


def test_it_lets_only_staff_book_staff_types(clinic, front_desk):
    with pytest.raises(BookingRefused, match="only be booked by the clinic"):
        book(clinic, type=clinic["ultrasound"])
    assert book(clinic, type=clinic["ultrasound"], actor=front_desk).pk


def test_it_lets_only_returning_patients_book_a_follow_up(clinic):
    with pytest.raises(BookingRefused, match="earlier visit"):
        book(clinic, type=clinic["follow_up"])
    patient = PatientFactory(email="pat@mail.example")
    AppointmentFactory(
        patient=patient,
        site=clinic["site"],
        podiatrist=clinic["podiatrist"],
        type=clinic["exam"],
        start=local(2027, 2, 1, 9),
        status=Appointment.Status.COMPLETED,
    )
    assert book(clinic, type=clinic["follow_up"]).type == clinic["follow_up"]


def test_it_lets_urgent_intakes_and_staff_book_urgent_types(clinic, front_desk):
    with pytest.raises(BookingRefused, match="urgently"):
        book(clinic, type=clinic["urgent"])
    urgent = book(clinic, type=clinic["urgent"], intake=None, actor=front_desk)
    assert urgent.type == clinic["urgent"]


def test_held_urgent_capacity_is_only_for_the_urgent_lane_until_released(front_desk):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(holds=["10:00"])
        held = local(2027, 3, 10, 10)
        with pytest.raises(SlotTaken):
            book(clinic, start=held)
        appointment = book(
            clinic,
            type=clinic["urgent"],
            start=held,
            actor=front_desk,
        )
        assert appointment.in_urgent_hold


def test_held_capacity_is_released_to_everyone_24_hours_before():
    with time_machine.travel(local(2027, 3, 9, 11), tick=False):
        clinic = make_clinic(holds=["10:00"])
        appointment = book(clinic, start=local(2027, 3, 10, 10))
        assert appointment.start == local(2027, 3, 10, 10)


def test_it_reschedules_in_place_with_an_event(clinic):
    appointment = book(clinic)
    token_key = appointment.manage_key
    moved = services.reschedule_appointment(appointment=appointment, start=local(2027, 3, 11, 14))
    assert moved.pk == appointment.pk
    assert moved.start == local(2027, 3, 11, 14)
    assert moved.rescheduled_count == 1
    assert moved.manage_key == token_key
    event = moved.events.get(kind=AppointmentEvent.Kind.RESCHEDULED)
    assert dt.datetime.fromisoformat(event.detail["old_start"]) == WEDNESDAY_0930


def test_it_reschedules_to_an_overlapping_time_of_its_own(clinic):
    appointment = book(clinic)
    moved = services.reschedule_appointment(
        appointment=appointment, start=WEDNESDAY_0930 + dt.timedelta(minutes=10)
    )
    assert moved.start == WEDNESDAY_0930 + dt.timedelta(minutes=10)


def test_it_does_not_move_an_appointment_to_a_closed_down_site(clinic):
    appointment = book(clinic)
    closed = SiteFactory(slug="closed-site", name="Old Office", is_active=False)
    with pytest.raises(BookingRefused, match="Old Office is not taking bookings"):
        services.reschedule_appointment(appointment=appointment, start=local(2027, 3, 11, 14), site=closed)
    appointment.refresh_from_db()
    assert (appointment.site, appointment.start) == (clinic["site"], WEDNESDAY_0930)


def test_patients_cannot_change_after_the_cutoff_but_staff_can(clinic, front_desk):
    appointment = book(clinic)
    with time_machine.travel(local(2027, 3, 9, 10), tick=False):
        with pytest.raises(BookingRefused, match="too late"):
            services.cancel_appointment(appointment=appointment)
        with pytest.raises(BookingRefused, match="too late"):
            services.reschedule_appointment(appointment=appointment, start=local(2027, 3, 12, 9))
        cancelled = services.cancel_appointment(appointment=appointment, actor=front_desk)
    assert cancelled.status == Appointment.Status.CANCELLED
    assert cancelled.cancelled_at is not None


def test_a_cancelled_booking_is_never_revived(clinic):
    appointment = services.cancel_appointment(appointment=book(clinic))
    assert services.cancel_appointment(appointment=appointment).status == "cancelled"
    with pytest.raises(BookingRefused, match="cancelled"):
        services.reschedule_appointment(appointment=appointment, start=local(2027, 3, 12, 9))
    # The freed slot can be booked again by someone else.
    assert book(clinic, patient_email="next@mail.example").pk != appointment.pk


def test_staff_set_visit_status_but_not_on_cancelled(clinic, front_desk):
    appointment = book(clinic)
    arrived = services.set_appointment_status(appointment=appointment, status="arrived", actor=front_desk)
    assert arrived.status == "arrived"
    assert arrived.events.filter(kind="status").exists()
    with pytest.raises(BookingRefused):
        services.set_appointment_status(appointment=appointment, status="completed", actor=None)
    other = services.cancel_appointment(
        appointment=book(clinic, start=local(2027, 3, 11, 9), patient_email="o@x.example")
    )
    with pytest.raises(BookingRefused):
        services.set_appointment_status(appointment=other, status="no_show", actor=front_desk)


def test_the_guarded_transaction_refuses_an_overlap_the_core_did_not_see(clinic, monkeypatch):
    """The last guard (SQLite: check inside the IMMEDIATE transaction; PostgreSQL: the constraint)."""
    book(clinic)
    from booking import selectors

    real = selectors.free_slots_at

    def stale(**kwargs):
        # Pretend the core read a moment before the other booking landed.
        kwargs["ignore_appointment_id"] = Appointment.objects.get().pk
        return real(**kwargs)

    monkeypatch.setattr(selectors, "free_slots_at", stale)
    with pytest.raises(SlotTaken):
        book(clinic, patient_email="late@mail.example")
    assert Appointment.objects.count() == 1


def test_reschedule_to_another_type_follows_its_booking_rules(clinic):
    appointment = book(clinic)
    with pytest.raises(services.BookingRefused, match="only be booked by the clinic"):
        services.reschedule_appointment(
            appointment=appointment, start=local(2027, 3, 12, 14), type=clinic["ultrasound"]
        )
    orthotics = AppointmentTypeFactory(
        slug="orthotics-fitting",
        name="Custom orthotics fitting",
        duration_minutes=30,
        is_new_patient_exam=False,
    )
    moved = services.reschedule_appointment(
        appointment=appointment, start=local(2027, 3, 12, 14), type=orthotics
    )
    assert moved.type == orthotics and moved.end == local(2027, 3, 12, 14, 30)
