"""Bookings, moves and cancellations as the booking services make them: the row change and the hook
in one transaction (the booking services call the same hooks; these keep the tests independent of
the slot search)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from booking import notices
from booking.models import Appointment
from tests.factories.booking import AppointmentFactory, PatientFactory, SiteFactory


def book(start: dt.datetime, **fields: object) -> Appointment:
    with transaction.atomic():
        fields.setdefault("site", SiteFactory(name="Howell", address="1 Example Way", city="Howell"))
        fields.setdefault("patient", PatientFactory())
        appointment = AppointmentFactory(start=start, **fields)
        notices.appointment_booked(appointment)
    return appointment


def reschedule(appointment: Appointment, start: dt.datetime) -> Appointment:
    with transaction.atomic():
        old_start = appointment.start
        appointment.start = start
        appointment.end = start + dt.timedelta(minutes=appointment.type.duration_minutes)
        appointment.blocked_until = appointment.end
        appointment.rescheduled_count += 1
        appointment.save()
        notices.appointment_rescheduled(appointment, old_start=old_start)
    return appointment


def cancel(appointment: Appointment) -> Appointment:
    with transaction.atomic():
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = timezone.now()
        appointment.save()
        notices.appointment_cancelled(appointment)
    return appointment
