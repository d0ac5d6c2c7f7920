"""Django's database sessions with the one read nearly every request makes compiled once per process.

A patient's session (the questionnaire draft, the booking keys) or a staff login is read on almost
every request; building that `Session.objects.get(...)` with the ORM took about 0.77 ms of CPU each
time, the database's answer a small part of it. `booking.prepared` keeps the SQL instead. Writes,
expiry and clearing are Django's own (SESSION_ENGINE = "clinic.sessions").
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from booking.prepared import PreparedRead

_UNEXPIRED = PreparedRead(lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        found = _UNEXPIRED.instances(key=self.session_key, now=timezone.now()) if self.session_key else []
        if not found:
            self._session_key = None  # as Django's: an unknown or expired key starts a new session
            return None
        return found[0]
