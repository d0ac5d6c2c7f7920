"""Health in two: /healthz/live asks nothing and answers anyone; /healthz/ready checks everything,
for loopback or a token only, and caches its answer for a few seconds."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from clinic.health import recent
from messaging.models import OutgoingMessage
from messaging.trouble import digest_text, message_trouble, send_digest
from tests.booking.personas import front_desk_user

pytestmark = pytest.mark.django_db


# The readiness checks run in threads with their own connections. Inside a test's transaction
# on SQLite they would wait on its locks, so a test that runs them is transactional. It calls the
# async view with no event loop running in the test thread (tests/conftest.py says why that must
# not meet a test transaction).
def runs_the_checks(test):
    marked = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.usefixtures("no_running_event_loop")(marked)


@pytest.fixture(autouse=True)
def _fresh():
    recent.clear()
    yield
    recent.clear()


@override_settings(DEBUG=False, SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["clinic.example"])
def test_liveness_answers_plain_http_on_any_host_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz/live", HTTP_HOST="10.1.2.3:8000", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@runs_the_checks  # the async view, though it answers before any check
def test_readiness_is_not_found_from_a_remote_address_without_the_token():
    response = Client(REMOTE_ADDR="198.51.100.9").get("/healthz/ready?format=json")
    assert response.status_code == 404


@runs_the_checks
@override_settings(HEALTH_TOKEN="s3cret-health-token")
def test_readiness_answers_a_remote_address_with_the_token_and_names_every_check():
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert client.get("/healthz/ready", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/healthz/ready?format=json", HTTP_AUTHORIZATION="Bearer s3cret-health-token")
    assert response.status_code in (200, 503)  # no worker runs in this test
    checks = response.json()["checks"]
    assert set(checks) == {"Database", "Cache", "Broker", "WorkerRoundTrip", "Messages", "RateLimits"}
    assert checks["Database"] == "OK"


@runs_the_checks
def test_readiness_is_cached_so_a_burst_of_probes_runs_the_checks_once(monkeypatch):
    import clinic.health

    runs = []

    def counted(*args, **kwargs):
        runs.append(1)
        return {"failed": 0, "stuck": 0}

    monkeypatch.setattr(clinic.health, "message_trouble", counted)
    client = Client()
    first = client.get("/healthz/ready?format=json").json()
    second = client.get("/healthz/ready?format=json").json()
    assert first == second
    assert len(runs) == 1
    recent.clear()
    client.get("/healthz/ready?format=json")
    assert len(runs) == 2  # once the answer is old, the checks run again


def _message(status: str, minutes_ago: int, key: str) -> OutgoingMessage:
    return OutgoingMessage.objects.create(
        kind=OutgoingMessage.Kind.REMINDER,
        key=key,
        subject="appointment:1",
        recipients=["pat@mail.example"],
        scheduled_for=timezone.now() - timezone.timedelta(minutes=minutes_ago),
        status=status,
    )


@runs_the_checks
def test_failed_and_stuck_messages_are_counted_and_warned_about_without_failing_readiness():
    _message(OutgoingMessage.Status.FAILED, 60, "a")
    _message(OutgoingMessage.Status.PENDING, 30, "b")  # due half an hour ago: stuck
    _message(OutgoingMessage.Status.PENDING, 1, "c")  # just due: the next sweep sends it
    assert message_trouble() == {"failed": 1, "stuck": 1}
    checks = Client().get("/healthz/ready?format=json").json()["checks"]
    assert "1 failed and 1 stuck" in checks["Messages"]


def test_the_admin_index_shows_the_front_desk_how_many_messages_need_a_person(client):
    _message(OutgoingMessage.Status.FAILED, 60, "a")
    client.force_login(front_desk_user())
    page = client.get("/admin/").content.decode()
    assert "Messages that need a person" in page
    assert "1 failed message" in page


@override_settings(FAILURE_DIGEST_TO=["frontdesk@clinic.example"])
def test_the_daily_digest_names_kinds_and_counts_only_and_goes_once(mailoutbox):
    from django.core.cache import cache

    cache.clear()
    OutgoingMessage.objects.all().delete()  # the precondition, stated: no message needs a person
    assert send_digest() is False  # nothing failed: no note
    _message(OutgoingMessage.Status.FAILED, 60, "a")
    assert send_digest() is True
    assert send_digest() is False  # a second delivery of the task the same day
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "1 reminder" in body and "pat@mail.example" not in body
    assert "appointment:1" not in body and digest_text() is not None
