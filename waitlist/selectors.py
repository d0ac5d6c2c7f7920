"""Reads for the waitlist, each a fixed number of queries whatever the size of the list."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from booking import selectors as booking_selectors
from booking.availability import Slot
from booking.models import Appointment
from intake.triage import Urgency
from waitlist.matching import DayPart
from waitlist.models import DAY_PART_BITS, FOUND_FREE, Offer, Opening, WaitlistEntry

WAITING = WaitlistEntry.Status.WAITING


def waiting_for(
    opening: Opening,
    *,
    local_day: date,
    weekday: int,
    day_part: DayPart,
    holds_only: bool,
    limit: int,
) -> list[WaitlistEntry]:
    """The first `limit` waiting entries that may take this opening, in offer order: one query.

    This is the index-friendly superset of the matching core's rules (type, site, dates, weekday,
    part of the day, earlier than their booking, not the patient who freed it, not offered this
    time yet); the core then decides on these few rows. Ordered by the index
    `waitlist_offer_order`, so 10,000 entries cost what the first few cost.
    """
    entries = (
        WaitlistEntry.objects.filter(
            type_id=opening.type_id, status=WAITING, first_day__lte=local_day, last_day__gte=local_day
        )
        .filter(Q(site__isnull=True) | Q(site_id=opening.site_id))
        .annotate(
            on_weekday=F("weekdays").bitand(1 << weekday),
            in_day_part=F("day_parts").bitand(DAY_PART_BITS[day_part]),
        )
        .filter(on_weekday__gt=0, in_day_part__gt=0)
        .filter(
            Q(appointment__isnull=True)
            | Q(appointment__start__gt=opening.start)
            | ~Q(appointment__status=Appointment.Status.BOOKED)
        )
        .exclude(pk__in=offered_this_time(opening).values("entry_id"))
    )
    if opening.freed_by_patient_id is not None:
        entries = entries.exclude(patient_id=opening.freed_by_patient_id)
    if holds_only:
        entries = entries.filter(priority=WaitlistEntry.Priority.URGENT, intake__urgency=Urgency.URGENT)
    return list(
        entries.select_related("appointment", "intake").order_by("priority", "created_at", "id")[:limit]
    )


def offered_this_time(opening: Opening) -> QuerySet[Offer]:
    """The offers whose patients this opening skips: those made of it. For a time the search found
    free, also those made of this time by any opening (a patient who let it lapse is not offered it
    again by the next search) and those still out (a patient decides one found time at a time)."""
    if opening.reason != FOUND_FREE:
        return Offer.objects.filter(opening=opening)
    return Offer.objects.filter(
        Q(
            opening__site_id=opening.site_id,
            opening__podiatrist_id=opening.podiatrist_id,
            opening__type_id=opening.type_id,
            opening__start=opening.start,
        )
        | Q(status=Offer.Status.OFFERED)
    )


def waitlist_for_desk(*, site_id: int | None = None, type_id: int | None = None) -> QuerySet[WaitlistEntry]:
    """Waiting entries with their type, site and offers (newest first): a fixed four queries."""
    entries = WaitlistEntry.objects.filter(status=WAITING)
    if site_id is not None:
        entries = entries.filter(Q(site_id=site_id) | Q(site__isnull=True))
    if type_id is not None:
        entries = entries.filter(type_id=type_id)
    offers = Offer.objects.select_related("opening__site").order_by("-created_at")
    return (
        entries.select_related("type", "site", "appointment")
        .prefetch_related(Prefetch("offers", queryset=offers))
        .annotate(offer_count=Count("offers"), last_offered=Max("offers__created_at"))
        .order_by("priority", "created_at", "id")
    )


def booking_to_move(entry: WaitlistEntry, opening: Opening, *, now: datetime) -> Appointment | None:
    """The patient's later booking of this type, which the claim moves instead of doubling."""
    later = Appointment.objects.filter(
        type_id=opening.type_id, status=Appointment.Status.BOOKED, start__gt=opening.start
    ).select_related("site", "type", "patient")
    if entry.appointment_id is not None:
        linked = later.filter(pk=entry.appointment_id).first()
        if linked is not None:
            return linked
    if entry.patient_id is not None:
        return later.filter(patient_id=entry.patient_id, start__gte=now).order_by("start").first()
    return None


def free_at(opening: Opening, *, now: datetime) -> list[Slot]:
    """The opening's time as the schedule has it now: its free slots (one per free podiatrist,
    held capacity included), or none once it is taken. The notice is left to the caller, so a time
    gone too late is told apart from a time taken."""
    return booking_selectors.free_slots_at(
        site=opening.site,
        type=opening.type,
        start=opening.start,
        podiatrist=opening.podiatrist,
        may_use_holds=True,
        now=now,
        ignore_notice=True,
    )
