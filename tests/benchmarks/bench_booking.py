"""Slot-search latency and booking throughput on product.md's benchmark shape.

One site, 6 podiatrists Mon-Fri 08:00-17:00, 10-minute grid, the 40-minute exam; N existing
40-minute appointments on the grid without overlap (the 70 days from 2027-03-01 first, at most
5 per podiatrist-day, the rest as history, at most 10 per podiatrist-day). `run()` cleans up.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.benchmarks.shape import bench_site

DETROIT = ZoneInfo("America/Detroit")
NOW = datetime(2027, 2, 28, 12, tzinfo=DETROIT)
SIZES = (1_000, 10_000, 100_000)
RUNS = 30


def _clinic():
    from booking.models import AppointmentType, OpeningHours, Patient, Podiatrist, WeeklyShift

    site = bench_site("bench")
    for weekday in range(5):
        OpeningHours.objects.create(site=site, weekday=weekday, opens="08:00", closes="17:00")
    podiatrists = [Podiatrist.objects.create(name=f"Dr. Bench {i}") for i in range(6)]
    for p in podiatrists:
        for weekday in range(5):
            WeeklyShift.objects.create(podiatrist=p, site=site, weekday=weekday, start="08:00", end="17:00")
    exam = AppointmentType.objects.create(
        slug="bench-exam", name="Exam", duration_minutes=40, is_new_patient_exam=True
    )
    patient = Patient.objects.create(name="Bench Patient", email="bench@mail.example")
    return site, podiatrists, exam, patient


def _weekdays(start: date, step: int):
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=step)


def _fill(site, podiatrists, exam, patient, n: int) -> None:
    from booking.models import Appointment

    rng = random.Random(42)
    rows, remaining = [], n
    for phase, (first, step, cap, days) in enumerate(
        [(date(2027, 3, 1), 1, 5, 70), (date(2027, 2, 26), -1, 10, None)]
    ):
        for day in _weekdays(first, step):
            if remaining <= 0 or (days is not None and (day - first).days >= days):
                break
            for p in podiatrists:
                # 40-minute visits on a 10-minute grid without overlap: choose from 13 disjoint 40-min blocks.
                blocks = rng.sample(range(13), min(cap, remaining))
                for b in blocks:
                    start = datetime.combine(day, datetime.min.time(), tzinfo=DETROIT) + timedelta(
                        hours=8, minutes=40 * b
                    )
                    rows.append(
                        Appointment(
                            patient=patient,
                            site=site,
                            podiatrist=p,
                            type=exam,
                            start=start,
                            end=start + timedelta(minutes=40),
                            blocked_until=start + timedelta(minutes=40),
                            status="completed" if phase else "booked",
                        )
                    )
                remaining -= len(blocks)
                if remaining <= 0:
                    break
    Appointment.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load
            cursor.execute("ANALYZE booking_appointment")


def _search(site, exam):
    from booking.selectors import search_slots

    return search_slots(sites=[site], type=exam, start_date=date(2027, 3, 1), days=14, now=NOW)


def _latency(site, exam) -> tuple[float, float, float, int, int]:
    _search(site, exam)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        slots = _search(site, exam)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _search(site, exam)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return timings[0], statistics.median(timings), p95, len(queries), len(slots)


def _throughput(site, exam) -> str:
    from booking import services
    from booking.models import Appointment

    clients, barrier = 32, threading.Barrier(32)
    day = datetime(2027, 4, 19, 8, tzinfo=DETROIT)  # a Monday with no fill (beyond 70 days)
    starts = [day + timedelta(minutes=10 * k) for k in range(54 - 3)]
    outcome = {"booked": 0, "taken": 0, "refused": 0, "error": 0}
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        barrier.wait()
        for attempt in range(20):
            start = rng.choice(starts)
            try:
                services.book_appointment(
                    site=site,
                    type=exam,
                    start=start,
                    patient_name=f"Racer {i}",
                    patient_email=f"racer{i}-{attempt}@mail.example",
                    now=NOW,
                )
                key = "booked"
            except services.SlotTaken:
                key = "taken"
            except services.BookingRefused:
                key = "refused"
            except Exception:  # noqa: BLE001 - counted and reported
                key = "error"
            with lock:
                outcome[key] += 1
        connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    booked = list(
        Appointment.objects.filter(start__gte=day, start__lt=day + timedelta(days=1))
        .exclude(status="cancelled")
        .values_list("podiatrist_id", "start", "blocked_until")
    )
    doubles = sum(
        1
        for i, (p, s, e) in enumerate(booked)
        for (p2, s2, e2) in booked[i + 1 :]
        if p == p2 and s < e2 and s2 < e
    )
    attempts = sum(outcome.values())
    return (
        f"- 32 clients x 20 attempts on one day: {attempts} attempts in {elapsed:.2f} s "
        f"({attempts / elapsed:.0f} attempts/s); booked {outcome['booked']}, just taken {outcome['taken']}, "
        f"refused {outcome['refused']}, errors {outcome['error']}\n- double bookings: **{doubles}**"
    )


def _clean() -> None:
    from booking.models import Appointment, AppointmentEvent, AppointmentType, Patient, Podiatrist, Site

    AppointmentEvent.objects.all().delete()
    Appointment.objects.all().delete()
    Patient.objects.all().delete()
    Podiatrist.objects.all().delete()
    AppointmentType.objects.all().delete()
    Site.objects.all().delete()


def run() -> str:
    lines = [
        "## Booking: slot search and concurrent booking",
        "",
        "14 days from 2027-03-01, one site, 6 podiatrists, first available for the 40-minute exam; "
        f"best, median and p95 of {RUNS} runs after a warm-up.",
        "",
        "| existing appointments | best ms | median ms | p95 ms | queries | free slots |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    throughput = "- not run (PostgreSQL only)"
    try:
        for n in SIZES:
            _clean()
            site, podiatrists, exam, patient = _clinic()
            _fill(site, podiatrists, exam, patient, n)
            best, median, p95, queries, found = _latency(site, exam)
            lines.append(f"| {n:,} | {best:.1f} | {median:.1f} | {p95:.1f} | {queries} | {found:,} |")
        if connection.vendor == "postgresql":
            throughput = _throughput(site, exam)
    finally:
        _clean()
    lines += [
        "",
        "Target: median under 20 ms at 100,000. The best run is the search's own cost; the median "
        "also carries what the machine was doing (on the shared 2-core machine the same pure search "
        "has been measured from 5 to 10 ms of CPU in runs minutes apart).",
        "",
        "### Concurrent booking",
        "",
        throughput,
    ]
    return "\n".join(lines) + "\n"
