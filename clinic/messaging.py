"""Rendering and sending the ledger's messages, exactly once.

`deliver(message_id)` is what the Celery task runs: it claims the row with a conditional update
(only the process whose update matched sends), re-reads the subject so a stale reminder is skipped,
renders the email from templates and sends it. `due_message_ids()` is the sweep's one query.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.models import OutgoingMessage
from clinic.notifications import escalation_recipients

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Backoff after the n-th failed attempt: 1, 2, 4, 8 minutes.
BACKOFF_BASE_SECONDS = 60
# A claim this old belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
SWEEP_BATCH = 500
MAIL_ERRORS = (smtplib.SMTPException, OSError)

Status = OutgoingMessage.Status
Kind = OutgoingMessage.Kind


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did; `retry_in` is set when the task should try again."""

    status: str
    retry_in: int | None = None


def due(now: datetime) -> Q:
    return Q(status=Status.PENDING, scheduled_for__lte=now) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )


def due_message_ids(*, now: datetime, limit: int = SWEEP_BATCH) -> list[int]:
    """Pending messages whose time has come (one indexed query, whatever the size of the ledger)."""
    return list(
        OutgoingMessage.objects.filter(due(now))
        .order_by("scheduled_for")
        .values_list("pk", flat=True)[:limit]
    )


def flag_stale_claims(*, now: datetime) -> int:
    """Claims left by a worker that died mid-send: whether the mail left is unknown, so staff decide.

    Reclaiming them automatically could send a second email (the SMTP server may have accepted it
    just before the worker died), so they become failed, visible in the admin with a Retry action.
    """
    return OutgoingMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Status.FAILED,
        last_error="The worker stopped while sending; the email may or may not have left. Check, then Retry.",
    )


def claim(message_id: int, *, now: datetime) -> OutgoingMessage | None:
    """Take the row for this process; None when another process has it or it is done or not due."""
    claimed = OutgoingMessage.objects.filter(due(now), pk=message_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return OutgoingMessage.objects.select_related(
        "appointment__site",
        "appointment__patient",
        "appointment__podiatrist",
        "appointment__type",
        "appointment__intake",
        "intake__preferred_site",
        "care_plan",
    ).get(pk=message_id)


def skip_reason(message: OutgoingMessage) -> str:
    """Why the message must not go any more (re-read from the subject), or ''."""
    appointment = message.appointment
    if message.kind == Kind.REMINDER and appointment is not None:
        if appointment.status != appointment.Status.BOOKED:
            return f"appointment is {appointment.status}"
        if message.appointment_start != appointment.start:
            return "appointment moved"
    if message.kind == Kind.ESCALATION and message.intake is not None and message.intake.reviewed_at:
        return "intake reviewed before the escalation was due"
    if message.kind in {Kind.CONFIRMATION, Kind.RESCHEDULED} and appointment is not None:
        if appointment.status == appointment.Status.CANCELLED:
            return "appointment cancelled"
        if message.appointment_start != appointment.start:
            return "appointment moved again; the newer notice says so"
    return ""


def deliver(message_id: int, *, now: datetime | None = None) -> Outcome:
    """Claim, check, render and send one message; mail failures come back as a retry or failed."""
    now = now or timezone.now()
    message = claim(message_id, now=now)
    if message is None:
        return Outcome("nothing to claim")
    reason = skip_reason(message)
    if reason:
        OutgoingMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SKIPPED, last_error=reason
        )
        return Outcome(Status.SKIPPED)
    if message.kind == Kind.ESCALATION and message.intake is not None:
        _readdress_escalation(message)
    try:
        render(message).send()
    except MAIL_ERRORS as error:
        return _failed_attempt(message, error, now=now)
    OutgoingMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Outcome(Status.SENT)


def _readdress_escalation(message: OutgoingMessage) -> None:
    """Who is on call now, not when the intake came in: the escalation may be a weekend later."""
    recipient = escalation_recipients(message.intake)
    if recipient and recipient != message.recipient:
        message.recipient = recipient
        OutgoingMessage.objects.filter(pk=message.pk).update(recipient=recipient)


def _failed_attempt(message: OutgoingMessage, error: Exception, *, now: datetime) -> Outcome:
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("Message %s attempt %s failed: %s", message.pk, message.attempts, text)
    if message.attempts >= MAX_ATTEMPTS:
        OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error=text)
        return Outcome(Status.FAILED)
    delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=Status.PENDING, last_error=text, retry_at=now + timedelta(seconds=delay)
    )
    return Outcome(Status.PENDING, retry_in=delay)


