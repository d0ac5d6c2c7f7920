"""Booking use cases: book, reschedule, cancel, mark arrived/completed/no-show.

Every rule about who may book what, and when, lives here; the patient views, the admin and the
staff pages all call these functions. Each runs in one transaction. The last guard against a
double booking is the database: PostgreSQL's `no_double_booking` exclusion constraint, and on
SQLite an IMMEDIATE transaction (see settings) in which the overlap check and the insert
cannot interleave with another writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from booking import hooks, selectors
from booking.availability import Slot, first_available
from booking.models import Appointment, AppointmentEvent, AppointmentType, Patient, Podiatrist, Site
from clinic import notifications

NEAREST_ON_CONFLICT = 6


class SlotTaken(Exception):
    """The chosen time is no longer free; `nearest` holds free slots close to it."""

    def __init__(self, nearest: list[Slot]):
        super().__init__("That time was just taken")
        self.nearest = nearest


class BookingRefused(Exception):
    """A rule forbids the booking or change; `message` is fit to show the patient."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Conflict(Exception):
    """Raised inside the transaction so that it rolls back before the nearest slots are read."""


@dataclass(frozen=True)
class _Choice:
    podiatrist_id: int
    held: bool


def is_staff(actor: AbstractBaseUser | None) -> bool:
    return bool(actor is not None and getattr(actor, "is_staff", False))


def _intake_is_urgent(intake: object | None) -> bool:
    return getattr(intake, "urgency", None) == "urgent"


def is_returning(patient: Patient | None, *, now: datetime) -> bool:
    """A patient with an earlier completed visit, or a booked one whose time has passed."""
    if patient is None or patient.pk is None:
        return False
    visited = [Appointment.Status.COMPLETED, Appointment.Status.ARRIVED, Appointment.Status.BOOKED]
    return patient.appointments.filter(status__in=visited, start__lt=now).exists()


def refusal_for_type(
    *,
    type: AppointmentType,
    patient: Patient | None,
    intake: object | None,
    actor: AbstractBaseUser | None,
    now: datetime,
) -> str | None:
    """Why this person may not book this type, or None when they may."""
    if not type.is_active:
        return "That appointment type is not offered at the moment."
    if is_staff(actor):
        return None
    kinds = AppointmentType.BookableBy
    if type.bookable_by == kinds.ANYONE:
        return None
    if type.bookable_by == kinds.URGENT:
        if _intake_is_urgent(intake):
            return None
        return "This appointment is for patients whose questionnaire says they need to be seen urgently."
    if type.bookable_by == kinds.RETURNING:
        if is_returning(patient, now=now):
            return None
        return "A follow-up visit needs an earlier visit with us. Please book a new patient exam."
    return "This appointment can only be booked by the clinic. Please call the site."


def bookable_types(
    *, intake: object | None = None, actor: AbstractBaseUser | None = None, now: datetime | None = None
) -> list[AppointmentType]:
    """The active types this person may book (a returning patient is known from the intake's email)."""
    now = now or timezone.now()
    email = getattr(intake, "email", "") or ""
    patient = Patient.objects.filter(email=email.strip().lower()).first() if email else None
    return [
        t
        for t in AppointmentType.objects.filter(is_active=True).order_by("name")
        if refusal_for_type(type=t, patient=patient, intake=intake, actor=actor, now=now) is None
    ]


def may_use_holds(
    *, type: AppointmentType, channel: str, intake: object | None, actor: AbstractBaseUser | None
) -> bool:
    """Held urgent capacity: for the urgent lane and staff, and only for types that use it."""
    if not type.uses_urgent_hold:
        return False
    if is_staff(actor):
        return True
    return channel == Appointment.Channel.URGENT_LANE and _intake_is_urgent(intake)


def _check_timing(*, site: Site, start: datetime, now: datetime, actor: AbstractBaseUser | None) -> None:
    # The front desk may fit a patient in at short notice; the horizon holds for everyone.
    if not is_staff(actor) and start < now + timedelta(minutes=site.min_notice_minutes):
        hours = site.min_notice_minutes / 60
        raise BookingRefused(f"Online bookings need at least {hours:g} hours' notice. Please call the site.")
    if start > now + timedelta(days=site.horizon_days):
        raise BookingRefused(f"Bookings open {site.horizon_days} days ahead. Please choose an earlier day.")
    if start < now:
        raise BookingRefused("That time has already passed.")


