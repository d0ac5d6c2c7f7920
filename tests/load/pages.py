"""What the load test reads off the portal's pages, without Locust (the locustfile imports this;
so do the tests, which must not import Locust: it monkey-patches the process with gevent)."""

from __future__ import annotations

import re

# Every fixed path the simulated users ask for, by request name (the report's rows).
PATHS = {
    "home": "/",
    "questionnaire start": "/intake/",
    "booking start": "/book/",
    "times": "/book/times/",
    "details": "/book/details/",
    "readiness": "/healthz/ready",
    "staff login": "/admin/login/",
    "second factor": "/staff/account/second-factor/",
    "intake queue": "/admin/intake/intake/",
    "day view": "/admin/booking/appointment/day/",
}
JUST_TAKEN = "That time was just taken"
# LOAD_MIX: after a booking, the share of patients who reschedule it and who cancel it (the rest keep it).
MIXES = {"default": (0.2, 0.1), "heavy": (0.4, 0.4)}

_RADIO = r'<input[^>]*? type="radio" name="{name}"[^>]*? value="([^"]+)"'
_HIDDEN = r'name="{name}" value="([^"]+)"'
FIRST_STEP = re.compile(r'href="(/intake/step/[a-z0-9-]+/)"')
# The confirmation page's "View, reschedule or cancel this booking" link.
MANAGE_LINK = re.compile(r'href="(/book/manage/[^/"]+/)"')


def radio_values(page: str, name: str) -> list[str]:
    """The values of the radio buttons called `name` (sites, types, slots)."""
    return re.findall(_RADIO.format(name=name), page)


def hidden_value(page: str, name: str) -> str | None:
    """A hidden field's value (the CSRF token, the booking's idempotency key)."""
    found = re.search(_HIDDEN.format(name=name), page)
    return found.group(1) if found else None
