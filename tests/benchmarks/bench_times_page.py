"""The patient's times page: one day at either site on the demo clinic, as the server answers it.

Called by tests/benchmarks/run.py inside a fresh, migrated test database; `run()` returns Markdown.
The figure is the whole request in-process (URL routing, session, the slot search over the 7-day
strip, rendering), not the network. Target (issue 13): under 100 ms; page under 60 KB. The machine
may be shared: the report gives the best run beside the median, the process's CPU time (which
waits on no other process, but leaves out the database server's work) and the load average.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

RUNS = 30


def _next_weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def run() -> str:
    from booking.models import AppointmentType

    with override_settings(DEBUG=True):  # seed_demo refuses to run with DEBUG off; the timed runs keep it off
        call_command("seed_demo", verbosity=0)
    exam = AppointmentType.objects.get(is_new_patient_exam=True)
    client = Client()
    url = reverse("booking:slots")
    query = {"site": "any", "type": exam.pk, "podiatrist": "any", "day": _next_weekday().isoformat()}
    # 32 requests stay under the search's rate limit (60 a minute), unless an earlier run's
    # counters (in Redis they outlive the test database) are still counting: start from none.
    caches["ratelimit"].clear()
    first = client.get(url, query)  # warm-up
    assert first.status_code == 200, first.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    count = len(queries)
    samples, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = client.get(url, query)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert answer.status_code == 200, answer.status_code  # a 429 would time the wrong page
    offered = response.content.decode().count('name="slot"')
    return "\n".join(
        [
            "## Times page: one day at either site (demo clinic)",
            "",
            "| figure | value |",
            "| --- | --- |",
            f"| server time, median of {RUNS} | {statistics.median(samples):.1f} ms |",
            f"| server time, best | {min(samples):.1f} ms |",
            f"| CPU time of this process, median / best | {statistics.median(cpu):.1f} / {min(cpu):.1f} ms |",
            f"| load average (1 min) at the end | {os.getloadavg()[0]:.2f} |",
            f"| queries | {count} |",
            f"| HTML | {len(response.content) / 1024:.1f} KB |",
            f"| times offered that day | {offered} |",
            "",
            "Target: under 100 ms and under 60 KB.",
        ]
    )
