"""A patient's email holds exactly one address, on the booking, the questionnaire and the staff form."""

from __future__ import annotations

import pytest
from django import forms

from booking.emails import OneEmailField
from booking.forms import DetailsForm
from booking.staff_forms import PatientDetailsForm
from intake.forms import ContactForm

NOT_ONE = [
    '"a@x.example,b"@example.com',
    "a@x.example,b@example.com",
    "a@x.example; b@example.com",
    "Pat <pat@example.com>",
    '"pat"@example.com',
    "pat @example.com",
]


@pytest.mark.parametrize("value", NOT_ONE)
def test_anything_but_one_plain_address_is_refused(value):
    with pytest.raises(forms.ValidationError) as refused:
        OneEmailField().clean(value)
    assert refused.value.messages == ["Enter one email address, like name@example.com"]


@pytest.mark.parametrize("value", ["not-an-email", "pat@", "@mail.example", "pat@mail..example"])
def test_a_malformed_address_gets_one_message_that_shows_the_form_of_one(value):
    with pytest.raises(forms.ValidationError) as refused:
        OneEmailField().clean(value)
    assert refused.value.messages == ["Enter one email address, like name@example.com"]


@pytest.mark.parametrize("value", ["pat@mail.example", "Pat.O'Neil+heel@Mail.Example", "a_b-c@x.co"])
def test_a_plain_address_is_accepted_lower_case(value):
    assert OneEmailField().clean(value) == value.lower()


@pytest.mark.parametrize("form_class, field", [(DetailsForm, "email"), (ContactForm, "email"),
                                               (PatientDetailsForm, "patient_email")])  # fmt: skip
def test_every_form_that_takes_a_patients_email_uses_it(form_class, field):
    assert isinstance(form_class.base_fields[field], OneEmailField)
