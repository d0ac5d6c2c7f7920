"""The waitlist: who would take an earlier time, the times freed for them, and the offers made.

An entry is one patient's wish (type, site or either, dates, weekdays, parts of the day). An
opening is one freed time being offered; its `batches_sent` counter is claimed with a
conditional update so a redelivered task never offers a batch twice. An offer is one entry's
single-use, signed link to claim one opening.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from waitlist.matching import DayPart

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_PART_BITS = {DayPart.MORNING: 1, DayPart.AFTERNOON: 2}


def new_key() -> str:
    return secrets.token_urlsafe(24)


def weekday_mask(weekdays: Iterable[int]) -> int:
    return sum(1 << day for day in set(weekdays))


def weekdays_of(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def day_part_mask(parts: Iterable[str]) -> int:
    return sum(DAY_PART_BITS[DayPart(part)] for part in set(parts))


def day_parts_of(mask: int) -> frozenset[DayPart]:
    return frozenset(part for part, bit in DAY_PART_BITS.items() if mask & bit)


class WaitlistEntry(models.Model):
    """One patient waiting for a time: what, where, when they can come, and how to reach them."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        BOOKED = "booked", "Booked a time"
        LEFT = "left", "Left the waitlist"
        EXPIRED = "expired", "Dates passed"
        REMOVED = "removed", "Removed by staff"

    class Priority(models.IntegerChoices):
        # The same order as waitlist.matching.Priority: lower goes first.
        URGENT = 0, "Urgent outcome"
        SOON = 1, "Soon outcome"
        ROUTINE = 2, "Routine"

    type = models.ForeignKey("booking.AppointmentType", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        "booking.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: either site",
    )
    first_day = models.DateField()
    last_day = models.DateField()
    weekdays = models.PositiveSmallIntegerField(help_text="Bit mask, Monday = 1")
    day_parts = models.PositiveSmallIntegerField(help_text="Bit mask: morning = 1, afternoon = 2")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.ROUTINE)
    # Contact: the linked patient's when they have one, else given on joining.
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    patient = models.ForeignKey(
        "booking.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The later booking the patient would give up for an earlier time (moved, not doubled).
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intake = models.ForeignKey(
        "intake.Intake", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    manage_key = models.CharField(max_length=40, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "waitlist entry"
        verbose_name_plural = "waitlist entries"
        ordering = ["priority", "created_at", "id"]
        indexes = [
            # The offer query: waiting entries of one type, in offer order.
            models.Index(
                fields=["type", "status", "priority", "created_at", "id"], name="waitlist_offer_order"
            ),
            # The same query for a day few ranges reach (late in the horizon, or after most ranges
            # end): the waiting entries whose range has not ended by that day, found without walking
            # every waiting entry of the type in offer order. Only waiting entries: ended ones
            # accumulate and are never matched.
            models.Index(
                fields=["type", "last_day", "first_day"],
                condition=Q(status="waiting"),
                name="waitlist_waiting_range",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(first_day__lte=F("last_day")), name="waitlist_range_ordered"),
            models.CheckConstraint(condition=Q(weekdays__gt=0), name="waitlist_has_weekdays"),
            models.CheckConstraint(condition=Q(day_parts__gt=0), name="waitlist_has_day_parts"),
        ]
        permissions = [("offer_time_waitlistentry", "Can offer a time to a waiting patient by hand")]

    def __str__(self) -> str:
        return f"{self.name} waiting for {self.type}"

    @property
    def weekday_set(self) -> frozenset[int]:
        return weekdays_of(self.weekdays)

    @property
    def day_part_set(self) -> frozenset[DayPart]:
        return day_parts_of(self.day_parts)

    def weekdays_text(self) -> str:
        days = sorted(self.weekday_set)
        if days == [0, 1, 2, 3, 4]:
            return "Monday to Friday"
        return ", ".join(WEEKDAY_NAMES[day] for day in days)

    def day_parts_text(self) -> str:
        parts = self.day_part_set
        if len(parts) == len(DayPart):
            return "mornings or afternoons"
        return "mornings" if DayPart.MORNING in parts else "afternoons"


# An opening's reason when the periodic search found the time free (a closure or time off removed,
# a shift added, held capacity released) rather than a booking giving it up.
FOUND_FREE = "found free"


class Opening(models.Model):
    """A freed time being offered to the waitlist, one batch after another."""

    class Status(models.TextChoices):
        OPEN = "open", "Being offered"
        FILLED = "filled", "Claimed from the waitlist"
        CLOSED = "closed", "No longer offered"

    site = models.ForeignKey("booking.Site", on_delete=models.CASCADE, related_name="+")
    podiatrist = models.ForeignKey("booking.Podiatrist", on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey("booking.AppointmentType", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    freed_by_patient = models.ForeignKey(
        "booking.Patient", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    freed_from = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    batches_sent = models.PositiveSmallIntegerField("batches", default=0)
    # When the next batch may go; None once no further batch is planned (filled, closed, by hand).
    next_batch_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_batch_at"], name="opening_batch_due")]

    def __str__(self) -> str:
        return f"Freed time #{self.pk}"


class Offer(models.Model):
    """One entry's single-use link to claim one opening."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        CLAIMED = "claimed", "Claimed"
        TAKEN = "taken", "Taken by someone else"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="offers")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    batch = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40, default=new_key, editable=False)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OFFERED)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        # The sweep's read: offers still out whose time has lapsed.
        indexes = [models.Index(fields=["status", "expires_at"], name="offer_lapse")]
        constraints = [
            models.UniqueConstraint(fields=["opening", "entry"], name="one_offer_per_entry_and_time")
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} ({self.get_status_display()})"
