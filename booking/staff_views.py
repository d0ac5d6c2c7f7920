"""Staff pages: the admin's day view, booking and moving for a patient, and the podiatrist's list.

Thin views: parse the request, check access, call one service or selector, render. Every
change goes through `booking.services`, so the front desk keeps the patient flow's rules and
the same no-double-booking guard.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from audit.pages import shows_patient_data
from booking import services
from booking.callers import Caller, find_callers
from booking.day_plan import day_columns, to_call
from booking.models import Appointment, Patient, Podiatrist, Site, WeeklyShift
from booking.picker import spoken_time
from booking.selectors import appointments_for_day, intake_by_id, search_slots
from booking.staff_forms import (
    CallerSearchForm,
    MoveForm,
    MoveSearchForm,
    PatientDetailsForm,
    SlotSearchForm,
    TodayForm,
    clamp_staff_day,
    slot_value,
)
from booking.when import parse_day, when

# What the front desk may do next from each status, in button order.
QUICK_ACTION_LABELS = [
    (Appointment.Status.ARRIVED, "Mark arrived"),
    (Appointment.Status.COMPLETED, "Mark completed"),
    (Appointment.Status.NO_SHOW, "Mark no-show"),
    (Appointment.Status.CANCELLED, "Cancel"),
]


_MARKS = {Appointment.Status.ARRIVED, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW}


def quick_actions(appointment: Appointment, user: Any = None) -> list[tuple[str, str]]:
    """The status buttons the transition table allows from the appointment's status, for this user.

    Without a user: every allowed change. Cancel is the front desk's; a podiatrist marks their own
    visits only (the service has the last word).
    """
    allowed = {
        status for status, _ in QUICK_ACTION_LABELS if services.may_change_status(appointment.status, status)
    }
    if user is not None:
        if not services.may_manage(user):
            allowed.discard(Appointment.Status.CANCELLED)
        if not services.may_mark(user, appointment):
            allowed -= _MARKS
    return [(status, label) for status, label in QUICK_ACTION_LABELS if status in allowed]


def apply_status(
    appointments: Iterable[Appointment], status: str, *, actor: Any, reason: str = ""
) -> tuple[int, list[tuple[Appointment, str]]]:
    """Set a status (or cancel) through the services; returns how many changed and the refusals."""
    done, refused = 0, []
    for appointment in appointments:
        try:
            if status == Appointment.Status.CANCELLED:
                services.cancel_appointment(appointment=appointment, actor=actor, reason=reason)
            else:
                services.set_appointment_status(appointment=appointment, status=status, actor=actor)
        except services.BookingRefused as exc:
            refused.append((appointment, _reason(exc)))
        else:
            done += 1
    return done, refused


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc) or "The change was refused."


def _admin_context(request: HttpRequest, model_admin: ModelAdmin, title: str, **extra: Any) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and allowed else fallback


# --- Access ----------------------------------------------------------------------------------
def acting_user(request: HttpRequest) -> User | None:
    """Who is logged in, for the services' checks (None when nobody is: the services refuse)."""
    return request.user if request.user.is_authenticated else None


