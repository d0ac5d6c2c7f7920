"""One table of appointment status changes, asked everywhere: every (from, to) pair through the
services, the admin's bulk action that used to mark a completed visit no-show, and the care plan."""

from __future__ import annotations

import itertools

import pytest
import time_machine
from django.urls import reverse

from booking import services
from booking.models import Appointment
from booking.services import STATUS_TRANSITIONS, BookingRefused
from booking.staff_views import quick_actions
from care_plans.services import CarePlanRefused, send_care_plan
from tests.booking.personas import NOW, appointments, front_desk_user, podiatrist_user
from tests.factories.care_plans import CarePlanTemplateFactory

pytestmark = pytest.mark.django_db

S = Appointment.Status
# What the day view offered before the table moved into the service layer: the allowed changes.
ALLOWED = {
    (S.BOOKED, S.ARRIVED),
    (S.BOOKED, S.COMPLETED),
    (S.BOOKED, S.NO_SHOW),
    (S.BOOKED, S.CANCELLED),
    (S.ARRIVED, S.COMPLETED),
}


def test_the_table_allows_exactly_the_changes_the_day_view_offered():
    table = {(old, new) for old, targets in STATUS_TRANSITIONS.items() for new in targets}
    assert table == ALLOWED
    assert set(STATUS_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(("old", "new"), list(itertools.product(S.values, S.values)))
def test_every_change_is_made_or_refused_with_a_clear_reason(clinic, old, new):
    (appointment,) = appointments(clinic, 1)
    Appointment.objects.filter(pk=appointment.pk).update(status=old)
    appointment.refresh_from_db()
    staff = front_desk_user()

    def change():
        if new == S.CANCELLED:
            return services.cancel_appointment(appointment=appointment, actor=staff)
        return services.set_appointment_status(appointment=appointment, status=new, actor=staff)

    with time_machine.travel(NOW, tick=False):
        if old == new or (old, new) in ALLOWED:
            assert change().status == new
        else:
            with pytest.raises(BookingRefused) as refused:
                change()
            reason = refused.value.message
            assert "cannot be" in reason or "already taken place" in reason, reason
    appointment.refresh_from_db()
    assert appointment.status == (new if old == new or (old, new) in ALLOWED else old)
    assert {status for status, _ in quick_actions(appointment)} == set(STATUS_TRANSITIONS[appointment.status])


def test_the_admin_action_refuses_to_mark_a_completed_visit_no_show(client, clinic):
    completed, booked = appointments(clinic, 2)
    Appointment.objects.filter(pk=completed.pk).update(status=S.COMPLETED)
    client.force_login(front_desk_user())

    response = client.post(
        reverse("admin:booking_appointment_changelist"),
        {"action": "mark_no_show", "confirmed": "yes", "_selected_action": [completed.pk, booked.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "A completed appointment cannot be marked no-show." in html
    completed.refresh_from_db()
    booked.refresh_from_db()
    assert (completed.status, booked.status) == (S.COMPLETED, S.NO_SHOW)


def test_a_care_plan_cannot_complete_a_no_show(clinic):
    (appointment,) = appointments(clinic, 1)
    Appointment.objects.filter(pk=appointment.pk).update(status=S.NO_SHOW)
    podiatrist = podiatrist_user(clinic.sole)

    with pytest.raises(CarePlanRefused, match="did not come"):
        send_care_plan(appointment=appointment, template=CarePlanTemplateFactory(), note="", actor=podiatrist)
    appointment.refresh_from_db()
    assert appointment.status == S.NO_SHOW
    assert not appointment.care_plans.exists()
