"""The front desk's intake queue in the admin: ordering, badges, filters, actions, read-only, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import StaffAccess
from intake.models import Intake
from tests.booking.personas import client_for
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:intake_intake_changelist")


def _change_url(intake):
    return reverse("admin:intake_intake_change", args=[intake.pk])


def test_a_new_urgent_intake_is_at_the_top_for_the_front_desk(front_desk):
    with time_machine.travel(dt.datetime(2027, 3, 1, 14, 0, tzinfo=dt.UTC), tick=False):
        IntakeFactory.create_batch(3)
    with time_machine.travel(dt.datetime(2027, 3, 1, 14, 30, tzinfo=dt.UTC), tick=False):
        urgent = IntakeFactory(level="urgent", name="Urgent Uma")
        IntakeFactory.create_batch(2)
    with time_machine.travel(dt.datetime(2027, 3, 1, 15, 5, tzinfo=dt.UTC), tick=False):
        response = client_for(front_desk).get(CHANGELIST)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows[0] == urgent
    html = response.content.decode()
    assert "urgency-badge urgency-urgent" in html and ">Urgent</span>" in html
    assert ">35 min<" in html


def test_the_queue_is_by_level_then_longest_waiting_first_whatever_the_submission_order(front_desk):
    """Unreviewed emergency, urgent, soon, routine; within each the oldest first; handled ones last."""
    made = {}
    for hour, level, name in [
        (9, "routine", "old routine"),
        (10, "emergency", "newer emergency"),
        (11, "soon", "newer soon"),
        (12, "urgent", "newer urgent"),
        (8, "urgent", "old urgent"),
        (7, "emergency", "old emergency"),
        (6, "soon", "old soon"),
        (13, "routine", "new routine"),
    ]:
        with time_machine.travel(dt.datetime(2027, 3, 1, hour, 0, tzinfo=dt.UTC), tick=False):
            made[name] = IntakeFactory(level=level, name=name)
    with time_machine.travel(dt.datetime(2027, 3, 1, 5, 0, tzinfo=dt.UTC), tick=False):
        made["reviewed emergency"] = IntakeFactory(
            level="emergency", name="reviewed emergency", status=Intake.Status.REVIEWED
        )
    with time_machine.travel(dt.datetime(2027, 3, 1, 14, 0, tzinfo=dt.UTC), tick=False):
        rows = list(client_for(front_desk).get(CHANGELIST).context["cl"].result_list)
    assert [row.name for row in rows] == [
        "old emergency",
        "newer emergency",
        "old urgent",
        "newer urgent",
        "old soon",
        "newer soon",
        "old routine",
        "new routine",
        "reviewed emergency",
    ]


def test_the_queue_says_why_in_words_and_either_site_without_a_sort_arrow_on_waiting(front_desk, sites):
    IntakeFactory(level="emergency", preferred_site=None, name="Ezra Emergency")
    html = client_for(front_desk).get(CHANGELIST).content.decode()
    assert ">Why<" in html
    assert "E1: Pop, snap or kicked feeling in the last 7 days" in html
    assert '<td class="field-site">Either site</td>' in html
    assert "preferred_site__isnull=True" in html and ">Either site</a>" in html  # the filter's choice
    # "Waiting" is not a sortable header (the queue already orders by it within each level).
    assert 'class="column-waiting"' in html
    assert "column-waiting sortable" not in html


def test_the_intake_page_shows_the_outcome_and_its_reasons_before_the_contact_details(front_desk):
    intake = IntakeFactory(level="emergency")
    html = client_for(front_desk).get(_change_url(intake)).content.decode()
    assert html.index("Rules that fired") < html.index("Date of birth")
    assert html.index("E1 (emergency)") < html.index("Date of birth")


def test_unreviewed_emergencies_come_before_urgent_then_newest_and_reviewed_ones_drop_back(front_desk):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        emergency = IntakeFactory(level="emergency")
        reviewed_urgent = IntakeFactory(level="urgent", status=Intake.Status.REVIEWED)
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        urgent = IntakeFactory(level="urgent")
    with time_machine.travel(dt.datetime(2027, 3, 1, 11, 0, tzinfo=dt.UTC), tick=False):
        newest = IntakeFactory()
    rows = list(client_for(front_desk).get(CHANGELIST).context["cl"].result_list)
    assert rows == [emergency, urgent, newest, reviewed_urgent]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("urgency=urgent", {"Urgent Uma"}),
        ("status__exact=reviewed", {"Reviewed Rae"}),
        ("q=555-0199", {"Phone Phil"}),
    ],
)
def test_filters_and_search(front_desk, query, expected):
    IntakeFactory(level="urgent", name="Urgent Uma")
    IntakeFactory(name="Reviewed Rae", status=Intake.Status.REVIEWED)
    IntakeFactory(name="Phone Phil", phone="(517) 555-0199")
    rows = client_for(front_desk).get(f"{CHANGELIST}?{query}").context["cl"].result_list
    assert {row.name for row in rows} == expected


def test_search_finds_by_email(front_desk):
    IntakeFactory(name="Email Em", email="em.unique@mail.example")
    IntakeFactory()
    rows = client_for(front_desk).get(f"{CHANGELIST}?q=em.unique").context["cl"].result_list
    assert [row.name for row in rows] == ["Email Em"]


def test_mark_reviewed_and_contacted_actions_record_who_and_when(front_desk):
    first, second = IntakeFactory(), IntakeFactory(level="urgent")
    client = client_for(front_desk)
    data = {"action": "mark_reviewed", "_selected_action": [first.pk, second.pk]}
    assert client.post(CHANGELIST, data).status_code == 302
    first.refresh_from_db()
    assert (first.status, first.reviewed_by) == (Intake.Status.REVIEWED, front_desk)
    assert first.reviewed_at is not None
    client.post(CHANGELIST, {"action": "mark_contacted", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert (second.status, second.contacted_by) == (Intake.Status.CONTACTED, front_desk)


def test_a_podiatrist_may_view_but_has_no_actions(podiatrist_user):
    intake = IntakeFactory()
    client = client_for(podiatrist_user)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "mark_reviewed" not in response.content.decode()
    client.post(CHANGELIST, {"action": "mark_reviewed", "_selected_action": [intake.pk]})
    intake.refresh_from_db()
    assert intake.status == Intake.Status.NEW


def test_nobody_can_delete_or_add_intakes(admin_user_, front_desk):
    intake = IntakeFactory()
    for user in (admin_user_, front_desk):
        client = client_for(user)
        assert client.get(reverse("admin:intake_intake_delete", args=[intake.pk])).status_code == 403
        assert client.get(reverse("admin:intake_intake_add")).status_code == 403
        assert "delete_selected" not in client.get(CHANGELIST).content.decode()
    assert Intake.objects.filter(pk=intake.pk).exists()


def test_the_intake_page_is_read_only_readable_and_recorded(front_desk):
    intake = IntakeFactory(level="urgent")
    client = client_for(front_desk)
    response = client.get(_change_url(intake))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Do you have diabetes?" in html  # questions in words, from the catalogue
    assert "U9" in html  # the rule that fired, with its reasons
    assert reverse("intake:summary", args=[intake.pk]) in html
    assert 'name="_save"' not in html
    view = StaffAccess.objects.get()
    assert (view.user, view.page, view.record_id) == (
        front_desk,
        "admin:intake_intake_change",
        str(intake.pk),
    )
    # A POST to the read-only page changes nothing.
    client.post(_change_url(intake), {"name": "Changed"})
    intake.refresh_from_db()
    assert intake.name != "Changed"


def test_an_old_version_is_re_assessed_for_comparison(front_desk):
    intake = IntakeFactory(triage_version="0.0-old")
    html = client_for(front_desk).get(_change_url(intake)).content.decode()
    assert "Re-assessed under the current version" in html
    intake.refresh_from_db()
    assert intake.triage_version == "0.0-old"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_changelist_query_count_does_not_grow_with_the_number_of_intakes(front_desk, sites):
    client = client_for(front_desk)
    IntakeFactory.create_batch(3, preferred_site=sites[0])
    few = _changelist_queries(client)
    template = IntakeFactory.build()
    Intake.objects.bulk_create(
        [
            Intake(
                **{
                    f.name: getattr(template, f.name)
                    for f in Intake._meta.concrete_fields
                    if f.name not in {"id", "preferred_site", "reviewed_by"}
                },
                preferred_site=sites[i % 2],
                reviewed_by=front_desk if i % 3 == 0 else None,
            )
            for i in range(120)
        ]
    )
    many = _changelist_queries(client)
    assert many == few
    assert many <= 12


def _mark_url(intake) -> str:
    return reverse("admin:intake_intake_mark", args=[intake.pk])


def test_the_front_desk_marks_an_intake_from_its_page(front_desk):
    intake = IntakeFactory(level="urgent")
    client = client_for(front_desk)
    page = client.get(_change_url(intake)).content.decode()
    assert f'action="{_mark_url(intake)}"' in page and "Mark reviewed" in page

    response = client.post(_mark_url(intake), {"what": "reviewed"}, follow=True)
    assert response.redirect_chain[-1][0] == _change_url(intake)
    assert f"Intake #{intake.pk} marked reviewed by you." in response.content.decode()
    intake.refresh_from_db()
    assert (intake.status, intake.reviewed_by) == (Intake.Status.REVIEWED, front_desk)
    # Reviewed: only "Mark contacted" is left on the page.
    assert 'value="reviewed"' not in response.content.decode()

    again = client.post(_mark_url(intake), {"what": "reviewed"}, follow=True).content.decode()
    assert "was already marked reviewed" in again

    client.post(_mark_url(intake), {"what": "contacted"})
    intake.refresh_from_db()
    assert (intake.status, intake.contacted_by) == (Intake.Status.CONTACTED, front_desk)


def test_only_staff_who_may_change_intakes_can_mark_them(podiatrist_user, client):
    intake = IntakeFactory(level="urgent")
    podiatrist = client_for(podiatrist_user)
    assert "Mark reviewed" not in podiatrist.get(_change_url(intake)).content.decode()
    assert podiatrist.post(_mark_url(intake), {"what": "reviewed"}).status_code == 403
    assert client.post(_mark_url(intake), {"what": "reviewed"}).status_code == 302  # to the login
    intake.refresh_from_db()
    assert intake.reviewed_at is None


def test_marking_takes_a_post_with_a_known_mark(front_desk):
    intake = IntakeFactory()
    client = client_for(front_desk)
    assert client.get(_mark_url(intake)).status_code == 405
    page = client.post(_mark_url(intake), {"what": "deleted"}, follow=True).content.decode()
    assert "Choose Mark reviewed or Mark contacted." in page
    intake.refresh_from_db()
    assert intake.status == Intake.Status.NEW


def test_looking_at_the_list_is_recorded_once_per_page_view(front_desk, podiatrist_user):
    IntakeFactory()
    client_for(front_desk).get(CHANGELIST)
    client_for(front_desk).get(CHANGELIST, {"urgency": "urgent"})
    client_for(podiatrist_user).get(CHANGELIST)
    views = list(StaffAccess.objects.order_by("pk").values_list("user__username", "page", "query"))
    assert views == [
        (front_desk.username, "admin:intake_intake_changelist", ""),
        (front_desk.username, "admin:intake_intake_changelist", "urgency=urgent"),
        (podiatrist_user.username, "admin:intake_intake_changelist", ""),
    ]
