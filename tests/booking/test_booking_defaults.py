"""What a patient who taps straight through books: the right exam, at the questionnaire's site."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from booking.models import Appointment
from tests.booking.test_booking_views import intake_for
from tests.booking.test_services import NOW, book, make_clinic
from tests.factories.booking import AppointmentTypeFactory, SiteFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        # "Custom orthotics fitting" sorts before "New patient ..." and anyone may book it.
        clinic["orthotics"] = AppointmentTypeFactory(
            slug="orthotics-fitting",
            name="Custom orthotics fitting",
            duration_minutes=30,
            is_new_patient_exam=False,
        )
        clinic["other_site"] = SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills")
        yield clinic


def _checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" id="[^"]+" value="([^"]+)" checked', page)


def test_a_new_patient_gets_the_new_patient_exam_preselected_and_listed_first(client, clinic):
    page = client.get(reverse("booking:start")).content.decode()
    assert _checked(page, "type") == [str(clinic["exam"].pk)]
    assert page.index("New patient heel-pain exam") < page.index("Custom orthotics fitting")
    assert "Custom orthotics fitting (30 minutes)" in page
    assert "Follow-up visit" not in page and "Urgent heel evaluation" not in page


def test_the_site_chosen_in_the_questionnaire_is_preselected(client, clinic):
    intake = intake_for(client, "routine")
    intake.preferred_site = clinic["site"]
    intake.save()
    page = client.get(reverse("booking:start")).content.decode()
    assert _checked(page, "site") == [str(clinic["site"].pk)]


def test_without_a_preferred_site_either_site_is_preselected(client, clinic):
    intake_for(client, "routine")
    assert _checked(client.get(reverse("booking:start")).content.decode(), "site") == ["any"]


def test_a_returning_patient_gets_the_follow_up_preselected(client, clinic):
    with time_machine.travel(local(2027, 3, 1, 9), tick=False):
        book(clinic, patient_email="sam@mail.example", start=local(2027, 3, 2, 9))
    Appointment.objects.update(status=Appointment.Status.COMPLETED)
    intake_for(client, "routine")  # sam@mail.example
    page = client.get(reverse("booking:start")).content.decode()
    assert _checked(page, "type") == [str(clinic["follow_up"].pk)]
