"""A logging filter that keeps manage-link tokens and search terms out of every log line.

A manage link opens an appointment like a password, and an admin search (`?q=`) carries a
patient's name: neither belongs in an access log or an error report.
"""

from __future__ import annotations

import logging
import re

# /book/manage/<token>/, /book/done/<token>/, /intake/for/<token>/ and anything under them.
_TOKEN_IN_PATH = re.compile(r"(/(?:book/manage|book/done|intake/for)/)[^/\s?\"']+")
# Query parameters that carry a search term or a secret.
_SECRET_PARAM = re.compile(r"([?&](?:q|token|search|email|phone|name)=)[^&\s\"']*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with manage tokens and search terms replaced by [redacted]."""
    return _SECRET_PARAM.sub(rf"\g<1>{REDACTED}", _TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text))


class RedactSecrets(logging.Filter):
    """Rewrites each record's message (after %-formatting) with `redact`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem to report, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set: a traceback's URLs are blanked too.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
