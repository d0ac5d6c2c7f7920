"""The patient's waitlist pages: join from the manage link, see or leave the entry, claim an offer.

Thin views (style rule 4): parse, resolve the link, call one service, render. The manage-link
pages reuse booking's link and its rate limit; an offer is claimed only by a POST, so a mail
scanner that opens the link books nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from booking import hooks
from booking import selectors as booking_selectors
from booking.links import appointment_for_token, make_manage_token
from booking.models import Appointment
from booking.picker import spoken_day, spoken_time
from intake.triage import Urgency
from ratelimits import limit
from waitlist import selectors, services
from waitlist.forms import EITHER, EarlierTimeForm, JoinForm
from waitlist.links import entry_for_token, make_entry_token, offer_for_token
from waitlist.models import Offer, Opening


def _booking_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve booking's manage token (rate-limited like the manage page), or say the link is invalid."""

    @limit(group="booking.manage", rate_setting="MANAGE_LINK_RATE", method=("GET", "POST", "HEAD"))
    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        appointment = appointment_for_token(token)
        if appointment is None:
            return render(request, "booking/link_invalid.html", status=404)
        return view(request, appointment, token)

    return wrapped


def manage_panel(appointment: Any, token: str) -> hooks.ManagePanel | None:
    """The "I'd take an earlier time" box on booking's manage page (registered in WaitlistConfig)."""
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= timezone.now():
        return None
    entry = services.waiting_entry_for(appointment)
    return hooks.ManagePanel("waitlist/includes/manage_panel.html", {"entry": entry, "token": token})


def times_panel(type: Any, sites: list[Any], intake: Any) -> hooks.ManagePanel:
    """ "None of these suit me" on booking's page of free times (registered in WaitlistConfig)."""
    site = str(sites[0].pk) if len(sites) == 1 else EITHER
    return hooks.ManagePanel("waitlist/includes/times_panel.html", {"type": type, "site": site})


@require_http_methods(["GET", "POST"])
@limit(group="waitlist.join", rate_setting="PUBLIC_FORM_RATE", method="POST")
def join(request: HttpRequest) -> HttpResponse:
    """Join without a booking, from the page of free times when none suits."""
    intake = booking_selectors.intake_by_id(request.session.get("intake_id"))
    initial = {key: request.GET[key] for key in ("type", "site") if key in request.GET}
    form = JoinForm(request.POST or None, initial=initial)
    if getattr(intake, "urgency", None) == Urgency.EMERGENCY or (
        request.method == "GET" and "type" not in initial
    ):
        # An emergency outcome's advice comes first (booking's start page shows it); and the
        # waitlist is for a type the patient searched.
        return redirect("booking:start")
    chosen = str(form["type"].value() or "")
    context: dict[str, Any] = {
        "form": form,
        "type": form.fields["type"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None,
    }
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.join(**form.cleaned_data, intake=intake)
        except services.WaitlistRefused as refused:
            context["refusal"] = refused.message
            return render(request, "waitlist/join.html", context, status=409)
        return redirect(reverse("waitlist:entry", args=[make_entry_token(entry)]) + "?joined=1")
    return render(request, "waitlist/join.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@_booking_link
def earlier(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """Join (or change) the waitlist for an earlier time than this booking."""
    booked_day = timezone.localtime(appointment.start).date()
    entry = services.waiting_entry_for(appointment)
    initial = _initial(entry) if entry else None
    form = EarlierTimeForm(request.POST or None, initial=initial, last_day=booked_day)
    context = {
        "appointment": appointment,
        "site": appointment.site,
        "token": token,
        "form": form,
        "entry": entry,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.join_from_booking(appointment=appointment, **form.cleaned_data)
        except services.WaitlistRefused as refused:
            context["refusal"] = refused.message
            return render(request, "waitlist/earlier.html", context, status=409)
        return redirect(reverse("booking:manage", kwargs={"token": token}) + "?waitlist=joined")
    return render(request, "waitlist/earlier.html", context, status=400 if form.errors else 200)


def _initial(entry: Any) -> dict[str, Any]:
    return {
        "site": str(entry.site_id) if entry.site_id else "either",
        "first_day": max(entry.first_day, timezone.localdate()),
        "last_day": entry.last_day,
        "weekdays": sorted(entry.weekday_set),
        "day_parts": [part.value for part in entry.day_part_set],
    }


@require_http_methods(["POST"])
@_booking_link
def leave_from_booking(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    entry = services.waiting_entry_for(appointment)
    if entry is not None:
        services.leave(entry=entry)
    return redirect(reverse("booking:manage", kwargs={"token": token}) + "?waitlist=left")


@require_http_methods(["GET", "POST"])
@limit(group="waitlist.entry", rate_setting="MANAGE_LINK_RATE", method=("GET", "POST", "HEAD"))
def entry(request: HttpRequest, token: str) -> HttpResponse:
    """A patient without a booking sees, and may leave, their waitlist entry."""
    found = entry_for_token(token)
    if found is None:
        return render(request, "booking/link_invalid.html", status=404)
    if request.method == "POST":
        services.leave(entry=found)
        found.refresh_from_db()
    return render(request, "waitlist/entry.html", {"entry": found})


@require_http_methods(["GET", "POST"])
@limit(group="waitlist.offer", rate_setting="MANAGE_LINK_RATE", method=("GET", "POST", "HEAD"))
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The offered time with a "Book this time" button; the POST claims it."""
    found = offer_for_token(token)
    if found is None:
        return render(request, "booking/link_invalid.html", status=404)
    if request.method == "POST":
        result = services.claim(token=token)
        if result.won:
            manage = reverse("booking:manage", kwargs={"token": make_manage_token(result.appointment)})
            return redirect(manage + ("?moved=1" if result.outcome == "moved" else "?waitlist=booked"))
        return _not_booked(request, found, result)
    opening = found.opening
    context: dict[str, Any] = {"offer": found, "opening": opening, "site": opening.site, "token": token}
    open_now = (
        found.status == Offer.Status.OFFERED
        and found.expires_at > timezone.now()
        and opening.status == Opening.Status.OPEN
    )
    if found.status == Offer.Status.CLAIMED and found.appointment_id:
        return redirect("booking:manage", token=make_manage_token(found.appointment))
    if not open_now:
        lapsed = (
            found.status in {Offer.Status.OFFERED, Offer.Status.EXPIRED}
            and found.expires_at <= timezone.now()
        )
        result = services.ClaimResult(
            "expired" if lapsed else "taken", offer=found, nearest=services.nearest_for(opening)
        )
        return _not_booked(request, found, result)
    context["moving"] = selectors.booking_to_move(found.entry, opening, now=timezone.now())
    return render(request, "waitlist/offer.html", context)


def _by_day(slots: list[Any]) -> list[tuple[str, str]]:
    """The nearest free times as a patient reads them: ("Monday, March 8", "9:30 AM, 9:40 AM")."""
    days: dict[str, list[str]] = {}
    for start in sorted({slot.start for slot in slots}):
        days.setdefault(spoken_day(start), []).append(spoken_time(start))
    return [(day, ", ".join(times)) for day, times in days.items()]


def _not_booked(request: HttpRequest, found: Offer, result: services.ClaimResult) -> HttpResponse:
    context = {
        "offer": found,
        "opening": found.opening,
        "result": result,
        "days": _by_day(result.nearest),
    }
    return render(request, "waitlist/not_booked.html", context, status=409)
