"""factory-boy factories for care plans. Synthetic data only."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from care_plans.defaults import CALL_SOONER
from care_plans.models import CarePlan, CarePlanTemplate
from tests.factories.booking import AppointmentFactory


class CarePlanTemplateFactory(DjangoModelFactory):
    class Meta:
        model = CarePlanTemplate
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Test plan {n}")
    fits = ["plantar_fasciitis"]
    fits_text = "First-step pain under the heel"
    phases = [{"title": "Phase 1: calm it", "goal": "Settle it", "steps": ["Ice massage under the arch"]}]
    time_course = "Weeks"
    call_sooner = list(CALL_SOONER)


class CarePlanFactory(DjangoModelFactory):
    class Meta:
        model = CarePlan

    appointment = factory.SubFactory(AppointmentFactory)
    template = factory.SubFactory(CarePlanTemplateFactory)
    note = "Keep the night splint on."
    content = factory.LazyAttribute(lambda o: {"title": o.template.title, "phases": o.template.phases})
    sent_at = factory.LazyFunction(lambda: dt.datetime(2027, 3, 1, 15, tzinfo=dt.UTC))
