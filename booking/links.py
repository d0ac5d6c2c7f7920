"""Manage links: signed, unguessable, expiring, with no personal data in the URL.

A link carries the appointment id and its random `manage_key`, signed with SECRET_KEY, so it
cannot be forged, can be sent again in every reminder, and is revoked by rotating the key.
Whether it still allows changes (cancelled, past, after the cutoff) is decided from the
appointment's state, not from the link.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from booking.prepared import PreparedRead

_SALT = "booking.manage-link"
# Every manage, reschedule, cancel and calendar request reads its appointment this way: compiled
# once per process (booking.prepared), as building it with the ORM cost more than the page's rest.
_BY_PK = PreparedRead(
    lambda pk: (
        Appointment.objects.select_related("site", "podiatrist", "type", "patient")
        .filter(pk=pk)
        .order_by("pk")[:1]
    )
)
# After the visit the link still says "this appointment is in the past" for a while, then expires.
VALID_AFTER_VISIT = timedelta(days=30)


def make_manage_token(appointment: Appointment) -> str:
    """The token for the appointment's manage link."""
    return signing.dumps([appointment.pk, appointment.manage_key], salt=_SALT)


def manage_url(appointment: Appointment, *, absolute: bool = True) -> str:
    """The appointment's manage link: absolute (SITE_URL) for email and calendar files, else a path."""
    path = reverse("booking:manage", kwargs={"token": make_manage_token(appointment)})
    return f"{settings.SITE_URL}{path}" if absolute else path


def questionnaire_url(appointment: Appointment, *, absolute: bool = True) -> str:
    """The questionnaire for this appointment, for a patient who booked first."""
    path = reverse("intake:for_appointment", kwargs={"token": make_manage_token(appointment)})
    return f"{settings.SITE_URL}{path}" if absolute else path


def appointment_for_token(token: str, *, now: datetime | None = None) -> Appointment | None:
    """The appointment a token names, or None for a forged, malformed, revoked or expired token."""
    try:
        pk, key = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    appointment = next(iter(_BY_PK.instances(pk=pk)), None)
    if appointment is None or appointment.manage_key != key:
        return None
    if appointment.end + VALID_AFTER_VISIT < (now or timezone.now()):
        return None
    return appointment
