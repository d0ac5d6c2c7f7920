"""The ledger keeps each recipient whole: an address holding a comma is one address, never two."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import PatientFactory, local
from tests.messaging.scenarios import book

# Valid under RFC 5321 (a quoted local part), and what the form once let through.
QUOTED = '"a@x.example,b"@example.com'
BOOKED_AT = local(2027, 3, 1, 10)
START = local(2027, 3, 10, 9, 30)


@pytest.mark.django_db
def test_a_quoted_comma_address_is_sent_to_exactly_that_one_address(smtp_settings, sink):
    with time_machine.travel(BOOKED_AT, tick=False):
        appointment = book(START, patient=PatientFactory(email=QUOTED))
        confirmation = OutgoingMessage.objects.get(
            subject=f"appointment:{appointment.pk}", kind=OutgoingMessage.Kind.CONFIRMATION
        )
        assert confirmation.recipients == [QUOTED]

        assert delivery.deliver(confirmation.pk).status == OutgoingMessage.Status.SENT

    assert sink.envelopes == [[QUOTED]]
    (mail,) = sink.messages
    assert [address.addr_spec for address in mail["To"].addresses] == [QUOTED]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_comma_joined_rows_into_lists():
    before, after = [("messaging", "0003_waitlist_offer_kind")], [("messaging", "0004_recipients_as_a_list")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    Message = executor.loader.project_state(before).apps.get_model("messaging", "OutgoingMessage")
    common = {"kind": "urgent_alert", "subject": "intake:1", "scheduled_for": START}
    Message.objects.create(key="two", recipient="desk@clinic.example, oncall@clinic.example", **common)
    Message.objects.create(key="one", recipient="pat@mail.example", **common)
    Message.objects.create(key="none", recipient="", **common)
    try:
        MigrationExecutor(connection).migrate(after)
        rows = dict(OutgoingMessage.objects.values_list("key", "recipients"))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows == {
        "two": ["desk@clinic.example", "oncall@clinic.example"],
        "one": ["pat@mail.example"],
        "none": [],
    }
