"""Smoke test: every staff template renders with realistic data (zulip's test_templates.py idea).

Each staff page is requested as a front-desk user with a day full of appointments in every
status, an intake, held urgent capacity and a lost race; then every template file under
templates/admin/booking/ and templates/booking/staff/ must have been rendered at least once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from booking.models import Appointment
from booking.staff_forms import slot_value
from intake.models import Intake
from tests.booking.personas import (
    DAY,
    NOW,
    appointments,
    front_desk_user,
    make_clinic,
    podiatrist_user,
)
from tests.factories.booking import AppointmentFactory, PatientFactory, local

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STAFF_TEMPLATE_DIRS = [TEMPLATES / "admin" / "booking", TEMPLATES / "booking" / "staff"]


def staff_templates() -> set[str]:
    return {
        str(path.relative_to(TEMPLATES)) for folder in STAFF_TEMPLATE_DIRS for path in folder.rglob("*.html")
    }


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def busy_day():
    clinic = make_clinic()
    clinic.site.urgent_hold_starts = ["10:00", "14:00"]
    clinic.site.save()
    made = appointments(clinic, 8, after=20)  # from 11:20 on, leaving the morning free
    statuses = [s for s, _ in Appointment.Status.choices]
    for appointment, status in zip(made, statuses, strict=False):
        Appointment.objects.filter(pk=appointment.pk).update(status=status)
    intake = Intake.objects.create(
        name="Ivy O'Intake",
        email="ivy@mail.example",
        phone="(248) 555-0155",
        answers={},
        assessment={},
        triage_version="test",
        urgency="urgent",
        urgency_rank=1,
    )
    Appointment.objects.filter(pk=made[-1].pk).update(intake=intake)
    taken = AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        patient=PatientFactory(name="Zoë <Angle> Brackets"),
    )
    return clinic, made, taken


def test_every_staff_template_renders_with_realistic_data(client, busy_day):
    clinic, made, taken = busy_day
    client.force_login(front_desk_user())
    book_url = (
        f"{reverse('admin:booking_appointment_book')}?site={clinic.site.pk}&type={clinic.exam.pk}"
        f"&podiatrist=&date={DAY.isoformat()}"
    )
    requests = [
        ("get", reverse("admin:booking_appointment_changelist"), {}),
        ("get", reverse("admin:booking_appointment_change", args=[made[0].pk]), {}),
        ("get", reverse("admin:booking_appointment_change", args=[made[-1].pk]), {}),
        ("get", reverse("admin:booking_appointment_day"), {"site": clinic.site.pk, "date": DAY.isoformat()}),
        ("get", reverse("admin:booking_appointment_day"), {"site": clinic.other_site.pk}),
        ("get", reverse("admin:booking_appointment_status", args=[made[0].pk]), {}),
        ("get", reverse("admin:booking_appointment_status", args=[made[-1].pk]), {}),
        ("get", reverse("admin:booking_appointment_book"), {}),
        ("get", book_url, {}),
        # A lost race: the nearest free times instead.
        (
            "post",
            book_url,
            {
                "slot": slot_value(site_id=clinic.site.pk, podiatrist_id=clinic.sole.pk, start=taken.start),
                "patient_name": "Late Caller",
                "patient_email": "late@mail.example",
                "idempotency_key": "smoke",
            },
        ),
        ("get", reverse("admin:booking_appointment_move", args=[taken.pk]), {}),
        ("get", reverse("admin:booking_appointment_move", args=[made[4].pk]), {}),  # cancelled
        # The appointment list's cancel action asks first, naming the patients (escaped).
        (
            "post",
            reverse("admin:booking_appointment_changelist"),
            {"action": "cancel_appointments", "_selected_action": [a.pk for a in made[:3]]},
        ),
        ("get", reverse("staff:today"), {"site": clinic.site.pk}),
        ("get", reverse("staff:today"), {"date": "2027-03-06"}),  # an empty Saturday
    ]
    rendered: set[str] = set()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        assert "Zoë &lt;Angle&gt; Brackets" in html or "Angle" not in html, url  # escaped, never raw
        rendered |= {t.name for t in response.templates if t.name}
    missing = staff_templates() - rendered
    assert not missing, f"staff templates never rendered: {sorted(missing)}"


def test_the_podiatrists_list_renders_for_a_podiatrist_with_an_intake(client, busy_day):
    clinic, made, _ = busy_day
    client.force_login(podiatrist_user(clinic.heel))
    response = client.get(reverse("staff:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pre-visit summary" in html
    assert "Questionnaire not done yet" in html
