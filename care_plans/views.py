"""Completing a visit and sending its care plan (podiatrists and the front desk)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

import roles
from booking.models import Appointment
from care_plans import defaults
from care_plans.forms import CarePlanForm
from care_plans.models import CarePlan, CarePlanTemplate
from care_plans.services import CarePlanRefused, plan_content, send_care_plan

STAFF_ROLES = {roles.PODIATRIST, roles.FRONT_DESK}


def _get_appointment_for_staff(request: HttpRequest, pk: int) -> Appointment:
    """The appointment, if the user is a podiatrist or front-desk staff (or a superuser)."""
    user = request.user
    allowed = (
        user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name__in=STAFF_ROLES).exists())
    )
    if not allowed:
        raise PermissionDenied
    queryset = Appointment.objects.select_related("patient", "site", "podiatrist", "type", "intake")
    return get_object_or_404(queryset, pk=pk)


def _likely_codes(appointment: Appointment) -> list[str]:
    assessment = appointment.intake.assessment if appointment.intake_id else {}
    return [c.get("code", "") for c in (assessment or {}).get("likely_conditions", []) if isinstance(c, dict)]


@login_required
@require_http_methods(["GET", "POST"])
def send_plan(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get_appointment_for_staff(request, pk)
    codes = _likely_codes(appointment)
    templates = defaults.suggest(list(CarePlanTemplate.objects.filter(is_active=True)), codes)
    suggested = {t.pk for t in templates if set(t.fits) & set(codes)}
    form = CarePlanForm(request.POST or None, templates=templates, suggested=suggested)
    if request.method == "GET" and templates:
        form.initial["template"] = templates[0].pk
    preview = None
    if request.method == "POST" and form.is_valid():
        template, note = form.cleaned_data["template"], form.cleaned_data["note"]
        if request.POST.get("action") == "send":
            try:
                send_care_plan(appointment=appointment, template=template, note=note, actor=request.user)
            except CarePlanRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"The care plan was sent to {appointment.patient.email}.")
                return redirect("care_plans:send", pk=appointment.pk)
        else:
            preview = {"plan": plan_content(template), "note": note.strip()}
    sent = CarePlan.objects.filter(appointment=appointment).select_related("sent_by")
    context = {
        "appointment": appointment,
        "form": form,
        "preview": preview,
        "sent_plans": sent,
        "has_suggestion": bool(suggested),
    }
    return render(request, "care_plans/send.html", context)
