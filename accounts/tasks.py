"""Nightly upkeep of accounts and sessions (Celery beat)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired sessions (unfinished questionnaires hold health answers). Idempotent."""
    call_command("clearsessions")