def retry_failed(ids: list[int]) -> list[int]:
    """Put failed (or skipped) messages back to pending, due now; returns the ids reset."""
    rows = list(
        OutgoingMessage.objects.filter(pk__in=ids, status__in=[Status.FAILED]).values_list("pk", flat=True)
    )
    OutgoingMessage.objects.filter(pk__in=rows).update(status=Status.PENDING, retry_at=None, attempts=0)
    return rows


# --- Rendering ----------------------------------------------------------------------------------


def local(moment: datetime, zone_name: str | None = None) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name or settings.CLINIC_TIME_ZONE))


def when_text(moment: datetime, zone_name: str | None = None) -> str:
    """'Tue, Mar 10 at 9:30 AM' in the site's zone (DST-correct through zoneinfo)."""
    at = local(moment, zone_name)
    return f"{at:%a, %b} {at.day} at {clock(at)}"


def clock(at: datetime) -> str:
    return f"{at.hour % 12 or 12}:{at:%M %p}"


def manage_url(appointment: Any) -> str:
    from booking.links import make_manage_token

    return settings.SITE_URL + reverse("booking:manage", args=[make_manage_token(appointment)])


def questionnaire_url(appointment: Any) -> str:
    """The questionnaire for this appointment, for a patient who booked first."""
    from booking.links import make_manage_token

    return settings.SITE_URL + reverse("intake:for_appointment", args=[make_manage_token(appointment)])


def subject(message: OutgoingMessage) -> str:
    """Subjects name a time or the clinic, never a health detail."""
    appointment = message.appointment
    clinic = settings.CLINIC_NAME
    if message.kind == Kind.CONFIRMATION:
        return f"Your appointment on {when_text(appointment.start, appointment.site.timezone)}"
    if message.kind == Kind.RESCHEDULED:
        return f"Your appointment has moved to {when_text(appointment.start, appointment.site.timezone)}"
    if message.kind == Kind.CANCELLED:
        return f"Cancelled: your appointment on {when_text(appointment.start, appointment.site.timezone)}"
    if message.kind == Kind.REMINDER:
        start = local(appointment.start, appointment.site.timezone)
        today = local(message.scheduled_for, appointment.site.timezone).date()
        if start.date() == today:
            return f"Reminder: your appointment today at {clock(start)}"
        if start.date() == today + timedelta(days=1):
            return f"Reminder: your appointment tomorrow at {clock(start)}"
        return f"Reminder: your appointment on {when_text(appointment.start, appointment.site.timezone)}"
    if message.kind == Kind.URGENT_ALERT:
        return "An urgent intake is waiting"
    if message.kind == Kind.ESCALATION:
        return "Still unreviewed: an urgent intake is waiting"
    if message.kind == Kind.CARE_PLAN:
        return f"Your care plan from {clinic}"
    return f"Checking in two weeks after your visit to {clinic}"


def context(message: OutgoingMessage) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "clinic_name": settings.CLINIC_NAME,
        "site_url": settings.SITE_URL,
        "message": message,
    }
    appointment = message.appointment
    if appointment is not None:
        site = appointment.site
        ctx.update(
            appointment=appointment,
            site=site,
            patient=appointment.patient,
            when=when_text(appointment.start, site.timezone),
            manage_url=manage_url(appointment),
            book_url=settings.SITE_URL + reverse("booking:start"),
        )
        if message.kind == Kind.REMINDER and appointment.intake_id is None:
            ctx["questionnaire_url"] = questionnaire_url(appointment)
    if message.intake is not None:
        ctx["admin_url"] = settings.SITE_URL + reverse("admin:intake_intake_change", args=[message.intake.pk])
        ctx["intake_ref"] = f"#{message.intake.pk}"
    if message.care_plan is not None:
        ctx.update(plan=message.care_plan.content, note=message.care_plan.note)
    return ctx


def render(message: OutgoingMessage) -> EmailMultiAlternatives:
    """The email: plain-text and HTML parts from templates/email/<kind>.*; the confirmation's .ics."""
    ctx = context(message)
    email = EmailMultiAlternatives(
        subject=subject(message),
        body=render_to_string(f"email/{message.kind}.txt", ctx),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
        headers={"X-Clinic-Message": message.key},
    )
    email.attach_alternative(render_to_string(f"email/{message.kind}.html", ctx), "text/html")
    if message.kind in {Kind.CONFIRMATION, Kind.RESCHEDULED}:
        from booking.ics import appointment_ics

        email.attach("appointment.ics", appointment_ics(message.appointment), "text/calendar; method=PUBLISH")
    return email
