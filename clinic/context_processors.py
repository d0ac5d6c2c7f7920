"""Template context shared by every page: the clinic's name and its sites for the footer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from booking.models import Site
from intake.triage import Urgency

# Templates compare a level with LEVEL.URGENT etc.: the names come from the triage enum.
LEVEL = {level.name: level.value for level in Urgency}


def _sites() -> list[object]:
    return list(Site.objects.filter(is_active=True).order_by("name"))


def clinic(request: HttpRequest) -> dict[str, object]:
    # Lazy: pages that never show the footer's sites (admin, health) run no query for them.
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_sites": SimpleLazyObject(_sites),
        "LEVEL": LEVEL,
        # The staff idle-timeout warning (templates/admin/includes/idle_warning.html).
        "staff_idle_minutes": settings.STAFF_IDLE_MINUTES,
        "staff_idle_seconds": settings.STAFF_IDLE_MINUTES * 60,
    }
