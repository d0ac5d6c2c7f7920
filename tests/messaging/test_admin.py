"""Failed messages are easy to find in the admin, with their error, and Retry sends them again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from care_plans.models import CarePlanTemplate
from messaging import tasks
from messaging.models import OutgoingMessage
from messaging.tasks import send_message
from tests.factories.messaging import OutgoingMessageFactory
from tests.roles import staff_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_care_plans")]

Status = OutgoingMessage.Status


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@clinic.example", "x"))
    return client


def test_failed_messages_are_listed_with_their_error(admin_client):
    OutgoingMessageFactory(status=Status.FAILED, last_error="SMTPDataError: 451 try later", attempts=5)
    OutgoingMessageFactory(status=Status.SENT)

    response = admin_client.get(reverse("admin:messaging_outgoingmessage_changelist") + "?attention=failed")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert b"SMTPDataError: 451 try later" in response.content


def test_the_retry_action_puts_a_failed_message_back_and_it_is_sent_once(
    admin_client, monkeypatch, mailoutbox
):
    monkeypatch.setattr(tasks, "enqueue_many", lambda ids: len([send_message(pk) for pk in ids]))
    past = timezone.now() - dt.timedelta(hours=1)
    message = OutgoingMessageFactory(status=Status.FAILED, last_error="boom", attempts=5, scheduled_for=past)
    sent = OutgoingMessageFactory(status=Status.SENT, scheduled_for=past)

    # No time travel here: the admin session would expire; the messages were due an hour ago.
    response = admin_client.post(
        reverse("admin:messaging_outgoingmessage_changelist"),
        {"action": "retry", "_selected_action": [message.pk, sent.pk]},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.last_error) == (Status.SENT, "")
    assert len(mailoutbox) == 1  # the one already sent is left alone


def test_care_plan_templates_are_editable_in_the_admin(admin_client):
    template = CarePlanTemplate.objects.get(slug="heel-pad-pain")
    response = admin_client.get(reverse("admin:care_plans_careplantemplate_change", args=[template.pk]))
    assert response.status_code == 200
    assert b"Heel pad pain" in response.content


def test_the_ledger_changelist_renders_every_kind(admin_client):
    for kind in OutgoingMessage.Kind.values:
        OutgoingMessageFactory(kind=kind)
    response = admin_client.get(reverse("admin:messaging_outgoingmessage_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == len(OutgoingMessage.Kind.values)


def test_the_front_desk_finds_failed_messages_and_may_retry_them(client):

    alice = User.objects.create_user("alice", password="x", is_staff=True)
    alice.groups.add(staff_group("Front desk"))
    client.force_login(alice)
    OutgoingMessageFactory(status=Status.FAILED, last_error="SMTPDataError: 451")

    response = client.get(reverse("admin:messaging_outgoingmessage_changelist") + "?attention=failed")

    assert response.status_code == 200
    choices = response.context["action_form"].fields["action"].choices
    assert "retry" in [name for name, _ in choices]