def _find_or_lock_patient(*, name: str, email: str, phone: str, date_of_birth: date | None) -> Patient:
    email = email.strip().lower()
    patient, created = Patient.objects.get_or_create(
        email=email, defaults={"name": name.strip(), "phone": phone.strip(), "date_of_birth": date_of_birth}
    )
    # The row lock serialises one patient's bookings, so two tabs cannot both pass the
    # one-future-exam rule.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not created:
        changed = []
        if phone and phone.strip() != patient.phone:
            patient.phone = phone.strip()
            changed.append("phone")
        if date_of_birth and patient.date_of_birth is None:
            patient.date_of_birth = date_of_birth
            changed.append("date_of_birth")
        if changed:
            patient.save(update_fields=changed)
    return patient


def _choose(
    *,
    site: Site,
    type: AppointmentType,
    start: datetime,
    podiatrist: Podiatrist | None,
    holds: bool,
    now: datetime,
    actor: AbstractBaseUser | None,
    ignore_appointment_id: int | None = None,
) -> _Choice:
    """Re-check the slot with the availability core; pick the first free podiatrist if none given."""
    free = selectors.free_slots_at(
        site=site,
        type=type,
        start=start,
        podiatrist=podiatrist,
        may_use_holds=holds,
        now=now,
        ignore_notice=is_staff(actor),
        ignore_appointment_id=ignore_appointment_id,
    )
    if not free:
        raise _Conflict()
    # first_available prefers a podiatrist who is not holding urgent capacity, keeping the hold.
    slot = first_available(free)[0]
    return _Choice(podiatrist_id=slot.podiatrist_id, held=slot.held)


def _overlap_exists(
    *, podiatrist_id: int, start: datetime, blocked_until: datetime, ignore_id: int | None
) -> bool:
    clash = Appointment.objects.filter(podiatrist_id=podiatrist_id).blocking(start, blocked_until)
    if ignore_id is not None:
        clash = clash.exclude(pk=ignore_id)
    return clash.exists()


def _is_double_booking(error: IntegrityError) -> bool:
    diag = getattr(getattr(error, "__cause__", None), "diag", None)
    name = getattr(diag, "constraint_name", None)
    return name == "no_double_booking" or "no_double_booking" in str(error)


def _save_guarded(appointment: Appointment, *, ignore_id: int | None = None) -> None:
    """Write the appointment unless it overlaps another of the podiatrist's; raise _Conflict if it does."""
    if connection.vendor != "postgresql" and _overlap_exists(
        podiatrist_id=appointment.podiatrist_id,
        start=appointment.start,
        blocked_until=appointment.blocked_until,
        ignore_id=ignore_id,
    ):
        # SQLite: the IMMEDIATE transaction holds the write lock, so nothing can slip in
        # between this check and the save.
        raise _Conflict()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if _is_double_booking(error):
            raise _Conflict() from error
        raise


def _label(actor: AbstractBaseUser | None) -> str:
    return actor.get_username() if actor is not None else "patient"


