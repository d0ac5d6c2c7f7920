"""What the waitlist tells the broker and the message ledger.

`enqueue_batch` hands an opening's next batch to the worker (failing fast: the minute sweep
offers it if the broker is down, so no patient action waits on Redis). `offers_made` records one
ledger message per offer in the transaction that makes the offers.
"""

from __future__ import annotations

import logging

from celery import current_app

logger = logging.getLogger(__name__)

OFFER_TASK = "waitlist.offer_freed_time"  # waitlist/tasks.py


def enqueue_batch(opening_id: int, *, countdown: int = 0) -> bool:
    """Publish the offer task for an opening; a broker outage is logged and left to the sweep."""
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            # By the task's name: waitlist.tasks imports the services, which import this module.
            current_app.send_task(
                OFFER_TASK, (opening_id,), connection=connection, retry=False, countdown=countdown
            )
    except Exception:  # noqa: BLE001 - any broker error; the sweep offers the batch when it is due
        logger.warning(
            "Broker unavailable: waitlist opening %s left for the sweep", opening_id, exc_info=True
        )
        return False
    return True


def offers_made(offers: list) -> None:
    """Record the offer emails in the ledger (wired once the messaging app lands; see issue 15)."""
