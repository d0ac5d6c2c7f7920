"""Create or update the synthetic demo clinic. Safe to run again: it never duplicates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from booking.models import AppointmentType, OpeningHours, Podiatrist, Site, WeeklyShift
from clinic import demo
from intake.demo import create_demo_intakes


class Command(BaseCommand):
    help = "Load the synthetic demo clinic (sites, podiatrists, schedules, types, staff users)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--print-logins", action="store_true", help="Print demo staff logins (development only)"
        )

    @transaction.atomic
    def handle(self, *args: Any, print_logins: bool = False, **options: Any) -> None:
        sites = self._sites()
        podiatrists = self._podiatrists(sites)
        self._types()
        self._staff(podiatrists)
        intakes = create_demo_intakes()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {len(sites)} sites, {len(podiatrists)} podiatrists, "
                f"{len(demo.APPOINTMENT_TYPES)} appointment types, {len(intakes)} new demo intakes."
            )
        )
        if print_logins:
            if not settings.DEBUG:
                raise CommandError("Demo logins are printed only in development (DEBUG on).")
            self.stdout.write("Demo staff logins (development only):")
            for username, group, _ in demo.STAFF_USERS:
                self.stdout.write(f"  {group:<12} {username} / {demo.DEMO_PASSWORD}")
            self.stdout.write(f"  {'Admin':<12} admin / {demo.DEMO_PASSWORD}")

    def _sites(self) -> dict[str, Site]:
        sites = {}
        for data in demo.SITES:
            fields = {k: v for k, v in data.items() if k != "slug"}
            site, _ = Site.objects.update_or_create(slug=data["slug"], defaults=fields)
            for weekday in range(5):
                OpeningHours.objects.update_or_create(
                    site=site, weekday=weekday, defaults={"opens": demo.OPENING[0], "closes": demo.OPENING[1]}
                )
            sites[site.slug] = site
        return sites

    def _podiatrists(self, sites: dict[str, Site]) -> dict[str, Podiatrist]:
        podiatrists = {}
        for name, local_part, days in demo.PODIATRISTS:
            podiatrist, _ = Podiatrist.objects.update_or_create(
                name=name, defaults={"email": f"{local_part}@clinic.example"}
            )
            podiatrist.shifts.all().delete()
            for weekday, slug in days.items():
                WeeklyShift.objects.create(
                    podiatrist=podiatrist,
                    site=sites[slug],
                    weekday=weekday,
                    start=demo.OPENING[0],
                    end=demo.OPENING[1],
                )
            podiatrists[name] = podiatrist
        name, weekday, parts = demo.SPLIT_DAY
        for slug, start, end in parts:
            WeeklyShift.objects.create(
                podiatrist=podiatrists[name], site=sites[slug], weekday=weekday, start=start, end=end
            )
        first = podiatrists[demo.PODIATRISTS[0][0]]
        Podiatrist.objects.filter(pk=first.pk).update(is_on_call=True)
        return podiatrists

    def _types(self) -> None:
        for slug, name, minutes, bookable_by, uses_hold, is_exam in demo.APPOINTMENT_TYPES:
            AppointmentType.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "duration_minutes": minutes,
                    "bookable_by": bookable_by,
                    "uses_urgent_hold": uses_hold,
                    "is_new_patient_exam": is_exam,
                },
            )

    def _staff(self, podiatrists: dict[str, Podiatrist]) -> None:
        for username, group_name, podiatrist_name in demo.STAFF_USERS:
            group, _ = Group.objects.get_or_create(name=group_name)
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@clinic.example"}
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            if podiatrist_name:
                Podiatrist.objects.filter(name=podiatrist_name).update(user=user)
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@clinic.example", demo.DEMO_PASSWORD)
