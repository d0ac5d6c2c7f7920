"""factory-boy factory for the staff-access audit. Synthetic data only."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from audit.models import StaffAccess
from tests.factories.intake import IntakeFactory


class StaffAccessFactory(DjangoModelFactory):
    """A view of an intake's pre-visit summary (`intake` names it)."""

    class Meta:
        model = StaffAccess

    class Params:
        intake = factory.SubFactory(IntakeFactory)

    page = "intake:summary"
    path = factory.LazyAttribute(lambda o: f"/intake/staff/{o.intake.pk}/summary/")
    record = "intake.intake"
    record_id = factory.LazyAttribute(lambda o: str(o.intake.pk))
