"""Loading the demo clinic in tests: seed_demo is a development command (it refuses DEBUG off, and
pytest-django runs tests with DEBUG off), so tests run it as development would."""

from __future__ import annotations

from django.core.management import call_command
from django.test import override_settings


def load_demo_clinic() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
