"""The personas of every test (one definition), and a clinic they work in.

Personas (style.md): Fran at the front desk, Dr. Pat Sole the podiatrist (a second podiatrist is
`podiatrist_user(clinic.heel, "dr.heel")`), Sam who is staff without a role, Bob
who has an account but is not staff, Ada the superuser (who still cannot delete an appointment), a
patient holding their manage link, and an anonymous visitor. Tests of other areas name their own
people (`front_desk_user("frankie")`); what each persona may do is defined here only. Group
permissions are the roles the project's role migrations define (tests/roles.py), so the tests check
what the real roles can do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.test import Client

from booking.links import manage_url
from booking.models import Appointment, AppointmentType, Podiatrist, Site
from tests.factories.booking import (
    AppointmentFactory,
    AppointmentTypeFactory,
    PatientFactory,
    PodiatristFactory,
    SiteFactory,
    WeeklyShiftFactory,
    local,
)
from tests.roles import staff_group

# Monday 2027-03-01, 07:00 in Detroit: before opening on a working day.
NOW = local(2027, 3, 1, 7)
DAY = dt.date(2027, 3, 1)

FRONT_DESK_PASSWORD = "pw-front-desk"
PODIATRIST_PASSWORD = "pw-podiatrist"


def role(name: str) -> Group:
    """The group with the role's permissions (re-made when a transactional test flushed it)."""
    return staff_group(name)


def front_desk_user(username: str = "fran") -> User:
    # get_or_create: in the PostgreSQL run a row from an earlier test was still there once (see
    # the closing note of 2026-11-29); the persona is the same person either way.
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@clinic.example", "is_staff": True}
    )
    user.is_staff = True
    user.set_password(FRONT_DESK_PASSWORD)
    user.save()
    user.groups.add(role("Front desk"))
    return user


def podiatrist_user(podiatrist: Podiatrist | None = None, username: str = "dr.sole") -> User:
    """A podiatrist's login; linked to `podiatrist` (their schedule and visits) when given."""
    user = User.objects.create_user(
        username, f"{username}@clinic.example", PODIATRIST_PASSWORD, is_staff=True
    )
    user.groups.add(role("Podiatrist"))
    if podiatrist is not None:
        podiatrist.user = user
        podiatrist.save(update_fields=["user"])
    return user


def staff_without_role(username: str = "sam") -> User:
    """The staff flag, no group, no permissions."""
    return User.objects.create_user(username, f"{username}@clinic.example", "pw-no-role", is_staff=True)


def non_staff_user(username: str = "bob") -> User:
    return User.objects.create_user(username, f"{username}@mail.example", "pw-not-staff")


def superuser(username: str = "ada") -> User:
    return User.objects.create_superuser(username, f"{username}@clinic.example", "pw-admin")


def client_for(user: User | None) -> Client:
    """A browser logged in as `user`; None is the anonymous visitor."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def link_holder(appointment: Appointment) -> Client:
    """The patient of `appointment`, not logged in, who has opened the manage link from their email."""
    client = Client()
    client.get(manage_url(appointment, absolute=False))
    return client


@dataclass
class Clinic:
    site: Site
    other_site: Site
    exam: AppointmentType
    follow_up: AppointmentType
    sole: Podiatrist
    heel: Podiatrist


def make_clinic() -> Clinic:
    """Two sites open Mon-Fri; Dr. Sole and Dr. Heel both work Mondays at the first site."""
    site = SiteFactory(slug="howell", name="Howell")
    other_site = SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills", city="Bloomfield Hills")
    sole = PodiatristFactory(name="Dr. Pat Sole")
    heel = PodiatristFactory(name="Dr. Robin Heel")
    for podiatrist in (sole, heel):
        WeeklyShiftFactory(podiatrist=podiatrist, site=site, weekday=0)
        WeeklyShiftFactory(podiatrist=podiatrist, site=other_site, weekday=1)
    follow_up = AppointmentTypeFactory(
        slug="follow-up",
        name="Follow-up visit",
        duration_minutes=20,
        bookable_by=AppointmentType.BookableBy.RETURNING,
        is_new_patient_exam=False,
    )
    return Clinic(
        site=site,
        other_site=other_site,
        exam=AppointmentTypeFactory(),
        follow_up=follow_up,
        sole=sole,
        heel=heel,
    )


def appointments(
    clinic: Clinic, count: int, *, day: dt.date = DAY, site: Site | None = None, after: int = 0
) -> list[Appointment]:
    """`count` back-to-back 20-minute follow-ups from 08:00, alternating the two podiatrists.

    `after` skips that many places, to add to a day without overlapping what is there.
    """
    made = []
    for i in range(after, after + count):
        podiatrist = clinic.sole if i % 2 == 0 else clinic.heel
        start = local(day.year, day.month, day.day, 8) + dt.timedelta(minutes=20 * (i // 2))
        made.append(
            AppointmentFactory(
                site=site or clinic.site,
                podiatrist=podiatrist,
                type=clinic.follow_up,
                patient=PatientFactory(),
                start=start,
            )
        )
    return made
