"""An appointment as an iCalendar file (RFC 5545), built with the icalendar library.

Times are written in America/Detroit with a VTIMEZONE, so calendars show the local time the
patient booked even if their phone is set elsewhere. The summary carries no health details.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from booking.links import manage_url
from booking.models import Appointment


def appointment_ics(appointment: Appointment, *, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one VEVENT for the appointment; cancelled ones carry STATUS:CANCELLED."""
    site = appointment.site
    zone = ZoneInfo(site.timezone or settings.CLINIC_TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    event = icalendar.Event()
    # Stable across reschedules so calendars update the event instead of adding a second one.
    event.add("uid", f"appointment-{appointment.pk}@{_uid_domain()}")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add("summary", f"Podiatry appointment at {site.name}")
    event.add("location", site.full_address)
    event.add(
        "description",
        f"{appointment.type.name} with {appointment.podiatrist.name} at {settings.CLINIC_NAME}, "
        f"{site.name}.\nPhone: {site.phone}\nView, reschedule or cancel: {manage_url(appointment)}",
    )
    event.add("sequence", appointment.rescheduled_count)
    if appointment.status == Appointment.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _uid_domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "clinic.example"
