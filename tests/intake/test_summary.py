"""The podiatrist's pre-visit summary: who may open it, what it shows, and the audit of each view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import StaffAccess
from intake.selectors import intake_for_summary
from tests.booking.personas import client_for, non_staff_user
from tests.factories.intake import IntakeFactory, emergency_answers

pytestmark = pytest.mark.django_db


def _url(intake):
    return reverse("intake:summary", args=[intake.pk])


def test_a_podiatrist_opens_the_summary_with_red_flags_first(podiatrist_user):
    intake = IntakeFactory(level="emergency", answers=emergency_answers(C20=4, H02="Run a 10k"))
    response = client_for(podiatrist_user).get(_url(intake))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Red flags") < html.index("Likely causes") < html.index("Pain scores")
    assert "E1" in html
    assert "Run a 10k" in html
    assert "Exam prompts" in html
    assert "is-marked-most" in html  # the heel diagram with the marked region
    assert "print.css" in html
    view = StaffAccess.objects.get()
    assert (view.user, view.page, view.record, view.record_id) == (
        podiatrist_user, "intake:summary", "intake.intake", str(intake.pk),
    )  # fmt: skip


def test_the_front_desk_may_open_it_too(front_desk):
    intake = IntakeFactory()
    assert client_for(front_desk).get(_url(intake)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    intake = IntakeFactory()
    response = client.get(_url(intake))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not StaffAccess.objects.exists()


def test_a_patient_session_cannot_open_it(client):
    intake = IntakeFactory()
    session = client.session
    session["intake_id"] = intake.pk
    session.save()
    assert client.get(_url(intake)).status_code == 302


def test_a_logged_in_user_without_permission_gets_403(staff_without_role):
    intake = IntakeFactory()
    assert client_for(staff_without_role).get(_url(intake)).status_code == 403
    not_staff = non_staff_user("pat")
    assert client_for(not_staff).get(_url(intake)).status_code == 403
    assert not StaffAccess.objects.exists()


def test_an_unknown_intake_is_a_404(podiatrist_user):
    assert client_for(podiatrist_user).get(reverse("intake:summary", args=[999999])).status_code == 404


def test_post_is_refused(podiatrist_user):
    assert client_for(podiatrist_user).post(_url(IntakeFactory())).status_code == 405


def test_the_selector_prepares_the_relations_in_one_query(django_assert_num_queries, sites):
    intake = IntakeFactory(preferred_site=sites[0])
    with django_assert_num_queries(1):
        found = intake_for_summary(intake.pk)
        assert found.preferred_site.name == "Bloomfield Hills"
        assert found.reviewed_by is None
