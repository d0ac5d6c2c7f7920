"""A booking POST's statements, pinned: one read per thing it needs, one write per row it makes.

Transaction control (BEGIN, COMMIT, savepoints) is not counted: it depends on how the test wraps
the request. The rate limit is off so the count is the same with Redis or the database cache."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.booking.test_booking_views import details_post, intake_for
from tests.booking.test_services import NOW, make_clinic

pytestmark = pytest.mark.django_db(transaction=True)

# Issue 12's target: 15. The session and the questionnaire it names (2), the type and the site (2);
# in the transaction: the patient (1, found or created and locked), their earlier bookings (1), the
# slot checked again (3: shifts; opening hours with closures; appointments with time off), the guard
# (1: the overlap check on SQLite, the podiatrist's advisory lock on PostgreSQL), the appointment,
# its event and its ledger rows (3), the waitlist's time-booked hook (1, booking/hooks.py: the
# patient's waiting entries of this type, ended if this is their wish); then the session update
# that makes the patient's session forget the questionnaire (1).
BUDGET = 15
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@override_settings(RATELIMIT_ENABLE=False)
def test_a_booking_post_costs_at_most_15_statements(client):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(podiatrists=3)
        intake_for(client, "routine")
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("booking:details"), details_post(clinic))
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(CONTROL)]
    assert len(statements) <= BUDGET, "\n".join(s[:120] for s in statements)
