"""Re-assess the waiting intakes under the current triage policy: run after every deploy.

    python manage.py retriage

Waiting: not yet reviewed, or with a booked appointment still ahead. Where the level goes up, the
intake takes the new level with both versions' reasons, goes back to the front desk's queue and the
alert its new level calls for is recorded once (the message ledger); where it would stay or go down,
nothing changes for the patient and the intake page shows both. Running it again does nothing new.
Exit status 1 when some intakes could not be re-assessed (each is listed on stderr).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from intake import services
from intake.models import Retriage


class Command(BaseCommand):
    help = "Re-assess every waiting intake under the current triage policy (after each deploy)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.retriage_waiting()
        outcome = Retriage.Outcome
        self.stdout.write(
            f"Triage policy {report.version}: {len(report.retriaged)} waiting intake(s) re-assessed; "
            f"{report.count(outcome.RAISED)} raised ({report.alerted} front-desk alert(s) recorded), "
            f"{report.count(outcome.SAME)} same level, "
            f"{report.count(outcome.LOWER)} would be lower (kept as they were)."
        )
        for row in report.retriaged:
            if row.raised:
                self.stdout.write(f"  Intake #{row.intake_id}: {row.from_urgency} -> {row.to_urgency}")
        for pk, problems in report.problems.items():
            self.stderr.write(f"Intake #{pk} could not be re-assessed: {'; '.join(problems)}")
        if report.problems:
            raise SystemExit(1)
