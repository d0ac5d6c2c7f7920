"""The front desk's day at one site: a column per podiatrist, appointments and held urgent slots in
time order, and the patients of the next day who have no email (the front desk calls them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from booking.models import Appointment, AppointmentType, Podiatrist, Site, WeeklyShift
from booking.selectors import appointments_for_day, search_slots


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One line of a column: an appointment, or a held urgent slot nobody has booked yet."""

    start: datetime
    end: datetime
    appointment: Appointment | None = None

    @property
    def is_hold(self) -> bool:
        return self.appointment is None


@dataclass(kw_only=True)
class Column:
    podiatrist: Podiatrist
    hours: str  # "8:00 AM-5:00 PM", or "" when not on the weekly schedule here that day
    entries: list[Entry] = field(default_factory=list)


def _clock(moment: time) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def _held_windows(site: Site, day: date, now: datetime) -> list[tuple[int, datetime, datetime]]:
    """(podiatrist, start, end) of the site's still-held urgent windows that day.

    Asked of the availability core itself (a search with held capacity allowed, for a type that
    uses it), so the day view marks exactly the holds that booking keeps."""
    urgent = AppointmentType.objects.filter(uses_urgent_hold=True, is_active=True).order_by("pk").first()
    if urgent is None or not site.urgent_hold_starts:
        return []
    starts = set(site.urgent_hold_starts)
    length = timedelta(minutes=site.urgent_hold_minutes)
    return [
        (slot.podiatrist_id, slot.start, slot.start + length)
        for slot in search_slots(
            sites=[site], type=urgent, start_date=day, days=1, may_use_holds=True, now=now
        )
        if slot.held and f"{timezone.localtime(slot.start):%H:%M}" in starts
    ]


def day_columns(*, site: Site, day: date, now: datetime | None = None) -> list[Column]:
    """Each podiatrist on shift at the site that day (or with an appointment there), by name."""
    now = now or timezone.now()
    shifts = WeeklyShift.objects.filter(site=site, weekday=day.weekday()).select_related("podiatrist")
    columns: dict[int, Column] = {}
    for shift in shifts.order_by("start"):
        column = columns.setdefault(shift.podiatrist_id, Column(podiatrist=shift.podiatrist, hours=""))
        hours = f"{_clock(shift.start)}-{_clock(shift.end)}"
        column.hours = f"{column.hours}, {hours}" if column.hours else hours
    for appointment in appointments_for_day(site=site, day=day):
        column = columns.setdefault(
            appointment.podiatrist_id, Column(podiatrist=appointment.podiatrist, hours="")
        )
        column.entries.append(Entry(start=appointment.start, end=appointment.end, appointment=appointment))
    for podiatrist_id, start, end in _held_windows(site, day, now):
        if podiatrist_id in columns:
            columns[podiatrist_id].entries.append(Entry(start=start, end=end))
    for column in columns.values():
        column.entries.sort(key=lambda e: (e.start, e.is_hold))
    return sorted(columns.values(), key=lambda c: c.podiatrist.name)


def to_call(*, site: Site, day: date) -> QuerySet[Appointment]:
    """Booked patients of `day` at the site with no email: nobody emailed them, so staff call."""
    return appointments_for_day(site=site, day=day).filter(
        status=Appointment.Status.BOOKED, patient__email__isnull=True
    )
