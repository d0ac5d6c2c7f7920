"""The patient's booking flow, the urgent lane and the manage link. Rules live in booking.services."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from booking import hooks, picker, selectors, services
from booking.forms import ChosenSlotForm, DetailsForm, PickSlotForm, SearchForm, SlotChoice
from booking.ics import appointment_ics
from booking.links import appointment_for_token, make_manage_token, questionnaire_url
from booking.models import Appointment, AppointmentType, Podiatrist, Site
from booking.when import parse_day
from intake.triage import Urgency
from ratelimits import limit

URGENT_TYPE_SLUG = "urgent-evaluation"


def _session_intake(request: HttpRequest) -> Any:
    return selectors.intake_by_id(request.session.get("intake_id"))


# --- Booking flow ---------------------------------------------------------------------------


def _search_form(request: HttpRequest, data: Any = None) -> tuple[SearchForm, Any]:
    intake = _session_intake(request)
    form = SearchForm(
        data,
        types=services.bookable_types(intake=intake),
        preferred_site=getattr(intake, "preferred_site", None),
        active_sites=selectors.active_sites(request),  # the footer's list too: one query for both
    )
    return form, intake


@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    """Step one: site, appointment type, podiatrist or first available, and a day."""
    form, intake = _search_form(request)
    if _is_emergency(intake):
        return render(request, "booking/after_emergency.html", {"intake": intake})
    form.initial.update({key: value for key, value in request.GET.items() if key in form.fields})
    return render(request, "booking/start.html", {"form": form, "intake": intake})


def _is_emergency(intake: Any) -> bool:
    """This session's questionnaire said emergency: its advice comes before any online booking."""
    return getattr(intake, "urgency", None) == Urgency.EMERGENCY


def _href(base: str, query: Any, **changes: Any) -> Callable[[Any], str]:
    """A builder of links to the same page for another day (the strip works without JavaScript).
    The query is encoded once, around the day, which keeps its place: a strip has nine links."""
    params = query.copy()
    for name, value in changes.items():
        params[name] = value
    params["day"] = ""
    at = list(params).index("day")
    before, after = QueryDict(mutable=True), QueryDict(mutable=True)
    for position, name in enumerate(params):
        if name != "day":
            (before if position < at else after).setlist(name, params.getlist(name))
    head = f"{base}?{before.urlencode()}&" if before else f"{base}?"
    tail = f"&{after.urlencode()}" if after else ""

    def href_for(day: Any) -> str:
        return f"{head}day={day.isoformat()}{tail}"

    return href_for


def picker_for(
    *,
    sites: list[Site],
    type_: AppointmentType,
    day: Any,
    href_for: Callable[[Any], str],
    podiatrist: Podiatrist | None = None,
    may_use_holds: bool = False,
    ignore_appointment: Appointment | None = None,
    first_day: Any = None,
    days: int = picker.STRIP_DAYS,
    paged: bool = True,
) -> tuple[picker.Picker, str]:
    """The strip around `day` and the times of one day, and a note when the day is past the horizon."""
    today = timezone.localdate()
    horizon = max((s.horizon_days for s in sites), default=0)
    last_day = today + timedelta(days=horizon)
    first_day = first_day or picker.strip_start(day, today)
    if first_day > last_day:
        note = (
            f"You can book up to {horizon} days ahead: times on {picker.long_date(day)} can be booked "
            f"from {picker.long_date(day - timedelta(days=horizon))}. The last day you can book now is "
            f"{picker.long_date(last_day)}."
        )
        first_day = picker.strip_start(last_day, today)
        day = last_day
    else:
        note = ""
    found = selectors.search_slots(
        sites=sites,
        type=type_,
        start_date=first_day,
        days=days,
        podiatrist=podiatrist,
        may_use_holds=may_use_holds,
        ignore_appointment_id=ignore_appointment.pk if ignore_appointment else None,
    )
    if ignore_appointment is not None:  # its own time is no choice to move to
        own = (ignore_appointment.start, ignore_appointment.site_id)
        found = [s for s in found if (s.start, s.site_id) != own]
    later = first_day + timedelta(days=days)
    built = picker.build(
        found,
        first_day=first_day,
        days=days,
        wanted=day,
        href_for=href_for,
        site_names={s.pk: s.name for s in sites},
        show_site=len(sites) > 1,
        first_available_only=podiatrist is None,
        who=podiatrist.name if podiatrist else "",
        earlier=first_day - timedelta(days=days) if paged and first_day > today else None,
        later=later if paged and later <= last_day else None,
    )
    return built, note


