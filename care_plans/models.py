"""Care plans: the templates staff edit and the plans as sent after a visit.

The tables keep the names the clinic app gave them before care plans became an app of their own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CarePlanTemplate(models.Model):
    """A default care plan staff can edit in the admin (seeded from care_plans/defaults.py)."""

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
        db_table = "clinic_careplantemplate"
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
    # A second plan for the same visit replaces the first: the patient is told, and only the
    # latest shows on the manage link and gets a check-in.
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "clinic_careplan"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.content.get('title', 'Care plan')} for appointment #{self.appointment_id}"

    @property
    def note_author(self) -> str:
        """Who wrote the note, as the patient knows them: the podiatrist's name, else the user's."""
        user = self.sent_by
        if user is None:
            return "your podiatrist"
        podiatrist = getattr(user, "podiatrist", None)
        return podiatrist.name if podiatrist is not None else (user.get_full_name() or user.get_username())
