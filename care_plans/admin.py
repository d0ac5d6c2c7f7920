"""Staff admin for the care-plan templates and the plans as sent."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from care_plans.models import CarePlan, CarePlanTemplate


@admin.register(CarePlanTemplate)
class CarePlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "fits_text", "time_course", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "fits_text"]


@admin.register(CarePlan)
class CarePlanAdmin(admin.ModelAdmin):
    list_display = ["appointment", "template", "sent_at", "sent_by"]
    list_select_related = ["appointment__patient", "template", "sent_by"]
    readonly_fields = ["appointment", "template", "note", "content", "sent_at", "sent_by"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the visit page through care_plans.services.send_care_plan
