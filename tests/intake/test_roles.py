"""The roles migration: groups "Front desk" and "Podiatrist" and what each may do."""

from __future__ import annotations

import pytest

from tests.booking.personas import role

pytestmark = pytest.mark.django_db


def _perms(name):
    group = role(name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_front_desk_views_and_changes_intakes_and_books_but_deletes_nothing():
    perms = _perms("Front desk")
    assert {
        "intake.view_intake",
        "intake.change_intake",
        "booking.add_appointment",
        "booking.change_patient",
        "booking.view_site",
        "booking.view_weeklyshift",
        "booking.view_appointmenttype",
    } <= perms
    assert not any(p.split(".")[1].startswith("delete_") for p in perms)


def test_a_podiatrist_views_intakes_and_changes_appointments_only():
    # Other apps (care plans) add their own permissions to the role; this migration owns these two.
    mine = {p for p in _perms("Podiatrist") if p.split(".")[0] in {"intake", "booking"}}
    assert mine == {
        "intake.view_intake",
        "booking.view_appointment",
        "booking.change_appointment",
        "booking.view_patient",
    }
