"""The role table's world (tests/accounts/test_role_table.py), with one person on the waitlist too."""

from __future__ import annotations

import pytest
import time_machine

from tests.accounts.test_role_table import world  # noqa: F401 - a fixture, used below
from tests.booking.personas import NOW
from tests.waitlist.scenario import wait_without_booking


@pytest.fixture
def audited_world(world):  # noqa: F811 - the imported fixture
    with time_machine.travel(NOW, tick=False):
        world["waitlist_entry"] = wait_without_booking(world["clinic"], "wanda")
    return world
