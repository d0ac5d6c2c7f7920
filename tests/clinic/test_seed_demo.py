from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from booking.models import AppointmentType, Podiatrist, Site, WeeklyShift

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = [
        Site.objects.count(),
        Podiatrist.objects.count(),
        WeeklyShift.objects.count(),
        AppointmentType.objects.count(),
        User.objects.count(),
    ]
    call_command("seed_demo", verbosity=0)
    assert counts == [
        Site.objects.count(),
        Podiatrist.objects.count(),
        WeeklyShift.objects.count(),
        AppointmentType.objects.count(),
        User.objects.count(),
    ]
    assert {s.name for s in Site.objects.all()} == {"Bloomfield Hills", "Howell"}
    assert AppointmentType.objects.count() == 6


def test_seed_demo_uses_only_reserved_example_contact_details():
    call_command("seed_demo", verbosity=0)
    for site in Site.objects.all():
        assert site.front_desk_email.endswith(".example")
        assert "555-01" in site.phone
    assert all(u.email.endswith(".example") for u in User.objects.all())


def test_seed_demo_puts_staff_in_their_groups():
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="frontdesk").groups.filter(name="Front desk").exists()
    assert User.objects.get(username="dr.sample").groups.filter(name="Podiatrist").exists()
    assert Podiatrist.objects.get(user__username="dr.sample").name == "Dr. Avery Sample"
