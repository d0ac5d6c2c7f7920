"""The synthetic demo intakes the seed command may load."""

from __future__ import annotations

import pytest

from intake.demo import create_demo_intakes
from intake.models import Intake

pytestmark = pytest.mark.django_db


def test_it_creates_one_intake_per_urgency_once(sites):
    created = create_demo_intakes()
    assert sorted(intake.urgency for intake in created) == ["emergency", "routine", "soon", "urgent"]
    assert create_demo_intakes() == []
    assert Intake.objects.count() == 4
    assert all(intake.email.endswith("@mail.example") for intake in created)
