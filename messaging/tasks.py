"""Messaging tasks: thin, idempotent, ids as arguments (style rule 5), and how they are published.

The task names keep their "clinic." prefix: messages already queued under them still run.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from messaging import delivery, trouble

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, name="clinic.send_message", acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def send_message(self: Any, message_id: int) -> str:  # Celery's bound task
    """Send one ledger message if this delivery can claim it; a second delivery finds nothing."""
    outcome = delivery.deliver(message_id)
    if outcome.retry_in is not None and not self.request.called_directly:
        # The row is pending again with retry_at set; the sweep would also pick it up then.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="messaging.failure_digest")
def failure_digest() -> bool:
    """The front desk's morning note of failed and stuck messages (beat, once a day)."""
    return trouble.send_digest()


@shared_task(name="clinic.sweep_due_messages")
def sweep_due_messages() -> int:
    """Enqueue every pending message that is due (beat runs this every minute); returns how many."""
    now = timezone.now()
    delivery.flag_stale_claims(now=now)
    ids = delivery.due_message_ids(now=now)
    enqueue_many(ids)
    return len(ids)


def enqueue(message_id: int) -> bool:
    """Hand a message to the broker; a broker outage is logged and left to the sweep."""
    return enqueue_many([message_id]) == 1


def enqueue_many(message_ids: list[int]) -> int:
    """Publish send tasks over one broker connection; returns how many were handed over.

    Fails fast (one quick retry, no publish retries) so that a booking never waits on a broker
    outage: the ledger rows stay pending and the minute sweep sends them once the broker is back.
    """
    if not message_ids:
        return 0
    published = 0
    try:
        # A connection from the app's pool: a new one per booking cost more CPU than the booking's
        # own queries (connect, then declare the queue again, which a used connection remembers).
        with send_message.app.pool.acquire(block=True, timeout=2) as connection:
            try:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
                for message_id in message_ids:
                    send_message.apply_async((message_id,), connection=connection, retry=False)
                    published += 1
            except Exception:
                connection.collect()  # never hand a broken connection to the next publisher
                raise
    except Exception:  # noqa: BLE001 - any broker error; the rows stay pending for the sweep
        logger.warning(
            "Broker unavailable: %s message(s) left for the sweep",
            len(message_ids) - published,
            exc_info=True,
        )
    return published
