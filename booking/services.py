"""Booking use cases: book, reschedule, cancel, mark arrived/completed/no-show.

Every rule about who may book what, and when, lives here; the patient views, the admin and the
staff pages all call these functions. Each runs in one transaction. The last guard against a
double booking is the database: PostgreSQL's `no_double_booking` exclusion constraint, and on
SQLite an IMMEDIATE transaction (see settings) in which the overlap check and the insert
cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from booking import hooks, notices, selectors
from booking.availability import Slot, first_available
from booking.models import Appointment, AppointmentEvent, AppointmentType, Patient, Podiatrist, Site
from booking.patients import find_or_create_patient
from intake.triage import Urgency

NEAREST_ON_CONFLICT = 6
T = TypeVar("T")


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


def is_staff(actor: User | None) -> bool:
    return bool(actor is not None and getattr(actor, "is_staff", False))


MANAGE = "booking.manage_appointment"


def may_manage(actor: User | None) -> bool:
    """The front desk (and superusers): cancel, move and mark any appointment, book for a patient."""
    return bool(actor is not None and is_staff(actor) and actor.has_perm(MANAGE))


def may_mark(actor: User | None, appointment: Appointment) -> bool:
    """Arrived / completed / no-show: the front desk on any visit, a podiatrist on their own."""
    if may_manage(actor):
        return True
    return bool(
        actor is not None
        and is_staff(actor)
        and actor.has_perm("booking.change_appointment")
        and appointment.podiatrist.user_id is not None
        and appointment.podiatrist.user_id == actor.pk
    )


def _check_staff_may_manage(actor: User | None, doing: str) -> None:
    # A patient (actor None) acts through their own manage link; staff need the front desk's right.
    if actor is not None and not may_manage(actor):
        raise BookingRefused(f"Only the front desk can {doing} an appointment.")


def intake_belongs_to(intake: object | None, patient: Patient) -> bool:
    """An intake may be linked to a patient's appointment only if it is that patient's."""
    return intake is not None and getattr(intake, "patient_id", None) == patient.pk


def may_use_urgent_lane(intake: object | None) -> bool:
    """The urgent lane (and held urgent capacity) is for an intake triaged urgent."""
    return getattr(intake, "urgency", None) == Urgency.URGENT


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
    actor: User | None,
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
        if may_use_urgent_lane(intake):
            return None
        return "This appointment is for patients whose questionnaire says they need to be seen urgently."
    if type.bookable_by == kinds.RETURNING:
        if is_returning(patient, now=now):
            return None
        return "A follow-up visit needs an earlier visit with us. Please book a new patient exam."
    return "This appointment can only be booked by the clinic. Please call the site."


def bookable_types(
    *,
    intake: object | None = None,
    patient: Patient | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> list[AppointmentType]:
    """The active types this person may book (a returning patient is known from the intake's email)."""
    now = now or timezone.now()
    email = getattr(intake, "email", "") or ""
    if patient is None and email:
        patient = Patient.objects.filter(email=email.strip().lower()).first()
    return [
        t
        for t in selectors.active_types()
        if refusal_for_type(type=t, patient=patient, intake=intake, actor=actor, now=now) is None
    ]


def may_use_holds(*, type: AppointmentType, channel: str, intake: object | None, actor: User | None) -> bool:
    """Held urgent capacity: for the urgent lane and staff, and only for types that use it."""
    if not type.uses_urgent_hold:
        return False
    if is_staff(actor):
        return True
    return channel == Appointment.Channel.URGENT_LANE and may_use_urgent_lane(intake)


def _check_timing(*, site: Site, start: datetime, now: datetime, actor: User | None) -> None:
    # The front desk may fit a patient in at short notice; the horizon holds for everyone.
    if not is_staff(actor) and start < now + timedelta(minutes=site.min_notice_minutes):
        hours = site.min_notice_minutes / 60
        raise BookingRefused(f"Online bookings need at least {hours:g} hours' notice. Please call the site.")
    if start > now + timedelta(days=site.horizon_days):
        raise BookingRefused(f"Bookings open {site.horizon_days} days ahead. Please choose an earlier day.")
    if start < now:
        raise BookingRefused("That time has already passed.")


def _find_or_lock_patient(
    *, name: str, email: str, phone: str, date_of_birth: date | None, patient: Patient | None = None
) -> Patient:
    """The patient to book for, locked: the one staff picked, the one with this email (found as
    it is, or created: what was typed changes no existing record, see booking/patients.py), or,
    for a caller without email, a new one."""
    if patient is not None:
        return _lock_picked_patient(patient, email=email, phone=phone, date_of_birth=date_of_birth)
    if not email.strip():
        # A caller the front desk booked without an email: a record of their own (emails are unique).
        return Patient.objects.create(
            name=name.strip(), email=None, phone=phone.strip(), date_of_birth=date_of_birth
        )
    return find_or_create_patient(name=name, email=email, phone=phone, date_of_birth=date_of_birth)


def _lock_picked_patient(patient: Patient, *, email: str, phone: str, date_of_birth: date | None) -> Patient:
    """The patient staff found with the lookup, locked; what staff now add (phone, birth date, an
    email the record lacked and nobody else uses) is kept."""
    email = email.strip().lower()
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = []
    if phone.strip() and phone.strip() != locked.phone:
        locked.phone = phone.strip()
        changed.append("phone")
    if date_of_birth and locked.date_of_birth is None:
        locked.date_of_birth = date_of_birth
        changed.append("date_of_birth")
    if email and not locked.email and not Patient.objects.filter(email=email).exists():
        locked.email = email
        changed.append("email")
    if changed:
        locked.save(update_fields=changed)
    return locked


def _choose(
    *,
    site: Site,
    type: AppointmentType,
    start: datetime,
    podiatrist: Podiatrist | None,
    holds: bool,
    now: datetime,
    actor: User | None,
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


# PostgreSQL's deadlock_detected and serialization_failure: another transaction won the race.
_CONTENTION_SQLSTATES = {"40P01", "40001"}
# The first key of the per-podiatrist advisory lock ("BK"): keeps it apart from other advisory locks.
_PODIATRIST_LOCK_SPACE = 0x424B


def _is_contention(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in _CONTENTION_SQLSTATES


def _once_more_on_contention(attempt: Callable[[], T]) -> T:
    """Run a booking transaction; after a deadlock or serialization failure try once more, and
    after a second one answer "just taken": contention is a conflict, never an error page."""
    try:
        return attempt()
    except OperationalError as error:
        if not _is_contention(error):
            raise
    try:
        return attempt()
    except OperationalError as error:
        if not _is_contention(error):
            raise
        raise _Conflict() from error


def _save_guarded(appointment: Appointment, *, ignore_id: int | None = None) -> None:
    """Write the appointment unless it overlaps another of the podiatrist's; raise _Conflict if it does.

    Call inside the use case's transaction: a conflict rolls all of it back.
    """
    if connection.vendor != "postgresql":
        # SQLite: the IMMEDIATE transaction holds the write lock, so nothing can slip in
        # between this check and the save.
        if _overlap_exists(
            podiatrist_id=appointment.podiatrist_id,
            start=appointment.start,
            blocked_until=appointment.blocked_until,
            ignore_id=ignore_id,
        ):
            raise _Conflict()
    else:
        # Writers for one podiatrist take turns until commit. Two inserts that overlap would
        # otherwise each wait on the other inside the exclusion constraint's check (a deadlock,
        # found only after deadlock_timeout); in turn, the second sees the first's row and the
        # constraint refuses it at once. The constraint stays the guarantee.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_PODIATRIST_LOCK_SPACE, appointment.podiatrist_id]
            )
    try:
        appointment.save()
    except IntegrityError as error:
        if _is_double_booking(error):
            raise _Conflict() from error
        raise


def _label(actor: User | None) -> str:
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
    patient: Patient | None = None,
    podiatrist: Podiatrist | None = None,
    intake: object | None = None,
    channel: str = Appointment.Channel.ONLINE,
    actor: User | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a slot for a patient, or raise SlotTaken (with the nearest free slots) or BookingRefused.

    Staff may book without an email (a caller on the phone) or for a `patient` they looked up; then
    no confirmation or reminder is owed, and the front desk calls to confirm."""
    now = now or timezone.now()
    _check_staff_may_manage(actor, "book")
    if not patient_email.strip() and patient is None and not is_staff(actor):
        raise BookingRefused("Enter an email address so we can send your confirmation.")
    if patient is not None and not is_staff(actor):
        raise BookingRefused("Only the clinic can book for a patient on file.")
    holds = may_use_holds(type=type, channel=channel, intake=intake, actor=actor)

    def attempt() -> Appointment:
        with transaction.atomic():
            booked_for = _find_or_lock_patient(
                name=patient_name,
                email=patient_email,
                phone=patient_phone,
                date_of_birth=date_of_birth,
                patient=patient,
            )
            # After the patient's lock: a resubmission of this form waited for the first to commit.
            existing, has_future_exam = _earlier_bookings(
                patient=booked_for, idempotency_key=idempotency_key, now=now
            )
            if existing is not None:
                return existing
            refusal = refusal_for_type(type=type, patient=booked_for, intake=intake, actor=actor, now=now)
            if refusal:
                raise BookingRefused(refusal)
            _check_timing(site=site, start=start, now=now, actor=actor)
            flag = ""
            if type.is_new_patient_exam and has_future_exam:
                if is_staff(actor):
                    raise BookingRefused(
                        "This patient already has a new patient exam booked. Move that one instead."
                    )
                # Anyone can type anyone's email: refusing would let a stranger block the real
                # patient. The booking goes through, flagged for the front desk to call about.
                flag = Appointment.Flag.SECOND_EXAM
            choice = _choose(
                site=site, type=type, start=start, podiatrist=podiatrist, holds=holds, now=now, actor=actor
            )
            appointment = Appointment(
                patient=booked_for,
                site=site,
                podiatrist_id=choice.podiatrist_id,
                type=type,
                # Health answers show on this visit's summary: only the same patient's intake.
                # (staff link the intake they looked up and chose for this caller).
                intake=intake if is_staff(actor) or intake_belongs_to(intake, booked_for) else None,  # type: ignore[misc]
                start=start,
                end=start + type.duration,
                blocked_until=start + type.duration + type.buffer,
                channel=Appointment.Channel.STAFF if is_staff(actor) and channel == "online" else channel,
                in_urgent_hold=choice.held,
                idempotency_key=idempotency_key or None,
                front_desk_flag=flag,
                # As typed with this booking: the patient record itself changes only by staff.
                given_name=patient_name.strip(),
                given_email=patient_email.strip().lower(),
                given_phone=patient_phone.strip(),
                given_date_of_birth=date_of_birth,
            )
            _save_guarded(appointment)
            AppointmentEvent.objects.create(
                appointment=appointment,
                kind=AppointmentEvent.Kind.BOOKED,
                actor=actor,
                actor_label=_label(actor),
                detail={"start": start.isoformat(), "podiatrist": appointment.podiatrist_id, "site": site.pk},
            )
            if booked_for.has_email:  # without one no email is owed: the front desk calls instead
                notices.appointment_booked(appointment)
            _announce_booked(appointment, reason="booked")
            return appointment

    try:
        return _once_more_on_contention(attempt)
    except (_Conflict, IntegrityError) as error:
        # A resubmission with the same key that raced this one (under another email) won: its booking.
        existing = _existing_for_key(idempotency_key)
        if existing is not None:
            return existing
        if not isinstance(error, _Conflict):
            raise
        raise SlotTaken(
            selectors.nearest_free_slots(
                sites=[site], type=type, around=start, may_use_holds=holds, now=now, n=NEAREST_ON_CONFLICT
            )
        ) from None


def _existing_for_key(key: str | None) -> Appointment | None:
    return Appointment.objects.filter(idempotency_key=key).first() if key else None


def _earlier_bookings(
    *, patient: Patient, idempotency_key: str | None, now: datetime
) -> tuple[Appointment | None, bool]:
    """One read: the booking this submission already made (same idempotency key), if any, and
    whether the patient holds a future new-patient exam."""
    exams = Q(
        patient=patient, type__is_new_patient_exam=True, status=Appointment.Status.BOOKED, start__gte=now
    )
    match = exams | Q(idempotency_key=idempotency_key) if idempotency_key else exams
    rows = list(Appointment.objects.filter(match).select_related("type"))
    existing = next((a for a in rows if idempotency_key and a.idempotency_key == idempotency_key), None)
    has_exam = any(
        a.patient_id == patient.pk
        and a.type.is_new_patient_exam
        and a.status == Appointment.Status.BOOKED
        and a.start >= now
        for a in rows
    )
    return existing, has_exam


def change_deadline(appointment: Appointment) -> datetime:
    """Until when the patient may reschedule or cancel online (the site's cancellation cutoff)."""
    return appointment.start - timedelta(hours=appointment.site.cancellation_cutoff_hours)


def patient_may_change(appointment: Appointment, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return appointment.status == Appointment.Status.BOOKED and now < change_deadline(appointment)


def _lock(appointment: Appointment) -> Appointment:
    """Lock the appointment's row, then read it with its site, type, podiatrist and patient.

    The lock takes no join. With joins, PostgreSQL locks the joined rows too unless told
    of=("self",) (which conflicts with the KEY SHARE locks every new booking takes on them:
    reschedules and cancels deadlocked with bookings), and even with of=("self",) a lock that
    waited for a concurrent reschedule re-checks the join against the old podiatrist and finds
    no row at all. The read after the lock sees the latest committed version.
    """
    Appointment.objects.select_for_update().filter(pk=appointment.pk).values_list("pk").get()
    return Appointment.objects.select_related("site", "type", "podiatrist", "patient").get(pk=appointment.pk)


def _check_changeable(appointment: Appointment, *, actor: User | None, now: datetime) -> None:
    if appointment.status == Appointment.Status.CANCELLED:
        raise BookingRefused("This booking was cancelled. Please make a new booking.")
    if not may_change_status(appointment.status, Appointment.Status.CANCELLED):
        # Only a booked visit can still be moved or cancelled (STATUS_TRANSITIONS).
        raise BookingRefused("This visit has already taken place, so it can no longer be changed.")
    if actor is None and not patient_may_change(appointment, now=now):
        raise BookingRefused(
            f"It is too late to change this booking online. Please call {appointment.site.name} "
            f"on {appointment.site.phone}."
        )


def _check_type_change(
    appointment: Appointment, new_type: AppointmentType, *, actor: User | None, now: datetime
) -> None:
    """Moving to another type follows the rules of booking it (who may, one future exam)."""
    refusal = refusal_for_type(
        type=new_type, patient=appointment.patient, intake=appointment.intake, actor=actor, now=now
    )
    if refusal:
        raise BookingRefused(refusal)
    other_exams = appointment.patient.appointments.filter(
        type__is_new_patient_exam=True, status=Appointment.Status.BOOKED, start__gte=now
    ).exclude(pk=appointment.pk)
    if new_type.is_new_patient_exam and other_exams.exists():
        raise BookingRefused(
            "You already have a new patient exam booked. Please change that booking instead."
        )


def reschedule_appointment(
    *,
    appointment: Appointment,
    start: datetime,
    podiatrist: Podiatrist | None = None,
    site: Site | None = None,
    type: AppointmentType | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a booking in place to a new time (and maybe podiatrist, site or type), same row, same link."""
    now = now or timezone.now()
    _check_staff_may_manage(actor, "move")
    new_type = type or appointment.type
    holds = is_staff(actor) or (appointment.in_urgent_hold and new_type.uses_urgent_hold)
    site = site or appointment.site
    if site.pk != appointment.site_id and not site.is_active:
        raise BookingRefused(f"{site.name} is not taking bookings. Please choose another site.")

    def attempt() -> Appointment:
        with transaction.atomic():
            locked = _lock(appointment)
            _check_changeable(locked, actor=actor, now=now)
            if new_type.pk != locked.type_id:
                _check_type_change(locked, new_type, actor=actor, now=now)
            _check_timing(site=site, start=start, now=now, actor=actor)
            choice = _choose(
                site=site,
                type=new_type,
                start=start,
                podiatrist=podiatrist,
                holds=holds,
                now=now,
                actor=actor,
                ignore_appointment_id=locked.pk,
            )
            old_start, old_podiatrist, old_site, old_type = (
                locked.start,
                locked.podiatrist_id,
                locked.site_id,
                locked.type_id,
            )
            locked.site = site
            locked.type = new_type
            locked.start = start
            locked.end = start + new_type.duration
            locked.blocked_until = locked.end + new_type.buffer
            locked.podiatrist_id = choice.podiatrist_id
            locked.in_urgent_hold = choice.held
            locked.rescheduled_count += 1
            _save_guarded(locked, ignore_id=locked.pk)
            locked.refresh_from_db(fields=["podiatrist"])
            AppointmentEvent.objects.create(
                appointment=locked,
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
                    "old_type": old_type,
                    "new_type": new_type.pk,
                },
            )
            if locked.patient.has_email:
                notices.appointment_rescheduled(locked, old_start=old_start)
            if (old_start, old_podiatrist) != (locked.start, locked.podiatrist_id):
                _announce_freed(locked, start=old_start, site_id=old_site, podiatrist_id=old_podiatrist)
            _announce_booked(locked, reason="rescheduled")
            return locked

    try:
        return _once_more_on_contention(attempt)
    except _Conflict:
        raise SlotTaken(
            selectors.nearest_free_slots(
                sites=[site],
                type=new_type,
                around=start,
                may_use_holds=holds,
                now=now,
                n=NEAREST_ON_CONFLICT,
                ignore_appointment_id=appointment.pk,
            )
        ) from None


def cancel_appointment(
    *,
    appointment: Appointment,
    actor: User | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Cancel a booking: patients until the cutoff, staff at any time (with a reason the patient
    reads in the notice). Cancelling twice changes nothing."""
    now = now or timezone.now()
    _check_staff_may_manage(actor, "cancel")
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
            detail={
                "start": appointment.start.isoformat(),
                **({"reason": reason.strip()} if reason.strip() else {}),
            },
        )
        if appointment.patient.has_email:
            notices.appointment_cancelled(appointment)
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


def _announce_booked(appointment: Appointment, *, reason: str) -> None:
    """Tell the apps above booking (the waitlist) that this booking took a time."""
    hooks.time_booked(
        hooks.BookedTime(
            site_id=appointment.site_id,
            type_id=appointment.type_id,
            start=appointment.start,
            timezone=appointment.site.timezone,
            patient_id=appointment.patient_id,
            patient_email=appointment.patient.email or "",
            appointment_id=appointment.pk,
            reason=reason,
        )
    )


_Status = Appointment.Status

# The one table of status changes: from each status, where staff may take it. The day view's
# buttons, the admin's actions, the podiatrist's list and the care-plan flow all ask it, and the
# services refuse anything else. Cancelling goes through cancel_appointment (it also emails).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    _Status.BOOKED: frozenset({_Status.ARRIVED, _Status.COMPLETED, _Status.NO_SHOW, _Status.CANCELLED}),
    _Status.ARRIVED: frozenset({_Status.COMPLETED}),
    _Status.COMPLETED: frozenset(),
    _Status.NO_SHOW: frozenset(),
    _Status.CANCELLED: frozenset(),
}
_DOING: dict[str, str] = {
    _Status.BOOKED: "booked again",
    _Status.ARRIVED: "marked arrived",
    _Status.COMPLETED: "marked completed",
    _Status.NO_SHOW: "marked no-show",
    _Status.CANCELLED: "cancelled",
}


def may_change_status(current: str, new: str) -> bool:
    """Whether staff may take an appointment from `current` to `new` (staying put is no change)."""
    return new in STATUS_TRANSITIONS.get(current, frozenset())


def status_change_refusal(current: str, new: str) -> str:
    """Why an appointment cannot go from `current` to `new`, in words for staff; '' when it can."""
    if current == new or may_change_status(current, new):
        return ""
    if new not in _DOING:
        return f"Unknown status {new!r}."
    label = _Status(current).label.lower() if current in _Status.values else current
    article = "An" if label[:1] in "aeiou" else "A"
    return f"{article} {label} appointment cannot be {_DOING[new]}."


def set_appointment_status(*, appointment: Appointment, status: str, actor: User | None) -> Appointment:
    """Mark a visit arrived, completed or no-show (staff only), as STATUS_TRANSITIONS allows."""
    if not is_staff(actor):
        raise BookingRefused("Only staff can change a visit's status.")
    if status == _Status.CANCELLED:
        raise BookingRefused("Cancel through cancel_appointment: it also tells the patient.")
    if status not in _DOING:
        raise BookingRefused(f"Unknown status {status!r}.")
    with transaction.atomic():
        appointment = _lock(appointment)
        if not may_mark(actor, appointment):
            raise BookingRefused("A podiatrist can mark only their own visits; the front desk can mark any.")
        if appointment.status == status:
            return appointment
        refusal = status_change_refusal(appointment.status, status)
        if refusal:
            raise BookingRefused(refusal)
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
        if status in {Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW}:
            notices.visit_ended(appointment)
        return appointment