def require_staff_permission(request: HttpRequest, permission: str) -> None:
    """403 unless the user is active staff holding `permission` (their role's grant)."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied


def appointment_for_staff(
    request: HttpRequest, pk: int, *, permission: str = "booking.change_appointment"
) -> Appointment:
    """The appointment `pk` for a staff user holding `permission`; 403 for anyone else, 404 if none.

    The one check of every staff page about one appointment (the admin's status and move pages,
    the care-plan page), as healthchecks' `_get_check_for_user` is for a check.
    """
    require_staff_permission(request, permission)
    queryset = Appointment.objects.select_related("patient", "site", "podiatrist", "type", "intake")
    return get_object_or_404(queryset, pk=pk)


# --- Slots as the front desk sees them --------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SlotChoice:
    value: str
    label: str
    time_label: str
    podiatrist: str
    held: bool


def slot_choices(slots: Iterable[Any], *, sites: Iterable[Site]) -> list[SlotChoice]:
    """Label each slot like "Tuesday, March 10, 9:30 AM, Howell, Dr. ..." in local time."""
    slots = list(slots)
    site_names = {site.pk: site.name for site in sites}
    names = dict(Podiatrist.objects.filter(pk__in={s.podiatrist_id for s in slots}).values_list("pk", "name"))
    choices = []
    for slot in slots:
        local = timezone.localtime(slot.start)
        spoken = date_filter(local, "l, F j, g:i A")
        podiatrist = names.get(slot.podiatrist_id, "")
        held = bool(getattr(slot, "held", False))
        label = f"{spoken}, {site_names.get(slot.site_id, '')}, {podiatrist}" + (
            " (held urgent slot)" if held else ""
        )
        choices.append(
            SlotChoice(
                value=slot_value(site_id=slot.site_id, podiatrist_id=slot.podiatrist_id, start=slot.start),
                label=label,
                time_label=date_filter(local, "g:i A"),
                podiatrist=podiatrist,
                held=held,
            )
        )
    return choices


# --- Admin: the day view ----------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Action:
    """One status button: `ask_first` sends it to a confirmation page instead of doing it at once."""

    status: str
    label: str
    ask_first: bool


def needs_confirmation(appointment: Appointment, status: str, *, now: datetime) -> bool:
    """Cancelling always asks (it emails the patient); so does any change to a visit not yet due:
    arrived before its day, completed or no-show before its start."""
    if status == Appointment.Status.CANCELLED:
        return True
    if status == Appointment.Status.ARRIVED:
        return timezone.localdate(appointment.start) > timezone.localdate(now)
    return appointment.start > now


def actions_for(appointment: Appointment, *, now: datetime, user: Any = None) -> list[Action]:
    return [
        Action(status=status, label=label, ask_first=needs_confirmation(appointment, status, now=now))
        for status, label in quick_actions(appointment, user)
    ]


@dataclass(frozen=True, kw_only=True)
class DayLine:
    """One line of a day view column, with what its template would otherwise work out per use:
    the times in words and the appointment's addresses (a day lists dozens, each named 3-6 times)."""

    entry: Any
    actions: list[Action]
    start: str  # "9:30 AM", Michigan time
    end: str
    change_url: str = ""
    status_url: str = ""
    move_url: str = ""


# Stands for an appointment's id while its addresses are reversed once per process (_address).
_ID = 987654321


def _address(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), from one reversal per name and script prefix (admin addresses take
    the id as one path segment); tests/booking/test_admin_day_view.py checks it against reverse."""
    key = (name, get_script_prefix())
    parts = _addresses.get(key)
    if parts is None:
        head, tail = reverse(name, args=[_ID]).split(str(_ID), 1)
        parts = _addresses[key] = (head, tail)
    return f"{parts[0]}{pk}{parts[1]}"


_addresses: dict[tuple[str, str], tuple[str, str]] = {}


class DayLines:
    """Builds DayLines, each time's words worked out once per page."""

    def __init__(self, user: Any, now: datetime) -> None:
        self.user, self.now = user, now
        self._words: dict[datetime, str] = {}

    def _clock(self, moment: datetime) -> str:
        words = self._words.get(moment)
        if words is None:
            words = self._words[moment] = spoken_time(moment)
        return words

    def line(self, entry: Any) -> DayLine:
        appointment = entry.appointment
        if appointment is None:
            return DayLine(
                entry=entry, actions=[], start=self._clock(entry.start), end=self._clock(entry.end)
            )
        return DayLine(
            entry=entry,
            actions=actions_for(appointment, now=self.now, user=self.user),
            start=self._clock(appointment.start),
            end=self._clock(appointment.end),
            change_url=_address("admin:booking_appointment_change", appointment.pk),
            status_url=_address("admin:booking_appointment_status", appointment.pk),
            move_url=_address("admin:booking_appointment_move", appointment.pk),
        )


