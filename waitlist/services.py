"""Waitlist use cases: join, leave, record a freed time, offer it in batches, claim an offer.

The waitlist sits above booking and never books by itself: a claim goes through booking's own
`book_appointment` or `reschedule_appointment`, so the race guard (PostgreSQL's exclusion
constraint, SQLite's IMMEDIATE transaction) and every booking rule still decide. On top of that,
claims of one freed time queue on that opening's row lock, so the second claimant is told "just
taken" without trying. Each batch of offers is claimed with a conditional update on the
opening's `batches_sent`, so a redelivered task or the sweep never offers the same batch twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from booking import hooks
from booking import selectors as booking_selectors
from booking import services as booking
from booking.availability import Slot, first_available
from booking.models import Appointment, AppointmentType, Patient, Podiatrist, Site
from booking.prepared import PreparedRead
from intake.triage import Urgency
from waitlist import matching, notices, selectors
from waitlist.links import offer_for_token
from waitlist.models import (
    FOUND_FREE,
    Offer,
    Opening,
    WaitlistEntry,
    day_part_mask,
    day_parts_of,
    weekday_mask,
    weekdays_of,
)

Status = WaitlistEntry.Status
PRIORITY_OF_URGENCY: dict[str, int] = {Urgency.EMERGENCY: 0, Urgency.URGENT: 0, Urgency.SOON: 1}


class WaitlistRefused(Exception):
    """A rule forbids joining or changing an entry; `message` is fit to show the patient."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Joining and leaving ------------------------------------------------------------------------


def _check_wish(
    *,
    first_day: date,
    last_day: date,
    weekdays: Iterable[int],
    day_parts: Iterable[str],
    today: date,
    site: Site | None,
) -> None:
    horizon = (
        site.horizon_days
        if site is not None
        else max(Site.objects.values_list("horizon_days", flat=True), default=60)
    )
    if first_day < today:
        raise WaitlistRefused("The first day cannot be in the past.")
    if last_day < first_day:
        raise WaitlistRefused("The last day must be on or after the first day.")
    if last_day > today + timedelta(days=horizon):
        raise WaitlistRefused(f"We book {horizon} days ahead: please choose a last day before then.")
    if not list(weekdays):
        raise WaitlistRefused("Choose at least one weekday you can make.")
    if not list(day_parts):
        raise WaitlistRefused("Choose mornings, afternoons or both.")


def _priority(intake: object | None) -> int:
    return PRIORITY_OF_URGENCY.get(getattr(intake, "urgency", ""), WaitlistEntry.Priority.ROUTINE)


def _wish(
    *,
    type_id: int,
    site: Site | None,
    first_day: date,
    last_day: date,
    weekdays: Sequence[int],
    day_parts: Sequence[str],
    intake: object | None,
    now: datetime,
) -> dict[str, object]:
    """A checked wish as an entry's fields (joining with or without a booking)."""
    _check_wish(
        first_day=first_day,
        last_day=last_day,
        weekdays=weekdays,
        day_parts=day_parts,
        today=timezone.localdate(now),
        site=site,
    )
    return {
        "type_id": type_id,
        "site": site,
        "first_day": first_day,
        "last_day": last_day,
        "weekdays": weekday_mask(weekdays),
        "day_parts": day_part_mask(day_parts),
        "priority": _priority(intake),
        "intake": intake,
    }


def waiting_entry_for(appointment: Appointment) -> WaitlistEntry | None:
    """The patient's waiting entry for an earlier time than this booking, if any."""
    return next(iter(_WAITING_FOR.instances(appointment_id=appointment.pk)), None)


# Read on every manage page (its "I'd take an earlier time" box): compiled once per process.
_WAITING_FOR = PreparedRead(
    lambda appointment_id: (
        WaitlistEntry.objects.filter(appointment_id=appointment_id, status=Status.WAITING)
        .select_related("site")
        .order_by("pk")[:1]
    )
)


