"""The login tests post to the rate-limited login page many times: each starts with fresh counters
(on Redis they would otherwise outlive the test's transaction)."""

from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()
