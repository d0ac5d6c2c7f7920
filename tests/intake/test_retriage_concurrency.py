"""Re-triage runs that overlap (two deploys, a deploy and a manual run) alert once on PostgreSQL."""

from __future__ import annotations

import pytest

from intake import services
from intake.models import Retriage
from messaging.models import OutgoingMessage
from tests.booking.test_concurrency import race
from tests.factories.booking import SiteFactory
from tests.intake.test_retriage import FEVERISH_WOUND, TENDER_CALF, old_intake
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_runs_re_triage_each_intake_once_and_alert_once():
    require_postgres()
    desk = SiteFactory(front_desk_email="howell@clinic.example")
    intakes = [old_intake(TENDER_CALF, preferred_site=desk), old_intake(FEVERISH_WOUND, preferred_site=desk)]

    reports = race(lambda i: services.retriage_waiting(), count=6)

    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sum(len(report.retriaged) for report in reports) == 2
    assert Retriage.objects.count() == 2
    for intake in intakes:
        alerts = OutgoingMessage.objects.filter(
            subject=f"intake:{intake.pk}", kind=OutgoingMessage.Kind.URGENT_ALERT
        )
        assert alerts.count() == 1
