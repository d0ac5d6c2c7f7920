"""The reminder sweep over 100,000 future appointments, and messages per second through a real worker.

The sweep's cost must follow the number of DUE messages, not the size of the ledger: 100,000
future appointments with their two reminders each (200,000 pending rows) sit in the ledger while
the sweep runs at moments where 0, 10, 100 and 500 of them are due. The end-to-end figure sends
messages through the real broker and a real Celery worker process to an aiosmtpd sink on loopback.
`run()` cleans up what it made.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benchmarks.shape import bench_site

APPOINTMENTS = 100_000
PODIATRISTS = 100
START = datetime(2027, 3, 1, 13, tzinfo=UTC)
DUE_COUNTS = (0, 10, 100, 500)
THROUGHPUT_MESSAGES = 200
RUNS = 5


def _clinic():
    from booking.models import AppointmentType, Patient, Podiatrist

    site = bench_site("bench-notifications")
    podiatrists = Podiatrist.objects.bulk_create(
        [Podiatrist(name=f"Dr. Bench {i}") for i in range(PODIATRISTS)]
    )
    exam = AppointmentType.objects.create(slug="bench-notifications-exam", name="Exam", duration_minutes=40)
    patient = Patient.objects.create(name="Bench Patient", email="bench-notifications@mail.example")
    return site, podiatrists, exam, patient


def _fill(site, podiatrists, exam, patient) -> list[datetime]:
    """100,000 future appointments (one an hour per podiatrist, no overlap) and their reminders."""
    from booking.models import Appointment
    from messaging.models import OutgoingMessage

    per_podiatrist = APPOINTMENTS // len(podiatrists)
    batch: list[Appointment] = []
    for index, podiatrist in enumerate(podiatrists):
        for hour in range(per_podiatrist):
            # Stagger podiatrists by minutes so reminder times are spread out, like real bookings.
            start = START + timedelta(hours=hour, minutes=index % 60)
            batch.append(
                Appointment(
                    patient=patient,
                    site=site,
                    podiatrist=podiatrist,
                    type=exam,
                    start=start,
                    end=start + timedelta(minutes=40),
                    blocked_until=start + timedelta(minutes=40),
                )
            )
    Appointment.objects.bulk_create(batch, batch_size=5_000)
    rows = Appointment.objects.filter(site=site).values_list("pk", "start")
    messages = []
    for pk, start in rows.iterator(chunk_size=10_000):
        for hours in (48, 2):
            messages.append(
                OutgoingMessage(
                    kind=OutgoingMessage.Kind.REMINDER,
                    key=f"appointment:{pk}:reminder:{start:%Y-%m-%dT%H:%MZ}:{hours}h",
                    subject=f"appointment:{pk}",
                    recipients=["bench-notifications@mail.example"],
                    scheduled_for=start - timedelta(hours=hours),
                    subject_start=start,
                )
            )
    OutgoingMessage.objects.bulk_create(messages, batch_size=5_000)
    return sorted(m.scheduled_for for m in messages)


def _sweep_table(times: list[datetime]) -> list[str]:
    import time_machine

    from messaging import tasks
    from messaging.tasks import sweep_due_messages

    published: list[int] = []
    original = tasks.enqueue_many
    tasks.enqueue_many = lambda ids: published.append(len(ids)) or len(ids)  # type: ignore[assignment]
    lines = [
        "| due reminders | pending rows in the ledger | enqueued per sweep | queries | median ms | max ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    try:
        for due in DUE_COUNTS:
            # The moment at which exactly `due` reminders have come due.
            moment = times[due] - timedelta(microseconds=1) if due < len(times) else times[-1]
            samples, queries = [], 0
            for _ in range(RUNS):
                published.clear()
                with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    sweep_due_messages()
                    samples.append((time.perf_counter() - started) * 1000)
                queries = len(ctx.captured_queries)
            enqueued = sum(published)
            lines.append(
                f"| {due} | {len(times):,} | {enqueued} | {queries} | "
                f"{statistics.median(samples):.1f} | {max(samples):.1f} |"
            )
    finally:
        tasks.enqueue_many = original  # type: ignore[assignment]
    return lines


def _deliver_queries() -> str:
    from django.core import mail
    from django.test.utils import override_settings

    from messaging import delivery
    from messaging.models import OutgoingMessage

    message = OutgoingMessage.objects.order_by("scheduled_for").first()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        CaptureQueriesContext(connection) as ctx,
    ):
        mail.outbox = []
        outcome = delivery.deliver(message.pk, now=message.scheduled_for)
    count = len(ctx.captured_queries)
    return f"One reminder's claim, re-read, render and mark-sent: {count} queries ({outcome.status})."


def _throughput() -> list[str]:
    """Messages per second from enqueue to the SMTP sink, through a real worker (one process, solo pool)."""
    import pytest
    from aiosmtpd.controller import Controller

    from messaging import tasks
    from messaging.models import OutgoingMessage
    from tests.messaging.conftest import Sink, free_port, worker_env
    from tests.services import celery_worker

    sink = Sink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    subject, subject_start = OutgoingMessage.objects.values_list("subject", "subject_start").first()
    past = datetime.now(UTC) - timedelta(hours=1)
    try:
        try:
            worker = celery_worker(extra_env=worker_env(sink.port))
            proc = worker.__enter__()
        except pytest.skip.Exception as skipped:
            return [f"End-to-end throughput skipped: {skipped}"]
        try:
            messages = OutgoingMessage.objects.bulk_create(
                [
                    OutgoingMessage(
                        kind=OutgoingMessage.Kind.CONFIRMATION,
                        key=f"bench:throughput:{i}",
                        subject=subject,
                        recipients=["bench-notifications@mail.example"],
                        scheduled_for=past,
                        subject_start=subject_start,
                    )
                    for i in range(THROUGHPUT_MESSAGES)
                ]
            )
            ids = list(
                OutgoingMessage.objects.filter(key__startswith="bench:throughput:").values_list(
                    "pk", flat=True
                )
            )
            started = time.perf_counter()
            tasks.enqueue_many(ids)
            deadline = started + 120
            while len(sink.keys()) < len(messages) and time.perf_counter() < deadline:
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            arrived = len(sink.keys())
            duplicates = arrived - len(set(sink.keys()))
        finally:
            worker.__exit__(None, None, None)
            del proc
    finally:
        controller.stop()
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    return [
        f"End to end ({broker} broker, one worker process with the solo pool, aiosmtpd on loopback): "
        f"{arrived} of {len(messages)} messages arrived in {elapsed:.1f}s = "
        f"**{arrived / elapsed:.1f} messages/s**; duplicates: {duplicates}.",
    ]


def _cleanup() -> None:
    from booking.models import Appointment, AppointmentType, Patient, Podiatrist, Site
    from messaging.models import OutgoingMessage

    site = Site.objects.filter(slug="bench-notifications").first()
    if site is None:
        return
    subjects = [
        f"appointment:{pk}" for pk in Appointment.objects.filter(site=site).values_list("pk", flat=True)
    ]
    for start in range(0, len(subjects), 5_000):
        OutgoingMessage.objects.filter(subject__in=subjects[start : start + 5_000])._raw_delete(
            connection.alias
        )
    Appointment.objects.filter(site=site)._raw_delete(connection.alias)
    Podiatrist.objects.filter(name__startswith="Dr. Bench ", appointments__isnull=True).delete()
    AppointmentType.objects.filter(slug="bench-notifications-exam").delete()
    Patient.objects.filter(email="bench-notifications@mail.example").delete()
    site.delete()


def run() -> str:
    started = time.perf_counter()
    site, podiatrists, exam, patient = _clinic()
    try:
        times = _fill(site, podiatrists, exam, patient)
        filled = time.perf_counter() - started
        lines = [
            "## Notifications: the reminder sweep and end-to-end sending",
            "",
            f"{APPOINTMENTS:,} future appointments with 2 reminders each "
            f"({len(times):,} pending ledger rows; made in {filled:.0f}s). "
            "The sweep at moments where N reminders are due "
            f"(enqueue replaced by a counter: this measures the database side; {RUNS} runs each):",
            "",
            *_sweep_table(times),
            "",
            "The query count is constant (stale claims + one indexed read of due ids, capped at "
            "500 per sweep); the time follows the due reminders, not the 100,000 appointments.",
            "",
            _deliver_queries(),
            "",
            *_throughput(),
        ]
    finally:
        _cleanup()
    return "\n".join(lines) + "\n"
