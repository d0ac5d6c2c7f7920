"""A patient's email: exactly one plain address.

Django's EmailField accepts RFC 5322 forms such as `"a@x.example,b"@example.com` (a quoted local
part). Nobody types that by accident, and a mail layer that splits on commas would send to
addresses nobody entered; so the clinic takes letters, digits and `.!#$%&'*+/=?^_`{|}~-` before
the @, a domain after it, and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_ONE_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
MESSAGE = "Enter one email address, like name@example.com"


def validate_one_address(value: str) -> None:
    """Refuse anything but one plain address (no quotes, commas, spaces, angle brackets or names)."""
    if not _ONE_PLAIN_ADDRESS.fullmatch(value or ""):
        raise ValidationError(MESSAGE, code="invalid")


class OneEmailField(forms.EmailField):
    """Django's EmailField, plus: exactly one plain address, stored lower-case."""

    def run_validators(self, value: Any) -> None:
        """Django's check and ours, with one message however many of them refuse the address."""
        if value in self.empty_values:
            return
        try:
            super().run_validators(value)
        except ValidationError:
            raise ValidationError(MESSAGE, code="invalid") from None
        validate_one_address(value)

    def to_python(self, value: object) -> str:
        return super().to_python(value).lower()
