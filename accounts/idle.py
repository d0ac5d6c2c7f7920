"""The staff idle timeout: the last request's time is kept in the session, checked on the next."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

LAST_SEEN_KEY = "staff_last_seen"
# Writing the session on every request would cost an UPDATE each time; a minute's precision is
# plenty for a 15-minute timeout.
TOUCH_EVERY_SECONDS = 60


def idle_seconds() -> int:
    return int(settings.STAFF_IDLE_MINUTES) * 60


def has_expired(request: HttpRequest, *, now: float | None = None) -> bool:
    """True when this staff session saw no request for longer than the idle timeout."""
    last = request.session.get(LAST_SEEN_KEY)
    now = time.time() if now is None else now
    return last is not None and now - float(last) > idle_seconds()


def touch(request: HttpRequest, *, now: float | None = None) -> None:
    """Record activity now (at most once a minute, to spare the session table)."""
    now = time.time() if now is None else now
    last = request.session.get(LAST_SEEN_KEY)
    if last is None or now - float(last) >= TOUCH_EVERY_SECONDS:
        request.session[LAST_SEEN_KEY] = now


def start_on_login(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """Logging in is activity: the clock starts at login (connected in AccountsConfig.ready)."""
    if request is not None and getattr(user, "is_staff", False) and hasattr(request, "session"):
        touch(request)
