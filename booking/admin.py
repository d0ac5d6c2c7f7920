"""The front desk's admin for sites, schedules, appointment types, patients and appointments.

Appointments are never added, moved or deleted by a model form here: "Book for a patient" and
"Move" call the booking services, so the admin keeps the same rules and the same no-double-booking
guard as the patient's flow. Status changes and cancellation are actions that call the services too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from booking import staff_views
from booking.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    Closure,
    OpeningHours,
    Patient,
    Podiatrist,
    Site,
    TimeOff,
    WeeklyShift,
)
from intake.models import Intake

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


class PatientAppointmentInline(admin.TabularInline):
    """A patient's appointments, read-only: changes go through the appointment's own page."""

    model = Appointment
    fields = ["start", "site", "podiatrist", "type", "status"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        return super().get_queryset(request).select_related("site", "podiatrist", "type")


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "date_of_birth", "created_at"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["created_at"]
    inlines = [PatientAppointmentInline]


class AppointmentEventInline(admin.TabularInline):
    """The audit trail: shown, never edited."""

    model = AppointmentEvent
    fields = ["at", "kind", "actor_label", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The audit is part of the appointment: whoever may see the appointment sees its history.
        return request.user.has_perm("booking.view_appointment") or request.user.has_perm(
            "booking.change_appointment"
        )


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["local_start", "site", "podiatrist", "type", "patient", "status_badge", "channel"]
    list_filter = ["site", "podiatrist", "status", ("start", admin.DateFieldListFilter), "channel"]
    search_fields = ["patient__name", "patient__email", "patient__phone"]
    list_select_related = ["site", "podiatrist", "type", "patient"]
    date_hierarchy = "start"
    ordering = ["-start"]
    raw_id_fields = ["intake"]
    inlines = [AppointmentEventInline]
    actions = ["mark_arrived", "mark_completed", "mark_no_show", "cancel_appointments"]
    fieldsets = [
        (None, {"fields": ["patient", "site", "podiatrist", "type", "local_start", "local_end", "status"]}),
        ("Booking", {"fields": ["channel", "in_urgent_hold", "intake"]}),
        ("History", {"fields": ["created_at", "updated_at", "cancelled_at", "rescheduled_count"]}),
    ]
    # Only the intake link is edited here; times, podiatrist and status go through the services.
    readonly_fields = [
        "patient",
        "site",
        "podiatrist",
        "type",
        "local_start",
        "local_end",
        "status",
        "channel",
        "in_urgent_hold",
        "created_at",
        "updated_at",
        "cancelled_at",
        "rescheduled_count",
    ]

    class Media:
        css = STAFF_CSS

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "intake":
            # Not the intake admin's ordering: it sorts by an annotation only its own queryset has.
            kwargs.setdefault("queryset", Intake.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Start", ordering="start")
    def local_start(self, obj: Appointment) -> str:
        return date_filter(timezone.localtime(obj.start), "D j M Y, g:i A")

    @admin.display(description="End", ordering="end")
    def local_end(self, obj: Appointment) -> str:
        return date_filter(timezone.localtime(obj.end), "D j M Y, g:i A")

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
    def _apply(self, request: HttpRequest, queryset: QuerySet[Appointment], status: str) -> None:
        done, refused = staff_views.apply_status(
            queryset.select_related("patient"), status, actor=request.user
        )
        label = dict(staff_views.QUICK_ACTION_LABELS)[status]
        if done:
            self.message_user(request, f"{label}: {done} appointment(s).", messages.SUCCESS)
        for appointment, reason in refused:
            self.message_user(request, f"{appointment}: {reason}", messages.ERROR)

    @admin.action(description="Mark arrived", permissions=["change"])
    def mark_arrived(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(request, queryset, Appointment.Status.ARRIVED)

    @admin.action(description="Mark completed", permissions=["change"])
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(request, queryset, Appointment.Status.COMPLETED)

    @admin.action(description="Mark no-show", permissions=["change"])
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(request, queryset, Appointment.Status.NO_SHOW)

    @admin.action(description="Cancel", permissions=["change"])
    def cancel_appointments(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(request, queryset, Appointment.Status.CANCELLED)
