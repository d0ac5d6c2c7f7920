"""Sites, podiatrists and their schedules, appointment types, patients and appointments."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value

from booking.constraints import PostgresExclusionConstraint
from booking.when import when


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Site(models.Model):
    """A clinic location with its booking policies."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200, help_text="Street address")
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, default="MI")
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=30)
    front_desk_email = models.EmailField()
    timezone = models.CharField(max_length=64, default="America/Detroit")
    is_active = models.BooleanField(default=True)
    # Policies (product.md defaults).
    slot_grid_minutes = models.PositiveSmallIntegerField(default=10)
    min_notice_minutes = models.PositiveIntegerField(default=120)
    horizon_days = models.PositiveSmallIntegerField(default=60)
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(default=24)
    urgent_hold_starts = models.JSONField(
        default=list, blank=True, help_text='Local start times of held urgent slots, e.g. ["10:00", "14:00"]'
    )
    urgent_hold_minutes = models.PositiveSmallIntegerField(default=30)
    urgent_release_hours = models.PositiveSmallIntegerField(default=24)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(slot_grid_minutes__gte=5), name="site_grid_at_least_5"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.city}, {self.state} {self.postcode}"

    @property
    def tel_url(self) -> str:
        """'tel:+12485550100': a phone link every phone dials (no spaces or brackets)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"tel:+1{digits}" if len(digits) == 10 else f"tel:{digits}"


class OpeningHours(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["site", "weekday"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="one_opening_per_site_weekday"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_opens_before_close"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A day a site is closed (a holiday); it overrides every schedule."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="one_closure_per_site_day")]

    def __str__(self) -> str:
        return f"{self.site} closed {self.date:%Y-%m-%d}"


class Podiatrist(models.Model):
    user = models.OneToOneField(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="podiatrist"
    )
    name = models.CharField(max_length=100, help_text='As patients see it, e.g. "Dr. Maya Patel"')
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    is_on_call = models.BooleanField(default=False, help_text="Receives unreviewed-urgent escalations")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WeeklyShift(models.Model):
    """Who works where on which weekday, in the site's local time."""

    podiatrist = models.ForeignKey(Podiatrist, on_delete=models.CASCADE, related_name="shifts")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["podiatrist", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="shift_starts_before_end"),
        ]

    def __str__(self) -> str:
        hours = f"{self.start:%H:%M}-{self.end:%H:%M}"
        return f"{self.podiatrist} at {self.site}, {self.get_weekday_display()} {hours}"


class TimeOff(models.Model):
    podiatrist = models.ForeignKey(Podiatrist, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="time_off_starts_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.podiatrist} off {self.start:%Y-%m-%d %H:%M}"


# The longest one appointment may block a podiatrist (duration + buffer), enforced on the types.
# The bound lets an overlap query read the (podiatrist, start) index as a short range instead of
# every earlier visit: see AppointmentQuerySet.blocking.
MAX_BLOCK_MINUTES = 8 * 60
MAX_BLOCK = timedelta(minutes=MAX_BLOCK_MINUTES)


class AppointmentType(models.Model):
    class BookableBy(models.TextChoices):
        ANYONE = "anyone", "Anyone"
        RETURNING = "returning", "Patients with an earlier visit, or staff"
        URGENT = "urgent", "Urgent triage outcome, or staff"
        STAFF = "staff", "Staff only"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    duration_minutes = models.PositiveSmallIntegerField()
    buffer_minutes = models.PositiveSmallIntegerField(default=0)
    bookable_by = models.CharField(max_length=12, choices=BookableBy.choices, default=BookableBy.ANYONE)
    uses_urgent_hold = models.BooleanField(default=False, help_text="May be booked into held urgent capacity")
    is_new_patient_exam = models.BooleanField(
        default=False, help_text="A patient may hold one future exam of this kind"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="type_has_duration"),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=Value(MAX_BLOCK_MINUTES) - F("buffer_minutes")),
                name="type_blocks_at_most_8_hours",
                violation_error_message="Duration and buffer together may be at most 8 hours.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


class Patient(models.Model):
    """A person who books; no account and no password. Identified by email when they have one."""

    name = models.CharField(max_length=150)
    # Empty for a caller the front desk booked without one: no email is owed, staff call to confirm.
    email = models.EmailField(unique=True, null=True, blank=True, help_text="Stored lower-case; may be empty")
    phone = models.CharField(max_length=30, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_email(self) -> bool:
        return bool(self.email)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def new_manage_key() -> str:
    """The per-appointment secret inside a signed manage link (see booking/links.py)."""
    return secrets.token_urlsafe(24)


class AppointmentQuerySet(models.QuerySet):
    def blocking(self, start, end) -> AppointmentQuerySet:
        """Appointments, not cancelled, that keep their podiatrist busy at some moment of [start, end)."""
        return self.filter(
            start__lt=end,
            # Redundant with blocked_until > start (no type blocks longer than MAX_BLOCK), and
            # what bounds the index range from below.
            start__gt=start - MAX_BLOCK,
            blocked_until__gt=start,
        ).exclude(status=Appointment.Status.CANCELLED)


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"

    class Flag(models.TextChoices):
        NONE = "", "None"
        SECOND_EXAM = "second_exam", "Second new patient exam for this email: call to check"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        URGENT_LANE = "urgent_lane", "Urgent lane"
        STAFF = "staff", "Staff"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="appointments")
    podiatrist = models.ForeignKey(Podiatrist, on_delete=models.PROTECT, related_name="appointments")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="appointments")
    intake = models.ForeignKey(
        "intake.Intake", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    # end + the type's buffer: the time the podiatrist is blocked; what the constraint guards.
    blocked_until = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    in_urgent_hold = models.BooleanField(default=False)
    # Rotating this key revokes every manage link sent for the appointment.
    manage_key = models.CharField(max_length=40, default=new_manage_key, editable=False)
    # A form resubmission carries the same key and finds this booking instead of a second one.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    rescheduled_count = models.PositiveSmallIntegerField(default=0)
    # For the front desk to look at (the one-new-patient-exam rule flags instead of refusing).
    front_desk_flag = models.CharField(max_length=16, choices=Flag.choices, default="", blank=True)
    # The contact details as typed with this booking (the patient record changes only by staff).
    given_name = models.CharField(max_length=150, blank=True)
    given_email = models.EmailField(blank=True)
    given_phone = models.CharField(max_length=30, blank=True)
    given_date_of_birth = models.DateField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        # change_appointment lets a podiatrist mark their own visits; this one is the front desk's.
        permissions = [("manage_appointment", "Can cancel, move and mark any podiatrist's appointments")]
        indexes = [
            models.Index(fields=["podiatrist", "start"], name="appt_podiatrist_start"),
            models.Index(fields=["site", "start"], name="appt_site_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appointment_starts_before_end"),
            models.CheckConstraint(
                condition=Q(end__lte=F("blocked_until")), name="appointment_buffer_not_negative"
            ),
            PostgresExclusionConstraint(
                name="no_double_booking",
                expressions=[
                    (TsTzRange("start", "blocked_until"), RangeOperators.OVERLAPS),
                    ("podiatrist", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} with {self.podiatrist}, {when(self.start)}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


class AppointmentEvent(models.Model):
    """The audit of an appointment: who changed what, when."""

    class Kind(models.TextChoices):
        BOOKED = "booked", "Booked"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        STATUS = "status", "Status changed"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=100, help_text='"patient", a staff username, or "system"')
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_label}"
