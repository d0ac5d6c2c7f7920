"""Staff admin for the outgoing-message ledger and the care-plan templates."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from clinic import messaging, notifications
from clinic.models import CarePlan, CarePlanTemplate, OutgoingMessage


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("failed", "Failed"), ("retrying", "Retrying after an error")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "failed":
            return queryset.filter(status=OutgoingMessage.Status.FAILED)
        if self.value() == "retrying":
            return queryset.filter(status=OutgoingMessage.Status.PENDING).exclude(last_error="")
        return queryset


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "scheduled_for", "status", "attempts", "last_error", "sent_at"]
    list_filter = [NeedsAttentionFilter, "status", "kind"]
    search_fields = ["recipient", "key"]
    date_hierarchy = "scheduled_for"
    actions = ["retry"]
    readonly_fields = [
        "kind", "key", "appointment", "intake", "care_plan", "recipient", "scheduled_for",
        "appointment_start", "status", "attempts", "retry_at", "last_error", "claimed_at", "sent_at",
        "created_at",
    ]  # fmt: skip
    list_select_related = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages are written by the services, in the transaction of their cause

    @admin.action(description="Retry the selected failed messages", permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        reset = messaging.retry_failed(list(queryset.values_list("pk", flat=True)))
        notifications.enqueue_many(reset)
        self.message_user(request, f"{len(reset)} message(s) queued again.", messages.SUCCESS)


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
        return False  # sent from the visit page through clinic.services.send_care_plan
