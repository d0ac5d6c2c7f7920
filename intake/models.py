"""Submitted questionnaires (intakes) and the record of staff who viewed them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from intake.triage import Urgency

# The levels are defined once, by the triage engine (intake/triage/results.py); everything here
# derives from it. Most urgent first, as the front desk's queue and every list of levels shows them.
LEVELS = sorted(Urgency, key=lambda level: level.rank, reverse=True)
URGENCY_CHOICES = [(level.value, level.value.capitalize()) for level in LEVELS]


def queue_rank(level: str) -> int:
    """Where an intake at `level` sorts in the front desk's queue (the stored `urgency_rank`):
    0 for the most urgent level, then one more per triage rank below it."""
    return LEVELS[0].rank - Urgency(level).rank


class Intake(models.Model):
    """One submitted heel-pain questionnaire and the triage outcome it was given."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        CONTACTED = "contacted", "Contacted"

    # Contact details (a snapshot as the patient gave them).
    patient = models.ForeignKey(
        "booking.Patient", on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes"
    )
    name = models.CharField(max_length=150)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    preferred_site = models.ForeignKey(
        "booking.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        help_text="Empty: either site",
    )
    consent_to_contact = models.BooleanField(default=False)

    # The questionnaire and its outcome under the triage version of the day.
    answers = models.JSONField(help_text="Item id to answer code, as in questionnaire.md")
    assessment = models.JSONField(help_text="The triage engine's assessment at submission")
    triage_version = models.CharField(max_length=32)
    urgency = models.CharField(max_length=10, choices=URGENCY_CHOICES, db_index=True)
    urgency_rank = models.PositiveSmallIntegerField(db_index=True)  # queue_rank(urgency)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contacted_at = models.DateTimeField(null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "urgency_rank", "-submitted_at"], name="intake_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urgency__in=[level.value for level in LEVELS]), name="intake_urgency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Intake #{self.pk} ({self.get_urgency_display()})"


class Retriage(models.Model):
    """An intake re-assessed under a newer triage policy, with both outcomes (one row per version).

    Raised: the intake now carries the new outcome (level, reasons, version), goes back to the
    front desk's queue unreviewed, and the alert its new level calls for was recorded once.
    Same or lower: nothing changed for the patient; the row keeps the new outcome to compare.
    """

    class Outcome(models.TextChoices):
        RAISED = "raised", "Level raised"
        SAME = "same", "Same level"
        LOWER = "lower", "Would be lower: kept as it was"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="retriages")
    from_version = models.CharField(max_length=32)
    to_version = models.CharField(max_length=32)
    from_urgency = models.CharField(max_length=10, choices=URGENCY_CHOICES)
    to_urgency = models.CharField(max_length=10, choices=URGENCY_CHOICES)
    outcome = models.CharField(max_length=6, choices=Outcome.choices)
    previous_assessment = models.JSONField(help_text="The outcome the intake had, under from_version")
    assessment = models.JSONField(help_text="The outcome under to_version")
    carried_forward = models.JSONField(
        default=list, blank=True, help_text='Items not asked under from_version, counted as "not sure"'
    )
    # A raised intake needs a fresh review: the review it had is kept here.
    previous_status = models.CharField(max_length=10, choices=Intake.Status.choices)
    previous_reviewed_at = models.DateTimeField(null=True, blank=True)
    previous_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "to_version"], name="retriage_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"Intake #{self.intake_id} under {self.to_version}: {self.get_outcome_display()}"

    @property
    def raised(self) -> bool:
        return self.outcome == self.Outcome.RAISED