def join_from_booking(
    *,
    appointment: Appointment,
    site: Site | None,
    first_day: date,
    last_day: date,
    weekdays: Sequence[int],
    day_parts: Sequence[str],
    now: datetime | None = None,
) -> WaitlistEntry:
    """ "I'd take an earlier time": wait for an earlier time of the same type; one entry per booking."""
    now = now or timezone.now()
    if appointment.status != Appointment.Status.BOOKED or appointment.start <= now:
        raise WaitlistRefused("Only an upcoming booking can wait for an earlier time.")
    booked_day = appointment.start.astimezone(ZoneInfo(appointment.site.timezone)).date()
    fields = _wish(
        type_id=appointment.type_id,
        site=site,
        first_day=first_day,
        last_day=min(last_day, booked_day),
        weekdays=weekdays,
        day_parts=day_parts,
        intake=appointment.intake,
        now=now,
    ) | {
        "name": appointment.patient.name,
        "email": appointment.patient.email,
        "phone": appointment.patient.phone,
        "patient_id": appointment.patient_id,
    }
    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(appointment=appointment, status=Status.WAITING)
            .first()
        )
        if entry is None:
            entry = WaitlistEntry.objects.create(appointment=appointment, **fields)
            notices.entry_joined(entry)
            return entry
        # Changing the wish keeps the place in the queue: `created_at` stays.
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        return entry


