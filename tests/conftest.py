"""Fixtures shared by the whole suite."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings as hypothesis_settings

from tests.services import require_chromium

# CI replays the same generated examples on every run (derandomize): a landing is judged on the
# change, not on which corner a random draw found that day. New corners are explored by runs
# outside CI; a counterexample found there is fixed or recorded, not left to fail CI by chance.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls next to
# it unless told the test process knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests make many staff users; Django's production hasher (PBKDF2, a million rounds) would
    spend most of the suite's time hashing. Logging in still checks a real hash."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _staff_second_factor_enforced():
    """Tests run with the second factor required, whatever the developer's environment says."""
    from django.test import override_settings

    with override_settings(STAFF_2FA_REQUIRED=True):
        yield


@pytest.fixture(autouse=True)
def _force_login_completes_the_second_factor(monkeypatch):
    """`client.force_login(staff)` logs in as a real staff login ends: password and second factor.
    tests/staff_login.py has `password_only_login` for the tests of the requirement itself."""
    from django.test import Client

    from tests.staff_login import force_login_with_second_factor

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless, with no background traffic (this machine has no network)."""
    return {
        **browser_type_launch_args,
        "executable_path": require_chromium(),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # axe-core is injected as a script; the app's own CSP would block it (test-only bypass).
    # tests/e2e/test_home_browser.py and tests/e2e/test_questionnaire.py check pages under the real CSP.
    return {**browser_context_args, "bypass_csp": True, "viewport": PHONE}


@pytest.fixture
def phone_page(page) -> Iterator:
    page.set_viewport_size(PHONE)
    yield page


@pytest.fixture
def default_care_plans():
    """The default plans as care_plans 0002 seeds them (a transactional test's flush removes them)."""
    from care_plans.models import CarePlanTemplate

    importlib.import_module("care_plans.migrations.0002_seed_default_care_plans").create_defaults(
        CarePlanTemplate
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    """Each test starts under its own rate limits and with no remembered Redis outage.

    On Redis the counters would outlive the test, and a whole suite's requests from 127.0.0.1
    add up to a 429 in some later test: only the counters' keys are deleted (the same Redis
    database is the broker). On SQLite they live in the database cache table, which no model
    owns: a test's rollback undoes them, a transactional test's flush does not, so after a
    test that used the database the cache table is emptied.
    """
    from django.conf import settings
    from django.core.cache import caches

    import ratelimits

    ratelimits.outage.last_failure = None
    if settings.REDIS_URL:
        client = caches["ratelimit"]._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match="*rl:*", count=1000))
        if keys:
            client.delete(*keys)
    yield
    if not settings.REDIS_URL and "django_db_setup" in request.fixturenames:
        with django_db_blocker.unblock():
            caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _fresh_kept_reads():
    """Each test reads the active sites, types and podiatrists it made, not a list an earlier
    test's rolled-back rows left in this process (booking.prepared.KeptRead)."""
    from booking import selectors

    for kept in selectors.KEPT_READS:
        kept.forget()


@pytest.fixture
def no_running_event_loop(request):
    """Call an async view through Django's sync test client after a browser test.

    Playwright's sync API leaves its event loop marked running in this thread for the session;
    async_to_sync (how Django runs an async view for a sync caller) refuses to run there. No
    server thread ever has one, so the view is called as production calls it.

    Only for transactional tests (django_db(transaction=True)): Django keeps its connections per
    asyncio context, so after this fixture the test reaches a different connection from the one
    a `db` test's transaction was opened on. Its writes then miss that transaction: on SQLite
    they wait on its lock ("database is locked"), on PostgreSQL they commit and outlive the test.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        raise pytest.UsageError("no_running_event_loop is for django_db(transaction=True) tests only")
    import asyncio

    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    yield
    asyncio.events._set_running_loop(loop)
