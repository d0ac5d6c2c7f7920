"""Reads for booking: what the availability core needs, loaded in a fixed number of queries.

`search_slots` loads shifts, then opening hours with closures, then the appointments in the
window (as Busy intervals up to `blocked_until`) with time off: three queries, whatever the number
of appointments, then calls the pure `booking.availability.find_slots`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    QuerySet,
    TimeField,
    Value,
)
from django.http import HttpRequest
from django.utils import timezone

from booking.availability import (
    Busy,
    Shift,
    SitePolicy,
    Slot,
    SlotQuery,
    find_slots,
    nearest_slots,
)
from booking.models import (
    Appointment,
    AppointmentType,
    Closure,
    OpeningHours,
    Podiatrist,
    Site,
    TimeOff,
    WeeklyShift,
)
from booking.prepared import KeptRead, PreparedRead

CLINIC_ZONE = ZoneInfo(settings.CLINIC_TIME_ZONE)


def window_for(start_date: date, days: int) -> tuple[datetime, datetime]:
    """[start_date 00:00 local, start_date + days 00:00 local) as aware datetimes in UTC."""
    start = datetime.combine(start_date, time(0), tzinfo=CLINIC_ZONE)
    end = datetime.combine(start_date + timedelta(days=days), time(0), tzinfo=CLINIC_ZONE)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def days_for_business_days(today: date, business_days: int) -> int:
    """How many calendar days from today cover today and the next `business_days` weekdays."""
    days, counted = 1, 0
    while counted < business_days:
        if (today + timedelta(days=days)).weekday() < 5:
            counted += 1
        days += 1
    return days


def _policy(site: Site, opening: list[OpeningHours], closures: Iterable[date]) -> SitePolicy:
    return SitePolicy(
        site_id=site.pk,
        tz=ZoneInfo(site.timezone),
        grid_minutes=site.slot_grid_minutes,
        min_notice=timedelta(minutes=site.min_notice_minutes),
        horizon=timedelta(days=site.horizon_days),
        opening={o.weekday: (o.opens, o.closes) for o in opening},
        closures=frozenset(closures),
        urgent_hold_starts=tuple(time.fromisoformat(t) for t in site.urgent_hold_starts or ()),
        urgent_hold_minutes=site.urgent_hold_minutes,
        urgent_release=timedelta(hours=site.urgent_release_hours),
    )


def _shifts(site_ids: list[Any]) -> QuerySet[Any]:
    return WeeklyShift.objects.filter(site_id__in=site_ids, podiatrist__is_active=True).values_list(
        "podiatrist_id", "site_id", "weekday", "start", "end"
    )


def _hours_and_closures(site_ids: list[Any], first: Any, last: Any) -> QuerySet[Any]:
    hours = (
        OpeningHours.objects.filter(site_id__in=site_ids)
        .order_by()
        .annotate(closed=Value(None, output_field=DateField()))
        .values_list("site_id", "weekday", "opens", "closes", "closed")
    )
    closed_days = (
        Closure.objects.filter(site_id__in=site_ids, date__gte=first, date__lte=last)
        .order_by()
        .annotate(
            weekday=Value(None, output_field=IntegerField()),
            opens=Value(None, output_field=TimeField()),
            closes=Value(None, output_field=TimeField()),
        )
        .values_list("site_id", "weekday", "opens", "closes", "date")
    )
    return hours.union(closed_days, all=True)


# Where the busy read counts its starts from (see _busy).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _since_epoch(column: str) -> ExpressionWrapper:
    return ExpressionWrapper(
        F(column) - Value(EPOCH, output_field=DateTimeField()), output_field=DurationField()
    )


def _busy(podiatrist_ids: list[Any], start: Any, end: Any, ignore: Any) -> QuerySet[Any]:
    """Appointments at every site (a podiatrist who works at both is busy at both) and time off, in
    one read. Each start comes as its time since EPOCH and the blocked span as a duration: loading
    a timestamptz costs Django's psycopg adapter (Python) several times what an interval costs
    (psycopg's own, in C), and this is the search's biggest read."""
    appointments = (
        Appointment.objects.filter(podiatrist_id__in=podiatrist_ids)
        .blocking(start, end)
        .order_by()  # the core sorts; an ORDER BY would only cost the database a sort
    )
    if ignore is not None:
        appointments = appointments.exclude(pk=ignore)
    blocks = appointments.annotate(
        since=_since_epoch("start"),
        span=ExpressionWrapper(F("blocked_until") - F("start"), output_field=DurationField()),
        off=Value(False, output_field=BooleanField()),
    ).values_list("podiatrist_id", "since", "span", "site_id", "in_urgent_hold", "off")
    time_off = (
        TimeOff.objects.filter(podiatrist_id__in=podiatrist_ids, start__lt=end, end__gt=start)
        .order_by()
        .annotate(
            since=_since_epoch("start"),
            span=ExpressionWrapper(F("end") - F("start"), output_field=DurationField()),
            at_site=Value(None, output_field=IntegerField()),
            held=Value(False, output_field=BooleanField()),
            off=Value(True, output_field=BooleanField()),
        )
        .values_list("podiatrist_id", "since", "span", "at_site", "held", "off")
    )
    return blocks.union(time_off, all=True)


# The search's three reads, built and compiled once per process (booking.prepared says why).
_SHIFTS = PreparedRead(_shifts)
_HOURS_AND_CLOSURES = PreparedRead(_hours_and_closures)
_BUSY = PreparedRead(_busy)


def slot_query(
    *,
    sites: Sequence[Site],
    type: AppointmentType,
    window_start: datetime,
    window_end: datetime,
    podiatrist: Podiatrist | None = None,
    may_use_holds: bool = False,
    now: datetime | None = None,
    ignore_notice: bool = False,
    ignore_appointment_id: int | None = None,
) -> SlotQuery:
    """Everything the core needs for these sites and this window: three queries, whatever the size
    (shifts; opening hours with closures; appointments with time off)."""
    now = now or timezone.now()
    site_ids = [s.pk for s in sites]
    # Every podiatrist at these sites, even when one is chosen: held urgent capacity is placed
    # among all of them, so a search for one podiatrist sees holds where everyone's search does.
    # The chosen one is passed to the core as `podiatrist_ids`.
    shift_rows = _SHIFTS.rows(site_ids=site_ids)
    podiatrist_ids = sorted({row[0] for row in shift_rows})

    # Opening hours and closures in one read: a row is either a weekday's hours or a closed date.
    opening: dict[int, list[OpeningHours]] = {pk: [] for pk in site_ids}
    closures: dict[int, list[date]] = {pk: [] for pk in site_ids}
    hours_and_closures = _HOURS_AND_CLOSURES.rows(
        site_ids=site_ids,
        # A day either side: the window's edges are local midnights, closures are local dates.
        first=window_start.astimezone(CLINIC_ZONE).date() - timedelta(days=1),
        last=window_end.astimezone(CLINIC_ZONE).date() + timedelta(days=1),
    )
    for site_id, weekday, opens, closes, closed in hours_and_closures:
        if closed is None:
            hours = OpeningHours(site_id=site_id, weekday=weekday, opens=opens, closes=closes)
            opening[site_id].append(hours)
        else:
            closures[site_id].append(closed)

    busy: list[Busy] = []
    if podiatrist_ids:
        rows = _BUSY.rows(
            podiatrist_ids=podiatrist_ids, start=window_start, end=window_end, ignore=ignore_appointment_id
        )
        for pid, since, span, site_id, held, off in rows:
            start = EPOCH + since
            if off:
                busy.append(Busy(podiatrist_id=pid, start=start, end=start + span))
            else:
                busy.append(
                    Busy(podiatrist_id=pid, start=start, end=start + span, site_id=site_id, held=held)
                )

    policies = tuple(_policy(s, opening[s.pk], closures[s.pk]) for s in sites)
    if ignore_notice:
        policies = tuple(_without_notice(p) for p in policies)
    return SlotQuery(
        sites=policies,
        shifts=tuple(
            Shift(podiatrist_id=pid, site_id=sid, weekday=wd, start=start, end=end)
            for pid, sid, wd, start, end in shift_rows
        ),
        busy=tuple(busy),
        duration=type.duration,
        buffer=type.buffer,
        window_start=window_start,
        window_end=window_end,
        now=now,
        may_use_holds=may_use_holds and type.uses_urgent_hold,
        podiatrist_ids=frozenset({podiatrist.pk}) if podiatrist is not None else None,
    )


def _without_notice(policy: SitePolicy) -> SitePolicy:
    from dataclasses import replace

    return replace(policy, min_notice=timedelta(0))


def search_slots(
    *,
    sites: Sequence[Site],
    type: AppointmentType,
    start_date: date,
    days: int,
    podiatrist: Podiatrist | None = None,
    may_use_holds: bool = False,
    now: datetime | None = None,
    ignore_appointment_id: int | None = None,
) -> list[Slot]:
    """Free slots for a type at these sites from start_date (local) for `days` days, earliest first."""
    window_start, window_end = window_for(start_date, days)
    query = slot_query(
        sites=sites,
        type=type,
        window_start=window_start,
        window_end=window_end,
        podiatrist=podiatrist,
        may_use_holds=may_use_holds,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
    )
    return list(find_slots(query))


def free_slots_at(
    *,
    site: Site,
    type: AppointmentType,
    start: datetime,
    podiatrist: Podiatrist | None,
    may_use_holds: bool,
    now: datetime,
    ignore_notice: bool = False,
    ignore_appointment_id: int | None = None,
) -> list[Slot]:
    """The free slots starting exactly at `start` at this site (one per free podiatrist), read fresh."""
    local_day = start.astimezone(CLINIC_ZONE).date()
    window_start, window_end = window_for(local_day, 1)
    query = slot_query(
        sites=[site],
        type=type,
        window_start=window_start,
        window_end=window_end,
        podiatrist=podiatrist,
        may_use_holds=may_use_holds,
        now=now,
        ignore_notice=ignore_notice,
        ignore_appointment_id=ignore_appointment_id,
    )
    # Compare in UTC: an aware local time in the repeated fall-back hour never equals a UTC instant.
    wanted = start.astimezone(UTC)
    return [s for s in find_slots(query) if s.start == wanted and s.site_id == site.pk]


def nearest_free_slots(
    *,
    sites: Sequence[Site],
    type: AppointmentType,
    around: datetime,
    may_use_holds: bool,
    now: datetime,
    n: int = 6,
    ignore_appointment_id: int | None = None,
) -> list[Slot]:
    """The n free slots closest in time to `around` (the answer to a lost race)."""
    local_day = around.astimezone(CLINIC_ZONE).date()
    start_day = max(local_day - timedelta(days=3), timezone.localdate(now))
    found = search_slots(
        sites=sites,
        type=type,
        start_date=start_day,
        days=(local_day - start_day).days + 4,
        may_use_holds=may_use_holds,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
    )
    return list(nearest_slots(found, around, n))


def appointments_for_day(
    *, site: Site, day: date, podiatrist: Podiatrist | None = None
) -> QuerySet[Appointment]:
    """A site's appointments on a local day (all statuses), with patient, type, podiatrist and intake."""
    start, end = window_for(day, 1)
    appointments = (
        Appointment.objects.filter(site=site, start__gte=start, start__lt=end)
        .select_related("patient", "podiatrist", "type", "intake", "site")
        .order_by("start", "podiatrist__name")
    )
    if podiatrist is not None:
        appointments = appointments.filter(podiatrist=podiatrist)
    return appointments


def _kept_seconds() -> float:
    return float(settings.REFERENCE_DATA_SECONDS)


# The lists every booking page shows (the footer shows the sites on every patient page), read
# whole: compiled once per process and kept for REFERENCE_DATA_SECONDS (booking.prepared.KeptRead).
_ACTIVE_SITES = KeptRead(
    PreparedRead(lambda: Site.objects.filter(is_active=True).order_by("name")), seconds=_kept_seconds
)
_ACTIVE_TYPES = KeptRead(
    PreparedRead(lambda: AppointmentType.objects.filter(is_active=True).order_by("name")),
    seconds=_kept_seconds,
)
_ACTIVE_PODIATRISTS = KeptRead(
    PreparedRead(lambda: Podiatrist.objects.filter(is_active=True).order_by("name")), seconds=_kept_seconds
)
KEPT_READS = (_ACTIVE_SITES, _ACTIVE_TYPES, _ACTIVE_PODIATRISTS)
KEPT_MODELS = (Site, AppointmentType, Podiatrist)


def forget_kept_reads(**_: Any) -> None:
    """Empty the kept lists now and when the change that called this commits (a receiver of
    post_save and post_delete of KEPT_MODELS, booking.apps)."""
    _forget_all()
    transaction.on_commit(_forget_all)


def _forget_all() -> None:
    for kept in KEPT_READS:
        kept.forget()


def active_sites(request: HttpRequest | None = None) -> list[Site]:
    """The active sites, by name. With a request, read once for it: the booking form's site radios
    and the footer's phone numbers show the same rows, so a page that has both runs one query."""
    if request is None:
        return _ACTIVE_SITES.instances()
    sites: list[Site] | None = getattr(request, "_active_sites", None)
    if sites is None:
        sites = _ACTIVE_SITES.instances()
        request._active_sites = sites  # type: ignore[attr-defined]
    return sites


def active_types() -> list[AppointmentType]:
    """The appointment types offered now, by name."""
    return _ACTIVE_TYPES.instances()


def active_podiatrists() -> list[Podiatrist]:
    """The podiatrists seeing patients, by name."""
    return _ACTIVE_PODIATRISTS.instances()


def intake_by_id(pk: int | None) -> Any:
    """The intake with this id, or None. Booking reaches intakes only through the appointment's own
    foreign key (intake sits above booking: booking never imports it)."""
    if not pk:
        return None
    intake_model = cast("type[Model]", Appointment._meta.get_field("intake").related_model)
    return intake_model._default_manager.filter(pk=pk).first()
