"""Least privilege on appointments: only the front desk cancels, moves and books; a podiatrist marks
only their own visits; the intake is never set from the admin; every change is in the log."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from booking import services
from booking.models import Appointment, AppointmentEvent
from booking.services import BookingRefused
from tests.booking.personas import NOW, front_desk_user, make_clinic, podiatrist_user, superuser
from tests.factories.booking import AppointmentFactory, local
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def visits():
    """Dr. Sole's and Dr. Heel's 9:00 visits on the first Monday."""
    clinic = make_clinic()
    sole = AppointmentFactory(
        site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 9)
    )
    heel = AppointmentFactory(
        site=clinic.site, podiatrist=clinic.heel, type=clinic.exam, start=local(2027, 3, 1, 9)
    )
    return clinic, sole, heel


def test_a_podiatrist_cannot_cancel_any_appointment_through_the_status_page(client, visits):
    clinic, sole, heel = visits
    client.force_login(podiatrist_user(clinic.sole))
    for appointment in (heel, sole):
        url = reverse("admin:booking_appointment_status", args=[appointment.pk])
        client.post(url, {"status": "cancelled"})
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED
    assert not AppointmentEvent.objects.filter(kind=AppointmentEvent.Kind.CANCELLED).exists()


def test_a_podiatrist_cannot_open_move_or_book(client, visits):
    clinic, sole, _ = visits
    client.force_login(podiatrist_user(clinic.sole))
    assert client.get(reverse("admin:booking_appointment_move", args=[sole.pk])).status_code == 403
    assert client.get(reverse("admin:booking_appointment_book")).status_code == 403


def test_the_cancel_action_is_the_front_desks(client, visits):
    clinic, sole, heel = visits
    client.force_login(podiatrist_user(clinic.sole))
    changelist = reverse("admin:booking_appointment_changelist")
    assert "cancel_appointments" not in client.get(changelist).content.decode()
    cancel = {"action": "cancel_appointments", "confirmed": "yes"}
    client.post(changelist, {**cancel, "_selected_action": [sole.pk, heel.pk]})
    assert Appointment.objects.filter(status=Appointment.Status.CANCELLED).count() == 0

    client.force_login(front_desk_user())
    client.post(changelist, {**cancel, "_selected_action": [heel.pk]})
    heel.refresh_from_db()
    assert heel.status == Appointment.Status.CANCELLED


def test_a_podiatrist_marks_only_their_own_visits(client, visits):
    clinic, sole, heel = visits
    client.force_login(podiatrist_user(clinic.sole))
    for appointment in (sole, heel):
        client.post(reverse("admin:booking_appointment_status", args=[appointment.pk]), {"status": "arrived"})
    sole.refresh_from_db()
    heel.refresh_from_db()
    assert sole.status == Appointment.Status.ARRIVED
    assert heel.status == Appointment.Status.BOOKED
    client.post(
        reverse("admin:booking_appointment_changelist"),
        {"action": "mark_completed", "confirmed": "yes", "_selected_action": [sole.pk, heel.pk]},
    )
    sole.refresh_from_db()
    heel.refresh_from_db()
    assert (sole.status, heel.status) == (Appointment.Status.COMPLETED, Appointment.Status.BOOKED)


def test_the_services_hold_the_rules_whoever_calls_them(visits):
    clinic, sole, heel = visits
    dr_sole = podiatrist_user(clinic.sole)
    with pytest.raises(BookingRefused, match="Only the front desk can cancel"):
        services.cancel_appointment(appointment=sole, actor=dr_sole)
    with pytest.raises(BookingRefused, match="Only the front desk can move"):
        services.reschedule_appointment(appointment=sole, start=local(2027, 3, 1, 10), actor=dr_sole)
    with pytest.raises(BookingRefused, match="only their own visits"):
        services.set_appointment_status(appointment=heel, status="arrived", actor=dr_sole)
    fran = front_desk_user()
    assert services.set_appointment_status(appointment=heel, status="arrived", actor=fran).status == "arrived"
    assert services.cancel_appointment(appointment=sole, actor=superuser()).status == "cancelled"


def test_the_day_view_offers_a_podiatrist_only_their_own_marks_and_no_move_or_cancel(client, visits):
    clinic, sole, heel = visits
    client.force_login(podiatrist_user(clinic.sole))
    html = client.get(
        reverse("admin:booking_appointment_day"), {"site": clinic.site.pk, "date": "2027-03-01"}
    )
    page = html.content.decode()
    assert f"Mark arrived: {sole.patient.name}" in page
    assert f"Mark arrived: {heel.patient.name}" not in page
    assert "Move " not in page and "Cancel:" not in page


def test_the_intake_is_read_only_on_the_appointment_page(client, visits):
    _, sole, _ = visits
    other = IntakeFactory()
    client.force_login(superuser())
    url = reverse("admin:booking_appointment_change", args=[sole.pk])
    assert 'name="intake"' not in client.get(url).content.decode()
    client.post(url, {"intake": other.pk})
    sole.refresh_from_db()
    assert sole.intake_id is None


def test_every_change_is_in_the_appointments_own_log(visits):
    clinic, sole, heel = visits
    fran = front_desk_user()
    services.set_appointment_status(appointment=sole, status="arrived", actor=fran)
    services.reschedule_appointment(appointment=heel, start=local(2027, 3, 1, 11), actor=fran)
    services.cancel_appointment(appointment=heel, actor=fran)
    assert list(sole.events.values_list("kind", "actor_label")) == [("status", "fran")]
    assert list(heel.events.values_list("kind", flat=True)) == ["rescheduled", "cancelled"]
