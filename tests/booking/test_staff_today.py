"""The podiatrist's list at /staff/today/: staff only, one site and day, linking to pre-visit summaries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import Appointment
from intake.models import Intake
from tests.booking.personas import (
    appointments,
    front_desk_user,
    link_holder,
    non_staff_user,
    podiatrist_user,
)
from tests.factories.booking import AppointmentFactory, PatientFactory, WeeklyShiftFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

URL = "/staff/today/"


@pytest.fixture
def dr_sole(client, clinic):
    user = podiatrist_user(clinic.sole)
    client.force_login(user)
    return user


def _intake(name: str = "Ivy Intake") -> Intake:
    return Intake.objects.create(
        name=name,
        email="ivy@mail.example",
        answers={},
        assessment={},
        triage_version="test",
        urgency="soon",
        urgency_rank=2,
    )


def _names(response) -> list[str]:
    return [row.appointment.patient.name for row in response.context["rows"]]


def test_it_is_mounted_as_staff_today():
    assert reverse("staff:today") == URL


def test_a_podiatrist_sees_their_own_appointments_today_in_local_time(client, clinic, dr_sole):
    mine = AppointmentFactory(
        site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 13, 20)
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.heel,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        patient=PatientFactory(name="Not Mine"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 2, 9),
        patient=PatientFactory(name="Tomorrow"),
    )
    response = client.get(URL)
    assert response.status_code == 200
    assert _names(response) == [mine.patient.name]
    html = response.content.decode()
    assert "1:20 PM" in html  # 18:20 UTC
    assert "Dr. Pat Sole: Monday, March 1, 2027" in html


def test_it_links_the_pre_visit_summary_or_says_the_questionnaire_is_not_done(client, clinic, dr_sole):
    with_intake = AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        intake=_intake(),
    )
    without = AppointmentFactory(
        site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 10)
    )
    html = client.get(URL).content.decode()
    assert f"/intake/staff/{with_intake.intake_id}/summary/" in html
    assert html.count("Questionnaire not done yet") == 1
    for appointment in (with_intake, without):
        assert f"/visits/{appointment.pk}/care-plan/" in html
    assert "Complete visit and send care plan" in html


def test_the_front_desk_sees_every_podiatrist_and_may_choose_one(client, clinic):
    client.force_login(front_desk_user())
    appointments(clinic, 4)
    everyone = client.get(URL, {"site": clinic.site.pk})
    assert len(everyone.context["rows"]) == 4
    assert "Every podiatrist" in everyone.content.decode()
    one = client.get(URL, {"site": clinic.site.pk, "podiatrist": clinic.heel.pk})
    assert {row.appointment.podiatrist for row in one.context["rows"]} == {clinic.heel}


def test_a_podiatrist_may_look_at_everyone(client, clinic, dr_sole):
    appointments(clinic, 4)
    assert len(client.get(URL, {"podiatrist": ""}).context["rows"]) == 4


def test_it_opens_where_the_podiatrist_works_that_day(client, clinic, dr_sole):
    # Tuesdays Dr. Sole works at the other site (make_clinic's schedule).
    tuesday = AppointmentFactory(
        site=clinic.other_site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 2, 9)
    )
    response = client.get(URL, {"date": "2027-03-02"})
    assert response.context["site"] == clinic.other_site
    assert _names(response) == [tuesday.patient.name]
    tabs = {tab.site: tab for tab in response.context["site_tabs"]}
    assert tabs[clinic.other_site].current and tabs[clinic.other_site].works_here
    assert not tabs[clinic.site].works_here


def test_a_split_day_shows_one_site_at_a_time_with_a_tab_for_the_other(client, clinic, dr_sole):
    WeeklyShiftFactory(podiatrist=clinic.sole, site=clinic.other_site, weekday=0, start="13:00", end="17:00")
    clinic.sole.shifts.filter(site=clinic.site, weekday=0).update(end="12:00")
    AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 9))
    later = AppointmentFactory(
        site=clinic.other_site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 14)
    )
    response = client.get(URL)
    assert response.context["site"] == clinic.site
    other_tab = next(tab for tab in response.context["site_tabs"] if tab.site == clinic.other_site)
    assert other_tab.works_here
    assert _names(client.get(other_tab.url)) == [later.patient.name]


def test_it_shows_another_day_and_links_the_days_around_it(client, clinic, dr_sole):
    response = client.get(URL, {"date": "2027-03-08"})
    assert response.context["day"].isoformat() == "2027-03-08"
    assert "date=2027-03-07" in response.context["previous_url"]
    assert "date=2027-03-09" in response.context["next_url"]


def test_it_ignores_malformed_filters(client, clinic, dr_sole):
    response = client.get(URL, {"date": "tomorrow", "site": "x"})
    assert response.status_code == 200
    assert response.context["day"].isoformat() == "2027-03-01"


def test_its_query_count_is_pinned_whatever_the_number_of_appointments(
    client, clinic, dr_sole, django_assert_num_queries
):
    appointments(clinic, 10)
    client.get(URL)  # warm the content-type cache
    with CaptureQueriesContext(connection) as ten:
        client.get(URL)
    for appointment in appointments(clinic, 40, after=10):
        Appointment.objects.filter(pk=appointment.pk).update(intake=_intake(appointment.patient.name))
    # session, user, the user's podiatrist, the filter form's podiatrist choices, sites, shifts,
    # the one selector call, and the staff-access audit's row
    with django_assert_num_queries(len(ten)):
        response = client.get(URL)
    assert len(response.context["rows"]) == 25
    assert len(ten) <= 9, [q["sql"] for q in ten.captured_queries]


# --- Who may open it ----------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_the_staff_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_patient_holding_a_manage_link_still_cannot_see_it(clinic):
    (appointment,) = appointments(clinic, 1)
    response = link_holder(appointment).get(URL)
    assert response.status_code == 302
    assert appointment.patient.name not in response.content.decode()


def test_a_logged_in_user_who_is_not_staff_gets_403(client, clinic):
    appointments(clinic, 1)
    client.force_login(non_staff_user())
    response = client.get(URL)
    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()


def test_it_refuses_post(client, clinic, dr_sole):
    assert client.post(URL).status_code == 405
