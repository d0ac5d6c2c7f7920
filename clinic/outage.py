"""The database is unreachable: a plain 503 page with the sites' phone numbers, never a traceback
or the "our fault" 500 page. Nothing here touches the database; the phone numbers come from
settings (CLINIC_PHONES). Django closes a broken connection at the end of the request
(CONN_HEALTH_CHECKS), so pages recover by themselves once the database is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def is_database_outage(exc: BaseException | None) -> bool:
    """A failure to reach or use the database (connection refused or lost, SQLite unopenable)."""
    return isinstance(exc, OperationalError | InterfaceError)


def outage_response() -> HttpResponse:
    phones = [{"name": name, "phone": phone} for name, phone in settings.CLINIC_PHONES]
    html = loader.get_template("503.html").render({"phones": phones, "clinic_name": settings.CLINIC_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turn a database outage raised by a view (or a template it renders) into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.error("Database unreachable (%s) on %s: answered 503", exception, request.path)
        return outage_response()
