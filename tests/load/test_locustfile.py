"""`make load`'s locustfile imports, asks only for pages the portal serves, and reads what it needs
off the real pages (sites, types, free times, the details form's keys). No load is run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import time_machine
from django.urls import resolve

from tests.booking.test_services import NOW, make_clinic
from tests.load.pages import FIRST_STEP, MANAGE_LINK, PATHS, hidden_value, radio_values
from tests.load.run import LOCUSTFILE, REPO, benchmark_clinic, report

# Imported in a process of its own: importing Locust monkey-patches the process with gevent.
DESCRIBE = """
import importlib.util, json, sys
from locust import HttpUser
spec = importlib.util.spec_from_file_location("locustfile", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
users = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, HttpUser)]
print(json.dumps({u.__name__: sorted({t.__name__ for t in u.tasks}) for u in users if not u.abstract}))
"""

VIEW_OF = {
    "home": "home",
    "questionnaire start": "intake:start",
    "booking start": "booking:start",
    "times": "booking:slots",
    "details": "booking:details",
    "readiness": "healthz_ready",
    "staff login": "staff_login",
    "second factor": "accounts:second_factor",
    "intake queue": "admin:intake_intake_changelist",
    "day view": "admin:booking_appointment_day",
}


def test_the_locustfile_imports_with_a_patient_who_books_front_desk_staff_and_a_readiness_monitor():
    command = [sys.executable, "-c", DESCRIBE, str(LOCUSTFILE)]
    described = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert described.returncode == 0, described.stderr
    users = json.loads(described.stdout.strip().splitlines()[-1])
    assert users == {
        "Patient": ["book", "home", "questionnaire_start", "times"],
        "Staff": ["day_view", "intake_queue"],
        "Monitor": ["readiness"],
    }


def test_every_path_the_load_test_asks_for_is_the_portal_page_it_means():
    assert {name: resolve(path).view_name for name, path in PATHS.items()} == VIEW_OF


@pytest.mark.django_db
def test_the_page_readers_find_sites_types_times_and_the_booking_forms_keys(client):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        start = client.get(PATHS["booking start"]).content.decode()
        sites = [value for value in radio_values(start, "site") if value.isdigit()]
        types = radio_values(start, "type")
        assert sites == [str(clinic["site"].pk)]
        assert types[0] == str(clinic["exam"].pk)  # the new-patient exam comes first

        query = {"site": sites[0], "type": types[0], "podiatrist": "any", "day": "2027-03-10"}
        slots = radio_values(client.get(PATHS["times"], query).content.decode(), "slot")
        assert len(slots) > 5

        details = client.get(PATHS["details"], {"slot": slots[0], "type": types[0]}).content.decode()
        assert hidden_value(details, "csrfmiddlewaretoken")
        key = hidden_value(details, "idempotency_key")
        assert key in client.session["booking_keys"]

        form = {"slot": slots[0], "type": types[0], "idempotency_key": key}
        form |= {"name": "Load Patient", "email": "load@mail.example", "phone": "", "date_of_birth": ""}
        booked = client.post(PATHS["details"], form)
        done = client.get(booked["Location"]).content.decode()
        manage = MANAGE_LINK.search(done)
        assert manage and resolve(manage.group(1)).view_name == "booking:manage"
        reschedule = client.get(f"{manage.group(1)}reschedule/", {"day": "2027-03-10"}).content.decode()
        assert len(radio_values(reschedule, "slot")) > 5
        assert hidden_value(reschedule, "csrfmiddlewaretoken")
        assert hidden_value(reschedule, "type") == types[0]
        cancel = client.get(f"{manage.group(1)}cancel/").content.decode()
        assert hidden_value(cancel, "csrfmiddlewaretoken")

        questionnaire = client.get(PATHS["questionnaire start"]).content.decode()
        first_step = FIRST_STEP.search(questionnaire)
        assert first_step and resolve(first_step.group(1)).view_name == "intake:step"


@pytest.mark.django_db
def test_the_benchmark_clinic_fills_the_tables_but_patients_see_only_the_demo_sites(client):
    from booking.models import Appointment

    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        benchmark_clinic(300)
        assert Appointment.objects.exclude(site=clinic["site"]).count() == 300
        start = client.get(PATHS["booking start"]).content.decode()
        assert [value for value in radio_values(start, "site") if value.isdigit()] == [str(clinic["site"].pk)]
        assert "Bench" not in start  # neither its site, its podiatrists nor its exam is offered


def test_the_report_counts_patients_5xx_and_lists_a_not_ready_probe_apart():
    recorded = {
        "answers": {
            "times": [[200, 120.0], [500, 90.0]],
            "book (POST details)": [[302, 300.0], [409, 250.0]],
            "readiness": [[200, 40.0], [503, 3000.0]],
        },
        "just_taken": {"book (POST details)": 1},
        "window": [0.0, 2.0],
        "not_ready": {"WorkerRoundTrip: No Celery worker answered: TimeoutError": 1},
    }
    text, server_errors = report(
        recorded=recorded,
        settings={"database": "SQLite", "double bookings": "0"},
        cpu_seconds_used=0.06,
        emails={"owed": 3, "sent": 2, "skipped": 1, "failed": 1, "waited": 120},
        locust_cpu_seconds=0.03,
    )
    assert server_errors == 1
    assert "| times | 2 | 1.0 | 1 | 90 | 120 | 120 | 120 |" in text
    assert '- bookings made: 1; rescheduled: 0; cancelled: 0; "That time was just taken": 1 bookings' in text
    assert "emails owed by the end of the run: 3, sent: **2**" in text
    assert '2 answers, 1 of them 503 "not ready"; WorkerRoundTrip: No Celery worker answered' in text
    assert "gunicorn CPU per request: 10.0 ms" in text
    assert "Locust's own CPU per request: 5.0 ms" in text
