"""What the booking and intake services tell the messaging layer.

The services call these inside their own transaction, so the outgoing-message ledger is
written atomically with the change that causes it (see the notifications issue). Messages due
now are enqueued on commit; everything else (reminders, escalations, anything whose enqueue was
lost while the broker was down) goes out through the periodic sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from booking.models import Appointment, Site
    from clinic.models import CarePlan, OutgoingMessage
    from intake.models import Intake

logger = logging.getLogger(__name__)

ALERT_URGENCIES = {"emergency", "urgent"}
# Opening hours when a site has none recorded (product.md: Mon-Fri 08:00-17:00).
DEFAULT_OPENING = {weekday: (time(8), time(17)) for weekday in range(5)}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")


def _record(*, key: str, revive: bool = False, **fields: object) -> OutgoingMessage:
    """Write one ledger row unless its key exists; a skipped row is revived when asked (A -> B -> A)."""
    from clinic.models import OutgoingMessage

    message, created = OutgoingMessage.objects.get_or_create(key=key, defaults=fields)
    if not created and revive and message.status == OutgoingMessage.Status.SKIPPED:
        OutgoingMessage.objects.filter(pk=message.pk, status=OutgoingMessage.Status.SKIPPED).update(
            status=OutgoingMessage.Status.PENDING, last_error="", **fields
        )
    return message


def enqueue(message_id: int) -> bool:
    """Hand a message to the broker; a broker outage is logged and left to the sweep."""
    return enqueue_many([message_id]) == 1


def enqueue_many(message_ids: list[int]) -> int:
    """Publish send tasks over one broker connection; returns how many were handed over.

    Fails fast (one quick retry, no publish retries) so that a booking never waits on a broker
    outage: the ledger rows stay pending and the minute sweep sends them once the broker is back.
    """
    from clinic.celery import app
    from clinic.tasks import send_message

    if not message_ids:
        return 0
    published = 0
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            for message_id in message_ids:
                send_message.apply_async((message_id,), connection=connection, retry=False)
                published += 1
    except Exception:  # noqa: BLE001 - any broker error; the rows stay pending for the sweep
        logger.warning(
            "Broker unavailable: %s message(s) left for the sweep",
            len(message_ids) - published,
            exc_info=True,
        )
    return published


def _send_on_commit(messages: Iterable[OutgoingMessage]) -> None:
    now = timezone.now()
    for message in messages:
        if message.status == "pending" and message.scheduled_for <= now:
            transaction.on_commit(lambda pk=message.pk: enqueue(pk))


def _reminders(appointment: Appointment, *, now: datetime) -> list[OutgoingMessage]:
    from clinic.models import OutgoingMessage

    reminders = []
    for hours in settings.REMINDER_OFFSETS_HOURS:
        due = appointment.start - timedelta(hours=hours)
        if due <= now:
            continue  # booked inside this offset: that reminder would arrive at booking time
        reminders.append(
            _record(
                key=f"appointment:{appointment.pk}:reminder:{_stamp(appointment.start)}:{hours}h",
                revive=True,
                kind=OutgoingMessage.Kind.REMINDER,
                appointment=appointment,
                recipient=appointment.patient.email,
                scheduled_for=due,
                appointment_start=appointment.start,
            )
        )
    return reminders


def _skip_pending_reminders(appointment: Appointment, *, keep_start: datetime | None = None) -> int:
    from clinic.models import OutgoingMessage

    pending = OutgoingMessage.objects.filter(
        appointment=appointment, kind=OutgoingMessage.Kind.REMINDER, status=OutgoingMessage.Status.PENDING
    )
    if keep_start is not None:
        pending = pending.exclude(appointment_start=keep_start)
    return pending.update(status=OutgoingMessage.Status.SKIPPED, last_error="appointment moved or cancelled")


def appointment_booked(appointment: Appointment) -> None:
    """Record the confirmation and the reminders of a new booking."""
    from clinic.models import OutgoingMessage

    now = timezone.now()
    confirmation = _record(
        key=f"appointment:{appointment.pk}:confirmation:{_stamp(appointment.start)}",
        kind=OutgoingMessage.Kind.CONFIRMATION,
        appointment=appointment,
        recipient=appointment.patient.email,
        scheduled_for=now,
        appointment_start=appointment.start,
    )
    _reminders(appointment, now=now)
    _send_on_commit([confirmation])


def appointment_rescheduled(appointment: Appointment, *, old_start: datetime) -> None:
    """Record the reschedule notice and the reminders of the new time."""
    from clinic.models import OutgoingMessage

    now = timezone.now()
    _skip_pending_reminders(appointment, keep_start=appointment.start)
    notice = _record(
        key=(
            f"appointment:{appointment.pk}:rescheduled:{_stamp(appointment.start)}"
            f":{appointment.rescheduled_count}"
        ),
        kind=OutgoingMessage.Kind.RESCHEDULED,
        appointment=appointment,
        recipient=appointment.patient.email,
        scheduled_for=now,
        appointment_start=appointment.start,
    )
    _reminders(appointment, now=now)
    _send_on_commit([notice])


def appointment_cancelled(appointment: Appointment) -> None:
    """Record the cancellation notice; reminders of a cancelled visit never go."""
    from clinic.models import OutgoingMessage

    _skip_pending_reminders(appointment)
    notice = _record(
        key=f"appointment:{appointment.pk}:cancelled",
        kind=OutgoingMessage.Kind.CANCELLED,
        appointment=appointment,
        recipient=appointment.patient.email,
        scheduled_for=timezone.now(),
        appointment_start=appointment.start,
    )
    _send_on_commit([notice])


def _alert_sites(intake: Intake) -> list[Site]:
    from booking.models import Site

    if intake.preferred_site_id:
        return [intake.preferred_site]
    return list(Site.objects.filter(is_active=True).prefetch_related("opening_hours"))


def escalation_time(
    submitted: datetime, *, opening: dict[int, tuple[time, time]], minutes: int, zone: ZoneInfo
) -> datetime:
    """When `minutes` of opening hours have passed since `submitted` (aware UTC in, aware UTC out)."""
    left = timedelta(minutes=minutes)
    cursor = submitted.astimezone(zone)
    for _ in range(14):  # two weeks of days is plenty for any weekly schedule
        hours = opening.get(cursor.weekday())
        if hours is not None:
            opens = datetime.combine(cursor.date(), hours[0], tzinfo=zone)
            closes = datetime.combine(cursor.date(), hours[1], tzinfo=zone)
            start = max(cursor, opens)
            if start < closes:
                if start + left <= closes:
                    return (start + left).astimezone(ZoneInfo("UTC"))
                left -= closes - start
        next_day = cursor.date() + timedelta(days=1)
        cursor = datetime.combine(next_day, time(0), tzinfo=zone)
    return (submitted + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC"))


def _opening(sites: list[Site]) -> dict[int, tuple[time, time]]:
    hours: dict[int, tuple[time, time]] = {}
    for site in sites:
        for row in site.opening_hours.all():
            earliest = hours.get(row.weekday)
            hours[row.weekday] = (
                (min(earliest[0], row.opens), max(earliest[1], row.closes))
                if earliest
                else (row.opens, row.closes)
            )
    return hours or DEFAULT_OPENING


def intake_submitted(intake: Intake) -> None:
    """Record the staff alert for an emergency or urgent outcome."""
    from booking.models import Podiatrist
    from clinic.models import OutgoingMessage

    if intake.urgency not in ALERT_URGENCIES:
        return
    now = timezone.now()
    sites = _alert_sites(intake)
    front_desk = sorted({site.front_desk_email for site in sites if site.front_desk_email})
    if not front_desk:
        logger.error("Urgent intake %s: no front desk address to alert", intake.pk)
        return
    alert = _record(
        key=f"intake:{intake.pk}:urgent_alert",
        kind=OutgoingMessage.Kind.URGENT_ALERT,
        intake=intake,
        recipient=",".join(front_desk),
        scheduled_for=now,
    )
    on_call = Podiatrist.objects.filter(is_on_call=True, is_active=True).exclude(email="")
    due = escalation_time(
        now,
        opening=_opening(sites),
        minutes=settings.URGENT_ESCALATION_MINUTES,
        zone=ZoneInfo(settings.CLINIC_TIME_ZONE),
    )
    _record(
        key=f"intake:{intake.pk}:escalation:{_stamp(due)}",
        kind=OutgoingMessage.Kind.ESCALATION,
        intake=intake,
        recipient=",".join([*front_desk, *sorted(p.email for p in on_call)]),
        scheduled_for=due,
    )
    _send_on_commit([alert])


def care_plan_sent(care_plan: CarePlan) -> None:
    """Record the care-plan email now and the two-week check-in."""
    from clinic.care_plans import CHECKIN_DAYS
    from clinic.models import OutgoingMessage

    now = care_plan.sent_at
    recipient = care_plan.appointment.patient.email
    message = _record(
        key=f"care_plan:{care_plan.pk}:care_plan:{_stamp(now)}",
        kind=OutgoingMessage.Kind.CARE_PLAN,
        care_plan=care_plan,
        appointment=care_plan.appointment,
        recipient=recipient,
        scheduled_for=now,
    )
    # Wall-clock days in the clinic's zone: the check-in comes at the same local hour across DST.
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    checkin_at = (now.astimezone(zone) + timedelta(days=CHECKIN_DAYS)).astimezone(ZoneInfo("UTC"))
    _record(
        key=f"care_plan:{care_plan.pk}:checkin:{_stamp(checkin_at)}",
        kind=OutgoingMessage.Kind.CHECKIN,
        care_plan=care_plan,
        appointment=care_plan.appointment,
        recipient=recipient,
        scheduled_for=checkin_at,
    )
    _send_on_commit([message])
