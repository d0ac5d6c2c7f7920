"""Messages a person must look at: failed ones (Retry in the admin) and stuck ones (due for a while
and still not sent: the worker, the broker or the sweep is not running). Shown as a count on the
admin index, in /healthz/ready, and in the front desk's daily digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Count, QuerySet
from django.utils import timezone

from messaging.models import OutgoingMessage

# A due message still pending or sending this long after its time was missed by many sweeps
# (they run every minute); a claim is declared stale after 10 minutes too.
STUCK_AFTER = timedelta(minutes=10)
Status = OutgoingMessage.Status


def stuck(now: datetime) -> QuerySet[OutgoingMessage]:
    return OutgoingMessage.objects.filter(
        status__in=[Status.PENDING, Status.SENDING], scheduled_for__lt=now - STUCK_AFTER
    )


def message_trouble(now: datetime | None = None) -> dict[str, int]:
    """How many messages failed and how many are stuck (two queries)."""
    now = now or timezone.now()
    return {
        "failed": OutgoingMessage.objects.filter(status=Status.FAILED).count(),
        "stuck": stuck(now).count(),
    }


def digest_text(now: datetime | None = None) -> str | None:
    """The front desk's daily note of what failed: kinds and counts and where to retry, no names,
    no addresses, nothing about anyone's health. None when there is nothing to say."""
    now = now or timezone.now()
    failed = (
        OutgoingMessage.objects.filter(status=Status.FAILED)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    labels = dict(OutgoingMessage.Kind.choices)
    lines = [f"- {row['n']} {labels.get(row['kind'], row['kind']).lower()}" for row in failed]
    stuck_count = stuck(now).count()
    if not lines and not stuck_count:
        return None
    parts = ["Good morning,", ""]
    if lines:
        parts += ["These messages could not be sent and wait for someone to decide:", *lines, ""]
        parts += [f"Open {settings.SITE_URL}/admin/messaging/outgoingmessage/?status__exact=failed", ""]
        parts += ["Check the patient's contact details, then use Retry, or call the patient.", ""]
    if stuck_count:
        parts += [f"{stuck_count} message(s) are overdue: please tell whoever looks after the server.", ""]
    parts += ["This note is sent every morning when something needs a person."]
    return "\n".join(parts)


def send_digest(now: datetime | None = None) -> bool:
    """Email the digest to FAILURE_DIGEST_TO once a day (a repeated delivery of the task sends
    nothing); False when there was nothing to send or it went already."""
    now = now or timezone.now()
    text = digest_text(now)
    if text is None or not settings.FAILURE_DIGEST_TO:
        return False
    key = f"messaging:failure-digest:{timezone.localdate(now).isoformat()}"
    try:
        first = cache.add(key, "sent", timeout=36 * 3600)
    except Exception:  # noqa: BLE001 - the cache down: better twice than never
        first = True
    if not first:
        return False
    send_mail("Messages that need a person", text, None, settings.FAILURE_DIGEST_TO)
    return True
