"""Intake's notices: the staff alert for an emergency or urgent outcome, and its escalation.

`intake_submitted` runs inside the submission's transaction. The escalation is due after
URGENT_ESCALATION_MINUTES of the alerted sites' opening hours (messaging.escalation, plain Python)
and goes to the front desk and whoever is on call: read when the row is written and again when it
is sent (`read_intake`), so an on-call change over a weekend reaches the right podiatrist.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from booking.models import Closure, Podiatrist, Site
from intake.models import Intake
from intake.triage import Urgency
from messaging import escalation, ledger, subjects
from messaging.escalation import SiteHours
from messaging.models import OutgoingMessage
from messaging.subjects import Reading
from messaging.wording import stamp

logger = logging.getLogger(__name__)

SUBJECT = "intake"
Kind = OutgoingMessage.Kind
# Levels from urgent up alert the front desk.
ALERT_URGENCIES = {level for level in Urgency if level.rank >= Urgency.URGENT.rank}


def _alert_sites(intake: Intake) -> list[Site]:
    if intake.preferred_site_id:
        return [intake.preferred_site]
    return list(Site.objects.filter(is_active=True))


def _front_desk(sites: list[Site]) -> list[str]:
    return sorted({site.front_desk_email for site in sites if site.front_desk_email})


def _site_hours(sites: list[Site], *, first_day: date) -> list[SiteHours]:
    """The alerted sites' weekly hours and their closures over the escalation's search span."""
    prefetch_related_objects(sites, "opening_hours")
    closed: dict[int, set[date]] = {site.pk: set() for site in sites}
    rows = Closure.objects.filter(
        site__in=sites, date__gte=first_day, date__lt=first_day + timedelta(days=escalation.SEARCH_DAYS)
    ).values_list("site_id", "date")
    for site_id, day in rows:
        closed[site_id].add(day)
    return [
        SiteHours(
            weekly={row.weekday: (row.opens, row.closes) for row in site.opening_hours.all()}
            or escalation.DEFAULT_WEEKLY,
            closed=frozenset(closed[site.pk]),
        )
        for site in sites
    ]


def escalation_recipients(intake: Intake, sites: list[Site] | None = None) -> list[str]:
    """The front desk of the intake's site(s) and whoever is on call now."""
    sites = _alert_sites(intake) if sites is None else sites
    on_call = Podiatrist.objects.filter(is_on_call=True, is_active=True).exclude(email="")
    return [*_front_desk(sites), *sorted(on_call.values_list("email", flat=True))]


def intake_submitted(intake: Intake, *, raised_under: str = "") -> None:
    """Record the staff alert for an emergency or urgent outcome.

    `raised_under` names the triage policy version whose re-triage raised the intake to this
    level: the alert and escalation then have keys of their own, so each version alerts once.
    """
    if intake.urgency not in ALERT_URGENCIES:
        return
    now = timezone.now()
    sites = _alert_sites(intake)
    front_desk = _front_desk(sites)
    if not front_desk:
        logger.error("Urgent intake %s: no front desk address to alert", intake.pk)
        return
    subject = subjects.key(SUBJECT, intake.pk)
    occasion = f":raised:{raised_under}" if raised_under else ""
    alert = ledger.record(
        key=f"intake:{intake.pk}{occasion}:urgent_alert",
        kind=Kind.URGENT_ALERT,
        subject=subject,
        recipients=front_desk,
        scheduled_for=now,
    )
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    due = escalation.escalation_due(
        now,
        sites=_site_hours(sites, first_day=now.astimezone(zone).date()),
        minutes=settings.URGENT_ESCALATION_MINUTES,
        zone=zone,
    )
    ledger.record(
        key=f"intake:{intake.pk}{occasion}:escalation:{stamp(due)}",
        kind=Kind.ESCALATION,
        subject=subject,
        recipients=escalation_recipients(intake, sites),
        scheduled_for=due,
    )
    ledger.send_on_commit([alert])


def read_intake(message: OutgoingMessage) -> Reading:
    """Intake's reader for "intake" messages (registered in IntakeConfig.ready).

    Subjects never name a health detail; the email only points staff to the admin.
    """
    intake = Intake.objects.select_related("preferred_site").get(pk=message.subject_id)
    # The level says which alert it is ("Emergency intake waiting"); nothing else about the answers.
    level = intake.get_urgency_display()
    context = {
        "admin_url": settings.SITE_URL + reverse("admin:intake_intake_change", args=[intake.pk]),
        "intake_ref": f"#{intake.pk}",
        "level": level.lower(),
        "article": "An" if level[:1] in "AEIOU" else "A",
    }
    if message.kind == Kind.ESCALATION:
        if intake.reviewed_at:
            return Reading(skip="intake reviewed before the escalation was due")
        return Reading(
            subject_line=f"Still unreviewed: {level.lower()} intake waiting",
            context=context,
            recipients=escalation_recipients(intake),
        )
    if ":raised:" in message.key:
        # A re-triage under a new policy raised an intake the front desk may already have handled.
        return Reading(
            subject_line=f"{level} intake waiting: raised by the new triage policy",
            context={**context, "raised": True},
        )
    return Reading(subject_line=f"{level} intake waiting", context=context)
