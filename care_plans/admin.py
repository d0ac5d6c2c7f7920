"""Staff admin for the care-plan templates and the plans as sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from audit.pages import PatientDataAdmin
from care_plans.models import CarePlan, CarePlanTemplate


@admin.register(CarePlanTemplate)
class CarePlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "fits_text", "time_course", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "fits_text"]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        return super().get_changelist_form(request, **{"form": LabelledRowForm, **kwargs})


class LabelledRowForm(forms.ModelForm):
    """A row of the templates list: each editable cell is named for a screen reader ("Active:
    Plantar heel pain"), since the column header is not its label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = f"{field.label or name}: {self.instance.title}" if self.instance.pk else field.label
            field.widget.attrs["aria-label"] = label


@admin.register(CarePlan)
class CarePlanAdmin(PatientDataAdmin, admin.ModelAdmin):
    list_display = ["appointment", "template", "sent_at", "sent_by"]
    list_select_related = ["appointment__patient", "template", "sent_by"]
    readonly_fields = ["appointment", "template", "note", "content", "sent_at", "sent_by"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the visit page through care_plans.services.send_care_plan

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a plan sent to a patient stays on record