@limit(group="booking.slots", rate_setting="SLOT_SEARCH_RATE", method="GET")
@require_http_methods(["GET"])
def slots(request: HttpRequest) -> HttpResponse:
    """Step two: a strip of days and one day's free times, morning and afternoon."""
    form, intake = _search_form(request, request.GET)
    if _is_emergency(intake):
        return render(request, "booking/after_emergency.html", {"intake": intake})
    if not form.is_valid():
        return render(request, "booking/start.html", {"form": form, "intake": intake}, status=400)
    sites, type_ = form.sites(), form.cleaned_data["type"]
    podiatrist = form.chosen_podiatrist()
    asked = form.cleaned_data["day"]
    today = timezone.localdate()
    href_for = _href(reverse("booking:slots"), request.GET)
    # questionnaire.md: a "soon" outcome sees the times within 7 days first, whatever day was asked.
    soon = getattr(intake, "urgency", None) == Urgency.SOON
    week_first = soon and asked > today and not request.GET.get("as_asked")
    built, note = picker_for(
        sites=sites,
        type_=type_,
        day=today if week_first else asked,
        podiatrist=podiatrist,
        href_for=href_for,
    )
    context = {
        "form": form,
        "type": type_,
        "picker": built,
        "horizon_note": note,
        "soon": soon,
        "week_first": week_first,
        "asked": asked,
        "asked_href": _href(reverse("booking:slots"), request.GET, as_asked="1")(asked) if week_first else "",
        "podiatrist": podiatrist,
        "sites": sites,
        "intake": intake,
        "panels": hooks.times_panels(type_, list(sites), intake),
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


def _slot_summary(request: HttpRequest, choice: SlotChoice, type_: AppointmentType) -> str | None:
    # An active site comes from the request's list, which the footer shows too: one query for both.
    site = next((s for s in selectors.active_sites(request) if s.pk == choice.site_id), None)
    site = site or Site.objects.filter(pk=choice.site_id).first()
    podiatrist = Podiatrist.objects.filter(pk=choice.podiatrist_id).first() if choice.podiatrist_id else None
    if site is None:
        return None
    return picker.chosen_label(
        choice, site_name=site.name, podiatrist_name=podiatrist.name if podiatrist else ""
    )


# What the patient typed on the details page and has not yet booked with; forgotten once booked.
DETAILS_TYPED = "booking_details_typed"
TYPED_FIELDS = ("name", "email", "phone", "date_of_birth")


def keep_typed_details(request: HttpRequest) -> None:
    request.session[DETAILS_TYPED] = {name: request.POST.get(name, "")[:300] for name in TYPED_FIELDS}


@limit(group="booking.details", rate_setting="PUBLIC_FORM_RATE", method="POST")
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """Step three: contact details (prefilled from the intake), then book."""
    intake = _session_intake(request)
    urgent_lane = (request.POST or request.GET).get("lane") == "urgent"
    if request.method == "GET":
        pick = ChosenSlotForm(request.GET)
        if not pick.is_valid():
            return render(request, "booking/no_slot_chosen.html", status=400)
        choice, type_ = pick.cleaned_data["slot"], pick.cleaned_data["type"]
        chosen = {"slot": choice.value, "type": type_.pk, "idempotency_key": issue_booking_key(request)}
        typed = request.session.get(DETAILS_TYPED)
        if typed:  # sent before and not booked: shown again as typed, with anything still wrong
            form = DetailsForm({**typed, **chosen})
            form.is_valid()
        else:
            form = DetailsForm(initial={**_details_initial(intake), **chosen})
        return _render_details(request, form, choice, type_, urgent_lane)

    form = DetailsForm(request.POST)
    if not form.is_valid():
        choice = form.cleaned_data.get("slot") if hasattr(form, "cleaned_data") else None
        type_ = form.cleaned_data.get("type")
        if choice is None or type_ is None:
            return render(request, "booking/no_slot_chosen.html", status=400)
        # Kept in the session and shown by a GET, so a reload neither asks to resend nor loses it.
        keep_typed_details(request)
        query = {"slot": choice.value, "type": type_.pk, **({"lane": "urgent"} if urgent_lane else {})}
        return redirect(f"{reverse('booking:details')}?{urlencode(query)}")
    return _book(request, form, intake=intake, urgent_lane=urgent_lane)


BOOKING_KEYS = "booking_keys"


def issue_booking_key(request: HttpRequest) -> str:
    """A new idempotency key for a details form, remembered in this session (the last ten)."""
    key = uuid.uuid4().hex
    request.session[BOOKING_KEYS] = [*request.session.get(BOOKING_KEYS, [])[-9:], key]
    return key


def owns_booking_key(request: HttpRequest, key: str) -> bool:
    """Was this key given to this session? A key copied from elsewhere finds nobody's booking."""
    return key in request.session.get(BOOKING_KEYS, [])


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
    summary = _slot_summary(request, choice, type_)
    if summary is None:
        return render(request, "booking/no_slot_chosen.html", status=400)
    context = {
        "form": form,
        "slot": summary,
        "podiatrist_chosen": choice.podiatrist_id is not None,
        "type": type_,
        "urgent_lane": urgent_lane,
        "refusal": refusal,
    }
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
            # Only a key this session was given finds an earlier booking (and its manage link).
            idempotency_key=data["idempotency_key"]
            if owns_booking_key(request, data["idempotency_key"])
            else None,
        )
    except services.SlotTaken as taken:
        keep_typed_details(request)
        retry = {**request.POST.dict(), "idempotency_key": issue_booking_key(request)}
        retry.pop("slot", None)
        retry.pop("csrfmiddlewaretoken", None)
        context = {
            "groups": picker.by_day(
                taken.nearest,
                first_available_only=podiatrist is None,
                site_names={site.pk: site.name},
                show_site=False,
                who=podiatrist.name if podiatrist else "",
            ),
            "hidden": retry,
            "type": type_,
        }
        return render(request, "booking/taken.html", context, status=409)
    except services.BookingRefused as refused:
        keep_typed_details(request)
        return _render_details(request, form, choice, type_, urgent_lane, status=422, refusal=refused.message)
    # Booked: this device's session forgets the questionnaire and what was typed (contact details).
    request.session.pop("intake_id", None)
    request.session.pop(DETAILS_TYPED, None)
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
    if not services.may_use_urgent_lane(intake):
        return render(request, "booking/urgent_not_available.html", status=403)
    type_ = AppointmentType.objects.filter(slug=URGENT_TYPE_SLUG, is_active=True).first()
    if type_ is None:
        return render(request, "booking/urgent_not_available.html", {"no_type": True}, status=503)
    today = timezone.localdate()
    sites = list(Site.objects.filter(is_active=True))
    built, _ = picker_for(
        sites=sites,
        type_=type_,
        day=_asked_day(request.GET.get("day")),
        href_for=_href(reverse("booking:urgent"), QueryDict()),
        may_use_holds=True,
        first_day=today,
        days=selectors.days_for_business_days(today, 2),
        paged=False,
    )
    context = {"picker": built, "type": type_, "intake": intake, "sites": sites}
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
        "questionnaire_url": questionnaire_url(appointment, absolute=False)
        if appointment.intake_id is None
        else "",
        "panels": hooks.manage_panels(appointment, token),
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


