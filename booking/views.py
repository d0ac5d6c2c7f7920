"""The patient's booking flow, the urgent lane and the manage link. Rules live in booking.services."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from booking import selectors, services
from booking.forms import (
    DetailsForm,
    PickSlotForm,
    SearchForm,
    SlotChoice,
    SlotOption,
    group_by_day,
    options_for,
)
from booking.ics import appointment_ics
from booking.links import appointment_for_token, make_manage_token
from booking.models import Appointment, AppointmentType, Podiatrist, Site
from clinic.ratelimits import limit

URGENT_TYPE_SLUG = "urgent-evaluation"
SEARCH_DAYS = 7
URGENT_SHOWN = 12


def _session_intake(request: HttpRequest) -> Any:
    from intake.models import Intake

    intake_id = request.session.get("intake_id")
    return Intake.objects.filter(pk=intake_id).first() if intake_id else None


def _questionnaire_url(appointment: Appointment) -> str:
    return reverse("intake:for_appointment", kwargs={"token": make_manage_token(appointment)})


# --- Booking flow ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """Step one: site, appointment type, podiatrist or first available, and a day."""
    intake = _session_intake(request)
    form = SearchForm(types=services.bookable_types(intake=intake))
    return render(request, "booking/start.html", {"form": form, "intake": intake})


@limit(group="booking.slots", rate_setting="SLOT_SEARCH_RATE", method="GET")
@require_http_methods(["GET"])
def slots(request: HttpRequest) -> HttpResponse:
    """Step two: the free times, grouped by day, each a labelled radio button."""
    intake = _session_intake(request)
    form = SearchForm(request.GET, types=services.bookable_types(intake=intake))
    if not form.is_valid():
        return render(request, "booking/start.html", {"form": form, "intake": intake}, status=400)
    sites, type_ = form.sites(), form.cleaned_data["type"]
    podiatrist = form.chosen_podiatrist()
    first_available = podiatrist is None
    day = form.cleaned_data["day"]
    found = selectors.search_slots(
        sites=sites, type=type_, start_date=day, days=SEARCH_DAYS, podiatrist=podiatrist
    )
    options = options_for(found, first_available=first_available)
    soon = getattr(intake, "urgency", None) == "soon"
    # questionnaire.md: a "soon" outcome sees the slots within 7 days first, whatever day was asked.
    week_first = None
    today = timezone.localdate()
    if soon and day > today:
        days_before = min((day - today).days, SEARCH_DAYS)
        within_week = selectors.search_slots(
            sites=sites, type=type_, start_date=today, days=days_before, podiatrist=podiatrist
        )
        week_first = group_by_day(options_for(within_week, first_available=first_available))
    context = {
        "form": form,
        "type": type_,
        "days": group_by_day(options),
        "soon": soon,
        "week_first": week_first,
        "day": day,
        "intake": intake,
        "pick_form": PickSlotForm(),
        "next_day": day + timedelta(days=SEARCH_DAYS),
        "query": request.GET.urlencode(),
    }
    return render(request, "booking/slots.html", context)


def _details_initial(intake: Any) -> dict[str, Any]:
    if intake is None:
        return {}
    return {
        "name": intake.name,
        "email": intake.email,
        "phone": intake.phone,
        "date_of_birth": intake.date_of_birth,
    }


def _slot_summary(choice: SlotChoice, type_: AppointmentType) -> SlotOption | None:
    site = Site.objects.filter(pk=choice.site_id).first()
    podiatrist = Podiatrist.objects.filter(pk=choice.podiatrist_id).first() if choice.podiatrist_id else None
    if site is None:
        return None
    return SlotOption.describe(choice=choice, site=site, podiatrist=podiatrist)


@limit(group="booking.details", rate_setting="PUBLIC_FORM_RATE", method="POST")
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """Step three: contact details (prefilled from the intake), then book."""
    intake = _session_intake(request)
    urgent_lane = (request.POST or request.GET).get("lane") == "urgent"
    if request.method == "GET":
        pick = PickSlotForm(request.GET)
        type_ = AppointmentType.objects.filter(pk=request.GET.get("type") or 0, is_active=True).first()
        if not pick.is_valid() or type_ is None:
            return render(request, "booking/no_slot_chosen.html", status=400)
        choice = pick.cleaned_data["slot"]
        initial = {
            **_details_initial(intake),
            "slot": choice.value,
            "type": type_.pk,
            "idempotency_key": uuid.uuid4().hex,
        }
        form = DetailsForm(initial=initial)
        return _render_details(request, form, choice, type_, urgent_lane)

    form = DetailsForm(request.POST)
    if not form.is_valid():
        choice = form.cleaned_data.get("slot") if hasattr(form, "cleaned_data") else None
        type_ = form.cleaned_data.get("type")
        if choice is None or type_ is None:
            return render(request, "booking/no_slot_chosen.html", status=400)
        return _render_details(request, form, choice, type_, urgent_lane, status=400)
    return _book(request, form, intake=intake, urgent_lane=urgent_lane)


def _render_details(
    request: HttpRequest,
    form: DetailsForm,
    choice: SlotChoice,
    type_: AppointmentType,
    urgent_lane: bool,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    summary = _slot_summary(choice, type_)
    if summary is None:
        return render(request, "booking/no_slot_chosen.html", status=400)
    context = {"form": form, "slot": summary, "type": type_, "urgent_lane": urgent_lane, "refusal": refusal}
    return render(request, "booking/details.html", context, status=status)


def _book(request: HttpRequest, form: DetailsForm, *, intake: Any, urgent_lane: bool) -> HttpResponse:
    data = form.cleaned_data
    choice: SlotChoice = data["slot"]
    type_: AppointmentType = data["type"]
    site = Site.objects.filter(pk=choice.site_id, is_active=True).first()
    podiatrist = Podiatrist.objects.filter(pk=choice.podiatrist_id).first() if choice.podiatrist_id else None
    if site is None:
        return render(request, "booking/no_slot_chosen.html", status=400)
    channel = Appointment.Channel.URGENT_LANE if urgent_lane else Appointment.Channel.ONLINE
    try:
        appointment = services.book_appointment(
            site=site,
            type=type_,
            start=choice.start,
            patient_name=data["name"],
            patient_email=data["email"],
            patient_phone=data["phone"],
            date_of_birth=data["date_of_birth"],
            podiatrist=podiatrist,
            intake=intake,
            channel=channel,
            idempotency_key=data["idempotency_key"],
        )
    except services.SlotTaken as taken:
        retry = {**request.POST.dict(), "idempotency_key": uuid.uuid4().hex}
        retry.pop("slot", None)
        retry.pop("csrfmiddlewaretoken", None)
        context = {
            "days": group_by_day(options_for(taken.nearest, first_available=podiatrist is None)),
            "hidden": retry,
            "type": type_,
        }
        return render(request, "booking/taken.html", context, status=409)
    except services.BookingRefused as refused:
        return _render_details(request, form, choice, type_, urgent_lane, status=422, refusal=refused.message)
    return redirect("booking:done", token=make_manage_token(appointment))


@require_http_methods(["GET"])
def done(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation page: the booking, its calendar file and its manage link."""
    appointment = appointment_for_token(token)
    if appointment is None:
        return _invalid_link(request)
    return render(request, "booking/done.html", _manage_context(request, appointment, token))


