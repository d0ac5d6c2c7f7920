from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from booking.models import AppointmentType, Podiatrist, Site, WeeklyShift
from clinic.management.commands import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True  # pytest-django runs tests with DEBUG off; seed_demo is for development


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_the_demo_superuser_gets_a_random_password_printed_once():
    out = io.StringIO()
    call_command("seed_demo", "--print-logins", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "admin /" in line)
    password = line.split(" / ")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert password not in Path(seed_demo.__file__).read_text()
    again = io.StringIO()
    call_command("seed_demo", "--print-logins", stdout=again)
    assert password not in again.getvalue()


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