def _reschedule_types(appointment: Appointment) -> list[AppointmentType]:
    """The types this patient may move to: their current one, and whatever they may book now."""
    types = services.bookable_types(intake=appointment.intake, patient=appointment.patient)
    return types if appointment.type in types else [appointment.type, *types]


@require_http_methods(["GET", "POST"])
@_manage_view
def reschedule(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """Pick a new time, and maybe another site or type; the booking moves in place, same link."""
    context = _manage_context(request, appointment, token)
    if not context["may_change"]:
        return render(request, "booking/manage.html", context, status=409)
    types = _reschedule_types(appointment)
    if request.method == "POST":
        pick = PickSlotForm(request.POST)
        type_ = next((t for t in types if str(t.pk) == request.POST.get("type")), appointment.type)
        if pick.is_valid():
            choice: SlotChoice = pick.cleaned_data["slot"]
            podiatrist = (
                Podiatrist.objects.filter(pk=choice.podiatrist_id).first() if choice.podiatrist_id else None
            )
            site = Site.objects.filter(pk=choice.site_id, is_active=True).first() or appointment.site
            try:
                services.reschedule_appointment(
                    appointment=appointment, start=choice.start, podiatrist=podiatrist, site=site, type=type_
                )
            except services.SlotTaken as taken:
                context["taken_groups"] = picker.by_day(
                    taken.nearest,
                    first_available_only=True,
                    site_names={site.pk: site.name},
                    show_site=False,
                )
                context["taken_type"] = type_
                return render(request, "booking/reschedule.html", context, status=409)
            except services.BookingRefused as refused:
                context["refusal"] = refused.message
                return render(request, "booking/manage.html", context, status=409)
            return redirect(reverse("booking:manage", kwargs={"token": token}) + "?moved=1")
        context["pick_errors"] = pick.errors
    data = {"site": str(appointment.site_id), "type": str(appointment.type_id), "day": timezone.localdate()}
    data.update({key: request.GET[key] for key in ("site", "type", "day") if request.GET.get(key)})
    form = SearchForm(data, types=types)
    if not form.is_valid():
        form = SearchForm({**data, "day": timezone.localdate(), "type": appointment.type_id}, types=types)
        form.is_valid()
    type_ = form.cleaned_data.get("type") or appointment.type
    sites = form.sites() if "site" in form.cleaned_data else [appointment.site]
    built, note = picker_for(
        sites=sites,
        type_=type_,
        day=form.cleaned_data.get("day") or timezone.localdate(),
        href_for=_href(reverse("booking:reschedule", kwargs={"token": token}), request.GET),
        may_use_holds=appointment.in_urgent_hold and type_.uses_urgent_hold,
        ignore_appointment=appointment,
    )
    context.update({"form": form, "picker": built, "horizon_note": note, "type": type_, "sites": sites})
    return render(
        request, "booking/reschedule.html", context, status=400 if "pick_errors" in context else 200
    )


def _asked_day(raw: str | None) -> date:
    """The day a patient asked for in the query string, from today to a year ahead."""
    today = timezone.localdate()
    return parse_day(raw, earliest=today, latest=today + timedelta(days=366))


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
