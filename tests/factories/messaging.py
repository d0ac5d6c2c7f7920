"""factory-boy factory for the outgoing-message ledger. Synthetic data only."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from messaging.models import OutgoingMessage
from tests.factories.booking import AppointmentFactory


class OutgoingMessageFactory(DjangoModelFactory):
    class Meta:
        model = OutgoingMessage

    class Params:
        # The appointment the message is about (by default a new one); `subject` names it.
        appointment = factory.SubFactory(AppointmentFactory)

    kind = OutgoingMessage.Kind.CONFIRMATION
    subject = factory.LazyAttribute(lambda o: f"appointment:{o.appointment.pk}")
    key = factory.Sequence(lambda n: f"test:{n}")
    recipients = factory.LazyAttribute(lambda o: [o.appointment.patient.email])
    scheduled_for = factory.LazyFunction(lambda: dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC))
    subject_start = factory.LazyAttribute(lambda o: o.appointment.start)