# --- Urgent lane ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def urgent(request: HttpRequest) -> HttpResponse:
    """The earliest slots in the next 2 business days at either site, held capacity included."""
    intake = _session_intake(request)
    if getattr(intake, "urgency", None) != "urgent":
        return render(request, "booking/urgent_not_available.html", status=403)
    type_ = AppointmentType.objects.filter(slug=URGENT_TYPE_SLUG, is_active=True).first()
    if type_ is None:
        return render(request, "booking/urgent_not_available.html", {"no_type": True}, status=503)
    now = timezone.now()
    found = selectors.search_slots(
        sites=list(Site.objects.filter(is_active=True)),
        type=type_,
        start_date=timezone.localdate(now),
        days=selectors.days_for_business_days(timezone.localdate(now), 2),
        may_use_holds=True,
        now=now,
    )
    options = options_for(found, first_available=True)[:URGENT_SHOWN]
    context = {"days": group_by_day(options), "type": type_, "intake": intake, "pick_form": PickSlotForm()}
    return render(request, "booking/urgent.html", context)


# --- Manage link ----------------------------------------------------------------------------


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/link_invalid.html", status=404)


def _manage_context(request: HttpRequest, appointment: Appointment, token: str) -> dict[str, Any]:
    now = timezone.now()
    return {
        "appointment": appointment,
        "token": token,
        "site": appointment.site,
        "is_cancelled": appointment.status == Appointment.Status.CANCELLED,
        "is_past": appointment.status != Appointment.Status.CANCELLED
        and (appointment.start <= now or appointment.status != Appointment.Status.BOOKED),
        "may_change": services.patient_may_change(appointment, now=now),
        "deadline": services.change_deadline(appointment),
        "questionnaire_url": _questionnaire_url(appointment) if appointment.intake_id is None else "",
    }