def book_appointment(
    *,
    site: Site,
    type: AppointmentType,
    start: datetime,
    patient_name: str,
    patient_email: str,
    patient_phone: str = "",
    date_of_birth: date | None = None,
    podiatrist: Podiatrist | None = None,
    intake: object | None = None,
    channel: str = Appointment.Channel.ONLINE,
    actor: AbstractBaseUser | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a slot for a patient, or raise SlotTaken (with the nearest free slots) or BookingRefused."""
    now = now or timezone.now()
    holds = may_use_holds(type=type, channel=channel, intake=intake, actor=actor)
    try:
        with transaction.atomic():
            if idempotency_key:
                existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            patient = _find_or_lock_patient(
                name=patient_name, email=patient_email, phone=patient_phone, date_of_birth=date_of_birth
            )
            if idempotency_key:
                # Another request with this key may have committed while we waited for the lock.
                existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            refusal = refusal_for_type(type=type, patient=patient, intake=intake, actor=actor, now=now)
            if refusal:
                raise BookingRefused(refusal)
            _check_timing(site=site, start=start, now=now, actor=actor)
            if type.is_new_patient_exam and _has_future_exam(patient, now=now):
                raise BookingRefused(
                    "You already have a new patient exam booked. Use the link in your confirmation "
                    "email to change it, or call the site."
                )
            choice = _choose(
                site=site, type=type, start=start, podiatrist=podiatrist, holds=holds, now=now, actor=actor
            )
            appointment = Appointment(
                patient=patient,
                site=site,
                podiatrist_id=choice.podiatrist_id,
                type=type,
                intake=intake,  # type: ignore[misc]
                start=start,
                end=start + type.duration,
                blocked_until=start + type.duration + type.buffer,
                channel=Appointment.Channel.STAFF if is_staff(actor) and channel == "online" else channel,
                in_urgent_hold=choice.held,
                idempotency_key=idempotency_key or None,
            )
            try:
                _save_guarded(appointment)
            except IntegrityError:
                existing = _existing_for_key(idempotency_key)
                if existing is not None:
                    return existing
                raise
            AppointmentEvent.objects.create(
                appointment=appointment,
                kind=AppointmentEvent.Kind.BOOKED,
                actor=actor,
                actor_label=_label(actor),
                detail={"start": start.isoformat(), "podiatrist": appointment.podiatrist_id, "site": site.pk},
            )
            notifications.appointment_booked(appointment)
            return appointment
    except _Conflict:
        existing = _existing_for_key(idempotency_key)
        if existing is not None:
            return existing
        raise SlotTaken(
            selectors.nearest_free_slots(
                sites=[site], type=type, around=start, may_use_holds=holds, now=now, n=NEAREST_ON_CONFLICT
            )
        ) from None


def _existing_for_key(key: str | None) -> Appointment | None:
    return Appointment.objects.filter(idempotency_key=key).first() if key else None


def _has_future_exam(patient: Patient, *, now: datetime, ignore_id: int | None = None) -> bool:
    exams = patient.appointments.filter(
        type__is_new_patient_exam=True, status=Appointment.Status.BOOKED, start__gte=now
    )
    if ignore_id is not None:
        exams = exams.exclude(pk=ignore_id)
    return exams.exists()


def change_deadline(appointment: Appointment) -> datetime:
    """Until when the patient may reschedule or cancel online (the site's cancellation cutoff)."""
    return appointment.start - timedelta(hours=appointment.site.cancellation_cutoff_hours)


def patient_may_change(appointment: Appointment, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return appointment.status == Appointment.Status.BOOKED and now < change_deadline(appointment)


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("site", "type", "podiatrist", "patient")
        .get(pk=appointment.pk)
    )


def _check_changeable(appointment: Appointment, *, actor: AbstractBaseUser | None, now: datetime) -> None:
    if appointment.status == Appointment.Status.CANCELLED:
        raise BookingRefused("This booking was cancelled. Please make a new booking.")
    if appointment.status != Appointment.Status.BOOKED:
        raise BookingRefused("This visit has already taken place, so it can no longer be changed.")
    if actor is None and not patient_may_change(appointment, now=now):
        raise BookingRefused(
            f"It is too late to change this booking online. Please call {appointment.site.name} "
            f"on {appointment.site.phone}."
        )


def reschedule_appointment(
    *,
    appointment: Appointment,
    start: datetime,
    podiatrist: Podiatrist | None = None,
    site: Site | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a booking in place to a new time (and maybe podiatrist or site), same row, same manage link."""
    now = now or timezone.now()
    holds = is_staff(actor) or appointment.in_urgent_hold
    site = site or appointment.site
    if site.pk != appointment.site_id and not site.is_active:
        raise BookingRefused(f"{site.name} is not taking bookings. Please choose another site.")
    try:
        with transaction.atomic():
            appointment = _lock(appointment)
            _check_changeable(appointment, actor=actor, now=now)
            _check_timing(site=site, start=start, now=now, actor=actor)
            choice = _choose(
                site=site,
                type=appointment.type,
                start=start,
                podiatrist=podiatrist,
                holds=holds,
                now=now,
                actor=actor,
                ignore_appointment_id=appointment.pk,
            )
            old_start, old_podiatrist, old_site = (
                appointment.start,
                appointment.podiatrist_id,
                appointment.site_id,
            )
            appointment.site = site
            appointment.start = start
            appointment.end = start + appointment.type.duration
            appointment.blocked_until = appointment.end + appointment.type.buffer
            appointment.podiatrist_id = choice.podiatrist_id
            appointment.in_urgent_hold = choice.held
            appointment.rescheduled_count += 1
            _save_guarded(appointment, ignore_id=appointment.pk)
            appointment.refresh_from_db(fields=["podiatrist"])
            AppointmentEvent.objects.create(
                appointment=appointment,
                kind=AppointmentEvent.Kind.RESCHEDULED,
                actor=actor,
                actor_label=_label(actor),
                detail={
                    "old_start": old_start.isoformat(),
                    "new_start": start.isoformat(),
                    "old_podiatrist": old_podiatrist,
                    "new_podiatrist": choice.podiatrist_id,
                    "old_site": old_site,
                    "new_site": site.pk,
                },
            )
            notifications.appointment_rescheduled(appointment, old_start=old_start)
            if (old_start, old_podiatrist) != (appointment.start, appointment.podiatrist_id):
                _announce_freed(appointment, start=old_start, site_id=old_site, podiatrist_id=old_podiatrist)
            return appointment
    except _Conflict:
        raise SlotTaken(
            selectors.nearest_free_slots(
                sites=[site],
                type=appointment.type,
                around=start,
                may_use_holds=holds,
                now=now,
                n=NEAREST_ON_CONFLICT,
                ignore_appointment_id=appointment.pk,
            )
        ) from None


def cancel_appointment(
    *, appointment: Appointment, actor: AbstractBaseUser | None = None, now: datetime | None = None
) -> Appointment:
    """Cancel a booking: patients until the cutoff, staff at any time. Cancelling twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status == Appointment.Status.CANCELLED:
            return appointment
        _check_changeable(appointment, actor=actor, now=now)
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
        AppointmentEvent.objects.create(
            appointment=appointment,
            kind=AppointmentEvent.Kind.CANCELLED,
            actor=actor,
            actor_label=_label(actor),
            detail={"start": appointment.start.isoformat()},
        )
        notifications.appointment_cancelled(appointment)
        _announce_freed(appointment, start=appointment.start)
        return appointment


def _announce_freed(
    appointment: Appointment, *, start: datetime, site_id: int | None = None, podiatrist_id: int | None = None
) -> None:
    """Tell the apps above booking (the waitlist) that this booking gave up a time."""
    hooks.time_freed(
        hooks.FreedTime(
            site_id=site_id or appointment.site_id,
            podiatrist_id=podiatrist_id or appointment.podiatrist_id,
            type_id=appointment.type_id,
            start=start,
            patient_id=appointment.patient_id,
            appointment_id=appointment.pk,
            reason="cancelled" if appointment.status == Appointment.Status.CANCELLED else "rescheduled",
        )
    )


STAFF_STATUSES = {Appointment.Status.ARRIVED, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW}


def set_appointment_status(
    *, appointment: Appointment, status: str, actor: AbstractBaseUser | None
) -> Appointment:
    """Mark a visit arrived, completed or no-show (staff only); a cancelled visit stays cancelled."""
    if not is_staff(actor):
        raise BookingRefused("Only staff can change a visit's status.")
    if status not in STAFF_STATUSES:
        raise BookingRefused(f"Unknown status {status!r}.")
    with transaction.atomic():
        appointment = _lock(appointment)
        if appointment.status == Appointment.Status.CANCELLED:
            raise BookingRefused("A cancelled appointment cannot be marked arrived, completed or no-show.")
        if appointment.status == status:
            return appointment
        old = appointment.status
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        AppointmentEvent.objects.create(
            appointment=appointment,
            kind=AppointmentEvent.Kind.STATUS,
            actor=actor,
            actor_label=_label(actor),
            detail={"old": old, "new": status},
        )
        return appointment
