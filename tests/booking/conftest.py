"""Fixtures of the booking staff-side tests: a frozen clock, a clinic, the front-desk persona."""

from __future__ import annotations

import pytest
import time_machine

from tests.booking.personas import NOW, Clinic, front_desk_user, make_clinic


@pytest.fixture
def frozen_time():
    """Monday 2027-03-01, 07:00 in Detroit (opt in with usefixtures)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def fran(client):
    """Fran at the front desk, logged in."""
    user = front_desk_user()
    client.force_login(user)
    return user
