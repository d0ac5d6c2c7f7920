"""A real task through the real broker (Redis in CI's first run) to a real worker and back."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from clinic.tasks import ping
from tests.services import celery_worker, require_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


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


def test_healthz_reports_database_cache_and_worker_healthy(worker, client):
    response = client.get("/healthz?format=json")
    assert response.status_code == 200, response.content
    checks = json.loads(response.content)
    assert any("WorkerRoundTrip" in name for name in checks), checks
    assert all(value == "OK" for value in checks.values()), checks


def test_healthz_fails_when_no_worker_answers(client, settings):
    from clinic.celery import app

    app.control.purge()
    response = client.get("/healthz?format=json")
    assert response.status_code == 500
    checks = json.loads(response.content)
    assert any("WorkerRoundTrip" in name and value != "OK" for name, value in checks.items()), checks
