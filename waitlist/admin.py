"""The front desk's waitlist: who waits for what, since when, what they were offered and when.

Entries are not added or deleted here: patients join through their links, and the front desk
removes an entry with an action that records who removed it and when (services.leave). "Offer a
time" picks a free time and calls services.offer_by_hand, so a hand-made offer is claimed, and
re-checked, exactly like one the waitlist made.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils.html import format_html

from audit.pages import PatientDataAdmin
from booking.models import Site
from booking.when import when as booking_when
from waitlist import services, staff_views
from waitlist.models import WEEKDAY_NAMES, Offer, Opening, WaitlistEntry


def when(moment: Any) -> str:
    """'Mon Mar 1, 9:00 AM' in the clinic's zone; '-' for none."""
    return booking_when(moment) if moment else "-"


class SiteOrEitherFilter(admin.SimpleListFilter):
    """Entries a site's front desk can fill: that site's, and those who take either site."""

    title = "site"
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(site.pk), site.name) for site in Site.objects.filter(is_active=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(Q(site_id=self.value()) | Q(site__isnull=True))
        return queryset


class OfferInline(admin.TabularInline):
    """What this patient was offered and when, read-only."""

    model = Offer
    fields = ["offered_time", "batch", "status", "offered_at", "decided", "offered_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offer]:
        return super().get_queryset(request).select_related("opening__site", "offered_by")

    @admin.display(description="time offered")
    def offered_time(self, obj: Offer) -> str:
        return f"{when(obj.opening.start)}, {obj.opening.site.name}"

    @admin.display(description="offered")
    def offered_at(self, obj: Offer) -> str:
        return when(obj.created_at)

    @admin.display(description="decided")
    def decided(self, obj: Offer) -> str:
        return when(obj.decided_at)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(PatientDataAdmin, admin.ModelAdmin):
    # Fits 1366 px beside the admin's menu and filters: the status is the filter's (waiting by default).
    list_display = ["name", "type", "where", "priority_badge", "waiting_since", "offers_made", "wish"]
    list_filter = ["status", SiteOrEitherFilter, "type", "priority"]
    search_fields = ["name", "email", "phone"]
    actions = ["remove_entries"]
    inlines = [OfferInline]
    fields = [
        "name",
        "email",
        "phone",
        "type",
        "where",
        "wish",
        "priority",
        "waiting_since",
        "status",
        "ended",
        "appointment",
    ]
    readonly_fields = fields
    list_per_page = 50

    class Media:
        css = {"all": ["intake/intake.css", "waitlist/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[WaitlistEntry]:
        return (
            super()
            .get_queryset(request)
            .select_related("type", "site", "appointment", "ended_by")
            .annotate(offer_count=Count("offers"), last_offered=Max("offers__created_at"))
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        if "status__exact" not in request.GET and not request.GET.get("q"):
            request.GET = request.GET.copy()
            request.GET["status__exact"] = WaitlistEntry.Status.WAITING
        return super().get_changelist(request, **kwargs)

    @admin.display(description="where")
    def where(self, obj: WaitlistEntry) -> str:
        return obj.site.name if obj.site else "Either site"

    @admin.display(description="waiting since", ordering="created_at")
    def waiting_since(self, obj: WaitlistEntry) -> str:
        return when(obj.created_at)

    @admin.display(description="priority", ordering="priority")
    def priority_badge(self, obj: WaitlistEntry) -> str:
        css = {0: "urgent", 1: "soon", 2: "routine"}[obj.priority]
        return format_html(
            '<span class="urgency-badge urgency-{}">{}</span>', css, obj.get_priority_display()
        )

    @admin.display(description="can come")
    def wish(self, obj: WaitlistEntry) -> str:
        days = sorted(obj.weekday_set)
        weekdays = "Mon-Fri" if days == [0, 1, 2, 3, 4] else ", ".join(WEEKDAY_NAMES[d][:3] for d in days)
        parts = "any time" if len(obj.day_part_set) == 2 else obj.day_parts_text()
        span = f"{date_filter(obj.first_day, 'M j')} to {date_filter(obj.last_day, 'M j')}"
        return f"{span}; {weekdays}, {parts}"

    @admin.display(description="offered")
    def offers_made(self, obj: WaitlistEntry) -> str:
        count = getattr(obj, "offer_count", 0)
        if not count:
            return "not yet"
        return f"{count} time{'s' if count != 1 else ''}, last {when(obj.last_offered)}"

    @admin.display(description="ended")
    def ended(self, obj: WaitlistEntry) -> str:
        if not obj.ended_at:
            return "-"
        who = f" by {obj.ended_by.get_username()}" if obj.ended_by else ""
        note = f": {obj.end_note}" if obj.end_note else ""
        return f"{when(obj.ended_at)}{who}{note}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        custom = [path("<int:pk>/offer/", wrap(self.offer_view), name="waitlist_waitlistentry_offer")]
        return custom + super().get_urls()

    def offer_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return staff_views.offer_view(request, pk=pk, model_admin=self)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        # Nothing on the page is edited here: no Save buttons (changes go through the actions).
        extra = {
            "offer_url": reverse("admin:waitlist_waitlistentry_offer", args=[object_id]),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    @admin.action(description="Remove from the waitlist (recorded)", permissions=["change"])
    def remove_entries(self, request: HttpRequest, queryset: QuerySet[WaitlistEntry]) -> None:
        removed = 0
        for entry in queryset.filter(status=WaitlistEntry.Status.WAITING):
            services.leave(entry=entry, actor=request.user, note="removed by the front desk")
            removed += 1
        self.message_user(
            request, f"Removed {removed} entr{'y' if removed == 1 else 'ies'}.", messages.SUCCESS
        )


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    """Freed times and how each was offered: batches, who claimed it, or why it closed."""

    list_display = [
        "local_start",
        "site",
        "podiatrist",
        "type",
        "reason",
        "batches_sent",
        "status",
        "freed_at",
    ]
    list_filter = ["status", "site", "type", "reason"]
    list_select_related = ["site", "podiatrist", "type"]

    class Media:
        css = {"all": ["waitlist/admin.css"]}

    readonly_fields = [
        "site",
        "podiatrist",
        "type",
        "local_start",
        "reason",
        "status",
        "close_reason",
        "batches_sent",
        "freed_at",
        "created_by",
    ]
    fields = readonly_fields

    @admin.display(description="time", ordering="start")
    def local_start(self, obj: Opening) -> str:
        return when(obj.start)

    @admin.display(description="freed", ordering="created_at")
    def freed_at(self, obj: Opening) -> str:
        return when(obj.created_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
