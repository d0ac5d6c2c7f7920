"""Reads of intakes that span relations, each returning prepared rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from booking.models import Appointment
from intake.models import Intake

_BACK_OF_QUEUE = 99


def intake_queue() -> QuerySet[Intake]:
    """The front desk's list: unreviewed intakes by level (emergency, urgent, soon, routine), the
    longest waiting first within each; then the reviewed and contacted ones, newest first."""
    unreviewed = Q(status=Intake.Status.NEW)
    return (
        Intake.objects.select_related("preferred_site", "reviewed_by", "contacted_by")
        .annotate(
            queue_priority=Case(
                When(unreviewed, then=F("urgency_rank")),
                default=Value(_BACK_OF_QUEUE),
                output_field=IntegerField(),
            ),
            waiting_since=Case(When(unreviewed, then=F("submitted_at"))),
        )
        .order_by("queue_priority", F("waiting_since").asc(nulls_last=True), "-submitted_at", "-pk")
    )


def intake_for_summary(pk: int) -> Intake | None:
    """One intake with what its pre-visit summary shows, or None."""
    return (
        Intake.objects.select_related("patient", "preferred_site", "reviewed_by", "contacted_by")
        .filter(pk=pk)
        .first()
    )


def intakes_to_retriage(*, version: str, now: dt.datetime) -> QuerySet[Intake]:
    """Intakes assessed under another triage version that are still waiting (not yet reviewed, or
    with a booked appointment still ahead) and not yet re-triaged under `version`, oldest first."""
    ahead = Appointment.objects.filter(intake=OuterRef("pk"), status=Appointment.Status.BOOKED, start__gt=now)
    return (
        Intake.objects.exclude(triage_version=version)
        .exclude(retriages__to_version=version)
        .filter(Q(reviewed_at__isnull=True) | Exists(ahead))
        .order_by("pk")
    )
