"""The outgoing-message ledger: one row per email the clinic owes someone.

The ledger knows no other app's models. A row names its subject as "<type>:<id>" (for example
"appointment:12"); the app that owns that type registers a reader (`messaging.subjects.register`)
that re-reads the subject when the message is sent.
"""

from __future__ import annotations

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
        WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"
        WAITLIST_JOINED = "waitlist_joined", "Waitlist confirmation"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(
        max_length=64, help_text='What the message is about, "<type>:<id>", e.g. "appointment:12"'
    )
    # A list, never a comma-joined string: an address may hold a comma ('"a,b"@example.com').
    recipients = models.JSONField(default=list, help_text="The addresses, each one whole")
    scheduled_for = models.DateTimeField(help_text="Not sent before this time (UTC)")
    # The subject's time the message was written for (an appointment's start): a move makes it stale.
    subject_start = models.DateTimeField(null=True, blank=True, db_column="appointment_start")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True, help_text="Backoff after a mail failure")
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "clinic_outgoingmessage"  # created by the clinic app before the ledger moved here
        ordering = ["-scheduled_for"]
        indexes = [
            models.Index(fields=["status", "scheduled_for"], name="message_sweep"),
            models.Index(fields=["subject", "kind", "status"], name="message_by_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="message_has_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {'; '.join(self.recipients)} ({self.get_status_display()})"

    @property
    def subject_type(self) -> str:
        return self.subject.partition(":")[0]

    @property
    def subject_id(self) -> int:
        return int(self.subject.partition(":")[2])
