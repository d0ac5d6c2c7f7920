"""Nothing a patient does depends on Redis being up: with the cache and broker's Redis stopped,
booking, the questionnaire and the manage link answer as usual, and once Redis is back every
email owed is sent exactly once (the ledger and the minute sweep, through a real worker)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.forms import SlotChoice
from booking.models import Appointment
from clinic.celery import app
from intake.models import Intake
from messaging import tasks
from messaging.models import OutgoingMessage
from tests.booking.test_services import make_clinic
from tests.factories.intake import routine_answers
from tests.intake.conftest import CONTACT, fill_questionnaire
from tests.messaging.conftest import worker_env
from tests.reliability.redis_server import own_redis
from tests.services import celery_worker, drop_broker_pool

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def redis_of_our_own(tmp_path, settings):
    """This process's cache, rate limits and broker on a redis-server the test owns."""
    with own_redis(tmp_path) as server:
        url = server.url()
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": TIMEOUTS,
            },
            "ratelimit": {
                "BACKEND": "ratelimits.FailOpenRedisCache",
                "LOCATION": url,
                "OPTIONS": TIMEOUTS,
            },
        }
        # Only the broker, not the result backend: that would stay cached on the app (and point
        # later tests at this server once it is gone). Publishing takes a connection from the
        # app's pool, made for the broker of its day: dropped before the switch and after it.
        saved = app.conf.broker_url
        drop_broker_pool()
        app.conf.broker_url = url
        try:
            yield server
        finally:
            app.conf.broker_url = saved
            drop_broker_pool()


def _first_free_slot(clinic) -> SlotChoice:
    found = selectors.search_slots(
        sites=[clinic["site"]],
        type=clinic["exam"],
        start_date=timezone.localdate() + dt.timedelta(days=2),
        days=7,
    )
    slot = found[0]
    return SlotChoice(site_id=clinic["site"].pk, podiatrist_id=slot.podiatrist_id, start=slot.start)


def _owed_keys() -> list[str]:
    due = OutgoingMessage.objects.filter(scheduled_for__lte=timezone.now())
    return sorted(due.values_list("key", flat=True))


def test_with_redis_stopped_patients_book_answer_and_manage_and_every_email_goes_once_it_is_back(
    client, redis_of_our_own, smtp_sink, tmp_path
):
    clinic = make_clinic()
    server = redis_of_our_own
    sink = smtp_sink
    sink.clear()
    env = {**worker_env(sink.port), "REDIS_URL": server.url()}
    with celery_worker(extra_env=env, tmp_path=tmp_path):
        server.stop()

        codes = []
        slot = _first_free_slot(clinic)
        query = {
            "site": clinic["site"].pk,
            "type": clinic["exam"].pk,
            "podiatrist": "any",
            "day": timezone.localdate().isoformat(),
        }
        codes.append(client.get(reverse("booking:slots"), query).status_code)
        booked = client.post(
            reverse("booking:details"),
            {
                "slot": slot.value,
                "type": clinic["exam"].pk,
                "idempotency_key": "f" * 32,
                "name": "Pat Outage",
                "email": "pat@mail.example",
                "phone": "",
                "date_of_birth": "",
            },
        )
        codes.append(booked.status_code)
        assert booked.status_code == 302, booked.content.decode()[:500]
        manage_url = booked["Location"].replace("/book/done/", "/book/manage/")
        for url in (manage_url, manage_url + "calendar.ics", manage_url + "reschedule/"):
            codes.append(client.get(url).status_code)

        fill_questionnaire(client, routine_answers(), contact={**CONTACT, "preferred_site": "howell"})
        submitted = client.post(reverse("intake:check"))
        codes.append(submitted.status_code)

        assert all(code < 500 for code in codes), codes
        assert Appointment.objects.count() == 1 and Intake.objects.count() == 1
        owed = _owed_keys()
        assert owed, "the booking owes at least its confirmation"
        assert OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT).count() == 0

        server.start()  # empty: whatever was queued before the outage is gone with it
        deadline = time.monotonic() + 60
        while sorted(sink.keys()) != owed and time.monotonic() < deadline:
            tasks.sweep_due_messages()  # what beat does every minute
            time.sleep(1)
        time.sleep(2)  # anything sent twice would arrive now
    assert sorted(sink.keys()) == owed
    assert len(sink.keys()) == len(set(sink.keys()))
