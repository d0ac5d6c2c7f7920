"""The booking admin: pages render for the front desk, actions go through the services, nobody deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from booking import services
from booking.models import Appointment, AppointmentEvent
from tests.booking.personas import (
    NOW,
    appointments,
    non_staff_user,
    podiatrist_user,
    superuser,
)
from tests.factories.booking import (
    AppointmentFactory,
    ClosureFactory,
    PatientFactory,
    TimeOffFactory,
    local,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]


def test_it_renders_every_booking_changelist_and_change_form_for_the_front_desk(client, fran, clinic):
    appointment = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, type=clinic.exam)
    ClosureFactory(site=clinic.site)
    TimeOffFactory(podiatrist=clinic.sole)
    objects = {
        "site": clinic.site,
        "podiatrist": clinic.sole,
        "appointmenttype": clinic.exam,
        "patient": appointment.patient,
        "appointment": appointment,
    }
    for model, obj in objects.items():
        changelist = client.get(reverse(f"admin:booking_{model}_changelist"))
        assert changelist.status_code == 200, model
        change = client.get(reverse(f"admin:booking_{model}_change", args=[obj.pk]))
        assert change.status_code == 200, model


def test_it_lets_an_admin_edit_site_policies_with_opening_hours_and_closures_inline(client, clinic):
    client.force_login(superuser())
    html = client.get(reverse("admin:booking_site_change", args=[clinic.site.pk])).content.decode()
    for field in ("slot_grid_minutes", "min_notice_minutes", "horizon_days", "cancellation_cutoff_hours"):
        assert f'name="{field}"' in html
    assert "opening_hours-TOTAL_FORMS" in html
    assert "closures-TOTAL_FORMS" in html
    podiatrist_html = client.get(
        reverse("admin:booking_podiatrist_change", args=[clinic.sole.pk])
    ).content.decode()
    assert "shifts-TOTAL_FORMS" in podiatrist_html
    assert "time_off-TOTAL_FORMS" in podiatrist_html


def test_it_lists_appointments_in_local_time_with_a_status_badge(client, fran, clinic):
    AppointmentFactory(
        site=clinic.site, podiatrist=clinic.sole, type=clinic.exam, start=local(2027, 3, 1, 9, 30)
    )
    html = client.get(reverse("admin:booking_appointment_changelist")).content.decode()
    assert "Mon Mar 1, 9:30 AM" in html  # 14:30 UTC shown as Detroit time, in the one format
    assert "UTC" not in html
    assert 'class="status-badge status-booked"' in html
    assert reverse("admin:booking_appointment_day") in html
    assert reverse("admin:booking_appointment_book") in html


def test_it_lists_appointments_with_a_constant_number_of_queries(
    client, fran, clinic, django_assert_num_queries
):
    url = reverse("admin:booking_appointment_changelist")
    appointments(clinic, 5)
    client.get(url)  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    appointments(clinic, 40, day=local(2027, 3, 2).date())
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_it_searches_appointments_by_patient_phone(client, fran, clinic):
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.sole,
        type=clinic.exam,
        patient=PatientFactory(phone="(517) 555-0177"),
    )
    AppointmentFactory(
        site=clinic.site,
        podiatrist=clinic.heel,
        type=clinic.exam,
        patient=PatientFactory(name="Someone Else", phone="(248) 555-0111"),
    )
    response = client.get(reverse("admin:booking_appointment_changelist"), {"q": "555-0177"})
    assert response.context["cl"].result_count == 1


def test_it_keeps_start_and_end_read_only_in_the_change_form(client, fran, clinic):
    appointment = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, type=clinic.exam)
    url = reverse("admin:booking_appointment_change", args=[appointment.pk])
    html = client.get(url).content.decode()
    assert 'name="start' not in html
    assert 'name="podiatrist"' not in html
    client.post(url, {"start_0": "2027-03-05", "start_1": "10:00", "status": "cancelled", "_save": "Save"})
    appointment.refresh_from_db()
    assert appointment.start == local(2027, 3, 1, 9)
    assert appointment.status == Appointment.Status.BOOKED


def test_it_sends_add_appointment_to_book_for_a_patient(client, fran):
    response = client.get(reverse("admin:booking_appointment_add"))
    assert response.status_code == 302
    assert response.url == reverse("admin:booking_appointment_book")


def test_nobody_deletes_an_appointment_not_even_a_superuser(client, clinic):
    client.force_login(superuser())
    appointment = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, type=clinic.exam)
    response = client.get(reverse("admin:booking_appointment_delete", args=[appointment.pk]))
    assert response.status_code == 403
    changelist = client.get(reverse("admin:booking_appointment_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    response = client.post(
        reverse("admin:booking_appointment_changelist"),
        {"action": "delete_selected", "_selected_action": [appointment.pk], "post": "yes"},
    )
    assert Appointment.objects.filter(pk=appointment.pk).exists()


def test_it_shows_the_audit_as_sentences_in_michigan_time_and_no_save_button(client, fran, clinic):
    booked = services.book_appointment(
        site=clinic.site,
        type=clinic.exam,
        start=local(2027, 3, 1, 9),
        podiatrist=clinic.sole,
        patient_name="Phone Caller",
        patient_email="caller@mail.example",
        actor=fran,
        now=NOW,
    )
    services.reschedule_appointment(
        appointment=booked,
        start=local(2027, 3, 2, 14),
        podiatrist=clinic.heel,
        site=clinic.other_site,
        actor=fran,
        now=NOW,
    )
    html = client.get(reverse("admin:booking_appointment_change", args=[booked.pk])).content.decode()
    assert "Booked for Mon Mar 1, 9:00 AM (Dr. Sole, Howell) by fran" in html
    assert (
        "Moved from Mon Mar 1, 9:00 AM (Dr. Sole, Howell) to Tue Mar 2, 2:00 PM "
        "(Dr. Heel, Bloomfield Hills) by fran"
    ) in html
    assert "UTC" not in html and '{"' not in html and "{&quot;" not in html
    assert "events-TOTAL_FORMS" not in html  # no inline formset, no empty table headers
    assert 'name="_save"' not in html and 'name="_continue"' not in html


def test_the_appointment_list_is_in_date_order_with_the_next_visit_first(client, fran, clinic):
    past = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, start=local(2027, 2, 26, 9))
    later = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, start=local(2027, 3, 3, 9))
    older = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, start=local(2027, 2, 1, 9))
    nxt = AppointmentFactory(site=clinic.site, podiatrist=clinic.sole, start=local(2027, 3, 1, 9))
    rows = list(client.get(reverse("admin:booking_appointment_changelist")).context["cl"].result_list)
    assert rows == [nxt, later, past, older]


# --- Actions ------------------------------------------------------------------------------------
def _act(client, action: str, *appointments_: Appointment, confirmed: bool = False, **extra: str):
    """Tick the appointments, choose the action, Go (and, with `confirmed`, "Yes" on its question)."""
    data = {"action": action, "_selected_action": [a.pk for a in appointments_], **extra}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(reverse("admin:booking_appointment_changelist"), data, follow=True)


def test_it_marks_selected_appointments_arrived_through_the_service(client, fran, clinic):
    first, second = appointments(clinic, 2)
    response = _act(client, "mark_arrived", first, second)
    assert "Mark arrived: 2 appointment(s)." in response.content.decode()
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.ARRIVED
        event = appointment.events.get()
        assert (event.kind, event.actor, event.actor_label) == ("status", fran, "fran")


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_completed", Appointment.Status.COMPLETED), ("mark_no_show", Appointment.Status.NO_SHOW)],
)
def test_it_marks_completed_and_no_show_a_visit_not_yet_started_only_once_asked(
    client, fran, clinic, action, status
):
    (appointment,) = appointments(clinic, 1)
    assert appointment.start > NOW
    asked = _act(client, action, appointment)
    html = asked.content.decode()
    assert "for these appointments?" in html and "Not yet" in html and appointment.patient.name in html
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED  # nothing changed by the question
    _act(client, action, appointment, confirmed=True)
    appointment.refresh_from_db()
    assert appointment.status == status


def test_marking_visits_already_due_asks_nothing(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    Appointment.objects.filter(pk=appointment.pk).update(start=NOW - dt.timedelta(minutes=5))
    response = _act(client, "mark_completed", appointment)
    assert "Mark completed: 1 appointment(s)." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED


def test_a_bulk_cancel_lists_the_visits_first_then_cancels_with_the_reason_and_records_who(
    client, fran, clinic, mailoutbox
):
    first, second = appointments(clinic, 2)
    asked = _act(client, "cancel_appointments", first, second)
    html = asked.content.decode()
    assert "Cancel these appointments?" in html
    assert first.patient.name in html and second.patient.name in html
    assert Appointment.objects.filter(status=Appointment.Status.CANCELLED).count() == 0
    _act(client, "cancel_appointments", first, second, confirmed=True, reason="The podiatrist is ill")
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert appointment.cancelled_at == NOW
        event = appointment.events.get()
        assert (event.kind, event.actor) == (AppointmentEvent.Kind.CANCELLED, fran)
        assert "The podiatrist is ill" in str(event.detail)


def test_it_reports_a_refusal_as_an_admin_message(client, fran, clinic):
    cancelled, booked = appointments(clinic, 2)
    Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
    response = _act(client, "mark_arrived", cancelled, booked)
    html = response.content.decode()
    assert "cannot be marked arrived" in html
    assert "Mark arrived: 1 appointment(s)." in html
    cancelled.refresh_from_db()
    assert cancelled.status == Appointment.Status.CANCELLED


def test_a_podiatrist_may_mark_arrived_but_not_book(client, clinic):
    client.force_login(podiatrist_user(clinic.sole))
    (appointment,) = appointments(clinic, 1)
    _act(client, "mark_arrived", appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
    assert client.get(reverse("admin:booking_appointment_book")).status_code == 403


# --- The status page (one appointment) ---------------------------------------------------------
def test_it_changes_one_appointments_status_and_returns_to_next(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    assert b"Mark arrived" in client.get(url).content
    response = client.post(url, {"status": "arrived", "next": "/admin/booking/appointment/day/?site=1"})
    assert response.status_code == 302
    assert response.url == "/admin/booking/appointment/day/?site=1"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED


def test_it_ignores_a_next_link_to_another_site(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    response = client.post(url, {"status": "no_show", "confirmed": "yes", "next": "https://evil.example/"})
    assert response.url == reverse("admin:booking_appointment_change", args=[appointment.pk])


def test_it_refuses_an_unknown_status(client, fran, clinic):
    (appointment,) = appointments(clinic, 1)
    url = reverse("admin:booking_appointment_status", args=[appointment.pk])
    response = client.post(url, {"status": "booked"}, follow=True)
    assert "Choose one of the status buttons." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


# --- Who may open the staff admin pages ---------------------------------------------------------
@pytest.mark.parametrize("page", ["changelist", "day", "book"])
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, page):
    response = client.get(reverse(f"admin:booking_appointment_{page}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ["changelist", "day", "book"])
def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client, page):
    client.force_login(non_staff_user())
    response = client.get(reverse(f"admin:booking_appointment_{page}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_staff_user_without_booking_permissions_gets_403_on_staff_pages(client, clinic):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("temp", is_staff=True))
    (appointment,) = appointments(clinic, 1)
    for url in (
        reverse("admin:booking_appointment_day"),
        reverse("admin:booking_appointment_book"),
        reverse("admin:booking_appointment_move", args=[appointment.pk]),
        reverse("admin:booking_appointment_status", args=[appointment.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:booking_appointment_status", args=[appointment.pk]), {"status": "arrived"}
    )
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
