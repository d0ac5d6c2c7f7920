"""Booking's notices: the confirmation, reschedule and cancellation emails and the reminders.

The booking services call these inside their own transaction, so the ledger rows are written
atomically with the booking change. `read_appointment` is booking's reader for "appointment"
messages: at send time it re-reads the appointment, skips what went stale and words the email.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from booking.ics import appointment_ics
from booking.links import manage_url, questionnaire_url
from booking.models import Appointment, AppointmentEvent
from messaging import ledger, subjects
from messaging.models import OutgoingMessage
from messaging.subjects import Attachment, Reading
from messaging.wording import clock, local, stamp, when_text

SUBJECT = "appointment"
Kind = OutgoingMessage.Kind


def _subject(appointment: Appointment) -> str:
    return subjects.key(SUBJECT, appointment.pk)


def _fields(appointment: Appointment, *, kind: str, key: str, scheduled_for: datetime) -> dict[str, Any]:
    """One email about this appointment, as the ledger keeps it (to the patient, about its start)."""
    return {
        "key": key,
        "kind": kind,
        "subject": _subject(appointment),
        "recipients": [appointment.patient.email],
        "scheduled_for": scheduled_for,
        "subject_start": appointment.start,
    }


def _reminder_fields(appointment: Appointment, *, now: datetime) -> list[dict[str, Any]]:
    """The reminders of the appointment's time still ahead (booked inside an offset, that reminder
    would arrive at booking time: it is left out)."""
    start = appointment.start
    return [
        _fields(
            appointment,
            kind=Kind.REMINDER,
            key=f"appointment:{appointment.pk}:reminder:{stamp(start)}:{hours}h",
            scheduled_for=start - timedelta(hours=hours),
        )
        for hours in settings.REMINDER_OFFSETS_HOURS
        if start - timedelta(hours=hours) > now
    ]


def _reminders(appointment: Appointment, *, now: datetime) -> list[OutgoingMessage]:
    return [ledger.record(**fields, revive=True) for fields in _reminder_fields(appointment, now=now)]


def _skip_pending_reminders(appointment: Appointment, *, keep_start: datetime | None = None) -> int:
    return ledger.skip_pending(
        subject=_subject(appointment),
        kind=Kind.REMINDER,
        reason="appointment moved or cancelled",
        keep_start=keep_start,
    )


def visit_ended(appointment: Appointment) -> int:
    """A visit completed or missed: its pending reminders never go."""
    return ledger.skip_pending(
        subject=_subject(appointment),
        kind=Kind.REMINDER,
        reason=f"visit {appointment.get_status_display().lower()}",
    )


def appointment_booked(appointment: Appointment) -> None:
    """Record the confirmation and the reminders of a new booking (one INSERT: the appointment was
    created in this transaction, so none of its keys exists yet)."""
    now = timezone.now()
    confirmation = _fields(
        appointment,
        kind=Kind.CONFIRMATION,
        key=f"appointment:{appointment.pk}:confirmation:{stamp(appointment.start)}",
        scheduled_for=now,
    )
    rows = [OutgoingMessage(**fields) for fields in [confirmation, *_reminder_fields(appointment, now=now)]]
    ledger.send_on_commit(ledger.record_new(rows)[:1])


def appointment_rescheduled(appointment: Appointment, *, old_start: datetime) -> None:
    """Record the reschedule notice and the reminders of the new time."""
    now = timezone.now()
    _skip_pending_reminders(appointment, keep_start=appointment.start)
    key = (
        f"appointment:{appointment.pk}:rescheduled:{stamp(appointment.start)}:{appointment.rescheduled_count}"
    )
    notice = ledger.record(**_fields(appointment, kind=Kind.RESCHEDULED, key=key, scheduled_for=now))
    _reminders(appointment, now=now)
    ledger.send_on_commit([notice])


def appointment_cancelled(appointment: Appointment) -> None:
    """Record the cancellation notice; reminders of a cancelled visit never go."""
    _skip_pending_reminders(appointment)
    key = f"appointment:{appointment.pk}:cancelled"
    notice = ledger.record(**_fields(appointment, kind=Kind.CANCELLED, key=key, scheduled_for=timezone.now()))
    ledger.send_on_commit([notice])


# --- At send time -------------------------------------------------------------------------------


def appointment_for_message(pk: int) -> Appointment:
    return Appointment.objects.select_related("site", "patient", "podiatrist", "type", "intake").get(pk=pk)


def appointment_context(appointment: Appointment) -> dict[str, Any]:
    """What every email about an appointment may show: when and where, and the patient's links."""
    site = appointment.site
    context = {
        "appointment": appointment,
        "site": site,
        "patient": appointment.patient,
        "when": when_text(appointment.start, site.timezone),
        "manage_url": manage_url(appointment),
        "book_url": settings.SITE_URL + reverse("booking:start"),
    }
    if appointment.status == Appointment.Status.CANCELLED:
        # The link manages nothing any more; say who cancelled, and why when the clinic did.
        cancelled = appointment.events.filter(kind=AppointmentEvent.Kind.CANCELLED).order_by("-pk").first()
        context.update(
            manage_url="",
            cancelled_by_clinic=bool(cancelled and cancelled.actor_id),
            cancel_reason=(cancelled.detail or {}).get("reason", "") if cancelled else "",
        )
    return context


def skip_reason(message: OutgoingMessage, appointment: Appointment) -> str:
    """Why the message must not go any more, or ''."""
    if message.kind == Kind.REMINDER:
        if appointment.status != Appointment.Status.BOOKED:
            return f"appointment is {appointment.status}"
        if message.subject_start != appointment.start:
            return "appointment moved"
    if message.kind in {Kind.CONFIRMATION, Kind.RESCHEDULED}:
        if appointment.status == Appointment.Status.CANCELLED:
            return "appointment cancelled"
        if message.subject_start != appointment.start:
            return "appointment moved again; the newer notice says so"
    return ""


def subject_line(message: OutgoingMessage, appointment: Appointment) -> str:
    """Subjects name a time, never a health detail."""
    zone = appointment.site.timezone
    if message.kind == Kind.CONFIRMATION:
        return f"Your appointment on {when_text(appointment.start, zone)}"
    if message.kind == Kind.RESCHEDULED:
        return f"Your appointment has moved to {when_text(appointment.start, zone)}"
    if message.kind == Kind.CANCELLED:
        return f"Cancelled: your appointment on {when_text(appointment.start, zone)}"
    start = local(appointment.start, zone)
    today = local(message.scheduled_for, zone).date()
    if start.date() == today:
        return f"Reminder: your appointment today at {clock(start)}"
    if start.date() == today + timedelta(days=1):
        return f"Reminder: your appointment tomorrow at {clock(start)}"
    return f"Reminder: your appointment on {when_text(appointment.start, zone)}"


def read_appointment(message: OutgoingMessage) -> Reading:
    """Booking's reader for "appointment" messages (registered in BookingConfig.ready)."""
    appointment = appointment_for_message(message.subject_id)
    reason = skip_reason(message, appointment)
    if reason:
        return Reading(skip=reason)
    context = appointment_context(appointment)
    if message.kind == Kind.REMINDER and appointment.intake_id is None:
        context["questionnaire_url"] = questionnaire_url(appointment)
    attachments: tuple[Attachment, ...] = ()
    if message.kind in {Kind.CONFIRMATION, Kind.RESCHEDULED}:
        ics = appointment_ics(appointment)
        attachments = (Attachment("appointment.ics", ics, "text/calendar; method=PUBLISH"),)
    return Reading(subject_line=subject_line(message, appointment), context=context, attachments=attachments)
