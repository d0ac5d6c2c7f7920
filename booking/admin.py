"""The front desk's admin for sites, schedules, appointment types, patients and appointments.

Appointments are never added, moved or deleted by a model form here: "Book for a patient" and
"Move" call the booking services, so the admin keeps the same rules and the same no-double-booking
guard as the patient's flow. Status changes and cancellation are actions that call the services too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from audit.pages import PatientDataAdmin
from booking import services, staff_views
from booking.history import Names, sentence
from booking.models import (
    Appointment,
    AppointmentType,
    Closure,
    OpeningHours,
    Patient,
    Podiatrist,
    Site,
    TimeOff,
    WeeklyShift,
)
from booking.when import when

STAFF_CSS = {"all": ["booking/staff.css"]}


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone", "front_desk_email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_active"]}),
        (
            "Contact",
            {"fields": ["address", "city", "state", "postcode", "phone", "front_desk_email", "timezone"]},
        ),
        (
            "Booking policies",
            {
                "fields": [
                    "slot_grid_minutes",
                    "min_notice_minutes",
                    "horizon_days",
                    "cancellation_cutoff_hours",
                    "urgent_hold_starts",
                    "urgent_hold_minutes",
                    "urgent_release_hours",
                ]
            },
        ),
    ]


class WeeklyShiftInline(admin.TabularInline):
    model = WeeklyShift
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(Podiatrist)
class PodiatristAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "user", "is_active", "is_on_call"]
    list_filter = ["is_active", "is_on_call"]
    search_fields = ["name", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    inlines = [WeeklyShiftInline, TimeOffInline]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "duration_minutes",
        "buffer_minutes",
        "bookable_by",
        "uses_urgent_hold",
        "is_new_patient_exam",
        "is_active",
    ]
    list_filter = ["bookable_by", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Patient)
class PatientAdmin(PatientDataAdmin, admin.ModelAdmin):
    list_display = ["name", "email", "phone", "date_of_birth", "created_at"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["created_at", "appointment_list"]

    @admin.display(description="Appointments")
    def appointment_list(self, obj: Patient) -> str:
        """The patient's appointments, next first, each linking to its own page (changes go there)."""
        if obj.pk is None:
            return "-"
        rows = upcoming_first(obj.appointments.select_related("site", "podiatrist", "type"))
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} with {} at {} ({})</li>',
            (
                (
                    reverse("admin:booking_appointment_change", args=[a.pk]),
                    when(a.start),
                    a.type.name,
                    a.podiatrist.name,
                    a.site.name,
                    a.get_status_display(),
                )
                for a in rows
            ),
        )
        return format_html('<ul class="appointment-list">{}</ul>', items) if items else "None yet"


