"""Care-plan use cases: completing a visit and sending its plan."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from booking.models import Appointment
from booking.services import set_appointment_status
from care_plans import notices
from care_plans.defaults import SAFETY_BLOCK
from care_plans.models import CarePlan, CarePlanTemplate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


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


def send_care_plan(
    *,
    appointment: Appointment,
    template: CarePlanTemplate,
    note: str,
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> CarePlan:
    """Complete the visit, store the plan as sent, and record its email now and the check-in in 14 days."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().select_related("patient").get(pk=appointment.pk)
        if locked.status == Appointment.Status.CANCELLED:
            raise CarePlanRefused("This appointment was cancelled; there is no visit to send a plan for.")
        if locked.status != Appointment.Status.COMPLETED:
            set_appointment_status(appointment=locked, status=Appointment.Status.COMPLETED, actor=actor)
        care_plan = CarePlan.objects.create(
            appointment=locked,
            template=template,
            note=note.strip(),
            content=plan_content(template),
            sent_at=now,
            sent_by=actor,
        )
        notices.care_plan_sent(care_plan)
    return care_plan
