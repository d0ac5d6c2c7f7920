"""The waitlist's end-to-end tests use messaging's real SMTP sink."""

from tests.messaging.conftest import mail_worker, sink, smtp_settings, smtp_sink  # noqa: F401 - shared with messaging
