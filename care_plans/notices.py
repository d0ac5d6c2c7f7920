"""Care plans' notices: the plan's email now and the two-week check-in.

`care_plan_sent` runs inside the transaction that stores the plan. `read_care_plan` is the reader
for "care_plan" messages: the plan as sent, and the visit it followed.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from booking.notices import appointment_context
from care_plans.defaults import CHECKIN_DAYS
from care_plans.models import CarePlan
from messaging import ledger, subjects
from messaging.models import OutgoingMessage
from messaging.subjects import Reading
from messaging.wording import stamp

SUBJECT = "care_plan"
Kind = OutgoingMessage.Kind


def care_plan_sent(care_plan: CarePlan) -> None:
    """Record the care-plan email now and the two-week check-in."""
    now = care_plan.sent_at
    recipient = care_plan.appointment.patient.email
    if not recipient:
        return  # a caller booked without email: the plan is given on paper, nothing is owed
    subject = subjects.key(SUBJECT, care_plan.pk)
    message = ledger.record(
        key=f"care_plan:{care_plan.pk}:care_plan:{stamp(now)}",
        kind=Kind.CARE_PLAN,
        subject=subject,
        recipients=[recipient],
        scheduled_for=now,
    )
    # Wall-clock days in the clinic's zone: the check-in comes at the same local hour across DST.
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    checkin_at = (now.astimezone(zone) + timedelta(days=CHECKIN_DAYS)).astimezone(ZoneInfo("UTC"))
    ledger.record(
        key=f"care_plan:{care_plan.pk}:checkin:{stamp(checkin_at)}",
        kind=Kind.CHECKIN,
        subject=subject,
        recipients=[recipient],
        scheduled_for=checkin_at,
    )
    ledger.send_on_commit([message])


def care_plan_replaced(care_plan: CarePlan) -> None:
    """A later plan replaced this one: its check-in (and its email, if not yet sent) never go."""
    subject = subjects.key(SUBJECT, care_plan.pk)
    for kind in (Kind.CHECKIN, Kind.CARE_PLAN):
        ledger.skip_pending(subject=subject, kind=kind, reason="replaced by a later care plan")


def read_care_plan(message: OutgoingMessage) -> Reading:
    """The reader for "care_plan" messages (registered in CarePlansConfig.ready)."""
    care_plan = CarePlan.objects.select_related(
        "appointment__site",
        "appointment__patient",
        "appointment__podiatrist",
        "appointment__type",
        "sent_by__podiatrist",
        "replaces",
    ).get(pk=message.subject_id)
    context = {
        **appointment_context(care_plan.appointment),
        "plan": care_plan.content,
        "note": care_plan.note,
        "note_author": care_plan.note_author,
        "replaces": care_plan.replaces,
    }
    if care_plan.replaced_at is not None:
        return Reading(skip="replaced by a later care plan")
    clinic = settings.CLINIC_NAME
    if message.kind == Kind.CARE_PLAN and care_plan.replaces_id:
        return Reading(subject_line=f"Your updated care plan from {clinic}", context=context)
    if message.kind == Kind.CARE_PLAN:
        return Reading(subject_line=f"Your care plan from {clinic}", context=context)
    return Reading(subject_line=f"Checking in two weeks after your visit to {clinic}", context=context)
