"""The notifications tests' real SMTP sink, for the outage tests."""

from tests.messaging.conftest import smtp_sink  # noqa: F401 - a fixture, used by name
