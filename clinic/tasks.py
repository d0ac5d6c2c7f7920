"""The project's own task: the health check's round trip."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="clinic.ping")
def ping() -> str:
    """Answer 'pong': the health check's round trip through broker, worker and results."""
    return "pong"
