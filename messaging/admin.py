"""Staff admin for the outgoing-message ledger: failed messages with their error, and Retry."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from audit.pages import PatientDataAdmin
from messaging import delivery, tasks
from messaging.models import OutgoingMessage


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[OutgoingMessage]
    ) -> list[tuple[str, str]]:
        return [("failed", "Failed"), ("retrying", "Retrying after an error")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[OutgoingMessage]
    ) -> QuerySet[OutgoingMessage]:
        if self.value() == "failed":
            return queryset.filter(status=OutgoingMessage.Status.FAILED)
        if self.value() == "retrying":
            return queryset.filter(status=OutgoingMessage.Status.PENDING).exclude(last_error="")
        return queryset


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(PatientDataAdmin, admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    list_display = ["kind", "to", "scheduled_for", "status", "attempts", "last_error", "sent_at"]
    list_filter = [NeedsAttentionFilter, "status", "kind"]
    search_fields = ["recipients", "key"]
    date_hierarchy = "scheduled_for"
    actions = ["retry"]
    readonly_fields = [
        "kind", "key", "subject", "to", "scheduled_for", "subject_start", "status", "attempts",
        "retry_at", "last_error", "claimed_at", "sent_at", "created_at",
    ]  # fmt: skip
    list_select_related = False

    @admin.display(description="To", ordering="recipients")
    def to(self, obj: OutgoingMessage) -> str:
        """Each address whole, one per line (an address may itself hold a comma)."""
        return format_html_join(mark_safe("<br>"), "{}", ((address,) for address in obj.recipients))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages are written by the services, in the transaction of their cause

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the ledger is the record of what was sent to whom: nobody deletes from it

    @admin.action(description="Retry the selected failed messages", permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingMessage]) -> None:
        reset = delivery.retry_failed(list(queryset.values_list("pk", flat=True)))
        tasks.enqueue_many(reset)
        self.message_user(request, f"{len(reset)} message(s) queued again.", messages.SUCCESS)