def day_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """One site, one day: a column per podiatrist with appointments and held urgent slots, actions,
    and the next day's patients without email to call."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    sites = list(Site.objects.filter(is_active=True))
    site = next((s for s in sites if str(s.pk) == request.GET.get("site")), sites[0] if sites else None)
    day = clamp_staff_day(parse_day(request.GET.get("date")))
    now = timezone.now()
    columns = day_columns(site=site, day=day, now=now) if site is not None else []
    lines = DayLines(request.user, now)
    rows = [(column, [lines.line(e) for e in column.entries]) for column in columns]
    context = _admin_context(
        request,
        model_admin,
        f"{site or 'No site'}: {date_filter(day, 'l, F j, Y')}",
        site=site,
        sites=sites,
        day=day,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        columns=rows,
        here=request.get_full_path(),
        to_call=list(to_call(site=site, day=day + timedelta(days=1))) if site is not None else [],
        can_change=model_admin.has_change_permission(request),
        can_manage=services.may_manage(acting_user(request)),
        can_book=model_admin.has_add_permission(request) and services.may_manage(acting_user(request)),
    )
    return render(request, "admin/booking/appointment/day.html", context)


# --- Admin: status changes one at a time ------------------------------------------------------
def status_view(request: HttpRequest, *, pk: int, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the appointment and its status buttons, or the question for one that asks first.
    POST: apply one through the services (a change that asks first needs `confirmed`)."""
    appointment = appointment_for_staff(request, pk)
    change_url = reverse("admin:booking_appointment_change", args=[pk])
    labels = {str(status): label for status, label in QUICK_ACTION_LABELS}
    now = timezone.now()
    if request.method == "POST":
        status = request.POST.get("status", "")
        if status not in labels:
            messages.error(request, "Choose one of the status buttons.")
        elif needs_confirmation(appointment, status, now=now) and request.POST.get("confirmed") != "yes":
            query = urlencode({"confirm": status, "next": _safe_next(request, change_url)})
            return HttpResponseRedirect(f"{request.path}?{query}")
        else:
            reason = request.POST.get("reason", "")[:300]
            done, refused = apply_status([appointment], status, actor=request.user, reason=reason)
            for _, reason in refused:
                messages.error(request, f"{appointment}: {reason}")
            if done:
                messages.success(request, f"{labels[status]}: {appointment}.")
        return HttpResponseRedirect(_safe_next(request, change_url))
    actions = actions_for(appointment, now=now, user=request.user)
    asked = next((a for a in actions if a.status == request.GET.get("confirm")), None)
    context = _admin_context(
        request,
        model_admin,
        f"Change status: {appointment}",
        appointment=appointment,
        actions=actions,
        change_url=change_url,
        # From a button that asks first: the question, then back where it came from.
        confirm=asked if asked is not None and asked.ask_first else None,
        not_yet=appointment.start > now,
        next=_safe_next(request, change_url),
    )
    return render(request, "admin/booking/appointment/status.html", context)


# --- Admin: book for a patient on the phone ---------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class CallerRow:
    caller: Caller
    use_url: str


