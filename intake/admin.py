"""The front desk's intake queue and read-only intake pages (each view is audited: audit.pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from audit.pages import PatientDataAdmin
from intake import readable, services, triage
from intake.models import URGENCY_CHOICES, Intake
from intake.selectors import intake_queue


class UrgencyFilter(admin.SimpleListFilter):
    title = "urgency"
    parameter_name = "urgency"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(URGENCY_CHOICES)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Intake]) -> QuerySet[Intake]:
        return queryset.filter(urgency=self.value()) if self.value() else queryset


class PreferredSiteFilter(admin.RelatedFieldListFilter):
    """The site filter, with "no preferred site" in words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_value_display = "Either site"


@admin.register(Intake)
class IntakeAdmin(PatientDataAdmin, admin.ModelAdmin):
    list_display = ["urgency_badge", "name", "why", "waiting", "status", "site", "phone_number"]
    list_display_links = ["name"]
    list_filter = [UrgencyFilter, ("preferred_site", PreferredSiteFilter), "status", "submitted_at"]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["preferred_site"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["mark_reviewed", "mark_contacted"]
    date_hierarchy = None
    fieldsets = [
        ("Patient", {"fields": ["name", "date_of_birth", "email", "phone", "preferred_site", "patient"]}),
        (
            "Status",
            {
                "fields": [
                    "status",
                    "submitted_at",
                    "reviewed_at",
                    "reviewed_by",
                    "contacted_at",
                    "contacted_by",
                ]
            },
        ),
        ("Triage", {"fields": ["urgency", "triage_version"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Intake]:
        return intake_queue()

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # The queue's order (an annotation of intake_queue()); a column header click still re-sorts.
        return list(intake_queue().query.order_by)

    # Intakes are written only by the questionnaire, and kept: no add, no delete, no edit form.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        # Change permission allows the actions on the list; the page itself is read-only.
        return obj is None and super().has_change_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Intake | None = None) -> list[str]:
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    @admin.display(description="Urgency", ordering="urgency_rank")
    def urgency_badge(self, obj: Intake) -> str:
        return format_html(
            '<span class="urgency-badge urgency-{}">{}</span>', obj.urgency, obj.get_urgency_display()
        )

    # Not sortable: the queue already orders by waiting time within each level, and a sort arrow
    # on it would suggest that clicking changes something the front desk needs.
    @admin.display(description="Waiting")
    def waiting(self, obj: Intake) -> str:
        if obj.status != Intake.Status.NEW:
            return "-"  # reviewed or contacted: the Status column says so
        return waiting_for(obj, timezone.now())

    @admin.display(description="Why")
    def why(self, obj: Intake) -> str:
        return top_reason(obj.assessment)

    @admin.display(description="Site", ordering="preferred_site__name")
    def site(self, obj: Intake) -> str:
        return obj.preferred_site.name if obj.preferred_site else "Either site"

    @admin.display(description="Phone", ordering="phone")
    def phone_number(self, obj: Intake) -> str:
        return format_html('<span class="nowrap">{}</span>', obj.phone) if obj.phone else "None given"

    @admin.action(description="Mark reviewed", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Intake]) -> None:
        done = sum(services.mark_reviewed(intake=intake, user=request.user) for intake in queryset)
        self.message_user(request, f"{done} intake(s) marked reviewed by you.", messages.SUCCESS)

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[Intake]) -> None:
        done = sum(services.mark_contacted(intake=intake, user=request.user) for intake in queryset)
        self.message_user(request, f"{done} intake(s) marked contacted by you.", messages.SUCCESS)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        intake = self.get_object(request, object_id)
        if intake is not None and self.has_view_permission(request, intake):
            extra_context = {
                **(extra_context or {}),
                **intake_page_context(intake),
                "can_mark": self.has_change_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self) -> list:
        mark = self.admin_site.admin_view(require_POST(self.mark_view))
        return [path("<int:pk>/mark/", mark, name="intake_intake_mark"), *super().get_urls()]

    def mark_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The intake page's buttons: the list's two actions, for the intake being read."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        intake = get_object_or_404(Intake, pk=pk)
        marks = {"reviewed": services.mark_reviewed, "contacted": services.mark_contacted}
        what = request.POST.get("what", "")
        if what not in marks:
            messages.error(request, "Choose Mark reviewed or Mark contacted.")
        elif marks[what](intake=intake, user=request.user):
            messages.success(request, f"Intake #{intake.pk} marked {what} by you.")
        else:
            messages.info(request, f"Intake #{intake.pk} was already marked {what}.")
        return HttpResponseRedirect(reverse("admin:intake_intake_change", args=[intake.pk]))

    class Media:
        css = {"all": ["intake/intake.css"]}


def top_reason(assessment: dict[str, Any] | None) -> str:
    """The rule that set the intake's level, in words ("E1: Pop, snap or kicked feeling ...")."""
    assessment = assessment or {}
    rules = [r for r in assessment.get("rule_details", []) if isinstance(r, dict)]
    level = assessment.get("urgency")
    top = next((r for r in rules if r.get("level") == level), rules[0] if rules else None)
    if top is None or top.get("id") == "R1":
        return "No red flags"
    more = len([r for r in rules if r is not top])
    extra = f" (+{more} more)" if more else ""
    return f"{top.get('id', '')}: {top.get('title', '')}{extra}"


def waiting_for(intake: Intake, now: Any) -> str:
    """How long an intake has waited, in the largest sensible unit ("35 min", "3 hours")."""
    minutes = int((now - intake.submitted_at).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    return timesince(intake.submitted_at, now, depth=1)


def intake_page_context(intake: Intake) -> dict[str, Any]:
    """The read-only intake page: readable answers, the assessment, and the latest re-triage under a
    newer policy (both versions' outcomes) or, before one ran, a live re-assessment if versions differ."""
    context: dict[str, Any] = {
        "answer_groups": readable.answers_by_section(intake.answers),
        "assessment": intake.assessment,
        "summary_url": reverse("intake:summary", args=[intake.pk]),
        "current_version": triage.VERSION,
    }
    retriage = intake.retriages.select_related("previous_reviewed_by").order_by("-at").first()
    if retriage is not None:
        context["retriage"] = retriage
        context["retriage_outcomes"] = [
            (f"Rules under policy {retriage.from_version}", retriage.previous_assessment),
            (f"Rules under policy {retriage.to_version}", retriage.assessment),
        ]
        context["carried_forward"] = [
            triage.ITEMS_BY_ID[item_id].question
            for item_id in retriage.carried_forward
            if item_id in triage.ITEMS_BY_ID
        ]
    elif str(intake.triage_version) != str(triage.VERSION):
        try:
            current = services.reassess(intake=intake).to_dict()
        except triage.InvalidAnswers as error:
            context["reassessment_problems"] = error.messages
        else:
            context["reassessment"] = current
    return context
