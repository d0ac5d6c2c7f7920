"""Completing a visit and sending its care plan (podiatrists only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.pages import shows_patient_data
from booking.models import Appointment
from booking.staff_views import appointment_for_staff
from care_plans import defaults
from care_plans.forms import CarePlanForm
from care_plans.models import CarePlan, CarePlanTemplate
from care_plans.services import (
    SEND_PERMISSION,
    CarePlanRefused,
    ReplaceFirst,
    current_plan,
    plan_content,
    send_care_plan,
    visit_refusal,
)


def _likely_codes(appointment: Appointment) -> list[str]:
    assessment = appointment.intake.assessment if appointment.intake_id else {}
    return [c.get("code", "") for c in (assessment or {}).get("likely_conditions", []) if isinstance(c, dict)]


@shows_patient_data("booking.appointment")
@login_required
@require_http_methods(["GET", "POST"])
def send_plan(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the roles holding the send permission (the Podiatrist role; care_plans 0005).
    appointment = appointment_for_staff(request, pk, permission=SEND_PERMISSION)
    codes = _likely_codes(appointment)
    templates = defaults.suggest(list(CarePlanTemplate.objects.filter(is_active=True)), codes)
    suggested = {t.pk for t in templates if set(t.fits) & set(codes)}
    form = CarePlanForm(request.POST or None, templates=templates, suggested=suggested)
    if request.method == "GET" and templates:
        form.initial["template"] = templates[0].pk
    preview, replace_question = None, None
    if request.method == "POST" and form.is_valid():
        template, note = form.cleaned_data["template"], form.cleaned_data["note"]
        if request.POST.get("action") == "send":
            try:
                plan = send_care_plan(
                    appointment=appointment,
                    template=template,
                    note=note,
                    actor=request.user,
                    replace=request.POST.get("replace") == "yes",
                )
            except ReplaceFirst as question:
                replace_question = question.message
                preview = {"plan": plan_content(template), "note": note.strip()}
            except CarePlanRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                patient = appointment.patient
                sent_to = (
                    f"emailed to {patient.email}" if patient.email else "saved (no email on file: print it)"
                )
                what = "replacement care plan" if plan.replaces_id else "care plan"
                messages.success(request, f"The {what} was {sent_to}. The visit is completed.")
                return redirect("care_plans:send", pk=appointment.pk)
        else:
            preview = {"plan": plan_content(template), "note": note.strip()}
    context = {
        "appointment": appointment,
        "form": form,
        "preview": preview,
        "note_author": CarePlan(sent_by=request.user).note_author,
        "replace_question": replace_question,
        "current": current_plan(appointment),
        "sent_plans": CarePlan.objects.filter(appointment=appointment).select_related("sent_by"),
        "not_yet": visit_refusal(appointment, now=timezone.now()),
        "has_suggestion": bool(suggested),
    }
    return render(request, "care_plans/send.html", context)
