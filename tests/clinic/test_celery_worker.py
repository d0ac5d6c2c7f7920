"""A real task through the real broker (Redis in CI's first run) to a real worker and back."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from clinic.tasks import ping
from tests.services import celery_worker, require_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_readiness():
    from clinic.health import recent

    recent.clear()
    yield
    recent.clear()


@pytest.fixture
def worker(tmp_path):
    if settings.REDIS_URL:
        require_redis()
    with celery_worker(tmp_path=tmp_path) as proc:
        yield proc


def test_a_task_goes_through_the_broker_to_a_worker_and_its_result_comes_back(worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    print(f"celery round trip ok via broker={broker}")
    assert broker == ("redis" if settings.REDIS_URL else "filesystem")


def _healthz(live_server) -> tuple[int, dict[str, str]]:
    """GET /healthz/ready over real HTTP (async view: a browser test's event loop may own the thread)."""
    try:
        with urllib.request.urlopen(f"{live_server.url}/healthz/ready?format=json", timeout=30) as response:
            return response.status, json.loads(response.read())["checks"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["checks"]


def test_healthz_reports_database_cache_and_worker_healthy(worker, live_server):
    status, checks = _healthz(live_server)
    assert status == 200, checks
    assert set(checks) >= {"Database", "Cache", "Broker", "WorkerRoundTrip", "Messages", "RateLimits"}
    assert all(value == "OK" for value in checks.values()), checks


def test_healthz_fails_when_no_worker_answers(live_server):
    from clinic.celery import app

    app.control.purge()
    status, checks = _healthz(live_server)
    assert status == 503
    assert any("WorkerRoundTrip" in name and value != "OK" for name, value in checks.items()), checks


def test_healthz_in_a_browser_is_an_html_page_naming_each_check(live_server):
    """What an operator sees with curl or a browser (no ?format=json): a page, not a server error."""
    request = urllib.request.Request(f"{live_server.url}/healthz/ready", headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:  # no worker here: unhealthy, and still a page
        status, body = error.code, error.read().decode()
    assert status == 503
    assert "TemplateDoesNotExist" not in body and "<html" in body.lower()
    assert "Database" in body and "WorkerRoundTrip" in body
