"""What the staff roles (the real groups from the roles migration) may do with appointments."""

from __future__ import annotations

import pytest

from tests.booking.personas import front_desk_user, podiatrist_user
from tests.factories.booking import PodiatristFactory

pytestmark = pytest.mark.django_db


def test_it_gives_the_front_desk_role_booking_and_moving_but_not_deleting():
    user = front_desk_user()
    assert user.has_perms(
        ["booking.view_appointment", "booking.add_appointment", "booking.change_appointment"]
    )
    assert not user.has_perm("booking.delete_appointment")


def test_it_gives_the_podiatrist_role_status_changes_but_not_booking():
    user = podiatrist_user(PodiatristFactory())
    assert user.has_perm("booking.change_appointment")
    assert not user.has_perm("booking.add_appointment")
