"""The patient path under load, for Locust (`make load`; tests/load/run.py starts the server).

Simulated patients open the home page and the questionnaire, search one day's times at a site,
and book through /book/details/ as a browser does: the details form's CSRF token and idempotency
key are read from the page, then posted with the contact details. Every patient asks for the
same day, so bookers race for the same times: the answer is a booking (302 to the done page) or
"That time was just taken" (409), never a 5xx. A patient who booked opens the confirmation page
and, from it, the manage link; some then reschedule (to another time that day) or cancel, as
LOAD_MIX says: "default" (20% reschedule, 10% cancel) or "heavy" (40% and 40%). A few front desk
users (LOAD_STAFF, 2) log in to the admin with a password and a backup code (LOAD_BACKUP_CODES,
made by run.py) and browse the intake queue and the day view of the booked Monday. One monitor
polls the readiness probe.

LOAD_DAY (YYYY-MM-DD) is the day asked for; tests/load/run.py sets it. The server runs in
production mode behind one trusted proxy (TRUSTED_PROXY_COUNT=1), and every simulated user sends
what that TLS proxy adds: X-Forwarded-Proto https and an X-Forwarded-For address of its own
(127.1.x.y, never connected to), so the rate limits count each patient alone. As a browser on the
https page would, it sends the session and CSRF cookies (marked Secure) back, and an Origin header
with its POSTs.

Not collected by pytest (no test_ prefix). tests/load/test_locustfile.py imports it in a process
of its own (importing Locust monkey-patches the process with gevent), checks that every path in
PATHS resolves, and that the page readers in pages.py find what they look for on real pages.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from http.cookiejar import Cookie
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task
from requests.cookies import RequestsCookieJar

from tests.load.pages import FIRST_STEP, JUST_TAKEN, MANAGE_LINK, MIXES, PATHS, hidden_value, radio_values

_numbers = itertools.count(1)
# Every answer: request name -> [(status, milliseconds)]; written for run.py when Locust quits.
answers: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
just_taken = Counter[str]()
window = [0.0, 0.0]  # the first and the last answer (epoch seconds)
not_ready = Counter[str]()  # readiness checks that failed, and how often
failures = Counter[str]()  # requests marked failed, by name and reason
STAFF_PASSWORD = "demo-clinic-2026"  # seed_demo's development-only demo login
_backup_codes = iter(os.environ.get("LOAD_BACKUP_CODES", "").split(","))


class _OverTheProxysHttps(RequestsCookieJar):
    """The browser's side of the TLS proxy: its https connection carries the Secure cookies back,
    although Locust reaches gunicorn over plain http (so a cookie is kept without the flag that
    would keep it off plain http)."""

    def set_cookie(self, cookie: Cookie, *args: Any, **kwargs: Any) -> Any:
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class _BehindTheProxy(HttpUser):
    """A user whose requests arrive as through the TLS proxy, from an address of its own."""

    abstract = True

    def arrive_from(self, address: str) -> None:
        self.client.cookies = _OverTheProxysHttps()
        origin = f"https://{urlsplit(self.host).netloc}"  # the page's origin, as the browser sees it
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
        self.client.headers.update({**proxied, "Origin": origin})


class Patient(_BehindTheProxy):
    """Looks around, searches one day's times, books one of them."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        number = next(_numbers)
        self.number = number
        self.arrive_from(f"127.1.{number // 250 % 250}.{number % 250 + 1}")
        self.day = os.environ["LOAD_DAY"]
        page = self.client.get(PATHS["booking start"], name="booking start").text
        self.sites = [value for value in radio_values(page, "site") if value.isdigit()]
        types = radio_values(page, "type")
        self.type = types[0] if types else ""  # the new-patient exam comes first

    @task(2)
    def home(self) -> None:
        self.client.get(PATHS["home"], name="home")

    @task(2)
    def questionnaire_start(self) -> None:
        page = self.client.get(PATHS["questionnaire start"], name="questionnaire start").text
        first = FIRST_STEP.search(page)
        if first:
            self.client.get(first.group(1), name="questionnaire first step")

    @task(3)
    def times(self) -> None:
        self._times()

    @task(3)
    def book(self) -> None:
        slots = self._times()
        if not slots:
            return  # the day is full at this site: nothing to book
        slot = random.choice(slots)
        details = self.client.get(PATHS["details"], params={"slot": slot, "type": self.type}, name="details")
        csrf, key = (
            hidden_value(details.text, "csrfmiddlewaretoken"),
            hidden_value(details.text, "idempotency_key"),
        )
        if not (csrf and key):
            return  # a 4xx or 5xx: Locust has counted it
        form = {
            "csrfmiddlewaretoken": csrf,
            "slot": slot,
            "type": self.type,
            "idempotency_key": key,
            "name": f"Load Patient {self.number}",
            "email": f"load-{self.number}@mail.example",
            "phone": "",
            "date_of_birth": "",
        }
        done = ""
        with self.client.post(
            PATHS["details"],
            data=form,
            allow_redirects=False,
            name="book (POST details)",
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                answer.success()
                done = self.client.get(answer.headers["Location"], name="done").text
            elif answer.status_code == 409 and JUST_TAKEN in answer.text:
                answer.success()  # lost the race fairly: counted apart in the report
                just_taken["book (POST details)"] += 1
            else:
                answer.failure(f"status {answer.status_code}")
        manage = MANAGE_LINK.search(done)
        if manage:
            self._manage(manage.group(1))

    def _manage(self, link: str) -> None:
        """The manage link from the confirmation page; then maybe a reschedule or a cancel."""
        self.client.get(link, name="manage")
        reschedule, cancel = MIXES[os.environ.get("LOAD_MIX", "default")]
        roll = random.random()
        if roll < reschedule:
            self._reschedule(link)
        elif roll < reschedule + cancel:
            page = self.client.get(f"{link}cancel/", name="cancel (GET)").text
            csrf = hidden_value(page, "csrfmiddlewaretoken")
            if csrf:
                self._post(f"{link}cancel/", {"csrfmiddlewaretoken": csrf}, name="cancel (POST)")

    def _reschedule(self, link: str) -> None:
        page = self.client.get(f"{link}reschedule/", params={"day": self.day}, name="reschedule (GET)").text
        slots, csrf = radio_values(page, "slot"), hidden_value(page, "csrfmiddlewaretoken")
        type_ = hidden_value(page, "type")  # the time form's: the appointment's own type
        if not (slots and csrf and type_):
            return  # no other free time that day (or a 4xx or 5xx: Locust has counted it)
        form = {"csrfmiddlewaretoken": csrf, "slot": random.choice(slots), "type": type_}
        self._post(f"{link}reschedule/", form, name="reschedule (POST)")

    def _post(self, path: str, form: dict[str, str], *, name: str) -> None:
        """A POST that answers 302 when done, or 409 "That time was just taken" after a lost race."""
        with self.client.post(
            path, data=form, allow_redirects=False, name=name, catch_response=True
        ) as answer:
            if answer.status_code == 302:
                answer.success()
            elif answer.status_code == 409 and JUST_TAKEN in answer.text:
                answer.success()
                just_taken[name] += 1
            else:
                answer.failure(f"status {answer.status_code}")

    def _times(self) -> list[str]:
        query = {
            "site": random.choice(self.sites) if self.sites else "any",
            "type": self.type,
            "podiatrist": "any",
            "day": self.day,
        }
        page = self.client.get(PATHS["times"], params=query, name="times").text
        return radio_values(page, "slot")


class Staff(_BehindTheProxy):
    """The front desk in the admin: the intake queue, and the day view of the day being booked."""

    fixed_count = int(os.environ.get("LOAD_STAFF", "2"))
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.arrive_from(f"127.2.0.{next(_numbers) % 250 + 1}")
        self.day = os.environ["LOAD_DAY"]
        page = self.client.get(PATHS["staff login"], name="staff login").text
        form = {
            "csrfmiddlewaretoken": hidden_value(page, "csrfmiddlewaretoken") or "",
            "username": "frontdesk",
            "password": STAFF_PASSWORD,
            "next": "/admin/",
        }
        after_login = self._step(PATHS["staff login"], form, name="staff login")
        if after_login:
            # The login sends the user on to `next`, and the staff middleware from there to the
            # second-factor page; there, a backup code, as a person without the app types.
            landed = self.client.get(after_login, name="staff second factor")
            if urlsplit(landed.url).path == PATHS["second factor"]:
                form = {
                    "csrfmiddlewaretoken": hidden_value(landed.text, "csrfmiddlewaretoken") or "",
                    "otp_token": next(_backup_codes, ""),
                }
                self._step(landed.url, form, name="staff second factor")
        day = self.client.get(PATHS["day view"], params={"date": self.day}, name="day view").text
        self.sites = re.findall(
            r'<option value="(\d+)"', day.split('name="site"', 1)[-1].split("</select>")[0]
        )

    def _step(self, path: str, form: dict[str, str], *, name: str) -> str:
        """A login step's POST: where its redirect leads ("" when refused, counted as a failure)."""
        posted = self.client.post(path, data=form, allow_redirects=False, name=name, catch_response=True)
        with posted as answer:
            if answer.status_code != 302:
                answer.failure(f"refused (status {answer.status_code})")
                return ""
            return answer.headers["Location"]

    @task(2)
    def intake_queue(self) -> None:
        self._staff_page(PATHS["intake queue"], {}, name="intake queue")

    @task(1)
    def day_view(self) -> None:
        query = {"date": self.day, **({"site": random.choice(self.sites)} if self.sites else {})}
        self._staff_page(PATHS["day view"], query, name="day view")

    def _staff_page(self, path: str, query: dict[str, str], *, name: str) -> None:
        """A staff page, counted as a failure when it is not the page asked for (a redirect to the
        login or the second factor would measure those instead)."""
        with self.client.get(path, params=query, name=name, catch_response=True) as answer:
            if answer.ok and urlsplit(answer.url).path != path:
                answer.failure(f"sent to {urlsplit(answer.url).path}")


class Monitor(HttpUser):
    """One monitoring system polling readiness (loopback may see it; cached about 10 s)."""

    fixed_count = 1
    wait_time = constant(5)

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"  # from loopback, past the proxy

    @task
    def readiness(self) -> None:
        with self.client.get(
            PATHS["readiness"], headers={"Accept": "application/json"}, name="readiness", catch_response=True
        ) as answer:
            if answer.status_code == 503:  # not ready: which checks failed, for the report
                try:
                    checks = answer.json().get("checks", {})
                except ValueError:  # not the probe's own answer (a 503 page in front of it)
                    checks = {"answer": "not JSON"}
                not_ready.update(f"{name}: {said}" for name, said in checks.items() if said != "OK")


@events.request.add_listener
def _record(name: str, response_time: float, response: Any = None, exception: Any = None, **_: Any) -> None:
    if exception is not None:  # a failure this file marks (a refused login, a page not the one asked for)
        failures[f"{name}: {exception}"] += 1
    if not answers:
        window[0] = time.time() - response_time / 1000
    answers[name].append((getattr(response, "status_code", 0) or 0, response_time))
    window[1] = time.time()


@events.quitting.add_listener
def _write_answers(**_: Any) -> None:
    out = os.environ.get("LOAD_ANSWERS")
    if out:
        with open(out, "w") as handle:
            recorded = {"answers": answers, "just_taken": dict(just_taken), "window": window}
            json.dump({**recorded, "not_ready": not_ready, "failures": failures}, handle)
