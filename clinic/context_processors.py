"""Template context shared by every page: the clinic's name and its sites for the footer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from booking.selectors import active_sites
from intake.triage import Urgency

# Templates compare a level with LEVEL.URGENT etc.: the names come from the triage enum.
LEVEL = {level.name: level.value for level in Urgency}


def clinic(request: HttpRequest) -> dict[str, object]:
    # Lazy: pages that never show the footer's sites (admin, health) run no query for them.
    return {
        "clinic_name": settings.CLINIC_NAME,
        # Shared with the booking form's radios on the same request (booking.selectors.active_sites).
        "clinic_sites": SimpleLazyObject(lambda: active_sites(request)),
        "LEVEL": LEVEL,
        # The staff idle-timeout warning (templates/admin/includes/idle_warning.html).
        "staff_idle_minutes": settings.STAFF_IDLE_MINUTES,
        "staff_idle_seconds": settings.STAFF_IDLE_MINUTES * 60,
    }
