"""The times page (/book/times/), the page patients ask for most, reads a fixed number of queries.

The rate limit is off so the count is the same with Redis or the database cache."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from tests.booking.test_services import NOW, make_clinic
from tests.load.pages import radio_values

# The types this person may book (the chosen type is picked from them), the active sites (the
# form's choices and the sites searched, read once), the podiatrists; shifts, opening hours,
# closures, appointments and time off of the days shown; the footer's sites.
TIMES_PAGE_QUERIES = 9


@pytest.mark.django_db
@override_settings(RATELIMIT_ENABLE=False)
def test_a_new_patients_times_page_reads_nine_queries_at_one_site_or_either(
    client, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        clinic = make_clinic(podiatrists=3)
        for site in (str(clinic["site"].pk), "any"):
            query = {"site": site, "type": clinic["exam"].pk, "podiatrist": "any", "day": "2027-03-10"}
            with django_assert_num_queries(TIMES_PAGE_QUERIES):
                page = client.get(reverse("booking:slots"), query).content.decode()
            assert len(radio_values(page, "slot")) > 5
