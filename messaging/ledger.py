"""Writing the ledger: what the apps' notices call, inside the transaction of the change.

A notice (booking/notices.py, intake/notices.py, care_plans/notices.py) records its rows here, so
the outgoing-message ledger is written atomically with the change that causes it. Messages due now
are enqueued on commit; everything else (reminders, escalations, anything whose enqueue was lost
while the broker was down) goes out through the periodic sweep.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from messaging import tasks
from messaging.models import OutgoingMessage

Kind = OutgoingMessage.Kind
Status = OutgoingMessage.Status


def record(
    *,
    key: str,
    kind: str,
    subject: str,
    recipients: Sequence[str],
    scheduled_for: datetime,
    subject_start: datetime | None = None,
    revive: bool = False,
) -> OutgoingMessage:
    """Write one ledger row unless its key exists; a skipped row is revived when asked (A -> B -> A)."""
    fields = {
        "kind": kind,
        "subject": subject,
        "recipients": list(recipients),
        "scheduled_for": scheduled_for,
        "subject_start": subject_start,
    }
    message, created = OutgoingMessage.objects.get_or_create(key=key, defaults=fields)
    if not created and revive and message.status == Status.SKIPPED:
        OutgoingMessage.objects.filter(pk=message.pk, status=Status.SKIPPED).update(
            status=Status.PENDING, last_error="", **fields
        )
    return message


def record_new(messages: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Write the rows of a subject created in this transaction (its keys cannot exist yet) in one
    INSERT: a booking writes its confirmation and reminders in one statement instead of twelve."""
    return OutgoingMessage.objects.bulk_create(messages)


def skip_pending(*, subject: str, kind: str, reason: str, keep_start: datetime | None = None) -> int:
    """Pending messages of one kind about one subject will not go (those for `keep_start` stay)."""
    pending = OutgoingMessage.objects.filter(subject=subject, kind=kind, status=Status.PENDING)
    if keep_start is not None:
        pending = pending.exclude(subject_start=keep_start)
    return pending.update(status=Status.SKIPPED, last_error=reason)


def send_on_commit(messages: Iterable[OutgoingMessage]) -> None:
    """Hand the messages that are due now to the broker once the transaction commits."""
    now = timezone.now()
    for message in messages:
        if message.status == Status.PENDING and message.scheduled_for <= now:
            transaction.on_commit(partial(_enqueue, message.pk))


def _enqueue(message_id: int) -> None:
    tasks.enqueue(message_id)  # looked up at commit time
