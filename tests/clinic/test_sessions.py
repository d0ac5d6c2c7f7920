"""clinic.sessions: Django's database sessions, read with a query compiled once per process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from clinic.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_in_one_query(django_assert_num_queries):
    store = SessionStore()
    store["intake_id"] = 41
    store.save()
    again = SessionStore(session_key=store.session_key)
    with django_assert_num_queries(1):
        assert again["intake_id"] == 41
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_as_new_and_gets_a_new_key():
    store = SessionStore()
    store["intake_id"] = 7
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=store.session_key)
    assert expired.get("intake_id") is None
    assert expired.session_key is None  # as Django's backend: nobody takes over the old key
    unknown = SessionStore(session_key="x" * 32)
    assert unknown.get("intake_id") is None and unknown.session_key is None


def test_the_portal_uses_it(client, settings):
    assert settings.SESSION_ENGINE == "clinic.sessions"
    client.get("/")
    assert isinstance(client.session, SessionStore)
