"""Waitlist links: signed, unguessable, no personal data in the URL (like booking's manage links).

An offer link carries the offer id and its random key; whether it still books anything is decided
from the offer's state when it is used (claimed, taken, expired), not from the link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from waitlist.models import Offer, WaitlistEntry

_OFFER_SALT = "waitlist.offer-link"
_ENTRY_SALT = "waitlist.entry-link"


def make_offer_token(offer: Offer) -> str:
    return signing.dumps([offer.pk, offer.key], salt=_OFFER_SALT)


def offer_for_token(token: str) -> Offer | None:
    """The offer a token names, or None for a forged, malformed or revoked token."""
    pk, key = _load(token, _OFFER_SALT)
    if pk is None:
        return None
    offer = Offer.objects.select_related("opening", "entry").filter(pk=pk).first()
    return offer if offer is not None and offer.key == key else None


def make_entry_token(entry: WaitlistEntry) -> str:
    return signing.dumps([entry.pk, entry.manage_key], salt=_ENTRY_SALT)


def entry_for_token(token: str) -> WaitlistEntry | None:
    pk, key = _load(token, _ENTRY_SALT)
    if pk is None:
        return None
    entry = WaitlistEntry.objects.select_related("type", "site").filter(pk=pk).first()
    return entry if entry is not None and entry.manage_key == key else None


def offer_url(offer: Offer) -> str:
    return settings.SITE_URL + reverse("waitlist:offer", args=[make_offer_token(offer)])


def entry_url(entry: WaitlistEntry) -> str:
    return settings.SITE_URL + reverse("waitlist:entry", args=[make_entry_token(entry)])


def _load(token: str, salt: str) -> tuple[int | None, str]:
    try:
        pk, key = signing.loads(token, salt=salt)
    except (signing.BadSignature, ValueError, TypeError):
        return None, ""
    if not isinstance(pk, int) or not isinstance(key, str):
        return None, ""
    return pk, key
