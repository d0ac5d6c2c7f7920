"""Reads of intakes that span relations, each returning prepared rows."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from intake.models import URGENCY_RANK, Intake, Urgency

# Unreviewed intakes at or above this rank jump the queue.
_JUMPS_QUEUE = URGENCY_RANK[Urgency.URGENT]
_BACK_OF_QUEUE = 99


def intake_queue() -> QuerySet[Intake]:
    """The front desk's list: unreviewed emergency and urgent intakes first, then newest."""
    return (
        Intake.objects.select_related("preferred_site", "reviewed_by", "contacted_by")
        .annotate(
            queue_priority=Case(
                When(
                    status=Intake.Status.NEW,
                    urgency_rank__lte=_JUMPS_QUEUE,
                    then=F("urgency_rank"),
                ),
                default=Value(_BACK_OF_QUEUE),
                output_field=IntegerField(),
            )
        )
        .order_by("queue_priority", "-submitted_at", "-pk")
    )


def intake_for_summary(pk: int) -> Intake | None:
    """One intake with what its pre-visit summary shows, or None."""
    return (
        Intake.objects.select_related("patient", "preferred_site", "reviewed_by", "contacted_by")
        .filter(pk=pk)
        .first()
    )
