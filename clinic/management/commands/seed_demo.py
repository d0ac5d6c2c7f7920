"""Create or update the synthetic demo clinic. Safe to run again: it never duplicates.

Each app keeps its own demo data (booking/demo.py, intake/demo.py); this command puts them
together and adds the demo staff logins.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import roles
from booking import demo as booking_demo
from booking.models import Podiatrist
from intake.demo import create_demo_intakes

# username, group, podiatrist name or None; the password is printed by `make run` in development.
STAFF_USERS = [
    ("frontdesk", roles.FRONT_DESK, None),
    ("dr.sample", roles.PODIATRIST, "Dr. Avery Sample"),
]
DEMO_PASSWORD = "demo-clinic-2026"


class Command(BaseCommand):
    help = "Load the synthetic demo clinic (sites, podiatrists, schedules, types, staff users)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--print-logins", action="store_true", help="Print demo staff logins (development only)"
        )

    @transaction.atomic
    def handle(self, *args: Any, print_logins: bool = False, **options: Any) -> None:
        if not settings.DEBUG:
            # Demo logins with known passwords have no place on a server with patients' data.
            raise CommandError("seed_demo loads demo data and logins: development only (DEBUG on).")
        sites, podiatrists = booking_demo.create_demo_booking()
        admin_password = self._staff()
        intakes = create_demo_intakes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {len(sites)} sites, {len(podiatrists)} podiatrists, "
                f"{len(booking_demo.APPOINTMENT_TYPES)} appointment types, {len(intakes)} new demo intakes."
            )
        )
        if print_logins:
            if not settings.DEBUG:
                raise CommandError("Demo logins are printed only in development (DEBUG on).")
            self.stdout.write("Demo staff logins (development only):")
            for username, group, _ in STAFF_USERS:
                self.stdout.write(f"  {group:<12} {username} / {DEMO_PASSWORD}")
            if admin_password:
                self.stdout.write(f"  {'Admin':<12} admin / {admin_password}  (made now: note it)")
            else:
                self.stdout.write(f"  {'Admin':<12} admin (its password was printed when it was made)")

    def _staff(self) -> str:
        """The demo staff; returns the superuser's new random password when it is made now, else ''."""
        for username, group_name, podiatrist_name in STAFF_USERS:
            group, _ = Group.objects.get_or_create(name=group_name)
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@clinic.example"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            if podiatrist_name:
                Podiatrist.objects.filter(name=podiatrist_name).update(user=user)
        if User.objects.filter(username="admin").exists():
            return ""
        # Never a password from the source for a superuser: a random one, shown once.
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@clinic.example", password)
        return password
