"""What the waitlist tells the broker and the message ledger.

`enqueue_batch` hands an opening's next batch to the worker (failing fast: the minute sweep
offers it if the broker is down, so no patient action waits on Redis). `entry_joined` records the
confirmation of a new entry, with the link to see or leave it (a patient who joined without a
booking has no other way back to it); `read_entry` words it at send time. `offers_made` records one
ledger message per offer in the transaction that makes the offers; `read_offer`, the waitlist's
reader for "waitlist_offer" messages, re-checks the offer when the message is about to go, so no
email offers a time that was taken, claimed or has lapsed meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from messaging import ledger, subjects, tasks
from messaging.models import OutgoingMessage
from messaging.subjects import Reading
from messaging.wording import clock, local, when_text
from waitlist.links import entry_url, offer_url
from waitlist.models import Offer, Opening, WaitlistEntry
from waitlist.selectors import booking_to_move, free_at

logger = logging.getLogger(__name__)

OFFER_TASK = "waitlist.offer_freed_time"  # waitlist/tasks.py
SUBJECT = "waitlist_offer"
ENTRY_SUBJECT = "waitlist_entry"
Kind = OutgoingMessage.Kind


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


def offers_made(offers: Iterable[Offer]) -> None:
    """Record one offer email per offer and publish them together once the offers commit.

    The key names the offer, so an offer's email is recorded once. The offers were made in this
    transaction, so none of their keys exists yet: the rows are written in one INSERT that returns
    their ids (no read back), and handed to the broker over one connection (the latency from a
    cancellation to the first offer is the waitlist's benchmark).
    """
    offers = list(offers)
    if not offers:
        return
    now = timezone.now()
    rows = ledger.record_new(
        [
            OutgoingMessage(
                key=f"{SUBJECT}:{offer.pk}",
                kind=Kind.WAITLIST_OFFER,
                subject=subjects.key(SUBJECT, offer.pk),
                recipients=[offer.entry.email],
                scheduled_for=now,
                subject_start=offer.opening.start,
            )
            for offer in offers
        ]
    )
    pending = [row.pk for row in rows]
    transaction.on_commit(lambda: tasks.enqueue_many(pending))


def skip_reason(offer: Offer, *, now: datetime) -> str:
    """Why the offer email must not go any more, or ''."""
    if offer.status != Offer.Status.OFFERED:
        return f"offer is {offer.get_status_display().lower()}"
    if offer.expires_at <= now:
        return "offer expired before it could be sent"
    opening = offer.opening
    if opening.status != Opening.Status.OPEN:
        return f"the time is {opening.get_status_display().lower()}"
    if not free_at(opening, now=now):
        return "the time was taken before the offer went out"
    return ""


def read_offer(message: OutgoingMessage) -> Reading:
    """The waitlist's reader for "waitlist_offer" messages (registered in WaitlistConfig.ready)."""
    now = timezone.now()
    offer = (
        Offer.objects.select_related("entry", "opening__site", "opening__type", "opening__podiatrist")
        .filter(pk=message.subject_id)
        .first()
    )
    if offer is None:
        return Reading(skip="offer no longer exists")
    reason = skip_reason(offer, now=now)
    if reason:
        return Reading(skip=reason)
    opening, site = offer.opening, offer.opening.site
    expires = local(offer.expires_at, site.timezone)
    moving = booking_to_move(offer.entry, opening, now=now)
    others = offer.opening.offers.exclude(pk=offer.pk).filter(batch=offer.batch).count()
    context = {
        "name": offer.entry.name,
        "site": site,
        "opening": opening,
        "when": when_text(opening.start, site.timezone),
        "offer_url": offer_url(offer),
        "holds_until": f"{clock(expires)} on {expires:%A}",
        "others": others,
        "moving_when": when_text(moving.start, moving.site.timezone) if moving else "",
        "hours": settings.WAITLIST_OFFER_HOURS,
    }
    # The subject names a time and the clinic, never the visit's kind or a health detail.
    return Reading(subject_line=f"An earlier time is free: {context['when']}", context=context)


def entry_joined(entry: WaitlistEntry) -> None:
    """Record the confirmation of a new entry (its key names the entry: one email, whatever retries)
    and send it once the entry commits."""
    message = ledger.record(
        key=f"{ENTRY_SUBJECT}:{entry.pk}:joined",
        kind=Kind.WAITLIST_JOINED,
        subject=subjects.key(ENTRY_SUBJECT, entry.pk),
        recipients=[entry.email],
        scheduled_for=timezone.now(),
    )
    ledger.send_on_commit([message])


def _day_text(day: date) -> str:
    """'Monday, March 1': an entry's days are already the clinic's (Michigan) local dates."""
    return f"{day:%A, %B} {day.day}"


def read_entry(message: OutgoingMessage) -> Reading:
    """The waitlist's reader for "waitlist_entry" messages (registered in WaitlistConfig.ready)."""
    entry = WaitlistEntry.objects.select_related("type", "site").filter(pk=message.subject_id).first()
    if entry is None:
        return Reading(skip="waitlist entry no longer exists")
    if entry.status != WaitlistEntry.Status.WAITING:
        return Reading(skip=f"waitlist entry ended: {entry.get_status_display().lower()}")
    context = {
        "name": entry.name,
        "entry": entry,
        "site": entry.site,  # None for either site: the footer then names no site
        "type_name": entry.type.name,
        "first_day": _day_text(entry.first_day),
        "last_day": _day_text(entry.last_day),
        "days": f"{entry.weekdays_text()}, {entry.day_parts_text()}",
        "entry_url": entry_url(entry),
    }
    # The subject says only that they are on the waitlist: no visit kind, no health detail.
    return Reading(subject_line="You are on the waitlist for an earlier time", context=context)