def join(
    *,
    type: AppointmentType,
    site: Site | None,
    first_day: date,
    last_day: date,
    weekdays: Sequence[int],
    day_parts: Sequence[str],
    name: str,
    email: str,
    phone: str = "",
    intake: object | None = None,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Join without a booking (after the questionnaire or a search found no time that suits)."""
    now = now or timezone.now()
    refusal = booking.refusal_for_type(type=type, patient=None, intake=intake, actor=None, now=now)
    if refusal:
        raise WaitlistRefused(refusal)
    fields = _wish(
        type_id=type.pk,
        site=site,
        first_day=first_day,
        last_day=last_day,
        weekdays=weekdays,
        day_parts=day_parts,
        intake=intake,
        now=now,
    )
    email = email.strip().lower()
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            name=name.strip(),
            email=email,
            phone=phone.strip(),
            patient=Patient.objects.filter(email=email).first(),
            **fields,
        )
        # The confirmation carries the link back to the entry: without a booking there is no other.
        notices.entry_joined(entry)
    return entry


def leave(
    *,
    entry: WaitlistEntry,
    actor: User | None = None,
    note: str = "",
    now: datetime | None = None,
) -> WaitlistEntry:
    """End an entry: the patient leaves, or the front desk removes it (who, when and why recorded)."""
    now = now or timezone.now()
    status = Status.REMOVED if booking.is_staff(actor) else Status.LEFT
    with transaction.atomic():
        ended = WaitlistEntry.objects.filter(pk=entry.pk, status=Status.WAITING).update(
            status=status,
            ended_at=now,
            ended_by=actor if booking.is_staff(actor) else None,
            end_note=note[:200],
        )
        if ended:
            _withdraw_open_offers(entry_ids=[entry.pk], now=now)
    entry.refresh_from_db()
    return entry


def expire_passed_entries(*, now: datetime | None = None) -> int:
    """Entries whose last day has passed end as expired (the daily sweep); returns how many."""
    now = now or timezone.now()
    return WaitlistEntry.objects.filter(status=Status.WAITING, last_day__lt=timezone.localdate(now)).update(
        status=Status.EXPIRED, ended_at=now
    )


def end_booked_entries(booked: hooks.BookedTime) -> int:
    """Booking's time-booked hook: a patient who books or moves into a time their waiting entry
    asks for, through any page, has what they waited for; the entry ends as booked and its open
    offers are withdrawn (inside the booking's transaction). Returns how many entries ended."""
    mine = Q(patient_id=booked.patient_id)
    if booked.patient_email:
        # Joined without a booking before their first one: the entry knows only the email.
        mine |= Q(patient__isnull=True, email=booked.patient_email)
    candidates = list(
        WaitlistEntry.objects.filter(mine, type_id=booked.type_id, status=Status.WAITING).select_related(
            "appointment", "intake"
        )
    )
    tz = ZoneInfo(booked.timezone)
    ended = [
        entry.pk
        for entry in candidates
        if matching.wants(
            _as_entry(entry), site_id=booked.site_id, type_id=booked.type_id, start=booked.start, tz=tz
        )
    ]
    if not ended:
        return 0
    now = timezone.now()
    WaitlistEntry.objects.filter(pk__in=ended, status=Status.WAITING).update(
        status=Status.BOOKED, ended_at=now, appointment_id=booked.appointment_id
    )
    _withdraw_open_offers(entry_ids=ended, now=now)
    return len(ended)


# --- Freed times and offers ---------------------------------------------------------------------


def record_freed_time(freed: hooks.FreedTime) -> Opening | None:
    """Booking's time-freed hook: record the time (atomically with the cancel) if anyone waits for it."""
    if not WaitlistEntry.objects.filter(type_id=freed.type_id, status=Status.WAITING).exists():
        return None
    opening = Opening.objects.create(
        site_id=freed.site_id,
        podiatrist_id=freed.podiatrist_id,
        type_id=freed.type_id,
        start=freed.start,
        freed_by_patient_id=freed.patient_id,
        freed_from_id=freed.appointment_id,
        reason=freed.reason,
        next_batch_at=timezone.now(),
    )
    transaction.on_commit(lambda: notices.enqueue_batch(opening.pk))
    return opening


def _freed_time(opening: Opening, *, now: datetime) -> matching.FreedTime | None:
    """The opening as the core sees it, re-read from the schedule; None once it is not free."""
    free = selectors.free_at(opening, now=now)  # the core applies the notice: "too late" closes it
    if not free:
        return None
    site = opening.site
    release = None
    if free[0].held:
        # Conservative: the hold this slot touches starts before the slot ends.
        release = opening.start + opening.type.duration - timedelta(hours=site.urgent_release_hours)
    return _core_time(
        site, opening.type_id, opening.start, release=release, freed_by=opening.freed_by_patient_id
    )


def _core_time(
    site: Site, type_id: int, start: datetime, *, release: datetime | None = None, freed_by: int | None = None
) -> matching.FreedTime:
    return matching.FreedTime(
        site_id=site.pk,
        type_id=type_id,
        start=start,
        tz=ZoneInfo(site.timezone),
        min_notice=timedelta(minutes=site.min_notice_minutes),
        horizon=timedelta(days=site.horizon_days),
        hold_released_at=release,
        freed_by_patient_id=freed_by,
    )


def _as_entry(entry: WaitlistEntry) -> matching.Entry:
    appointment = entry.appointment
    booked = appointment.start if appointment and appointment.status == Appointment.Status.BOOKED else None
    return matching.Entry(
        entry_id=entry.pk,
        patient_id=entry.patient_id,
        type_id=entry.type_id,
        site_id=entry.site_id,
        first_day=entry.first_day,
        last_day=entry.last_day,
        weekdays=weekdays_of(entry.weekdays),
        day_parts=day_parts_of(entry.day_parts),
        priority=matching.Priority(entry.priority),
        joined=entry.created_at,
        booked_start=booked,
        may_use_holds=entry.intake is not None and booking.may_use_urgent_lane(entry.intake),
    )


def offer_expiry(opening: Opening, *, now: datetime) -> datetime:
    """An offer holds WAITLIST_OFFER_HOURS, and never into the site's minimum notice."""
    latest = opening.start - timedelta(minutes=opening.site.min_notice_minutes)
    return min(now + timedelta(hours=settings.WAITLIST_OFFER_HOURS), latest)


def _close(opening: Opening, reason: str, *, now: datetime) -> None:
    Opening.objects.filter(pk=opening.pk, status=Opening.Status.OPEN).update(
        status=Opening.Status.CLOSED, close_reason=reason, next_batch_at=None
    )
    Offer.objects.filter(opening=opening, status=Offer.Status.OFFERED).update(
        status=Offer.Status.WITHDRAWN, decided_at=now
    )


def offer_next_batch(*, opening_id: int, now: datetime | None = None) -> list[Offer]:
    """Offer the opening to the next WAITLIST_BATCH_SIZE matching entries, if its batch is due.

    Claims the batch with a conditional update (status open, `next_batch_at` due), so a second
    delivery or the sweep finds nothing to do; the next batch is due WAITLIST_BATCH_DELAY_MINUTES
    later, and only while the time is still free.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Opening.objects.filter(
            pk=opening_id, status=Opening.Status.OPEN, next_batch_at__lte=now
        ).update(next_batch_at=None, batches_sent=F("batches_sent") + 1)
        if not claimed:
            return []
        opening = Opening.objects.select_related("site", "type", "podiatrist").get(pk=opening_id)
        freed = _freed_time(opening, now=now)
        if freed is None:
            _close(opening, "the time was taken", now=now)
            return []
        if not matching.is_offerable(freed, now=now):
            _close(opening, "inside the minimum notice or past the horizon", now=now)
            return []
        size = settings.WAITLIST_BATCH_SIZE
        local = opening.start.astimezone(freed.tz)
        rows = selectors.waiting_for(
            opening,
            local_day=local.date(),
            weekday=local.weekday(),
            day_part=matching.day_part_of(opening.start, freed.tz),
            holds_only=freed.hold_released_at is not None and now < freed.hold_released_at,
            # A few spare rows: the core is the judge, the query only its index-friendly superset.
            limit=size * 2,
        )
        chosen = matching.next_batch(freed, [_as_entry(row) for row in rows], now=now, size=size)
        if not chosen:
            if not Offer.objects.filter(opening=opening, status=Offer.Status.OFFERED).exists():
                _close(opening, "no one else waiting matches", now=now)
            # Else the offers out still hold: the sweep looks again once they lapse.
            return []
        by_id = {row.pk: row for row in rows}
        expires = offer_expiry(opening, now=now)
        offers = Offer.objects.bulk_create(
            [
                Offer(
                    opening=opening, entry=by_id[e.entry_id], batch=opening.batches_sent, expires_at=expires
                )
                for e in chosen
            ]
        )
        notices.offers_made(offers)
        if len(chosen) == size:
            # The next batch is due after the delay (and goes only while the time is still free):
            # a task is published for then, and the minute sweep offers it if that task is lost.
            delay = timedelta(minutes=settings.WAITLIST_BATCH_DELAY_MINUTES)
            Opening.objects.filter(pk=opening.pk).update(next_batch_at=now + delay)
            transaction.on_commit(
                lambda: notices.enqueue_batch(opening_id, countdown=int(delay.total_seconds()))
            )
        return offers


def expire_lapsed_offers(*, now: datetime | None = None) -> int:
    """Offers past their time end as expired; a freed time none of whose offers still holds (they
    lapsed, or were withdrawn when their patients left) is due for its next batch, which goes while
    the time is still free (else the time is closed). Idempotent: a second run changes nothing.
    Times offered by hand stay with the patient the front desk chose. Returns the offers expired."""
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = Offer.objects.filter(status=Offer.Status.OFFERED, expires_at__lte=now).update(
            status=Offer.Status.EXPIRED, decided_at=now
        )
        (
            Opening.objects.filter(status=Opening.Status.OPEN, next_batch_at__isnull=True, created_by=None)
            .exclude(offers__status=Offer.Status.OFFERED)
            .update(next_batch_at=now)
        )
    return lapsed


def due_openings(*, now: datetime, limit: int = 200) -> list[int]:
    """Openings whose next batch is due (the sweep's one indexed query)."""
    return list(
        Opening.objects.filter(status=Opening.Status.OPEN, next_batch_at__lte=now)
        .order_by("next_batch_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- Times found free (no booking gave them up) -------------------------------------------------


def offer_free_times(*, now: datetime | None = None) -> list[Opening]:
    """Times free in the next WAITLIST_SCAN_DAYS that a waiting patient asks for and was not offered
    yet become openings, offered in batches like a cancelled time.

    This is how times freed without a booking reach the waitlist: a closure or time off removed, a
    shift added, held urgent capacity released (it shows as ordinary free time from its release).
    The schedule is read through booking's slot search (three queries a type); the matching core
    decides. Each waiting patient is the reason for at most one new time per run (their earliest),
    and one with an offer still out waits for it to be decided; at most WAITLIST_SCAN_OPENINGS
    times a run. Idempotent: a time already being offered, or offered to everyone who matches it,
    makes no new opening. Runs of one type queue on its row."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.WAITLIST_SCAN_DAYS
    waiting = WaitlistEntry.objects.filter(
        status=Status.WAITING, first_day__lte=today + timedelta(days=days - 1), last_day__gte=today
    )
    made: list[Opening] = []
    with transaction.atomic():
        types = list(
            AppointmentType.objects.select_for_update()
            .filter(pk__in=waiting.values("type_id"), is_active=True)
            .order_by("pk")
        )
        if not types:
            return []
        sites = list(Site.objects.filter(is_active=True))
        busy = set(
            Offer.objects.filter(status=Offer.Status.OFFERED, expires_at__gt=now).values_list(
                "entry_id", flat=True
            )
        )
        for type in types:
            room = settings.WAITLIST_SCAN_OPENINGS - len(made)
            if room <= 0:
                break
            made += _offer_free_times_of(
                type, sites, waiting, busy, today=today, days=days, now=now, room=room
            )
    for opening in made:
        transaction.on_commit(partial(notices.enqueue_batch, opening.pk))
    return made


def _offer_free_times_of(
    type: AppointmentType,
    sites: list[Site],
    waiting: QuerySet[WaitlistEntry],
    busy: set[int],
    *,
    today: date,
    days: int,
    now: datetime,
    room: int,
) -> list[Opening]:
    slots = booking_selectors.search_slots(
        sites=sites, type=type, start_date=today, days=days, may_use_holds=False, now=now
    )
    if not slots:
        return []
    times = {
        "opening__type": type,
        "opening__start__gte": slots[0].start,
        "opening__start__lte": slots[-1].start,
    }
    open_rows = Opening.objects.filter(type=type, status=Opening.Status.OPEN).values_list(
        "site_id", "podiatrist_id", "start", "reason", "batches_sent"
    )
    being_offered: set[tuple[int, int, datetime]] = set()
    for site_id, podiatrist_id, start, reason, batches_sent in open_rows:
        if reason == FOUND_FREE and batches_sent == 0:
            return []  # the last search's times are not offered yet: whom they reach is not known
        being_offered.add((site_id, podiatrist_id, start))
    offered: dict[tuple[int, int, datetime], set[int]] = {}
    for site_id, podiatrist_id, start, entry_id in Offer.objects.filter(**times).values_list(
        "opening__site_id", "opening__podiatrist_id", "opening__start", "entry_id"
    ):
        offered.setdefault((site_id, podiatrist_id, start), set()).add(entry_id)
    rows = list(
        waiting.filter(type=type)
        .select_related("appointment", "intake")
        .order_by("priority", "created_at", "id")[: settings.WAITLIST_SCAN_ENTRIES]
    )
    entries = [_as_entry(row) for row in rows]
    site_by_id = {site.pk: site for site in sites}
    zones = {site.pk: ZoneInfo(site.timezone) for site in sites}
    by_day: dict[date, list[Slot]] = {}  # the free slots of each local day, earliest first
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(zones[slot.site_id]).date(), []).append(slot)
    covered = set(busy)
    made: list[Opening] = []
    for entry in entries:  # in offer order: the first waiting are the first served
        if entry.entry_id in covered:
            continue
        for slot in _slots_on_days_of(entry, by_day, today=today, days=days):  # earliest first
            key = (slot.site_id, slot.podiatrist_id, slot.start)
            already = offered.get(key, set())
            if key in being_offered or entry.entry_id in already:
                continue
            freed = _core_time(site_by_id[slot.site_id], type.pk, slot.start)
            if not matching.matches(entry, freed, now=now):
                continue
            # The batch this time will go to: who waits ahead, has no offer out, was not offered it.
            batch = matching.next_batch(
                freed,
                (e for e in entries if e.entry_id not in covered),
                now=now,
                size=settings.WAITLIST_BATCH_SIZE,
                already_offered=frozenset(already),
            )
            if entry.entry_id not in {e.entry_id for e in batch}:
                continue  # those ahead of them would be offered it: look further for this patient
            made.append(
                Opening.objects.create(
                    site_id=slot.site_id,
                    podiatrist_id=slot.podiatrist_id,
                    type=type,
                    start=slot.start,
                    reason=FOUND_FREE,
                    next_batch_at=now,
                )
            )
            being_offered.add(key)
            covered.update(e.entry_id for e in batch)
            break
        if len(made) >= room:
            break
    return made


def _slots_on_days_of(
    entry: matching.Entry, by_day: dict[date, list[Slot]], *, today: date, days: int
) -> Iterable[Slot]:
    """The free slots on the entry's own days (its range and weekdays) within the search."""
    day = max(entry.first_day, today)
    last = min(entry.last_day, today + timedelta(days=days - 1))
    while day <= last:
        if day.weekday() in entry.weekdays:
            yield from by_day.get(day, ())
        day += timedelta(days=1)


def offer_by_hand(
    *,
    entry: WaitlistEntry,
    site: Site,
    start: datetime,
    actor: User,
    podiatrist: Podiatrist | None = None,
    now: datetime | None = None,
) -> Offer:
    """The front desk offers one free time to one waiting patient (recorded as theirs)."""
    now = now or timezone.now()
    if not booking.is_staff(actor):
        raise WaitlistRefused("Only staff can offer a time by hand.")
    if entry.status != Status.WAITING:
        raise WaitlistRefused("This patient is no longer waiting.")
    free = booking_selectors.free_slots_at(
        site=site, type=entry.type, start=start, podiatrist=podiatrist, may_use_holds=True, now=now
    )
    if not free:
        raise WaitlistRefused("That time is not free.")
    slot = first_available(free)[0]
    with transaction.atomic():
        opening = Opening.objects.create(
            site=site,
            podiatrist_id=slot.podiatrist_id,
            type=entry.type,
            start=start,
            reason="by hand",
            batches_sent=1,
            next_batch_at=None,
            created_by=actor,
        )
        offer = Offer.objects.create(
            opening=opening, entry=entry, batch=1, expires_at=offer_expiry(opening, now=now), offered_by=actor
        )
        notices.offers_made([offer])
    return offer


def _withdraw_open_offers(*, entry_ids: list[int], now: datetime, keep: int | None = None) -> None:
    offers = Offer.objects.filter(entry_id__in=entry_ids, status=Offer.Status.OFFERED)
    if keep is not None:
        offers = offers.exclude(pk=keep)
    offers.update(status=Offer.Status.WITHDRAWN, decided_at=now)


# --- Claiming -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimResult:
    """What a claim did: "booked", "moved", "taken", "expired", "refused" or "invalid"."""

    outcome: str
    offer: Offer | None = None
    appointment: Appointment | None = None
    nearest: list[Slot] = field(default_factory=list)
    message: str = ""

    @property
    def won(self) -> bool:
        return self.outcome in {"booked", "moved"}


class _Gone(Exception):
    def __init__(self, outcome: str):
        super().__init__(outcome)
        self.outcome = outcome


def _book(offer: Offer, opening: Opening, *, now: datetime) -> tuple[Appointment, bool]:
    entry = offer.entry
    to_move = selectors.booking_to_move(entry, opening, now=now)
    if to_move is not None:
        moved = booking.reschedule_appointment(
            appointment=to_move,
            start=opening.start,
            podiatrist=opening.podiatrist,
            site=opening.site,
            now=now,
        )
        return moved, True
    urgent = booking.may_use_urgent_lane(entry.intake)
    booked = booking.book_appointment(
        site=opening.site,
        type=opening.type,
        start=opening.start,
        podiatrist=opening.podiatrist,
        patient_name=entry.name,
        patient_email=entry.email,
        patient_phone=entry.phone,
        intake=entry.intake,
        channel=Appointment.Channel.URGENT_LANE if urgent else Appointment.Channel.ONLINE,
        idempotency_key=f"waitlist-offer:{offer.pk}",
        now=now,
    )
    return booked, False


def nearest_for(opening: Opening, *, now: datetime | None = None) -> list[Slot]:
    """The free times nearest an opening's (for a claim that came too late)."""
    now = now or timezone.now()
    return booking_selectors.nearest_free_slots(
        sites=[opening.site], type=opening.type, around=opening.start, may_use_holds=False, now=now, n=6
    )


def claim(*, token: str, now: datetime | None = None) -> ClaimResult:
    """Book the offered time for the offer's patient: the first claim wins, later ones are told so."""
    now = now or timezone.now()
    offer = offer_for_token(token)
    if offer is None:
        return ClaimResult("invalid")
    try:
        with transaction.atomic():
            # Claims of one time queue here; the booking service's guard stays the last word.
            opening = (
                Opening.objects.select_for_update()
                .select_related("site", "type", "podiatrist")
                .get(pk=offer.opening_id)
            )
            offer = (
                Offer.objects.select_for_update(of=("self",)).select_related("entry__intake").get(pk=offer.pk)
            )
            if offer.status == Offer.Status.CLAIMED:
                # A second tap on the same link: show what the first one booked.
                return ClaimResult("booked", offer=offer, appointment=offer.appointment)
            if offer.status == Offer.Status.EXPIRED or (
                offer.status == Offer.Status.OFFERED and offer.expires_at <= now
            ):
                raise _Gone("expired")
            if offer.status != Offer.Status.OFFERED or opening.status != Opening.Status.OPEN:
                raise _Gone("taken")
            appointment, moved = _book(offer, opening, now=now)
            Offer.objects.filter(pk=offer.pk).update(
                status=Offer.Status.CLAIMED, decided_at=now, appointment=appointment
            )
            Offer.objects.filter(opening=opening, status=Offer.Status.OFFERED).exclude(pk=offer.pk).update(
                status=Offer.Status.TAKEN, decided_at=now
            )
            Opening.objects.filter(pk=opening.pk).update(
                status=Opening.Status.FILLED, next_batch_at=None, close_reason=""
            )
            WaitlistEntry.objects.filter(pk=offer.entry_id, status=Status.WAITING).update(
                status=Status.BOOKED, ended_at=now, appointment=appointment
            )
            _withdraw_open_offers(entry_ids=[offer.entry_id], now=now, keep=offer.pk)
            offer.refresh_from_db()
            return ClaimResult("moved" if moved else "booked", offer=offer, appointment=appointment)
    except _Gone as gone:
        if gone.outcome == "expired":
            Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
                status=Offer.Status.EXPIRED, decided_at=now
            )
        return ClaimResult(gone.outcome, offer=offer, nearest=nearest_for(offer.opening, now=now))
    except booking.SlotTaken as taken:
        # Booked elsewhere (the front desk, the booking pages): the opening is over.
        _close(offer.opening, "the time was taken", now=now)
        Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.TAKEN, decided_at=now)
        return ClaimResult("taken", offer=offer, nearest=taken.nearest)
    except booking.BookingRefused as refused:
        return ClaimResult("refused", offer=offer, message=refused.message)
