"""Browser-test helpers: a failed journey leaves a full-page screenshot under var/e2e-failures/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

from tests.demo import load_demo_clinic
from tests.factories.booking import local

FAILURES = Path("var/e2e-failures")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_CALL_REPORT] = report


_CALL_REPORT = pytest.StashKey()


def photograph_if_failed(request, page) -> None:
    """After a test: a full-page screenshot of where it failed, if it did."""
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)


@pytest.fixture
def journey(request, phone_page):
    """A phone-sized page that is photographed (full page) if the test fails."""
    yield phone_page
    photograph_if_failed(request, phone_page)


@pytest.fixture
def demo_wednesday():
    """The demo clinic on Wednesday, March 3, 2027, from 8:00 in Detroit (the first bookable times are
    at 10:00, 2 hours' notice); the clock ticks on from there."""
    with time_machine.travel(local(2027, 3, 3, 8), tick=True):
        load_demo_clinic()
        cache.clear()
        yield
