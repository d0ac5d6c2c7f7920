"""Use cases of the intake: submit a questionnaire, review it, re-assess it, re-triage the waiting
ones under a new policy, record who looked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from booking.models import Site
from booking.patients import find_or_create_patient
from intake import notices, selectors, triage
from intake.models import Intake, Retriage, queue_rank
from intake.triage.carry_forward import carry_forward

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from booking.models import Appointment


def submit_intake(
    *,
    answers: Mapping[str, Any],
    name: str,
    email: str,
    phone: str,
    date_of_birth: dt.date | None,
    preferred_site: Site | None,
    consent: bool,
    appointment: Appointment | None = None,
) -> Intake:
    """Validate and assess the answers, store the intake with its outcome, link patient and appointment.

    Raises `triage.InvalidAnswers` (every problem listed) or `ValidationError` (no consent).
    """
    if not consent:
        raise ValidationError("Consent to be contacted is required to send the questionnaire.")
    clean = triage.validate(dict(answers))
    assessment = triage.assess(clean)
    email = email.strip().lower()
    with transaction.atomic():
        patient = find_or_create_patient(name=name, email=email, phone=phone, date_of_birth=date_of_birth)
        intake = Intake.objects.create(
            patient=patient,
            name=name,
            email=email,
            phone=phone,
            date_of_birth=date_of_birth,
            preferred_site=preferred_site,
            consent_to_contact=True,
            answers=clean,
            assessment=assessment.to_dict(),
            triage_version=str(assessment.version),
            urgency=assessment.urgency,
            urgency_rank=queue_rank(assessment.urgency),
        )
        # Linked only to the same patient's appointment (its summary shows these answers).
        if appointment is not None and appointment.patient_id == patient.pk:
            type(appointment).objects.filter(pk=appointment.pk).update(intake=intake)
            appointment.intake = intake
        notices.intake_submitted(intake)
    return intake


def mark_reviewed(*, intake: Intake, user: User, now: dt.datetime | None = None) -> bool:
    """Record who reviewed the intake and when; True if this call recorded it (first review wins)."""
    now = now or timezone.now()
    updated = Intake.objects.filter(pk=intake.pk, reviewed_at__isnull=True).update(
        reviewed_at=now,
        reviewed_by=user,
        # A contacted intake stays contacted.
        status=Case(When(status=Intake.Status.NEW, then=Value(Intake.Status.REVIEWED)), default=F("status")),
    )
    intake.refresh_from_db(fields=["reviewed_at", "reviewed_by", "status"])
    return bool(updated)


def mark_contacted(*, intake: Intake, user: User, now: dt.datetime | None = None) -> bool:
    """Record who contacted the patient and when (it implies a review); True if this call recorded it."""
    now = now or timezone.now()
    updated = Intake.objects.filter(pk=intake.pk, contacted_at__isnull=True).update(
        contacted_at=now,
        contacted_by=user,
        status=Intake.Status.CONTACTED,
        reviewed_at=Coalesce(F("reviewed_at"), Value(now)),
        reviewed_by=Coalesce(F("reviewed_by"), Value(user.pk)),
    )
    intake.refresh_from_db(fields=["contacted_at", "contacted_by", "reviewed_at", "reviewed_by", "status"])
    return bool(updated)


def reassess(*, intake: Intake) -> triage.Assessment:
    """The intake's answers assessed under the current triage version; the stored outcome is unchanged.

    A safety question added since the intake was sent counts as "not sure" (carry_forward).
    Raises `triage.InvalidAnswers` when the old answers do not fit the current catalogue.
    """
    carried, _ = carry_forward(intake.answers)
    return triage.assess(carried)


@dataclass
class RetriageReport:
    """What one re-triage run did: the rows it wrote by outcome, and the intakes it could not read."""

    version: str
    retriaged: list[Retriage] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.retriaged if row.outcome == outcome)

    @property
    def alerted(self) -> int:
        return sum(1 for row in self.retriaged if row.raised and row.to_urgency in notices.ALERT_URGENCIES)


def retriage_waiting(*, now: dt.datetime | None = None) -> RetriageReport:
    """Re-assess every waiting intake under the current triage policy (see retriage_intake).

    Waiting: not yet reviewed, or with a booked appointment still ahead. Safe to run again and at
    the same time as another run: an intake is re-triaged once per policy version.
    """
    now = now or timezone.now()
    version = str(triage.VERSION)
    report = RetriageReport(version=version)
    pks = list(selectors.intakes_to_retriage(version=version, now=now).values_list("pk", flat=True))
    for pk in pks:
        try:
            row = retriage_intake(intake_id=pk)
        except triage.InvalidAnswers as error:
            report.problems[pk] = error.messages
            continue
        if row is not None:
            report.retriaged.append(row)
    return report


def retriage_intake(*, intake_id: int) -> Retriage | None:
    """Re-assess one intake under the current policy and record both outcomes; None when it was
    already assessed or re-triaged under it.

    Where the level goes up, the intake takes the new outcome (level, reasons, version), goes back
    to the queue unreviewed (its earlier review is kept on the row) and the alert its new level
    calls for is recorded in the ledger, keyed by version so it goes once. Where it would stay or
    go down, the intake is left as it was. The intake row is locked for the whole decision.
    Raises `triage.InvalidAnswers` when the stored answers do not fit the current catalogue.
    """
    version = str(triage.VERSION)
    with transaction.atomic():
        intake = Intake.objects.select_for_update().get(pk=intake_id)
        if intake.triage_version == version or intake.retriages.filter(to_version=version).exists():
            return None
        carried, filled = carry_forward(intake.answers)
        assessment = triage.assess(carried)
        old, new = triage.Urgency(intake.urgency), triage.Urgency(assessment.urgency)
        if new.rank > old.rank:
            outcome = Retriage.Outcome.RAISED
        elif new == old:
            outcome = Retriage.Outcome.SAME
        else:
            outcome = Retriage.Outcome.LOWER
        try:
            with transaction.atomic():
                row = _record_retriage(intake, version, assessment, outcome, filled)
        except IntegrityError:
            return None  # another run got there first (SQLite has no row lock to wait on)
        if outcome == Retriage.Outcome.RAISED:
            _take_the_raised_outcome(intake, row)
    return row


def _record_retriage(
    intake: Intake, version: str, assessment: triage.Assessment, outcome: str, filled: tuple[str, ...]
) -> Retriage:
    return Retriage.objects.create(
        intake=intake,
        from_version=intake.triage_version,
        to_version=version,
        from_urgency=intake.urgency,
        to_urgency=str(assessment.urgency.value),
        outcome=outcome,
        previous_assessment=intake.assessment,
        assessment=assessment.to_dict(),
        carried_forward=list(filled),
        previous_status=intake.status,
        previous_reviewed_at=intake.reviewed_at,
        previous_reviewed_by=intake.reviewed_by,
    )


def _take_the_raised_outcome(intake: Intake, row: Retriage) -> None:
    """The intake carries the new outcome and needs a fresh review; the front desk is alerted."""
    new = triage.Urgency(row.to_urgency)
    intake.assessment = row.assessment
    intake.triage_version = row.to_version
    intake.urgency = new
    intake.urgency_rank = queue_rank(new)
    intake.status = Intake.Status.NEW
    intake.reviewed_at = None
    intake.reviewed_by = None
    fields = [
        "assessment",
        "triage_version",
        "urgency",
        "urgency_rank",
        "status",
        "reviewed_at",
        "reviewed_by",
    ]
    intake.save(update_fields=fields)
    notices.intake_submitted(intake, raised_under=row.to_version)