def book_view(request: HttpRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """Find the caller, search slots (held urgent capacity included), book through `book_appointment`."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    # Bound once "Show free times" was pressed: a first visit (even with a site and day from the day
    # view) shows no "This field is required." errors.
    search = (
        SlotSearchForm(request.GET)
        if "type" in request.GET
        else SlotSearchForm(initial={"date": timezone.localdate(), **request.GET.dict()})
    )
    finder = CallerSearchForm(request.GET)
    found = find_callers(finder.cleaned_data["find"]) if finder.is_valid() else []
    chosen, intake = _patient(request.GET.get("patient")), _intake(request.GET.get("intake"))
    details = PatientDetailsForm(request.POST or None, initial=_caller_initial(chosen, intake))
    slots: list[Any] = []
    if search.is_bound and search.is_valid():
        site = search.cleaned_data["site"]
        if request.method == "POST" and details.is_valid():
            booked, slots = _try_booking(request, search.cleaned_data, details.cleaned_data, intake)
            if booked is not None:
                messages.success(request, f"Booked: {booked}.{_no_email_note(booked)}")
                return HttpResponseRedirect(reverse("admin:booking_appointment_change", args=[booked.pk]))
        if not slots:
            slots = search_slots(
                sites=[site],
                type=search.cleaned_data["type"],
                start_date=search.cleaned_data["date"],
                days=1,
                podiatrist=search.cleaned_data["podiatrist"],
                may_use_holds=True,
            )
        slots = slot_choices(slots, sites=[site])
    context = _admin_context(
        request,
        model_admin,
        "Book for a patient",
        search=search,
        finder=finder,
        callers=[CallerRow(caller=c, use_url=_use_caller_url(request, c)) for c in found],
        searched=bool(finder.is_valid() and finder.cleaned_data["find"]),
        chosen=chosen or (intake.patient if intake is not None and intake.patient_id else None),
        intake=intake,
        details=details,
        slots=slots,
        # The other form's values, carried as hidden inputs so neither search loses the other.
        keep_for_finder=_params(request, drop={"find"}),
        keep_for_search=_params(request, keep={"find", "patient", "intake"}),
    )
    return render(request, "admin/booking/appointment/book.html", context)


def _params(
    request: HttpRequest, *, drop: Set[str] = frozenset(), keep: Set[str] | None = None
) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, value in request.GET.dict().items()
        if key not in drop and (keep is None or key in keep) and value
    ]


def _use_caller_url(request: HttpRequest, caller: Caller) -> str:
    params = {k: v for k, v in request.GET.dict().items() if k not in {"patient", "intake"}}
    if caller.intake_id is not None:
        params["intake"] = str(caller.intake_id)
    elif caller.patient_id is not None:
        params["patient"] = str(caller.patient_id)
    return f"{request.path}?{urlencode(params)}"


def _no_email_note(appointment: Appointment) -> str:
    return "" if appointment.patient.has_email else " No email: call to confirm."


def _try_booking(
    request: HttpRequest, where: dict[str, Any], who: dict[str, Any], intake: Any
) -> tuple[Appointment | None, list[Any]]:
    """Book through the service; on a lost race, the nearest free slots instead (and a message)."""
    podiatrist, start = who["slot"]
    try:
        appointment = services.book_appointment(
            site=where["site"],
            type=where["type"],
            start=start,
            podiatrist=podiatrist,
            patient_name=who["patient_name"],
            patient_email=who["patient_email"] or "",
            patient_phone=who["patient_phone"],
            date_of_birth=who["date_of_birth"],
            patient=who["patient"],
            intake=intake,
            channel=Appointment.Channel.STAFF,
            actor=acting_user(request),
            idempotency_key=who["idempotency_key"],
        )
    except services.SlotTaken as exc:
        messages.error(request, "That time was just taken. The nearest free times are listed below.")
        return None, list(exc.nearest)
    except services.BookingRefused as exc:
        messages.error(request, _reason(exc))
        return None, []
    return appointment, []


def _intake(raw: str | None) -> Any:
    return intake_by_id(int(raw)) if raw and raw.isdigit() else None


def _patient(raw: str | None) -> Patient | None:
    return Patient.objects.filter(pk=raw).first() if raw and raw.isdigit() else None


def _caller_initial(patient: Patient | None, intake: Any) -> dict[str, Any]:
    """The patient form filled from the record found by the lookup (an intake's own details first)."""
    source: Any = intake if intake is not None else patient
    if source is None:
        return {}
    linked = patient or (intake.patient if intake.patient_id else None)
    return {
        "patient": linked.pk if linked else None,
        "patient_name": source.name,
        "patient_email": source.email or "",
        "patient_phone": source.phone,
        "date_of_birth": source.date_of_birth,
    }


# --- Admin: move an appointment ---------------------------------------------------------------
def move_view(request: HttpRequest, *, pk: int, model_admin: ModelAdmin) -> HttpResponse:
    """Pick a new time, at this site or the other, for the same type; `reschedule_appointment` moves it."""
    appointment = appointment_for_staff(request, pk)
    if not services.may_manage(acting_user(request)):  # the front desk's: podiatrists do not move visits
        raise PermissionDenied
    change_url = reverse("admin:booking_appointment_change", args=[pk])
    search = MoveSearchForm(
        request.GET or None,
        initial={
            "site": appointment.site_id,
            "date": timezone.localdate(appointment.start),
            "podiatrist": appointment.podiatrist_id,
        },
    )
    if not search.is_bound:
        search = MoveSearchForm(search.initial)
    # The site searched (the POST goes to this same URL, search included); the service checks it.
    site = search.cleaned_data["site"] if search.is_valid() else appointment.site
    move = MoveForm(request.POST or None)
    slots: list[Any] = []
    if request.method == "POST" and move.is_valid():
        podiatrist, start = move.cleaned_data["slot"]
        try:
            moved = services.reschedule_appointment(
                appointment=appointment,
                start=start,
                podiatrist=podiatrist,
                site=site,
                actor=acting_user(request),
            )
        except services.SlotTaken as exc:
            messages.error(request, "That time was just taken. The nearest free times are listed below.")
            slots = list(exc.nearest)
        except services.BookingRefused as exc:
            messages.error(request, _reason(exc))
        else:
            messages.success(
                request,
                f"Moved {moved.patient} to {when(moved.start)} with {moved.podiatrist} at {moved.site}.",
            )
            return HttpResponseRedirect(change_url)
    if not slots and search.is_valid():
        slots = search_slots(
            sites=[site],
            type=appointment.type,
            start_date=search.cleaned_data["date"],
            days=1,
            podiatrist=search.cleaned_data["podiatrist"],
            may_use_holds=True,
            ignore_appointment_id=appointment.pk,  # a move by ten minutes may overlap the old time
        )
        current = (appointment.start, appointment.podiatrist_id, appointment.site_id)
        slots = [s for s in slots if (s.start, s.podiatrist_id, s.site_id) != current]
    context = _admin_context(
        request,
        model_admin,
        f"Move: {appointment}",
        appointment=appointment,
        search=search,
        slots=slot_choices(slots, sites=[site]),
        change_url=change_url,
        can_move=appointment.status == Appointment.Status.BOOKED,
    )
    return render(request, "admin/booking/appointment/move.html", context)


# --- The podiatrist's list --------------------------------------------------------------------
def may_send_care_plan(appointment: Appointment) -> bool:
    """Sending a plan completes the visit: offered where the table allows that (or it is done)."""
    completed = Appointment.Status.COMPLETED
    return appointment.status == completed or services.may_change_status(appointment.status, completed)


def care_plan_url(appointment: Appointment) -> str:
    return reverse("care_plans:send", args=[appointment.pk])


def summary_url(appointment: Appointment) -> str | None:
    if appointment.intake_id is None:
        return None
    return reverse("intake:summary", args=[appointment.intake_id])


@dataclass(frozen=True, kw_only=True)
class TodayRow:
    appointment: Appointment
    summary_url: str | None
    care_plan_url: str | None  # None where the visit can no longer be completed


@dataclass(frozen=True, kw_only=True)
class SiteTab:
    site: Site
    url: str
    current: bool
    works_here: bool


def _today_url(*, day: date, site: Site | None, podiatrist_param: str | None) -> str:
    params = {"date": day.isoformat()}
    if site is not None:
        params["site"] = str(site.pk)
    if podiatrist_param is not None:
        params["podiatrist"] = podiatrist_param
    return f"{reverse('staff:today')}?{urlencode(params)}"


@shows_patient_data()  # the day's patients; whose list and which day are in the query
@login_required
@require_http_methods(["GET", "HEAD"])
def today(request: HttpRequest) -> HttpResponse:
    """One site's appointments on a day; a podiatrist sees their own unless they choose otherwise."""
    # Staff only, no permission lookup: the page's budget is 8 queries (its test pins it); each
    # row's summary link checks intake.view_intake and its care-plan link care_plans.add_careplan.
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    own = getattr(request.user, "podiatrist", None)
    form = TodayForm(request.GET)
    form.is_valid()  # Invalid filters fall back to their defaults.
    data = form.cleaned_data
    day = data.get("date") or timezone.localdate()
    # No `podiatrist` parameter: the podiatrist's own list; an empty one: everyone's.
    podiatrist = data.get("podiatrist") if "podiatrist" in request.GET else own
    podiatrist_param = (str(podiatrist.pk) if podiatrist else "") if "podiatrist" in request.GET else None
    sites = list(Site.objects.filter(is_active=True))
    whose_day = podiatrist or own
    working = _sites_worked(whose_day, day) if whose_day is not None else []
    # Without a choice: where the podiatrist starts that day, else the first site.
    by_pk = {s.pk: s for s in sites}
    site = data.get("site") or next((by_pk[pk] for pk in working if pk in by_pk), sites[0] if sites else None)
    rows = [
        TodayRow(
            appointment=a,
            summary_url=summary_url(a),
            care_plan_url=care_plan_url(a) if may_send_care_plan(a) else None,
        )
        for a in (appointments_for_day(site=site, day=day, podiatrist=podiatrist) if site else [])
    ]
    context = {
        "form": TodayForm(initial={"site": site, "podiatrist": podiatrist, "date": day}),
        "day": day,
        "podiatrist": podiatrist,
        "site": site,
        "rows": rows,
        # Care plans are the podiatrists' (the page refuses anyone else): no link to a refusal.
        "sends_care_plans": own is not None or request.user.is_superuser,
        "site_tabs": [
            SiteTab(
                site=s,
                url=_today_url(day=day, site=s, podiatrist_param=podiatrist_param),
                current=s == site,
                works_here=s.pk in working,
            )
            for s in sites
        ],
        "previous_url": _today_url(day=day - timedelta(days=1), site=site, podiatrist_param=podiatrist_param),
        "next_url": _today_url(day=day + timedelta(days=1), site=site, podiatrist_param=podiatrist_param),
    }
    return render(request, "booking/staff/today.html", context)


def _sites_worked(podiatrist: Podiatrist, day: date) -> list[int]:
    """The sites a podiatrist's weekly schedule puts them at on a day, in shift order."""
    shifts = WeeklyShift.objects.filter(podiatrist=podiatrist, weekday=day.weekday()).order_by("start")
    return list(dict.fromkeys(shifts.values_list("site_id", flat=True)))