def _manage_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Rate-limit a manage-link view and resolve its token, or answer with the invalid-link page."""

    @limit(group="booking.manage", rate_setting="MANAGE_LINK_RATE", method=("GET", "POST", "HEAD"))
    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        appointment = appointment_for_token(token)
        if appointment is None:
            return _invalid_link(request)
        return view(request, appointment, token)

    return wrapped


@require_http_methods(["GET"])
@_manage_view
def manage(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """The booking as the patient sees it, with reschedule and cancel until the cutoff."""
    return render(request, "booking/manage.html", _manage_context(request, appointment, token))


@require_http_methods(["GET"])
@_manage_view
def ics(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@require_http_methods(["GET", "POST"])
@_manage_view
def reschedule(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """Pick a new time at the same site; the booking moves in place and keeps its link."""
    context = _manage_context(request, appointment, token)
    if not context["may_change"]:
        return render(request, "booking/manage.html", context, status=409)
    if request.method == "POST":
        pick = PickSlotForm(request.POST)
        if pick.is_valid():
            choice: SlotChoice = pick.cleaned_data["slot"]
            podiatrist = (
                Podiatrist.objects.filter(pk=choice.podiatrist_id).first() if choice.podiatrist_id else None
            )
            try:
                services.reschedule_appointment(
                    appointment=appointment, start=choice.start, podiatrist=podiatrist
                )
            except services.SlotTaken as taken:
                return _reschedule_page(request, context, taken.nearest, taken=True, status=409)
            except services.BookingRefused as refused:
                context["refusal"] = refused.message
                return render(request, "booking/manage.html", context, status=409)
            return redirect(reverse("booking:manage", kwargs={"token": token}) + "?moved=1")
        context["pick_errors"] = pick.errors
    day = _parse_day(request.GET.get("day"))
    found = selectors.search_slots(
        sites=[appointment.site],
        type=appointment.type,
        start_date=day,
        days=SEARCH_DAYS,
        may_use_holds=appointment.in_urgent_hold,
        ignore_appointment_id=appointment.pk,
    )
    found = [s for s in found if s.start != appointment.start]
    return _reschedule_page(request, context, found, day=day)


def _parse_day(raw: str | None) -> Any:
    today = timezone.localdate()
    try:
        day = datetime.strptime(raw or "", "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError:
        return today
    return min(max(day, today), today + timedelta(days=90))


def _reschedule_page(
    request: HttpRequest,
    context: dict[str, Any],
    found: list,
    *,
    taken: bool = False,
    day: Any = None,
    status: int = 200,
) -> HttpResponse:
    context.update(
        {
            "days": group_by_day(options_for(found, first_available=True)),
            "taken": taken,
            "day": day or timezone.localdate(),
            "next_day": (day or timezone.localdate()) + timedelta(days=SEARCH_DAYS),
            "pick_form": PickSlotForm(),
        }
    )
    return render(request, "booking/reschedule.html", context, status=status)


@require_http_methods(["GET", "POST"])
@_manage_view
def cancel(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """A confirm step, then the cancellation (never of a cancelled or past booking)."""
    context = _manage_context(request, appointment, token)
    if not context["may_change"]:
        return render(request, "booking/manage.html", context, status=409)
    if request.method == "POST":
        try:
            services.cancel_appointment(appointment=appointment)
        except services.BookingRefused as refused:
            context["refusal"] = refused.message
            return render(request, "booking/manage.html", context, status=409)
        return redirect(reverse("booking:manage", kwargs={"token": token}) + "?cancelled=1")
    return render(request, "booking/cancel.html", context)
