"""The front desk's waitlist: who waits for what and since when, offers by hand, recorded removals."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from booking.staff_forms import slot_value
from tests.booking.personas import front_desk_user, podiatrist_user
from tests.factories.booking import local
from tests.waitlist.scenario import FREED, NOW, book, cancel, make, wait_without_booking
from waitlist import services
from waitlist.models import Offer, WaitlistEntry

pytestmark = [pytest.mark.django_db]

LIST = "admin:waitlist_waitlistentry_changelist"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def fran(client):
    user = front_desk_user()
    client.force_login(user)
    return user


def test_the_front_desk_sees_who_waits_for_what_since_when_and_what_was_offered(client, fran):
    clinic = make()
    alice = book(clinic, "alice", FREED)
    wait_without_booking(clinic, "bea", site=None)
    services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)
    page = client.get(reverse(LIST)).content.decode()
    assert "Bea" in page and "New patient heel-pain exam" in page
    assert "Either site" in page
    assert "Mon Mar 1, 7:00 AM" in page  # waiting since, in Detroit time
    assert "1 time, last Mon Mar 1, 7:00 AM" in page
    assert "Mar 1 to Mar 31; Mon-Fri, any time" in page


def test_the_list_shows_waiting_entries_first_and_filters_a_site_with_either(client, fran):
    clinic = make()
    wait_without_booking(clinic, "hana", site=clinic.site)
    wait_without_booking(clinic, "ella", site=None)
    wait_without_booking(clinic, "bo", site=clinic.other_site)
    left = wait_without_booking(clinic, "gwen", site=None)
    services.leave(entry=left)
    page = client.get(reverse(LIST) + f"?site={clinic.site.pk}").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Hana" in rows and "Ella" in rows
    assert "Bo<" not in rows and ">Bo" not in rows
    assert "Gwen" not in rows


def test_the_list_reads_a_fixed_number_of_queries_however_long(client, fran, django_assert_num_queries):
    clinic = make()
    for i in range(3):
        wait_without_booking(clinic, f"first{i}")
    client.get(reverse(LIST))  # warm the session and content types
    # 10 to read the page, 1 to record the view in the staff-access audit
    with django_assert_num_queries(11):
        client.get(reverse(LIST))
    for i in range(30):
        wait_without_booking(clinic, f"more{i}")
    with django_assert_num_queries(11):
        assert client.get(reverse(LIST)).status_code == 200


def test_the_entry_page_lists_every_offer_with_its_time_and_outcome(client, fran):
    clinic = make()
    alice = book(clinic, "alice", FREED)
    bea = wait_without_booking(clinic, "bea")
    services.offer_next_batch(opening_id=cancel(alice).pk, now=NOW)
    page = client.get(reverse("admin:waitlist_waitlistentry_change", args=[bea.pk])).content.decode()
    assert "Mon Mar 8, 10:00 AM, Howell" in page
    assert "Offered" in page
    assert "Offer a time" in page


def test_removing_an_entry_records_who_and_when(client, fran):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    response = client.post(reverse(LIST), {"action": "remove_entries", "_selected_action": [bea.pk]})
    assert response.status_code == 302
    bea.refresh_from_db()
    assert (bea.status, bea.ended_by, bea.ended_at) == (WaitlistEntry.Status.REMOVED, fran, NOW)
    page = client.get(reverse("admin:waitlist_waitlistentry_change", args=[bea.pk])).content.decode()
    assert "by fran: removed by the front desk" in page


def test_nobody_deletes_or_adds_an_entry_here(client, fran):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    assert client.get(reverse("admin:waitlist_waitlistentry_delete", args=[bea.pk])).status_code == 403
    assert client.get(reverse("admin:waitlist_waitlistentry_add")).status_code == 403


def test_the_front_desk_offers_a_free_time_by_hand(client, fran):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    url = reverse("admin:waitlist_waitlistentry_offer", args=[bea.pk])
    search = f"{url}?site={clinic.site.pk}&date=2027-03-08"
    page = client.get(search).content.decode()
    assert "Monday, March 8, 10:00 AM" in page
    response = client.post(
        search,
        {
            "slot": slot_value(
                site_id=clinic.site.pk, podiatrist_id=clinic.sole.pk, start=local(2027, 3, 8, 10)
            )
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.entry, offer.offered_by, offer.opening.start, offer.opening.podiatrist) == (
        bea,
        fran,
        local(2027, 3, 8, 10),
        clinic.sole,
    )


def test_an_offer_by_hand_of_a_taken_time_is_refused(client, fran):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    book(clinic, "alice", FREED)
    url = (
        reverse("admin:waitlist_waitlistentry_offer", args=[bea.pk])
        + f"?site={clinic.site.pk}&date=2027-03-08"
    )
    response = client.post(
        url,
        {"slot": slot_value(site_id=clinic.site.pk, podiatrist_id=clinic.sole.pk, start=FREED)},
        follow=True,
    )
    assert "That time is not free." in response.content.decode()
    assert not Offer.objects.exists()


def test_a_podiatrist_sees_the_waitlist_but_cannot_offer_or_remove(client):
    clinic = make()
    bea = wait_without_booking(clinic, "bea")
    client.force_login(podiatrist_user(clinic.sole))
    assert client.get(reverse(LIST)).status_code == 200
    assert client.get(reverse("admin:waitlist_waitlistentry_offer", args=[bea.pk])).status_code == 403
    client.post(reverse(LIST), {"action": "remove_entries", "_selected_action": [bea.pk]})
    bea.refresh_from_db()
    assert bea.status == WaitlistEntry.Status.WAITING


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "/admin/login/" in response.url
