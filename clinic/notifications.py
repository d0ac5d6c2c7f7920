"""What the booking and intake services tell the messaging layer.

The services call these inside their own transaction, so the outgoing-message ledger is
written atomically with the change that causes it (see the notifications issue). Messages due
now are enqueued on commit; everything else (reminders, escalations, anything whose enqueue was
lost while the broker was down) goes out through the periodic sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from clinic import escalation
from clinic.escalation import SiteHours

if TYPE_CHECKING:
    from booking.models import Appointment, Site
    from clinic.models import CarePlan, OutgoingMessage
    from intake.models import Intake

logger = logging.getLogger(__name__)

ALERT_URGENCIES = {"emergency", "urgent"}


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
    return list(Site.objects.filter(is_active=True))


def _front_desk(sites: list[Site]) -> list[str]:
    return sorted({site.front_desk_email for site in sites if site.front_desk_email})


def _site_hours(sites: list[Site], *, first_day: date) -> list[SiteHours]:
    """The alerted sites' weekly hours and their closures over the escalation's search span."""
    from booking.models import Closure

    prefetch_related_objects(sites, "opening_hours")
    closed: dict[int, set[date]] = {site.pk: set() for site in sites}
    rows = Closure.objects.filter(
        site__in=sites, date__gte=first_day, date__lt=first_day + timedelta(days=escalation.SEARCH_DAYS)
    ).values_list("site_id", "date")
    for site_id, day in rows:
        closed[site_id].add(day)
    return [
        SiteHours(
            weekly={row.weekday: (row.opens, row.closes) for row in site.opening_hours.all()}
            or escalation.DEFAULT_WEEKLY,
            closed=frozenset(closed[site.pk]),
        )
        for site in sites
    ]


def escalation_recipients(intake: Intake, sites: list[Site] | None = None) -> str:
    """The front desk of the intake's site(s) and whoever is on call: read when the row is written
    and again when it is sent, so an on-call change over a weekend reaches the right podiatrist."""
    from booking.models import Podiatrist

    sites = _alert_sites(intake) if sites is None else sites
    on_call = Podiatrist.objects.filter(is_on_call=True, is_active=True).exclude(email="")
    return ",".join([*_front_desk(sites), *sorted(on_call.values_list("email", flat=True))])


def intake_submitted(intake: Intake) -> None:
    """Record the staff alert for an emergency or urgent outcome."""
    from clinic.models import OutgoingMessage

    if intake.urgency not in ALERT_URGENCIES:
        return
    now = timezone.now()
    sites = _alert_sites(intake)
    front_desk = _front_desk(sites)
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
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    due = escalation.escalation_due(
        now,
        sites=_site_hours(sites, first_day=now.astimezone(zone).date()),
        minutes=settings.URGENT_ESCALATION_MINUTES,
        zone=zone,
    )
    _record(
        key=f"intake:{intake.pk}:escalation:{_stamp(due)}",
        kind=OutgoingMessage.Kind.ESCALATION,
        intake=intake,
        recipient=escalation_recipients(intake, sites),
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
