"""Height and weight in US units first, dates as Americans write them, and nothing typed is lost."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from intake import triage
from intake.drafts import SESSION_KEY
from tests.factories.booking import local
from tests.factories.intake import routine_answers
from tests.intake.conftest import CONTACT, fill_questionnaire

pytestmark = pytest.mark.django_db

ABOUT = reverse("intake:step", args=["about-you"])
CONTACT_URL = reverse("intake:contact")
ABOUT_YOU = {"A01": 45, "A03": "self", "A02": "female", "A05": "4_8"}


def _answers(client) -> dict:
    return client.session[SESSION_KEY]["answers"]


def test_height_and_weight_are_asked_in_feet_inches_and_pounds_and_stored_in_cm_and_kg(client, sites):
    page = client.get(ABOUT).content.decode()
    assert 'name="A04H_ft"' in page and 'name="A04H_in"' in page and 'name="A04W_lb"' in page
    assert 'name="A04H"' not in page and "Use centimeters and kilograms instead" in page
    response = client.post(ABOUT, {**ABOUT_YOU, "A04H_ft": 5, "A04H_in": 7, "A04W_lb": 165})
    assert response.status_code == 302
    assert _answers(client)["A04H"] == 170 and _answers(client)["A04W"] == 75


def test_a_weight_is_shown_back_in_the_pounds_typed_not_rounded_through_kilograms(client, sites):
    client.post(ABOUT, {**ABOUT_YOU, "A04H_ft": 5, "A04H_in": 7, "A04W_lb": 166})
    assert _answers(client)["A04W"] == 75  # 75.3 kg
    form = client.get(ABOUT).context["form"]
    assert form.initial["A04W_lb"] == 166 and form.initial["A04H_ft"] == 5 and form.initial["A04H_in"] == 7


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"A04H_ft": 67}, "A04H_ft", "Enter your height in feet and inches, between 1 ft 8 in and 8 ft 2 in"),
        ({"A04H_ft": 5, "A04H_in": 14}, "A04H_ft", "Enter the inches as a whole number from 0 to 11"),
        ({"A04W_lb": 2000}, "A04W_lb", "Enter your weight in pounds, between 7 and 771 pounds"),
    ],
)
def test_out_of_range_answers_get_a_message_that_names_the_unit(client, sites, typed, field, message):
    response = client.post(ABOUT, {**ABOUT_YOU, **typed})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    # The summary at the top names the question too.
    question = "How tall are you?" if field.startswith("A04H") else "How much do you weigh?"
    assert f"{question} {message}" in response.content.decode()


def test_the_metric_switch_keeps_what_was_typed_converted(client, sites):
    response = client.post(
        ABOUT, {**ABOUT_YOU, "A04H_ft": 5, "A04H_in": 7, "A04W_lb": 165, "units": "metric"}
    )
    assert response.status_code == 302 and response["Location"] == ABOUT
    page = client.get(ABOUT)
    html = page.content.decode()
    assert "How tall are you, in centimeters?" in html and "How much do you weigh, in kilograms?" in html
    assert page.context["form"].initial["A04H"] == "170" and page.context["form"].initial["A04W"] == "75"
    assert page.context["form"].initial["A01"] == "45"  # the rest of the page is kept as well
    bad = client.post(ABOUT, {**ABOUT_YOU, "A04H": 20})
    assert bad.context["form"].errors["A04H"] == ["Enter a whole number of centimeters between 50 and 250"]
    client.post(ABOUT, {**ABOUT_YOU, "A04H": 180, "A04W": 90})
    assert _answers(client)["A04H"] == 180 and _answers(client)["A04W"] == 90


def test_triage_reads_height_and_weight_in_the_stored_units(client, sites):
    # 5 ft 7 in and 210 lb is a BMI of 32.9: the high-BMI flag, computed from 170 cm and 95 kg.
    fill_questionnaire(client, {**routine_answers(), "A04H_ft": 5, "A04H_in": 7, "A04W_lb": 210})
    answers = _answers(client)
    assert (answers["A04H"], answers["A04W"]) == (170, 95)
    flags = [flag.code for flag in triage.assess(triage.validate(answers)).flags]
    assert "high_bmi" in flags


def test_typed_contact_details_survive_a_validation_error_and_a_reload(client, sites):
    typed = {**CONTACT, "consent": ""}
    response = client.post(CONTACT_URL, typed)
    assert response.status_code == 200 and "Tick the box" in response.content.decode()
    reloaded = client.get(CONTACT_URL).content.decode()
    for value in ("Robin Sample", "1980-04-02", "Robin.Sample@Mail.Example", "(248) 555-0142"):
        assert value in reloaded


def test_typed_answers_survive_a_validation_error_and_a_reload(client, sites):
    client.post(ABOUT, {"A01": 45, "A04W_lb": 2000})  # A03 missing, weight out of range
    form = client.get(ABOUT).context["form"]
    assert form.initial["A01"] == "45" and form.initial["A04W_lb"] == "2000"


def test_a_date_of_birth_typed_month_first_is_accepted_and_the_hint_says_so(client, sites):
    page = client.get(CONTACT_URL).content.decode()
    assert "For example 03/27/1985 (month, day, year)" in page
    response = client.post(CONTACT_URL, {**CONTACT, "date_of_birth": "04/02/1980"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["contact"]["date_of_birth"] == "1980-04-02"


def test_a_date_of_birth_that_disagrees_with_the_age_is_questioned_until_confirmed(client, sites):
    with time_machine.travel(local(2026, 11, 29, 12), tick=False):
        client.post(ABOUT, {**ABOUT_YOU, "A01": 42})
        response = client.post(CONTACT_URL, {**CONTACT, "date_of_birth": "1960-05-12"})
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "This date of birth (May 12, 1960) makes the patient 66, but the age given earlier was 42" in html
        )
        assert 'name="age_confirmed"' in html
        confirmed = client.post(
            CONTACT_URL, {**CONTACT, "date_of_birth": "1960-05-12", "age_confirmed": "on"}
        )
        assert confirmed.status_code == 302
        # Within a year is no question (a birthday this month).
        client.post(ABOUT, {**ABOUT_YOU, "A01": 46})
        assert client.post(CONTACT_URL, {**CONTACT, "date_of_birth": "1980-04-02"}).status_code == 302


def test_check_your_answers_reads_dates_in_words_and_has_send_above_the_list(client, sites):
    fill_questionnaire(client, routine_answers(), contact={**CONTACT, "date_of_birth": "1980-05-12"})
    html = client.get(reverse("intake:check")).content.decode()
    assert "May 12, 1980" in html and "1980-05-12" not in html
    assert html.index("Send my answers") < html.index("How old are you?")
    assert html.count("Send my answers") == 2
    # Follow-ups that were never asked (S02 was "no") are no rows at all.
    for follow_up in ("S02a", "S02b", "S04a", "S06a", "S07a"):
        assert triage.ITEMS_BY_ID[follow_up].question not in html
    assert "How tall are you?" in html  # optional and asked: "Not answered" is honest there


def test_the_contact_page_has_one_form_so_its_button_sends_it(client, sites):
    html = client.get(CONTACT_URL).content.decode()
    assert html.count("<form") == 1
