"""Waitlist tasks: thin and idempotent, ids as arguments (style rule 5)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from waitlist import services


@shared_task(name="waitlist.offer_freed_time", acks_late=True, reject_on_worker_lost=True)
def offer_freed_time(opening_id: int) -> int:
    """Offer a freed time to its next batch if that batch is due; a second delivery offers nothing."""
    return len(services.offer_next_batch(opening_id=opening_id))


@shared_task(name="waitlist.sweep")
def sweep_waitlist() -> int:
    """Beat, every minute: entries whose dates have passed, offers whose time has lapsed (their
    freed time then goes to the next batch), and batches whose time has come (and any whose
    enqueue was lost). Idempotent. Returns how many offers went out."""
    now = timezone.now()
    services.expire_passed_entries(now=now)
    services.expire_lapsed_offers(now=now)
    return sum(
        len(services.offer_next_batch(opening_id=pk, now=now)) for pk in services.due_openings(now=now)
    )


@shared_task(name="waitlist.offer_free_times")
def offer_free_times() -> int:
    """Beat, every five minutes: times found free without a booking giving them up (a closure or
    time off removed, a shift added, held capacity released) that a waiting patient asks for are
    offered like cancelled ones. Idempotent. Returns how many times were found."""
    return len(services.offer_free_times())
