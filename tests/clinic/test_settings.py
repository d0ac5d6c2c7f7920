"""Settings come from the environment and fail loudly when misconfigured."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.services import REPO

PROD_ENV = {
    "DEBUG": "no",
    "SECRET_KEY": "test-only-9f2c7a41e8b35d06c1f4a7e92b8d3c5f60e1a4b7c9d2f8e3a5b6c7d8",
    "ALLOWED_HOSTS": "portal.clinic.example",
    "DATABASE_URL": "sqlite:///var/deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_no_warnings_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_production_without_a_secret_key():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_production_without_allowed_hosts():
    env = {**PROD_ENV, "ALLOWED_HOSTS": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_rejects_a_debug_value_it_cannot_read():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_it_rejects_a_malformed_database_url():
    result = _manage("check", env={"DATABASE_URL": "nonsense-without-scheme"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_it_keeps_times_in_utc_and_shows_detroit(settings):
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "America/Detroit"


def test_sessions_and_cache_are_shared_between_processes(settings):
    from importlib import import_module

    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

    # In the database (Django's backend, its one read prepared: clinic/sessions.py), not in a process.
    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, DatabaseSessionStore)
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
