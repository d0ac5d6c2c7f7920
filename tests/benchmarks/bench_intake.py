"""Intake figures: queries and time of submitting an intake, and of the admin queue with 10,000 intakes.

Called by tests/benchmarks/run.py inside a fresh, migrated test database; `run()` returns Markdown.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import StaffAccess
from booking.models import Patient, Site
from intake import services, triage
from intake.models import Intake, queue_rank
from intake.triage import Urgency
from tests.factories.intake import emergency_answers, routine_answers, urgent_answers
from tests.roles import staff_group

N_INTAKES = 10_000
SUBMITS = 30
PAGE_LOADS = 7


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, int]:
    """Median milliseconds of `runs` calls after one warm-up, and the query count of one call."""
    fn()
    with CaptureQueriesContext(connection) as queries:
        fn()
    # Read now: the captured slice is re-read from the log, which the next request resets.
    count = len(queries)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), count


def _bulk_intakes(sites: list[Site], n: int) -> None:
    templates = []
    for make in (routine_answers, urgent_answers, emergency_answers):
        answers = triage.validate(make())
        assessment = triage.assess(answers)
        templates.append((answers, assessment.to_dict(), Urgency(assessment.urgency.value)))
    now = timezone.now()
    rows = []
    for i in range(n):
        answers, assessment, urgency = templates[0 if i % 10 else (1 if i % 20 else 2)]
        rows.append(
            Intake(
                name=f"Bench Patient {i}",
                email=f"bench{i}@mail.example",
                phone="(248) 555-0142",
                preferred_site=sites[i % 3] if i % 3 < 2 else None,
                consent_to_contact=True,
                answers=answers,
                assessment=assessment,
                triage_version=str(triage.VERSION),
                urgency=urgency,
                urgency_rank=queue_rank(urgency),
                status=Intake.Status.NEW if i % 4 else Intake.Status.REVIEWED,
            )
        )
    Intake.objects.bulk_create(rows, batch_size=1000)
    # auto_now_add stamps them all alike; spread them over the last 30 days as a real queue would be.
    for index, pk in enumerate(Intake.objects.order_by("pk").values_list("pk", flat=True).iterator()):
        if index % 500 == 0:
            Intake.objects.filter(pk__gte=pk, pk__lt=pk + 500).update(
                submitted_at=now - dt.timedelta(hours=index // 14)
            )


def run() -> str:
    sites = [
        Site.objects.create(slug=f"bench-{n}", name=f"Bench {n}", address="1 Example Way", city="Howell",
                            postcode="48843", phone="(517) 555-0100", front_desk_email=f"b{n}@clinic.example")
        for n in (1, 2)
    ]  # fmt: skip
    user = User.objects.create_user("bench-frontdesk", "fd@clinic.example", "pw", is_staff=True)
    user.groups.add(staff_group("Front desk"))
    counter = iter(range(1_000_000))

    def submit() -> None:
        n = next(counter)
        services.submit_intake(
            answers=routine_answers(), name=f"Bench Submit {n}", email=f"submit{n}@mail.example",
            phone="(248) 555-0142", date_of_birth=dt.date(1980, 1, 1), preferred_site=sites[0], consent=True,
        )  # fmt: skip

    try:
        submit_ms, submit_queries = _timed(submit, SUBMITS)
        assess_started = time.perf_counter()
        answers = routine_answers()
        for _ in range(500):
            triage.assess(answers)
        assess_per_second = 500 / (time.perf_counter() - assess_started)

        client = Client()
        client.force_login(user)
        changelist = reverse("admin:intake_intake_changelist")

        def load(url: str) -> Callable[[], object]:
            def get() -> None:
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return get

        small_ms, small_queries = _timed(load(changelist), PAGE_LOADS)
        _bulk_intakes(sites, N_INTAKES)
        total = Intake.objects.count()
        list_ms, list_queries = _timed(load(changelist), PAGE_LOADS)
        filtered_ms, filtered_queries = _timed(
            load(changelist + "?urgency=urgent&status__exact=new"), PAGE_LOADS
        )
        searched_ms, searched_queries = _timed(load(changelist + "?q=Bench+Patient+99"), PAGE_LOADS)
        some = Intake.objects.filter(urgency=Urgency.EMERGENCY).first()
        summary_ms, summary_queries = _timed(load(reverse("intake:summary", args=[some.pk])), PAGE_LOADS)
        page_ms, page_queries = _timed(
            load(reverse("admin:intake_intake_change", args=[some.pk])), PAGE_LOADS
        )
    finally:
        StaffAccess.objects.filter(user=user).delete()
        Intake.objects.all().delete()
        Patient.objects.filter(email__startswith="submit").delete()
        user.delete()
        Site.objects.filter(pk__in=[s.pk for s in sites]).delete()

    rows = [
        ("submit_intake (validate, assess, patient, intake, notification)", 1, submit_queries, submit_ms),
        ("admin intake list, 1 page (few intakes)", SUBMITS + 1, small_queries, small_ms),
        ("admin intake list, first page", total, list_queries, list_ms),
        ("admin intake list, filtered urgent + new", total, filtered_queries, filtered_ms),
        ("admin intake list, search by name", total, searched_queries, searched_ms),
        ("intake change page (read-only, with audit row)", total, page_queries, page_ms),
        ("pre-visit summary (with audit row)", total, summary_queries, summary_ms),
    ]
    lines = [
        "## Intake",
        "",
        f"Median of {PAGE_LOADS} page loads ({SUBMITS} submits) after a warm-up, through Django's test",
        "client as a front-desk user; queries are of one request and must not grow with the table.",
        "",
        "| what | intakes in the table | queries | median ms |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {what} | {n:,} | {q} | {ms:.1f} |" for what, n, q, ms in rows),
        "",
        f"`triage.assess()` on a full answer set (context, one core): {assess_per_second:,.0f} per second.",
    ]
    return "\n".join(lines) + "\n"
