"""One rate-limit mechanism: django-ratelimit's decorator and middleware, keyed on the real client
address behind TRUSTED_PROXY_COUNT proxies, one 429 page, failing open when its cache is down."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django.urls import reverse

import ratelimits
from ratelimits import client_ip
from tests.messaging.conftest import free_port
from tests.reliability.redis_server import own_redis

pytestmark = pytest.mark.django_db

CLOSED_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "ratelimits.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # replaced per test with a closed port
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}


@pytest.fixture(autouse=True)
def _fresh_counters():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_the_client_is_the_connecting_address_whatever_the_header_says():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_that_proxy_appended():
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # A client that sends its own header cannot choose its bucket: the proxy appends the real one.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_the_second_address_from_the_right():
    assert client_ip(_request("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_short_or_malformed_header_falls_back_to_the_connecting_address():
    assert client_ip(_request("10.0.0.3", "198.51.100.7")) == "10.0.0.3"
    assert client_ip(_request("10.0.0.3", "not-an-ip, 10.0.0.2")) == "10.0.0.3"
    assert client_ip(_request("10.0.0.3")) == "10.0.0.3"


@override_settings(TRUSTED_PROXY_COUNT=1, SLOT_SEARCH_RATE="2/m")
def test_patients_behind_one_proxy_have_buckets_of_their_own(client):
    url = reverse("booking:slots")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code for _ in range(3)]
    other = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code
    assert first[:2] != [429, 429] and first[2] == 429
    assert other != 429


@override_settings(SLOT_SEARCH_RATE="2/m")
def test_slot_search_is_rate_limited_with_the_one_page(client):
    codes = [client.get(reverse("booking:slots")).status_code for _ in range(3)]
    assert codes[2] == 429
    response = client.get(reverse("booking:slots"))
    assert "ratelimited.html" in [t.name for t in response.templates]
    assert "Please wait a minute" in response.content.decode()


@override_settings(STAFF_LOGIN_RATE="3/m")
def test_staff_login_posts_are_rate_limited_and_the_login_page_still_shows(client):
    url = reverse("admin:login")
    assert url == "/admin/login/"
    codes = [client.post(url, {"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(url).status_code == 200


def test_every_limited_view_uses_one_template():
    on_disk = {p.name for p in (ratelimits.settings.BASE_DIR / "templates").rglob("*limited*.html")}
    assert on_disk == {"ratelimited.html"}


def test_with_its_cache_unreachable_a_limit_lets_requests_through_and_logs_once_a_minute(
    client, settings, caplog
):
    closed = {**CLOSED_REDIS["ratelimit"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    settings.CACHES = {**CLOSED_REDIS, "ratelimit": closed}
    settings.SLOT_SEARCH_RATE = "1/m"
    ratelimits.outage._last_logged = -ratelimits.LOG_EVERY_SECONDS  # as in a fresh process
    with caplog.at_level(logging.WARNING, logger="ratelimits"):
        codes = [client.get(reverse("booking:slots")).status_code for _ in range(4)]
    assert 429 not in codes and all(code < 500 for code in codes)
    warnings = [r for r in caplog.records if "Rate-limit cache unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert ratelimits.outage.failed_within(60)


def test_the_counters_cache_keeps_one_redis_client_and_survives_a_restart_of_redis(
    client, settings, tmp_path, monkeypatch
):
    """Django's client would make a redis.Redis (about 180 us of CPU) for each of the two calls a
    limit makes; ours makes one per pool, which reconnects by itself after Redis comes back."""
    import redis

    made = []
    original = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    with own_redis(tmp_path) as server:
        settings.CACHES = {
            **CLOSED_REDIS,
            "ratelimit": {**CLOSED_REDIS["ratelimit"], "LOCATION": server.url()},
        }
        settings.SLOT_SEARCH_RATE = "3/m"
        url = reverse("booking:slots")
        codes = [client.get(url).status_code for _ in range(4)]
        assert codes[:3] != [429] * 3 and codes[3] == 429  # counted in Redis: the fourth is over
        assert len(made) == 1
        server.stop()
        server.start()  # the same port, its counters gone
        codes = [client.get(url).status_code for _ in range(4)]
        assert codes[:3] != [429] * 3 and codes[3] == 429
        assert len(made) == 1
