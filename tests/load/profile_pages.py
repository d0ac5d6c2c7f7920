"""CPU per request of the hot pages, in this process, through Django's test client (no server):

    DATABASE_URL=postgres://…/clinic_x python -m tests.load.profile_pages [--profile times] [-n 40]

Uses the database DATABASE_URL names as it is (migrate it and run `seed_demo` first; bookings made
here stay in it). Settings as `make load` serves: production mode (DEBUG off, requests arriving as
https through one trusted proxy, static files from `collectstatic`'s manifest, which this runs
first), the front desk's session verified with a second factor. `--debug` measures development
mode instead (DEBUG on, the front desk with a password only). Prints the CPU milliseconds per
request of each page (process time, after a warm-up; the database server's own CPU is not
counted, as in the load report), and with --profile PAGE the cProfile of that page sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

DEBUG = "--debug" in sys.argv  # read before Django starts: the settings depend on it
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["TRUSTED_PROXY_COUNT"] = "1"
# The bookings' email tasks go to a folder of this run's own (not `make run`'s queue) unless REDIS_URL is set.
os.environ.setdefault("CELERY_FS_DIR", tempfile.mkdtemp(prefix="profile-pages-broker-"))
if DEBUG:
    os.environ.update({"DEBUG": "yes", "STAFF_2FA_REQUIRED": "no"})
else:
    os.environ.update({"DEBUG": "no", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1"})
    os.environ.pop("STAFF_2FA_REQUIRED", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], check=True, stdout=subprocess.DEVNULL
    )

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from tests.load.pages import FIRST_STEP, MANAGE_LINK, PATHS, hidden_value, radio_values  # noqa: E402
from tests.load.run import booking_day  # noqa: E402

_addresses = (f"127.3.{n // 250 % 250}.{n % 250 + 1}" for n in itertools.count())


# What the TLS proxy in front of gunicorn adds (production mode redirects plain http to https).
_PROXIED = {} if DEBUG else {"HTTP_X_FORWARDED_PROTO": "https"}


_handler = Client().handler  # one, as one gunicorn worker has: middleware (WhiteNoise's scan) set up once


def _client() -> Client:
    client = Client(HTTP_X_FORWARDED_FOR=next(_addresses), HTTP_HOST="127.0.0.1", **_PROXIED)
    client.handler = _handler
    return client


def pages() -> dict[str, Callable[[], Callable[[], object]]]:
    """Each page: a setup (not measured) that gives the request to measure."""
    from datetime import timedelta

    start = _client().get(PATHS["booking start"]).content.decode()
    sites = [value for value in radio_values(start, "site") if value.isdigit()]
    type_ = radio_values(start, "type")[0]
    first = booking_day(datetime.now(ZoneInfo("America/Detroit")).date())
    days = itertools.cycle([first + timedelta(days=n) for n in range(28)])
    query = {"site": sites[0], "type": type_, "podiatrist": "any", "day": first.isoformat()}
    slot = radio_values(_client().get(PATHS["times"], query).content.decode(), "slot")[0]

    def home() -> Callable[[], object]:
        client = _client()
        return lambda: client.get(PATHS["home"])

    def questionnaire() -> Callable[[], object]:
        client = _client()
        return lambda: client.get(PATHS["questionnaire start"])

    first_step = FIRST_STEP.search(_client().get(PATHS["questionnaire start"]).content.decode())
    assert first_step, "the questionnaire's start page links to no first step"

    def questionnaire_step() -> Callable[[], object]:
        client = _client()
        client.get(PATHS["questionnaire start"])
        return lambda: client.get(first_step.group(1))

    def times() -> Callable[[], object]:
        client = _client()
        return lambda: client.get(PATHS["times"], query)

    def details() -> Callable[[], object]:
        client = _client()
        return lambda: client.get(PATHS["details"], {"slot": slot, "type": type_})

    numbers = itertools.count(1)

    def booking_form(client: Client) -> dict[str, str]:
        """The details form as a patient sends it, for the next day with a free time."""
        free: list[str] = []
        while not free:  # the next day with a free time (weekends and full days have none)
            asked = {**query, "day": next(days).isoformat()}
            free = radio_values(client.get(PATHS["times"], asked).content.decode(), "slot")
        page = client.get(PATHS["details"], {"slot": free[0], "type": type_}).content.decode()
        number = next(numbers)
        return {
            "csrfmiddlewaretoken": hidden_value(page, "csrfmiddlewaretoken"),
            "slot": free[0],
            "type": type_,
            "idempotency_key": hidden_value(page, "idempotency_key"),
            "name": f"Profile Patient {number}",
            "email": f"profile-{number}-{time.time_ns()}@mail.example",
            "phone": "",
            "date_of_birth": "",
        }

    def send(client: Client, form: dict[str, str]) -> str:
        """Books with the form; the confirmation page's address."""
        answer = client.post(PATHS["details"], form)
        assert answer.status_code == 302, answer.status_code
        return answer["Location"]

    def booked(client: Client) -> str:
        return send(client, booking_form(client))

    def book() -> Callable[[], object]:
        client = _client()
        form = booking_form(client)
        return lambda: send(client, form)

    def done() -> Callable[[], object]:
        client = _client()
        confirmation = booked(client)
        return lambda: client.get(confirmation)

    def manage_link() -> str:
        client = _client()
        found = MANAGE_LINK.search(client.get(booked(client)).content.decode())
        assert found, "the confirmation page links to no manage page"
        return found.group(1)

    def manage() -> Callable[[], object]:
        link = manage_link()
        return lambda: _client().get(link)

    def reschedule() -> Callable[[], object]:
        link = manage_link()
        return lambda: _client().get(f"{link}reschedule/", {"day": first.isoformat()})

    staff = Client(HTTP_X_FORWARDED_FOR="127.4.0.1", HTTP_HOST="127.0.0.1", **_PROXIED)
    staff.handler = _handler
    from django.contrib.auth.models import User

    staff.force_login(User.objects.get(username="frontdesk"))
    if not DEBUG:
        _verify_second_factor(staff, User.objects.get(username="frontdesk"))

    def intake_queue() -> Callable[[], object]:
        return lambda: staff.get(PATHS["intake queue"])

    def day_view() -> Callable[[], object]:
        return lambda: staff.get(PATHS["day view"], {"date": first.isoformat()})

    return {
        "home": home,
        "questionnaire": questionnaire,
        "first step": questionnaire_step,
        "times": times,
        "details": details,
        "book": book,
        "done": done,
        "manage": manage,
        "reschedule": reschedule,
        "intake queue": intake_queue,
        "day view": day_view,
    }


def _verify_second_factor(client: Client, user: object) -> None:
    """The session as after a code from the app: the user's confirmed authenticator (made if none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--debug", action="store_true", help="development mode (DEBUG on) instead")
    parser.add_argument("-n", type=int, default=30, help="requests measured per page")
    parser.add_argument("--profile", help="a page to profile with cProfile")
    parser.add_argument("--only", help="comma-separated pages")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (cumulative, tottime)")
    args = parser.parse_args()
    chosen = pages()
    if args.only:
        chosen = {name: chosen[name] for name in args.only.split(",")}
    for name, setup in chosen.items():
        for _ in range(3):
            setup()()  # warm-up: templates compiled, caches filled
        spent = 0.0
        profiler = cProfile.Profile(time.process_time) if name == args.profile else None
        for _ in range(args.n):
            request = setup()
            before = time.process_time()
            if profiler:
                profiler.enable()
            request()
            if profiler:
                profiler.disable()
            spent += time.process_time() - before
        print(f"{name:14} {spent * 1000 / args.n:6.1f} ms CPU per request", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(60)


if __name__ == "__main__":
    main()
