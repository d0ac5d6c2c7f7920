"""The manage link, for the link holder, a second patient, a forged token and the wrong method."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from booking.forms import SlotChoice
from booking.links import make_manage_token
from booking.models import Appointment
from tests.booking.test_services import NOW, book, make_clinic
from tests.factories.booking import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic()
        alice = book(clinic, patient_email="alice@mail.example")
        bob = book(clinic, patient_email="bob@mail.example", start=local(2027, 3, 11, 9))
        yield clinic, alice, bob


def url(name: str, appointment: Appointment) -> str:
    return reverse(f"booking:{name}", kwargs={"token": make_manage_token(appointment)})


def test_link_holder_sees_the_booking_in_detroit_time_with_site_details(client, booked):
    _, alice, _ = booked
    page = client.get(url("manage", alice)).content.decode()
    assert "Wednesday, March 10, 2027 at 9:30 AM" in page
    assert alice.site.phone in page and alice.site.full_address in page
    assert "Complete the heel-pain questionnaire" in page
    assert "alice@mail.example" not in url("manage", alice)


def test_second_patient_token_opens_only_their_own_booking(client, booked):
    _, alice, bob = booked
    page = client.get(url("manage", bob)).content.decode()
    assert "Thursday, March 11" in page
    # Nothing of the first patient's booking shows on the second patient's page.
    assert alice.patient.name not in page
    assert make_manage_token(alice) not in page
    client.post(url("cancel", bob))
    assert Appointment.objects.get(pk=alice.pk).status == "booked"


def test_forged_or_revoked_token_gives_a_clear_404(client, booked):
    _, alice, _ = booked
    token = make_manage_token(alice)
    for bad in [token[:-2] + "xx", "nonsense", token.replace(":", "")]:
        response = client.get(reverse("booking:manage", kwargs={"token": bad}))
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    Appointment.objects.filter(pk=alice.pk).update(manage_key="rotated")
    assert client.get(reverse("booking:manage", kwargs={"token": token})).status_code == 404


def test_wrong_method_is_refused(client, booked):
    _, alice, _ = booked
    assert client.post(url("manage", alice)).status_code == 405
    assert client.delete(url("cancel", alice)).status_code == 405


def test_cancel_needs_a_confirm_step_and_then_says_cancelled(client, booked):
    _, alice, _ = booked
    assert "Yes, cancel" in client.get(url("cancel", alice)).content.decode()
    assert Appointment.objects.get(pk=alice.pk).status == "booked"
    response = client.post(url("cancel", alice), follow=True)
    page = response.content.decode()
    assert "This booking was cancelled" in page and "Book a new appointment" in page
    assert client.post(url("reschedule", alice), {"slot": "1.0.1"}).status_code == 409
    assert Appointment.objects.get(pk=alice.pk).status == "cancelled"


def test_reschedule_moves_the_booking_in_place(client, booked):
    clinic, alice, _ = booked
    assert "Thursday, March 11" in client.get(url("reschedule", alice) + "?day=2027-03-11").content.decode()
    new = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=local(2027, 3, 12, 14)).value
    response = client.post(url("reschedule", alice), {"slot": new})
    assert response.status_code == 302
    moved = Appointment.objects.get(pk=alice.pk)
    assert moved.start == local(2027, 3, 12, 14) and moved.rescheduled_count == 1


def test_after_the_cutoff_the_link_says_call_the_site(client, booked):
    _, alice, _ = booked
    with time_machine.travel(local(2027, 3, 9, 12), tick=False):
        page = client.get(url("manage", alice)).content.decode()
        assert "Please call Howell" in page and "Reschedule" not in page
        assert client.post(url("cancel", alice)).status_code == 409


def test_a_past_booking_says_it_is_past_and_the_link_expires_later(client, booked):
    _, alice, _ = booked
    with time_machine.travel(local(2027, 3, 12, 12), tick=False):
        assert "in the past" in client.get(url("manage", alice)).content.decode()
    with time_machine.travel(local(2027, 5, 1, 12), tick=False):
        assert client.get(url("manage", alice)).status_code == 404


def test_the_calendar_file_downloads(client, booked):
    _, alice, _ = booked
    response = client.get(url("ics", alice))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


@override_settings(MANAGE_LINK_RATE="3/m")
def test_manage_links_are_rate_limited(client, booked):
    _, alice, _ = booked
    codes = [client.get(url("manage", alice)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_reschedule_offers_the_other_site_and_moves_the_booking_there(client, booked):
    from tests.factories.booking import PodiatristFactory, SiteFactory, WeeklyShiftFactory

    clinic, alice, _ = booked
    other = SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills")
    WeeklyShiftFactory(podiatrist=PodiatristFactory(name="Dr. Other"), site=other, weekday=4)
    page = client.get(url("reschedule", alice), {"site": other.pk, "day": "2027-03-12"}).content.decode()
    assert "Friday, March 12, 2:00 PM, Bloomfield Hills" in page
    assert "Change site or appointment type" in page
    new = SlotChoice(site_id=other.pk, podiatrist_id=None, start=local(2027, 3, 12, 14)).value
    response = client.post(url("reschedule", alice), {"slot": new, "type": clinic["exam"].pk})
    assert response.status_code == 302
    moved = Appointment.objects.get(pk=alice.pk)
    assert moved.site == other and moved.start == local(2027, 3, 12, 14)


def test_reschedule_offers_only_types_the_patient_may_book(client, booked):
    clinic, alice, _ = booked
    page = client.get(url("reschedule", alice)).content.decode()
    assert "New patient heel-pain exam" in page
    assert "Diagnostic ultrasound" not in page and "Follow-up visit" not in page
    # A forged type is ignored: the booking keeps the type it has.
    new = SlotChoice(site_id=clinic["site"].pk, podiatrist_id=None, start=local(2027, 3, 12, 14)).value
    client.post(url("reschedule", alice), {"slot": new, "type": clinic["ultrasound"].pk})
    assert Appointment.objects.get(pk=alice.pk).type == clinic["exam"]
