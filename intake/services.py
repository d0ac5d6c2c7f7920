"""Use cases of the intake: submit a questionnaire, review it, re-assess it, record who looked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from booking.models import Patient, Site
from intake import notices, triage
from intake.models import Intake, StaffView, queue_rank

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

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
        patient, _ = Patient.objects.get_or_create(
            email=email, defaults={"name": name, "phone": phone, "date_of_birth": date_of_birth}
        )
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
        if appointment is not None:
            type(appointment).objects.filter(pk=appointment.pk).update(intake=intake)
            appointment.intake = intake
        notices.intake_submitted(intake)
    return intake


def mark_reviewed(*, intake: Intake, user: AbstractBaseUser, now: dt.datetime | None = None) -> bool:
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


def mark_contacted(*, intake: Intake, user: AbstractBaseUser, now: dt.datetime | None = None) -> bool:
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

    Raises `triage.InvalidAnswers` when the old answers do not fit the current catalogue.
    """
    return triage.assess(triage.validate(dict(intake.answers)))


def record_staff_view(*, user: AbstractBaseUser, intake: Intake | None, what: str) -> StaffView:
    """Record that a staff user looked at an intake, a summary or the list."""
    return StaffView.objects.create(user=user, intake=intake, what=StaffView.What(what))
