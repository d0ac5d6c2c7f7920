"""Clinic-wide tasks: thin, idempotent, ids as arguments (style rule 5)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from clinic import messaging, notifications


@shared_task(name="clinic.ping")
def ping() -> str:
    """Answer 'pong': the health check's round trip through broker, worker and results."""
    return "pong"


@shared_task(
    bind=True, name="clinic.send_message", acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def send_message(self, message_id: int) -> str:  # noqa: ANN001 - Celery's bound task
    """Send one ledger message if this delivery can claim it; a second delivery finds nothing."""
    outcome = messaging.deliver(message_id)
    if outcome.retry_in is not None and not self.request.called_directly:
        # The row is pending again with retry_at set; the sweep would also pick it up then.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="clinic.sweep_due_messages")
def sweep_due_messages() -> int:
    """Enqueue every pending message that is due (beat runs this every minute); returns how many."""
    now = timezone.now()
    messaging.flag_stale_claims(now=now)
    ids = messaging.due_message_ids(now=now)
    notifications.enqueue_many(ids)
    return len(ids)
