"""Care-plan use cases: completing a visit and sending its plan."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from booking.models import Appointment
from booking.services import (
    BookingRefused,
    may_change_status,
    set_appointment_status,
    status_change_refusal,
)
from booking.when import when
from care_plans import notices
from care_plans.defaults import SAFETY_BLOCK
from care_plans.models import CarePlan, CarePlanTemplate

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class CarePlanRefused(Exception):
    """The plan cannot be sent for this visit; `message` is fit to show staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def plan_content(template: CarePlanTemplate) -> dict[str, Any]:
    """The snapshot a patient receives: later edits to the template do not change a sent plan."""
    return {
        "slug": template.slug,
        "title": template.title,
        "phases": template.phases,
        "time_course": template.time_course,
        "call_sooner": template.call_sooner,
        "safety_block": SAFETY_BLOCK,
    }


class ReplaceFirst(CarePlanRefused):
    """The visit already has a plan: sending another replaces it, and staff must say so."""

    def __init__(self, current: CarePlan):
        super().__init__(f"Replace the plan sent on {when(current.sent_at)}?")
        self.current = current


# The permission that sends a plan: the Podiatrist role holds it (care_plans 0005), superusers too.
SEND_PERMISSION = "care_plans.add_careplan"


def may_send_care_plans(user: Any) -> bool:
    """Only the Podiatrist role (or a superuser) sends care plans."""
    return bool(user.is_active and user.is_staff and user.has_perm(SEND_PERMISSION))


_NO_VISIT: dict[str, str] = {
    Appointment.Status.CANCELLED: "This appointment was cancelled; there is no visit to send a plan for.",
    Appointment.Status.NO_SHOW: "The patient did not come (no-show); there is no visit to send a plan for.",
}


def visit_refusal(appointment: Appointment, *, now: datetime) -> str:
    """Why no plan may be sent for this visit yet (or at all), in words for staff; '' when it may.

    A plan follows a visit that has started: the patient arrived, or its start time has passed;
    never for a cancelled visit or a no-show."""
    status = appointment.status
    completed = Appointment.Status.COMPLETED
    if status != completed and not may_change_status(status, completed):  # the one status table
        return _NO_VISIT.get(status) or status_change_refusal(status, completed)
    if status == Appointment.Status.BOOKED and appointment.start > now:
        return (
            f"This visit has not started yet ({when(appointment.start)}). Send the plan once the "
            "patient has arrived or the visit's time has come."
        )
    return ""


def current_plan(appointment: Appointment) -> CarePlan | None:
    """The plan the patient should follow: the latest one sent, not replaced."""
    return (
        CarePlan.objects.filter(appointment=appointment, replaced_at__isnull=True)
        .order_by("-sent_at")
        .first()
    )


def send_care_plan(
    *,
    appointment: Appointment,
    template: CarePlanTemplate,
    note: str,
    actor: User,
    replace: bool = False,
    now: datetime | None = None,
) -> CarePlan:
    """Complete the visit (through the status rules, which stop its reminders), store the plan as
    sent, and record its email now and the check-in in 14 days.

    A visit with a plan already gets a second one only with `replace=True` (else ReplaceFirst): the
    new email says it replaces the earlier plan, whose check-in and unsent email are dropped."""
    now = now or timezone.now()
    if not may_send_care_plans(actor):
        raise CarePlanRefused("Only a podiatrist sends a care plan.")
    with transaction.atomic():
        # Lock the appointment row alone (no join: a join would lock the patient's row too, or
        # with of=self find no row after a concurrent move), then read it with its patient.
        Appointment.objects.select_for_update().filter(pk=appointment.pk).values_list("pk").get()
        locked = Appointment.objects.select_related("patient").get(pk=appointment.pk)
        refusal = visit_refusal(locked, now=now)
        if refusal:
            raise CarePlanRefused(refusal)
        current = current_plan(locked)
        if current is not None and not replace:
            raise ReplaceFirst(current)
        if locked.status != Appointment.Status.COMPLETED:
            try:
                set_appointment_status(appointment=locked, status=Appointment.Status.COMPLETED, actor=actor)
            except BookingRefused as refused:
                raise CarePlanRefused(refused.message) from refused
        care_plan = CarePlan.objects.create(
            appointment=locked,
            template=template,
            note=note.strip(),
            content=plan_content(template),
            sent_at=now,
            sent_by=actor,
            replaces=current,
        )
        if current is not None:
            CarePlan.objects.filter(pk=current.pk).update(replaced_at=now)
            notices.care_plan_replaced(current)
        notices.care_plan_sent(care_plan)
    return care_plan