def upcoming_first(queryset: QuerySet[Appointment], now: Any = None) -> QuerySet[Appointment]:
    """Date order with the next visit first: coming ones soonest first, then past ones latest first."""
    now = now or timezone.now()
    return queryset.annotate(
        is_past=Case(When(start__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        coming_start=Case(When(start__gte=now, then=F("start"))),
    ).order_by("is_past", F("coming_start").asc(nulls_last=True), "-start", "pk")


@admin.register(Appointment)
class AppointmentAdmin(PatientDataAdmin, admin.ModelAdmin):
    list_display = ["local_start", "site", "podiatrist", "type", "patient", "status_badge", "channel"]
    list_filter = [
        "site", "podiatrist", "status", ("start", admin.DateFieldListFilter), "channel", "front_desk_flag",
    ]  # fmt: skip
    search_fields = ["patient__name", "patient__email", "patient__phone"]
    list_select_related = ["site", "podiatrist", "type", "patient"]
    date_hierarchy = "start"
    actions = ["mark_arrived", "mark_completed", "mark_no_show", "cancel_appointments"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "patient",
                    "contact",
                    "site",
                    "podiatrist",
                    "type",
                    "local_start",
                    "local_end",
                    "status",
                ]
            },
        ),
        ("Booking", {"fields": ["channel", "in_urgent_hold", "intake", "front_desk_flag"]}),
        (
            "Contact details as given with this booking",
            {"fields": ["given_name", "given_email", "given_phone", "given_date_of_birth"]},
        ),
        ("History", {"fields": ["history", "created_at", "cancelled_at", "rescheduled_count"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Appointment | None = None) -> list[str]:
        # Nothing is edited by this form: times, podiatrist and status go through the services, and
        # the intake is linked only by the services (it shows health answers on the summary).
        return [name for _, options in self.fieldsets for name in options["fields"]]

    class Media:
        css = STAFF_CSS

    @admin.display(description="Start", ordering="start")
    def local_start(self, obj: Appointment) -> str:
        return when(obj.start)

    @admin.display(description="End", ordering="end")
    def local_end(self, obj: Appointment) -> str:
        return when(obj.end)

    @admin.display(description="Contact")
    def contact(self, obj: Appointment) -> str:
        phone = obj.patient.phone or "no phone given"
        if not obj.patient.has_email:
            return format_html('<span class="no-email">No email: call to confirm</span> ({})', phone)
        return f"{obj.patient.email}, {phone}"

    @admin.display(description="Changes")
    def history(self, obj: Appointment) -> str:
        """The audit as sentences, oldest first, in Michigan time."""
        names = Names.load()
        items = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((when(e.at), sentence(e, names)) for e in obj.events.order_by("at", "pk")),
        )
        return format_html('<ol class="appointment-history">{}</ol>', items) if items else "None"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        # Not super(): it orders by get_ordering() before the annotations that order refers to exist.
        return upcoming_first(Appointment.objects.all())

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # upcoming_first()'s order; a column header click still re-sorts.
        return list(upcoming_first(Appointment.objects.none()).query.order_by)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        # Every field is read-only (changes have their own pages): no Save buttons to press.
        no_save = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        extra = {**(extra_context or {}), **no_save, "can_manage": services.may_manage(request.user)}
        return super().change_view(request, object_id, form_url, extra)

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj: Appointment) -> str:
        return format_html(
            '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    # --- Permissions: nobody deletes an appointment (cancel instead). -------------------------
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    # --- Custom pages ---------------------------------------------------------------------------
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        custom = [
            path("day/", wrap(self.day_view), name="booking_appointment_day"),
            path("book/", wrap(self.book_view), name="booking_appointment_book"),
            path("<int:pk>/move/", wrap(self.move_view), name="booking_appointment_move"),
            path("<int:pk>/status/", wrap(self.status_view), name="booking_appointment_status"),
        ]
        return custom + super().get_urls()

    def day_view(self, request: HttpRequest) -> HttpResponse:
        return staff_views.day_view(request, model_admin=self)

    def book_view(self, request: HttpRequest) -> HttpResponse:
        return staff_views.book_view(request, model_admin=self)

    def move_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return staff_views.move_view(request, pk=pk, model_admin=self)

    def status_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return staff_views.status_view(request, pk=pk, model_admin=self)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        # A booking is made through the booking service, never a bare model form.
        return HttpResponseRedirect(reverse("admin:booking_appointment_book"))

    # --- Actions --------------------------------------------------------------------------------
    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Appointment], status: str
    ) -> HttpResponse | None:
        """Apply a status to the ticked appointments. As the single-visit page does, a cancel (it
        emails each patient) or a mark on a visit not yet due asks first, on a page of its own."""
        chosen = list(queryset.select_related("patient", "site", "podiatrist", "type").order_by("start"))
        now = timezone.now()
        asks = any(staff_views.needs_confirmation(a, status, now=now) for a in chosen)
        if asks and request.POST.get("confirmed") != "yes":
            return self._confirm_bulk(request, chosen, status, now=now)
        reason = request.POST.get("reason", "").strip()[:300]
        done, refused = staff_views.apply_status(chosen, status, actor=request.user, reason=reason)
        label = dict(staff_views.QUICK_ACTION_LABELS)[status]
        if done:
            self.message_user(request, f"{label}: {done} appointment(s).", messages.SUCCESS)
        for appointment, reason in refused:
            self.message_user(request, f"{appointment}: {reason}", messages.ERROR)

        return None

    def _confirm_bulk(
        self, request: HttpRequest, chosen: list[Appointment], status: str, *, now: Any
    ) -> HttpResponse:
        label = dict(staff_views.QUICK_ACTION_LABELS)[status]
        rows = [
            {"appointment": a, "not_yet": staff_views.needs_confirmation(a, status, now=now)} for a in chosen
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}: {len(chosen)} appointment(s)?",
            "opts": self.opts,
            "rows": rows,
            "status": status,
            "label": label,
            "cancelling": status == Appointment.Status.CANCELLED,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "back": reverse("admin:booking_appointment_changelist"),
        }
        return TemplateResponse(request, "admin/booking/appointment/bulk_confirm.html", context)

    @admin.action(description="Mark arrived", permissions=["change"])
    def mark_arrived(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
        return self._apply(request, queryset, Appointment.Status.ARRIVED)

    @admin.action(description="Mark completed", permissions=["change"])
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
        return self._apply(request, queryset, Appointment.Status.COMPLETED)

    @admin.action(description="Mark no-show", permissions=["change"])
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
        return self._apply(request, queryset, Appointment.Status.NO_SHOW)

    def has_manage_permission(self, request: HttpRequest) -> bool:
        """Cancel, move, mark anyone's visits: the front desk (booking.manage_appointment)."""
        return services.may_manage(request.user)

    @admin.action(description="Cancel", permissions=["manage"])
    def cancel_appointments(
        self, request: HttpRequest, queryset: QuerySet[Appointment]
    ) -> HttpResponse | None:
        return self._apply(request, queryset, Appointment.Status.CANCELLED)
