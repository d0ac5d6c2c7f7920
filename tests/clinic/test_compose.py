"""docker-compose.yml cannot run here (no Docker engine), so check what it points at is real."""

from __future__ import annotations

import importlib

import pytest
import yaml
from django.core.management import get_commands

from tests.services import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
APP_SERVICES = ["migrate", "retriage", "web", "worker", "beat"]


def _command(service: str) -> list[str]:
    return COMPOSE["services"][service]["command"]


def test_the_stack_has_every_production_service():
    assert set(COMPOSE["services"]) >= {"postgres", "redis", "web", "worker", "beat", "mailpit"}
    for name in ("postgres", "redis", "web", "worker", "mailpit"):
        assert "healthcheck" in COMPOSE["services"][name], name
    assert {"pgdata", "redisdata"} <= set(COMPOSE["volumes"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_use_the_real_settings_module(service):
    env = COMPOSE["services"][service]["environment"]
    module = importlib.import_module(env["DJANGO_SETTINGS_MODULE"])
    assert hasattr(module, "DATABASES")
    assert env["DEBUG"] == "no"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")


def test_web_serves_the_real_wsgi_application_with_gunicorn():
    command = _command("web")
    assert command[0] == "gunicorn"
    module_name, attr = command[1].split(":")
    assert callable(getattr(importlib.import_module(module_name), attr))
    assert "--no-control-socket" in command


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_name_the_real_celery_app(service):
    command = _command(service)
    assert command[:2] == ["celery", "-A"]
    app_module = importlib.import_module(command[2])
    assert app_module.celery_app.main == "clinic"
    assert command[3] == service


def test_management_commands_in_the_stack_exist():
    for service in APP_SERVICES:
        command = _command(service)
        if command[:2] == ["python", "manage.py"]:
            assert command[2] in get_commands(), command


def test_the_web_healthcheck_calls_the_liveness_url_that_production_mode_answers():
    from django.test import Client, override_settings

    probe = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/live" in probe
    # As compose runs it: plain http, Host 127.0.0.1:8000, DEBUG off with the https redirect on.
    with override_settings(DEBUG=False, SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["clinic.example"]):
        response = Client().get("/healthz/live", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200


def test_every_long_running_service_has_a_healthcheck():
    for name, service in COMPOSE["services"].items():
        if service.get("restart") == "no" or name in {"migrate", "retriage"}:
            continue
        assert service.get("healthcheck", {}).get("test"), name


def test_each_deploy_re_triages_the_waiting_intakes_after_migrating():
    service = COMPOSE["services"]["retriage"]
    assert service["command"] == ["python", "manage.py", "retriage"]
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
