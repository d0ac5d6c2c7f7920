"""One row per staff page view that showed a patient's identity or health data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffAccess(models.Model):
    """Who (user), when (at), which page (page, path, query) and which record (record, record_id);
    `search` holds the search term typed on the page, if any. Written only by the middleware."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A default, not auto_now_add: rows moved from the earlier intake log keep their time.
    at = models.DateTimeField("when", default=timezone.now, editable=False, db_index=True)
    page = models.CharField(max_length=100, help_text='The URL name, e.g. "admin:booking_patient_change"')
    path = models.CharField(max_length=300)
    query = models.TextField(blank=True, help_text="The page's filters, search and page number, as requested")
    record = models.CharField(
        max_length=64, blank=True, help_text='The model of the record, "booking.patient"'
    )
    record_id = models.CharField(max_length=64, blank=True, help_text="Empty on a list or a day's page")
    search = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "staff access to patient data"
        verbose_name_plural = "staff access to patient data"
        indexes = [
            models.Index(fields=["user", "-at"], name="audit_by_user"),
            models.Index(fields=["record", "record_id", "-at"], name="audit_by_record"),
        ]

    def __str__(self) -> str:
        target = f"{self.record} {self.record_id}".strip() or self.page
        return f"{self.user_id} viewed {target}"
