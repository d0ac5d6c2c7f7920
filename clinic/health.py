"""Health checks for /healthz: database, cache, broker and a live Celery worker."""

from __future__ import annotations

import dataclasses
import datetime

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from clinic.tasks import ping


@dataclasses.dataclass
class WorkerRoundTrip(HealthCheck):
    """Send a real task through the broker and wait for a worker's answer.

    Celery's own ping check uses broadcast, which the development filesystem broker lacks;
    a round trip works on every broker and proves the worker executes tasks.
    """

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=5))

    def run(self) -> None:
        try:
            answer = ping.apply_async(expires=self.timeout.total_seconds()).get(
                timeout=self.timeout.total_seconds()
            )
        except Exception as exc:  # any broker or timeout failure means: not healthy
            raise ServiceUnavailable(f"No Celery worker answered: {type(exc).__name__}") from exc
        if answer != "pong":
            raise ServiceUnavailable(f"Unexpected worker answer {answer!r}")


class ClinicHealthView(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "clinic.health.WorkerRoundTrip",
    )
