"""Rendering and sending the ledger's messages, exactly once.

`deliver(message_id)` is what the Celery task runs: it claims the row with a conditional update
(only the process whose update matched sends), asks the app that owns the message's subject to
re-read it (a stale reminder is skipped; an escalation goes to whoever is on call now), renders the
email from templates and sends it. `due_message_ids()` is the sweep's one query.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from messaging import subjects
from messaging.models import OutgoingMessage
from messaging.subjects import Reading

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
    return OutgoingMessage.objects.get(pk=message_id)


def deliver(message_id: int, *, now: datetime | None = None) -> Outcome:
    """Claim, re-read, render and send one message; mail failures come back as a retry or failed."""
    now = now or timezone.now()
    message = claim(message_id, now=now)
    if message is None:
        return Outcome("nothing to claim")
    reading = subjects.read(message)
    if reading.skip:
        OutgoingMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SKIPPED, last_error=reading.skip
        )
        return Outcome(Status.SKIPPED)
    if reading.recipients and list(reading.recipients) != message.recipients:
        message.recipients = list(reading.recipients)
        OutgoingMessage.objects.filter(pk=message.pk).update(recipients=message.recipients)
    try:
        render(message, reading).send()
    except MAIL_ERRORS as error:
        return _failed_attempt(message, error, now=now)
    OutgoingMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Outcome(Status.SENT)


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


def render(message: OutgoingMessage, reading: Reading | None = None) -> EmailMultiAlternatives:
    """The email: plain-text and HTML parts from templates/email/<kind>.*, with the subject's attachments.

    Subject lines come from the owning app and name a time or the clinic, never a health detail.
    """
    reading = subjects.read(message) if reading is None else reading
    ctx: dict[str, Any] = {
        "clinic_name": settings.CLINIC_NAME,
        "site_url": settings.SITE_URL,
        "message": message,
        **reading.context,
    }
    email = EmailMultiAlternatives(
        subject=reading.subject_line,
        body=render_to_string(f"email/{message.kind}.txt", ctx),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message.recipients),
        headers={"X-Clinic-Message": message.key},
    )
    email.attach_alternative(render_to_string(f"email/{message.kind}.html", ctx), "text/html")
    for attachment in reading.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email
