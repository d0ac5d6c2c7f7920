"""From a cancellation to the first offers enqueued, with 100,000 appointments and 10,000 entries.

The clinic is product.md's benchmark shape (bench_booking's builder: one site, 6 podiatrists,
100,000 40-minute appointments) plus 10,000 waitlist entries for the exam: either site or this
one, random weekdays, parts of the day, date ranges in March and April 2027 and triage levels.
Each run cancels one booked March appointment (booking's service, which records the freed time
through the waitlist's hook and publishes the offer task on commit) and then runs the offer task's
body in-process (re-check the time, pick the batch, write the offers and their ledger rows, publish
the send tasks). The broker hop to a worker is not in the figure. `run()` cleans up what it made.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benchmarks import bench_booking

APPOINTMENTS = 100_000
ENTRIES = 10_000
RUNS = 20
NOW = bench_booking.NOW


def _entries(site, exam) -> None:
    from waitlist.models import WaitlistEntry

    rng = random.Random(15)
    rows = []
    for i in range(ENTRIES):
        first = date(2027, 3, 1) + timedelta(days=rng.randrange(0, 40))
        rows.append(
            WaitlistEntry(
                type=exam,
                site=site if rng.random() < 0.5 else None,
                first_day=first,
                last_day=first + timedelta(days=rng.randrange(3, 40)),
                weekdays=rng.randrange(1, 32),
                day_parts=rng.choice([1, 2, 3]),
                priority=rng.choices([0, 1, 2], weights=[1, 3, 16])[0],
                name=f"Waiting {i}",
                email=f"waiting{i}@mail.example",
            )
        )
    WaitlistEntry.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE waitlist_waitlistentry")


def _front_desk():
    """A front-desk user: only the desk's role may cancel a patient's appointment."""
    from django.contrib.auth.models import Group, User

    from roles import FRONT_DESK

    user = User.objects.create_user("bench-desk", "bench-desk@clinic.example", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    return user


def _one(appointment, actor) -> tuple[float, float, int, int, float]:
    """Cancel, then run the offer task's body; returns (cancel ms, offer ms, queries, offers made,
    this process's CPU ms)."""
    from booking import services as booking
    from waitlist import services
    from waitlist.models import Opening

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        booking.cancel_appointment(appointment=appointment, actor=actor, now=NOW)
        cancelled = time.perf_counter()
        opening_id = Opening.objects.filter(freed_from=appointment).values_list("pk", flat=True).get()
        offers = services.offer_next_batch(opening_id=opening_id, now=NOW)
        offered, cpu = time.perf_counter(), time.process_time() - cpu
    return (
        (cancelled - started) * 1000,
        (offered - cancelled) * 1000,
        len(queries),
        len(offers),
        cpu * 1000,
    )


def _clean() -> None:
    from messaging.models import OutgoingMessage
    from waitlist.models import Offer, Opening, WaitlistEntry

    Offer.objects.all().delete()
    Opening.objects.all().delete()
    WaitlistEntry.objects.all().delete()
    OutgoingMessage.objects.all().delete()
    from django.contrib.auth.models import User

    User.objects.filter(username="bench-desk").delete()
    bench_booking._clean()


def run() -> str:
    from booking.models import Appointment

    try:
        _clean()
        site, podiatrists, exam, patient = bench_booking._clinic()
        bench_booking._fill(site, podiatrists, exam, patient, APPOINTMENTS)
        _entries(site, exam)
        actor = _front_desk()
        booked = list(
            Appointment.objects.filter(status="booked", start__gte=NOW + timedelta(days=2)).order_by("start")[
                : RUNS + 1
            ]
        )
        _one(booked[0], actor)  # warm-up
        results = [_one(appointment, actor) for appointment in booked[1:]]
    finally:
        _clean()
    totals = sorted(c + o for c, o, _, _, _ in results)
    cancels = [c for c, _, _, _, _ in results]
    offers_ms = [o for _, o, _, _, _ in results]
    cpu = [p for _, _, _, _, p in results]
    counts = ", ".join(map(str, sorted({q for _, _, q, _, _ in results})))
    offers = statistics.median(n for _, _, _, n, _ in results)
    return (
        "\n".join(
            [
                "## Waitlist: from a cancellation to the first offers enqueued",
                "",
                f"{APPOINTMENTS:,} appointments, {ENTRIES:,} waitlist entries; {RUNS} cancellations, each "
                "followed by the offer task's body in-process (the broker hop to a worker excluded; "
                "each part publishes its tasks to the broker on commit).",
                "",
                "| | best ms | median ms |",
                "| --- | ---: | ---: |",
                f"| cancellation to first offers enqueued | {totals[0]:.1f} | "
                f"{statistics.median(totals):.1f} |",
                f"| ... the cancellation (with the waitlist's hook) | {min(cancels):.1f} | "
                f"{statistics.median(cancels):.1f} |",
                f"| ... the offer task (re-check, batch, offers, ledger, publish) | {min(offers_ms):.1f} | "
                f"{statistics.median(offers_ms):.1f} |",
                f"| the whole path's CPU time in this process (the rest is waiting: PostgreSQL, the "
                f"broker, the machine's other work) | {min(cpu):.1f} | {statistics.median(cpu):.1f} |",
                "",
                f"Load average (1 min) after the runs: {os.getloadavg()[0]:.1f}. "
                f"Queries per run: {counts}; offers per run: {offers:g}. Target: under 50 ms, a bounded "
                "number of queries (tests/waitlist/test_query_counts.py).",
            ]
        )
        + "\n"
    )
