"""factory-boy factories for the booking models. Synthetic data only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from booking.models import (
    Appointment,
    AppointmentType,
    Closure,
    OpeningHours,
    Patient,
    Podiatrist,
    Site,
    TimeOff,
    WeeklyShift,
)

DETROIT = ZoneInfo("America/Detroit")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in America/Detroit (the sites' zone)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=DETROIT)


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"Test Site {n}")
    address = "1 Example Way"
    city = "Howell"
    postcode = "48843"
    phone = "(517) 555-0199"
    front_desk_email = factory.LazyAttribute(lambda o: f"{o.slug}@clinic.example")
    urgent_hold_starts: list[str] = []

    @factory.post_generation
    def weekdays(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Open Monday-Friday 08:00-17:00 unless `weekdays=[...]` says otherwise."""
        if not create:
            return
        days = extracted if extracted is not None else range(5)
        for weekday in days:  # type: ignore[attr-defined]
            OpeningHours.objects.get_or_create(
                site=self, weekday=weekday, defaults={"opens": dt.time(8), "closes": dt.time(17)}
            )


class PodiatristFactory(DjangoModelFactory):
    class Meta:
        model = Podiatrist

    name = factory.Sequence(lambda n: f"Dr. Test Podiatrist {n}")
    email = factory.Sequence(lambda n: f"podiatrist{n}@clinic.example")


class WeeklyShiftFactory(DjangoModelFactory):
    class Meta:
        model = WeeklyShift

    podiatrist = factory.SubFactory(PodiatristFactory)
    site = factory.SubFactory(SiteFactory)
    weekday = 0
    start = dt.time(8)
    end = dt.time(17)


class ClosureFactory(DjangoModelFactory):
    class Meta:
        model = Closure

    site = factory.SubFactory(SiteFactory)
    date = dt.date(2027, 1, 1)
    reason = "Holiday"


class TimeOffFactory(DjangoModelFactory):
    class Meta:
        model = TimeOff

    podiatrist = factory.SubFactory(PodiatristFactory)
    start = factory.LazyFunction(lambda: local(2027, 3, 2, 8))
    end = factory.LazyFunction(lambda: local(2027, 3, 2, 17))


class AppointmentTypeFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ("slug",)

    slug = "new-patient-exam"
    name = "New patient heel-pain exam"
    duration_minutes = 40
    buffer_minutes = 0
    bookable_by = AppointmentType.BookableBy.ANYONE
    is_new_patient_exam = True


class PatientFactory(DjangoModelFactory):
    class Meta:
        model = Patient
        django_get_or_create = ("email",)

    name = factory.Sequence(lambda n: f"Pat Example {n}")
    email = factory.Sequence(lambda n: f"patient{n}@mail.example")
    phone = "(248) 555-0142"
    date_of_birth = dt.date(1985, 6, 1)


class AppointmentFactory(DjangoModelFactory):
    """An appointment written directly (bypassing the booking service: for fixtures only)."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    site = factory.SubFactory(SiteFactory)
    podiatrist = factory.SubFactory(PodiatristFactory)
    type = factory.SubFactory(AppointmentTypeFactory)
    start = factory.LazyFunction(lambda: local(2027, 3, 1, 9))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=o.type.duration_minutes))
    blocked_until = factory.LazyAttribute(lambda o: o.end + dt.timedelta(minutes=o.type.buffer_minutes))
