"""The patient's waitlist pages: personas with a manage link, an offer link, and nothing at all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from booking.links import make_manage_token
from booking.models import Appointment
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_with_booking, wait_without_booking
from waitlist import services
from waitlist.links import make_offer_token
from waitlist.models import Offer, WaitlistEntry

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.RATELIMIT_ENABLE = False
    with time_machine.travel(NOW, tick=False):
        yield


def earlier_url(appointment: Appointment) -> str:
    return reverse("waitlist:earlier", args=[make_manage_token(appointment)])


def manage_url(appointment: Appointment) -> str:
    return reverse("booking:manage", args=[make_manage_token(appointment)])


JOIN = {
    "site": "either",
    "first_day": "2027-03-01",
    "last_day": "2027-03-20",
    "weekdays": ["0", "2"],
    "day_parts": ["morning"],
}


def test_the_manage_page_offers_to_take_an_earlier_time(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    page = client.get(manage_url(bob)).content.decode()
    assert "Would you take an earlier time?" in page
    assert earlier_url(bob) in page


def test_joining_from_the_manage_link_shows_the_entry_there(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    response = client.post(earlier_url(bob), JOIN)
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.appointment, entry.type, entry.site, entry.email) == (
        bob,
        clinic.exam,
        None,
        "bob@mail.example",
    )
    assert (entry.weekday_set, entry.day_parts_text()) == ({0, 2}, "mornings")
    page = client.get(response.url).content.decode()
    assert "You are on the waitlist for an earlier time" in page
    assert "Monday, Wednesday, mornings" in page
    assert "Monday, March 1 and Saturday, March 20" in page


def test_joining_again_changes_the_entry_and_keeps_the_place(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    client.post(earlier_url(bob), JOIN)
    first = WaitlistEntry.objects.get()
    client.post(earlier_url(bob), JOIN | {"day_parts": ["morning", "afternoon"]})
    again = WaitlistEntry.objects.get()
    assert again.pk == first.pk and again.created_at == first.created_at
    assert again.day_parts_text() == "mornings or afternoons"


def test_a_wish_with_no_days_is_refused_with_a_clear_message(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    response = client.post(earlier_url(bob), JOIN | {"weekdays": []})
    assert response.status_code == 400
    assert "Choose at least one day." in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_leaving_from_the_manage_link_ends_the_entry(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    client.post(earlier_url(bob), JOIN)
    response = client.post(reverse("waitlist:leave_from_booking", args=[make_manage_token(bob)]))
    assert response.status_code == 302
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.LEFT
    assert "Would you take an earlier time?" in client.get(manage_url(bob)).content.decode()


def test_a_second_patients_link_joins_only_for_their_own_booking(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    eve = book(clinic, "eve", local(2027, 3, 29, 9))
    client.post(earlier_url(eve), JOIN)
    assert WaitlistEntry.objects.get().appointment == eve
    assert "Would you take an earlier time?" in client.get(manage_url(bob)).content.decode()


def test_a_forged_manage_link_cannot_join(client):
    assert client.post(reverse("waitlist:earlier", args=["forged"]), JOIN).status_code == 404
    assert not WaitlistEntry.objects.exists()


def test_the_join_page_refuses_other_methods(client):
    clinic = make()
    bob = book(clinic, "bob", local(2027, 3, 22, 9))
    assert client.put(earlier_url(bob)).status_code == 405
    assert (
        client.get(reverse("waitlist:leave_from_booking", args=[make_manage_token(bob)])).status_code == 405
    )


def offers(clinic, *names):
    alice = book(clinic, "alice", FREED)
    entries = [wait_with_booking(clinic, names[0], local(2027, 3, 22, 9))]
    entries += [wait_without_booking(clinic, who) for who in names[1:]]
    opening = cancel(alice)
    return services.offer_next_batch(opening_id=opening.pk, now=NOW)


def test_opening_an_offer_shows_the_time_and_books_nothing(client):
    clinic = make()
    bob, _ = offers(clinic, "bob", "cal")
    page = client.get(reverse("waitlist:offer", args=[make_offer_token(bob)])).content.decode()
    assert "Monday, March 8, 2027 at 10:00 AM" in page
    assert "the first to book it gets it" in page
    assert "holds until Monday, March 1 at 10:00 AM" in page
    assert "Move my booking to this time" in page
    assert Offer.objects.get(pk=bob.pk).status == Offer.Status.OFFERED


def test_claiming_moves_the_booking_and_lands_on_its_manage_page(client):
    clinic = make()
    bob, _ = offers(clinic, "bob", "cal")
    response = client.post(reverse("waitlist:offer", args=[make_offer_token(bob)]))
    assert response.status_code == 302 and response.url.endswith("?moved=1")
    page = client.get(response.url).content.decode()
    assert "Your appointment has been moved" in page
    assert "Monday, March 8, 2027 at 10:00 AM" in page


def test_the_second_claimant_sees_just_taken_with_the_nearest_times(client):
    clinic = make()
    bob, cal = offers(clinic, "bob", "cal")
    client.post(reverse("waitlist:offer", args=[make_offer_token(bob)]))
    response = client.post(reverse("waitlist:offer", args=[make_offer_token(cal)]))
    page = response.content.decode()
    assert response.status_code == 409
    assert "That time was just taken" in page
    assert "You are still on the waitlist" in page
    assert "The nearest free times" in page
    assert not Appointment.objects.filter(patient__email="cal@mail.example").exists()


def test_an_expired_offer_says_so(client):
    clinic = make()
    bob, _ = offers(clinic, "bob", "cal")
    with time_machine.travel(NOW + dt.timedelta(hours=4), tick=False):
        page = client.get(reverse("waitlist:offer", args=[make_offer_token(bob)])).content.decode()
    assert "This offer has ended" in page


def test_a_forged_offer_link_is_not_valid(client):
    assert client.get(reverse("waitlist:offer", args=["forged"])).status_code == 404
    assert client.post(reverse("waitlist:offer", args=["forged"])).status_code == 404


@override_settings(RATELIMIT_ENABLE=True, MANAGE_LINK_RATE="2/m")
def test_offer_links_are_rate_limited(client):
    codes = [client.get(reverse("waitlist:offer", args=["forged"])).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_a_patient_without_a_booking_sees_and_leaves_their_entry_from_its_link(client):
    from waitlist.links import make_entry_token

    clinic = make()
    dee = wait_without_booking(clinic, "dee", site=None, weekdays=[1, 3], day_parts=["afternoon"])
    url = reverse("waitlist:entry", args=[make_entry_token(dee)])
    page = client.get(url).content.decode()
    assert "Either site" in page and "Tuesday, Thursday, afternoons" in page
    assert "Leave the waitlist" in page
    page = client.post(url).content.decode()
    assert "This entry has ended: left the waitlist." in page
    dee.refresh_from_db()
    assert dee.status == WaitlistEntry.Status.LEFT


def test_another_entrys_or_a_forged_entry_link_shows_nothing(client):
    from waitlist.links import make_entry_token

    clinic = make()
    dee = wait_without_booking(clinic, "dee")
    token = make_entry_token(dee)
    assert client.get(reverse("waitlist:entry", args=[token[:-3] + "abc"])).status_code == 404
    assert client.get(reverse("waitlist:entry", args=["nonsense"])).status_code == 404
