"""The patient path under load, for Locust (`make load`; tests/load/run.py starts the server).

Simulated patients open the home page and the questionnaire, search one day's times at a site,
and book through /book/details/ as a browser does: the details form's CSRF token and idempotency
key are read from the page, then posted with the contact details. Every patient asks for the
same day, so bookers race for the same times: the answer is a booking (302 to the done page) or
"That time was just taken" (409), never a 5xx. One monitor polls the readiness probe.

LOAD_DAY (YYYY-MM-DD) is the day asked for; tests/load/run.py sets it. Each simulated patient
sends its own X-Forwarded-For address (127.1.x.y, never connected to) and the server runs with
TRUSTED_PROXY_COUNT=1, so the rate limits count each patient alone, as behind the real proxy.

Not collected by pytest (no test_ prefix). tests/load/test_locustfile.py imports it in a process
of its own (importing Locust monkey-patches the process with gevent), checks that every path in
PATHS resolves, and that the page readers in pages.py find what they look for on real pages.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import Counter, defaultdict
from typing import Any

from locust import HttpUser, between, constant, events, task

from tests.load.pages import FIRST_STEP, JUST_TAKEN, PATHS, hidden_value, radio_values

_numbers = itertools.count(1)
# Every answer: request name -> [(status, milliseconds)]; written for run.py when Locust quits.
answers: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
just_taken = Counter[str]()
window = [0.0, 0.0]  # the first and the last answer (epoch seconds)
not_ready = Counter[str]()  # readiness checks that failed, and how often


class Patient(HttpUser):
    """Looks around, searches one day's times, books one of them."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        number = next(_numbers)
        self.number = number
        self.client.headers["X-Forwarded-For"] = f"127.1.{number // 250 % 250}.{number % 250 + 1}"
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
        with self.client.post(
            PATHS["details"],
            data=form,
            allow_redirects=False,
            name="book (POST details)",
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                answer.success()
                self.client.get(answer.headers["Location"], name="done")
            elif answer.status_code == 409 and JUST_TAKEN in answer.text:
                answer.success()  # lost the race fairly: counted apart in the report
                just_taken["book (POST details)"] += 1
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


class Monitor(HttpUser):
    """One monitoring system polling readiness (loopback may see it; cached about 10 s)."""

    fixed_count = 1
    wait_time = constant(5)

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
def _record(name: str, response_time: float, response: Any = None, **_: Any) -> None:
    if not answers:
        window[0] = time.time() - response_time / 1000
    answers[name].append((getattr(response, "status_code", 0) or 0, response_time))
    window[1] = time.time()


@events.quitting.add_listener
def _write_answers(**_: Any) -> None:
    out = os.environ.get("LOAD_ANSWERS")
    if out:
        with open(out, "w") as handle:
            recorded = {"answers": answers, "just_taken": sum(just_taken.values()), "window": window}
            json.dump({**recorded, "not_ready": not_ready}, handle)
