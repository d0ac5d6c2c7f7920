"""Clinic-wide records: the outgoing-message ledger and care plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class OutgoingMessage(models.Model):
    """One email the clinic owes someone, written in the transaction of the change that causes it.

    `key` names (subject, kind, scheduled time), so the same message can never be recorded twice;
    a task sends it only after claiming the row with a conditional update.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Booking confirmation"
        RESCHEDULED = "rescheduled", "Reschedule notice"
        CANCELLED = "cancelled", "Cancellation notice"
        REMINDER = "reminder", "Reminder"
        URGENT_ALERT = "urgent_alert", "Urgent intake alert"
        ESCALATION = "escalation", "Unreviewed urgent escalation"
        CARE_PLAN = "care_plan", "Care plan"
        CHECKIN = "checkin", "Two-week check-in"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    intake = models.ForeignKey(
        "intake.Intake", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    care_plan = models.ForeignKey(
        "clinic.CarePlan", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    recipient = models.CharField(max_length=500, help_text="One address, or several separated by commas")
    scheduled_for = models.DateTimeField(help_text="Not sent before this time (UTC)")
    # The appointment start a reminder was written for: a moved appointment makes it stale.
    appointment_start = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True, help_text="Backoff after a mail failure")
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [
            models.Index(fields=["status", "scheduled_for"], name="message_sweep"),
            models.Index(fields=["appointment", "kind", "status"], name="message_by_appointment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | Q(intake__isnull=False) | Q(care_plan__isnull=False),
                name="message_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.get_status_display()})"

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.recipient.split(",") if address.strip()]


class CarePlanTemplate(models.Model):
    """A default care plan staff can edit in the admin (seeded from clinic/care_plans.py)."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120)
    fits = models.JSONField(default=list, blank=True, help_text="Likely-cause codes this plan fits")
    fits_text = models.CharField(max_length=200, blank=True, help_text="What it fits, in words")
    phases = models.JSONField(
        default=list, help_text='[{"title": ..., "goal": ..., "steps": [...]}, ...] in order'
    )
    time_course = models.CharField(max_length=200, blank=True)
    call_sooner = models.JSONField(default=list, blank=True, help_text='The "call us sooner if" list')
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class CarePlan(models.Model):
    """The plan a podiatrist sent after a visit, as it was sent (a snapshot of the template)."""

    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="care_plans"
    )
    template = models.ForeignKey(CarePlanTemplate, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="The podiatrist's personal note")
    content = models.JSONField(help_text="Title, phases, time course and warnings as sent")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.content.get('title', 'Care plan')} for appointment #{self.appointment_id}"
