"""The time picker: one day at a time, a strip of days with free counts, morning and afternoon,
the site on each time at either site, position-based ids, the horizon, and the urgent lane."""

from __future__ import annotations

import re
from datetime import date, timedelta
from datetime import time as dt_time

import pytest
import time_machine
from django.template import engines
from django.urls import reverse

from booking import picker
from booking.availability import Slot
from booking.models import Closure
from tests.booking.test_booking_views import intake_for
from tests.booking.test_services import NOW, make_clinic
from tests.factories.booking import (
    AppointmentFactory,
    PodiatristFactory,
    SiteFactory,
    WeeklyShiftFactory,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    with time_machine.travel(NOW, tick=False):  # Monday, March 8, 2027, 9:00
        clinic = make_clinic(holds=["10:00"])
        other = SiteFactory(slug="bloomfield-hills", name="Bloomfield Hills", phone="(248) 555-0100")
        for weekday in range(5):
            WeeklyShiftFactory(podiatrist=PodiatristFactory(name="Dr. Other"), site=other, weekday=weekday)
        clinic["other_site"] = other
        yield clinic


def _times(client, clinic, **query) -> str:
    params = {"site": "any", "type": clinic["exam"].pk, "podiatrist": "any", "day": "2027-03-10", **query}
    response = client.get(reverse("booking:slots"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_one_day_is_shown_with_a_strip_of_seven_days_and_their_free_counts(client, clinic):
    Closure.objects.create(site=clinic["site"], date=date(2027, 3, 11))
    page = _times(client, clinic, site=clinic["site"].pk)
    assert re.findall(r'<h2 class="h4 mt-3">([^<]+)</h2>', page) == ["Wednesday, March 10"]
    assert "Thursday, March 11, 8:00 AM" not in page  # other days are in the strip, not listed
    # Strip of Mon 8 .. Sun 14: 51 starts a day for one podiatrist (8:00 .. 4:20 PM) less the 6
    # that overlap the held 10:00 urgent window; Thursday closed, the weekend greyed.
    assert "Wednesday, March 10: 45 free times" in page
    assert "Thursday, March 11: no free times" in page and "Saturday, March 13: no free times" in page
    assert page.count('class="strip-day is-empty"') == 3
    assert page.count('name="slot"') == 45


def test_times_are_grouped_morning_and_afternoon(client, clinic):
    page = _times(client, clinic, site=clinic["site"].pk)
    morning, afternoon = page.index("Morning</legend>"), page.index("Afternoon</legend>")
    assert morning < page.index(">11:50 AM<") < afternoon < page.index(">12:00 PM<")


def test_either_site_names_the_site_on_every_time(client, clinic):
    page = _times(client, clinic)
    chips = re.findall(r'<label class="time-chip".*?</label>', page)
    assert len(chips) == 51 + 45  # Howell holds 10:00 for urgent patients
    assert all("<small>Howell</small>" in c or "<small>Bloomfield Hills</small>" in c for c in chips)


def test_radio_ids_are_unique_and_come_from_position_not_value():
    # The same time listed twice (two groups of the "just taken" page) still gets two ids.
    start = local(2027, 3, 10, 9, 30)
    slot = Slot(start=start, end=start, site_id=1, podiatrist_id=1)
    groups = picker.by_day([slot], first_available_only=True, site_names={1: "Howell"}, show_site=False)
    again = picker.day_groups(
        picker.choices_for([slot], first_available_only=True), site_names={1: "Howell"}, show_site=False
    )
    ids = [t.dom_id for g in [*groups, *again] for t in g.times]
    values = [t.value for g in [*groups, *again] for t in g.times]
    assert len(set(ids)) == len(ids) == 2 and len(set(values)) == 1


# The strip's items as the template loop wrote them before StripDay.item (whitespace aside).
_STRIP_LOOP = (
    '{% for d in picker.strip %}<li>{% if d.count %}<a class="strip-day{% if d.selected %} is-selected'
    '{% endif %}" href="{{ d.href }}"{% if d.selected %} aria-current="date"{% endif %}><span '
    'class="visually-hidden">{{ d.spoken }}</span><span aria-hidden="true"><span class="strip-weekday">'
    '{{ d.weekday }}</span><span class="strip-date">{{ d.short_date }}</span><span class="strip-count">'
    '{{ d.count }}</span></span></a>{% else %}<span class="strip-day is-empty"><span '
    'class="visually-hidden">{{ d.spoken }}</span><span aria-hidden="true"><span class="strip-weekday">'
    '{{ d.weekday }}</span><span class="strip-date">{{ d.short_date }}</span><span class="strip-count">'
    "none</span></span></span>{% endif %}</li>{% endfor %}"
)


@pytest.mark.parametrize("href", ["/book/times/?site=any&type=3&day=2027-03-10", "/x?a=\"<b>&c='d'"])
def test_strip_items_read_as_the_template_loop_wrote_them_every_value_escaped(href):
    days = [
        picker.StripDay(day=date(2027, 3, 8 + n), weekday="Mon", short_date="Mar 8", count=count,
                        selected=selected, href=f"{href}{n}")
        for n, (count, selected) in enumerate([(0, False), (1, False), (12, True), (3, False)])
    ]  # fmt: skip
    built = picker.Picker(strip=days, day=date(2027, 3, 10), groups=[])
    old = engines["django"].from_string(_STRIP_LOOP).render({"picker": built})
    assert built.strip_items == old
    assert built.strip_items.count("<a ") == 3 and built.strip_items.count('aria-current="date"') == 1
    assert "<b>" not in built.strip_items


def test_ids_on_the_times_page_are_unique(client, clinic):
    ids = re.findall(r' id="([^"]+)"', _times(client, clinic))
    assert len(ids) == len(set(ids))


def test_one_day_at_either_site_is_a_small_page(client, clinic):
    assert len(_times(client, clinic).encode()) < 60_000


def test_beyond_the_horizon_says_how_far_ahead_one_can_book(client, clinic):
    page = _times(client, clinic, day="2027-05-20")  # 73 days ahead; the horizon is 60
    assert "You can book up to 60 days ahead: times on May 20, 2027 can be booked from March 21, 2027" in page
    assert "The last day you can book now is May 7, 2027" in page


def test_the_strip_pages_to_later_days_but_not_past_today(client, clinic):
    page = _times(client, clinic)
    assert "day=2027-03-15" in page and "Later days" in page and "Earlier days" not in page
    later = _times(client, clinic, day="2027-03-16")
    assert "Earlier days" in later and "day=2027-03-08" in later


def test_the_urgent_lane_lists_every_free_time_a_day_at_a_time_and_the_phones(client, clinic):
    intake_for(client, "urgent")
    page = client.get(reverse("booking:urgent")).content.decode()
    # Monday after 11:00 (notice): 11:00 .. 4:30 PM every 10 minutes for the 30-minute visit, two sites.
    assert re.findall(r'<h2 class="h4 mt-3">([^<]+)</h2>', page) == ["Monday, March 8"]
    assert page.count('name="slot"') == 2 * 34
    assert "Tuesday, March 9: " in page and "Wednesday, March 10: " in page
    assert "Thursday, March 11" not in page
    assert "None of these suit? Call Bloomfield Hills" in page and 'href="tel:+12485550100"' in page
    tuesday = client.get(reverse("booking:urgent"), {"day": "2027-03-09"}).content.decode()
    assert re.findall(r'<h2 class="h4 mt-3">([^<]+)</h2>', tuesday) == ["Tuesday, March 9"]
    assert tuesday.count('name="slot"') == 2 * 52  # 8:00 .. 4:30 PM, the held 10:00 included


def test_booking_after_an_emergency_outcome_shows_the_emergency_advice(client, clinic):
    intake_for(client, "emergency")
    for name in ("booking:start", "booking:slots"):
        page = client.get(reverse(name), {"site": "any", "type": clinic["exam"].pk, "day": "2027-03-10"})
        text = page.content.decode()
        assert "Get emergency care now" in text and 'href="tel:911"' in text
        assert 'name="slot"' not in text and "Show free times" not in text


def test_a_type_the_patient_may_not_book_is_refused_on_the_times_page(client, clinic):
    params = {"site": "any", "type": clinic["ultrasound"].pk, "podiatrist": "any", "day": "2027-03-10"}
    response = client.get(reverse("booking:slots"), params)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert 'name="slot"' not in response.content.decode()


# The slot search's three reads. The types offered, the sites (the form's radios and the footer)
# and the podiatrists (the form's choices) are kept by the process (booking.prepared.KeptRead):
# three reads more on the first page after a change or every REFERENCE_DATA_SECONDS, none after.
# The rate-limit counter is left out: it reads the cache, a database table only when Redis is not set.
TIMES_PAGE_QUERIES = 3
KEPT_LISTS = 3


def test_the_times_page_reads_a_fixed_number_of_queries_whatever_is_booked(
    client, clinic, settings, django_assert_num_queries
):
    settings.RATELIMIT_ENABLE = False
    with django_assert_num_queries(TIMES_PAGE_QUERIES + KEPT_LISTS):
        _times(client, clinic)  # the kept lists are read once
    with django_assert_num_queries(TIMES_PAGE_QUERIES):
        empty = _times(client, clinic)
    for minutes in range(0, 240, 40):  # Dr. Sample's Wednesday morning: six exams from 8:00
        AppointmentFactory(
            site=clinic["site"],
            podiatrist=clinic["podiatrist"],
            type=clinic["exam"],
            start=local(2027, 3, 10, 8 + minutes // 60, minutes % 60),
        )
    with django_assert_num_queries(TIMES_PAGE_QUERIES):
        busier = _times(client, clinic)
    assert busier.count('name="slot"') < empty.count('name="slot"')
    # A chosen podiatrist comes from the list the form's choices were read from: no read of its own.
    with django_assert_num_queries(TIMES_PAGE_QUERIES):
        chosen = _times(client, clinic, podiatrist=clinic["podiatrist"].pk)
    assert f"with {clinic['podiatrist'].name}" in chosen


# The slot's type, and the session keeping the booking key (a check, then its insert in a
# savepoint); the chosen site's name comes from the active sites the footer lists (kept).
DETAILS_PAGE_QUERIES = 5


def test_the_details_page_names_the_chosen_site_from_the_sites_the_footer_lists(
    client, clinic, settings, django_assert_num_queries
):
    settings.RATELIMIT_ENABLE = False
    slot = re.findall(r'name="slot"[^>]*value="([^"]+)"', _times(client, clinic, site=clinic["site"].pk))[0]
    query = {"slot": slot, "type": clinic["exam"].pk}
    with django_assert_num_queries(DETAILS_PAGE_QUERIES):
        page = client.get(reverse("booking:details"), query).content.decode()
    assert f", {clinic['site'].name} (Michigan time)</p>" in page
    clinic["site"].is_active = False  # closed since: its name is read by its id, as before
    clinic["site"].save()
    page = client.get(reverse("booking:details"), query).content.decode()
    assert f", {clinic['site'].name} (Michigan time)</p>" in page


def test_day_and_clock_words_are_what_strftime_gives_every_day_and_minute():
    """The picker names days and times from tables, not strftime: the same words for every day of
    a leap year and a common one, and every minute of a day."""
    day = date(2027, 1, 1)
    while day < date(2029, 1, 1):
        assert picker.spoken_day(day) == f"{day:%A}, {day:%B} {day.day}"
        assert picker.long_date(day) == f"{day:%B} {day.day}, {day.year}"
        strip = picker.build([], first_day=day, days=1, wanted=day, href_for=str, site_names={},
                             show_site=False, first_available_only=True).strip[0]  # fmt: skip
        assert (strip.weekday, strip.short_date) == (f"{day:%a}", f"{day:%b} {day.day}")
        day += timedelta(days=1)
    for minute in range(24 * 60):
        moment = dt_time(minute // 60, minute % 60)
        assert picker._clock(moment) == f"{int(f'{moment:%I}')}:{moment:%M} {moment:%p}"
