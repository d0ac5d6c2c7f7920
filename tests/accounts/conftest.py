"""The login tests post to the rate-limited login page many times: each starts with fresh counters
(on Redis they would otherwise outlive the test's transaction)."""

from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(request):
    # Without Redis the counters live in the database cache: only tests that may touch the
    # database have counters to clear (the log-filter tests here need no database at all).
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        yield
        return
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()
