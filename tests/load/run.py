"""`make load`: serve the portal with gunicorn and a Celery worker, run Locust against it headless,
and write a Markdown report.

    python -m tests.load.run --users 32 --spawn-rate 8 --run-time 60s --workers 4 --out var/load-report.md

The run gets a database of its own, made new each time and dropped at the end (as `make bench`
does): on the PostgreSQL server DATABASE_URL names, `<its name>_load`; without DATABASE_URL a
SQLite file under var/load/. It is migrated and given the demo clinic (`seed_demo`), so every run
starts from the same empty day, and beside it the benchmark clinic's appointments as `make bench`
builds them (--appointments, 100,000; inactive, so the tables are at a clinic's size while the
simulated patients book at the demo's two sites). Redis is used when REDIS_URL is set, else the
filesystem broker. The server runs in production mode (DEBUG off, a secret key of the run's own,
static files from `collectstatic`'s manifest, staff second factor required) behind one trusted
proxy (TRUSTED_PROXY_COUNT=1): each simulated user sends what the TLS proxy would add, X-Forwarded-Proto
https and an X-Forwarded-For address of its own. `seed_demo` (development only) is run with DEBUG
on, before the server starts; the front desk's simulated users pass the second factor with backup
codes made for the run.

Exit status 1 when any response was a 5xx or a double booking was found; the report says which.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from tests.load.pages import MIXES

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "var" / "load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def load_database_url(given: str) -> str:
    """A database of the run's own next to the one DATABASE_URL names, or a SQLite file."""
    if not given:
        return f"sqlite:///{WORK / 'load.sqlite3'}"
    parts = urlsplit(given)
    name = parts.path.lstrip("/") or "clinic"
    return urlunsplit(parts._replace(path=f"/{name}_load"))


def _postgres(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(statement)


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(url, f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
    else:
        _postgres(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def booking_day(today: date) -> date:
    """The Monday at least a week on: open at both sites, inside every booking horizon."""
    day = today + timedelta(days=7)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What the TLS proxy in front of gunicorn adds to every request (production mode redirects plain
# http to https); the simulated users send it too.
PROXIED = {"X-Forwarded-Proto": "https"}
STAFF_USERNAME = "frontdesk"  # seed_demo's front desk login


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=PROXIED), timeout=5) as answer:
                if answer.status == 200:
                    return True
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    return False


def gunicorn_command(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--config", "python:clinic.gunicorn_conf"]
    # gunicorn 25+ opens a control socket under ~/.gunicorn; older ones do not know the flag.
    known = subprocess.run([sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True)
    if "--no-control-socket" in known.stdout:
        command.append("--no-control-socket")
    return command


def stop(process: subprocess.Popen[Any], seconds: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _children_cpu_seconds() -> float:
    """CPU time of this process's children that have ended and been waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cpu_seconds(pid: int) -> float:
    """CPU time of a gunicorn master's workers (psutil comes with Locust)."""
    import psutil

    total = 0.0
    for child in psutil.Process(pid).children(recursive=True):
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def speed_check_ms() -> float:
    """CPU milliseconds of a fixed piece of pure Python. This kind of machine runs the same code at
    speeds up to twice apart within an hour (neighbours on the host): the report gives this before
    and after the run, so two runs' CPU figures are compared only at a like speed."""
    started = time.process_time()
    total = 0
    for n in range(2_000_000):
        total += n * n % 7
    return (time.process_time() - started) * 1000


def _django() -> None:
    """Django in this process, on the run's database (main sets DATABASE_URL first)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()


def backup_codes_for_the_front_desk() -> list[str]:
    """Single-use backup codes for seed_demo's front desk login (with the authenticator app they
    would have enrolled), so the simulated staff pass the second factor as a person can."""
    _django()
    from django.contrib.auth.models import User
    from django.db import connections
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import APP_DEVICE_NAME, new_backup_codes

    user = User.objects.get(username=STAFF_USERNAME)
    TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    codes = new_backup_codes(user)
    connections.close_all()
    return codes


def load_benchmark_clinic(appointments: int) -> None:
    """product.md's benchmark clinic beside the demo one, as `make bench` builds it (a site, 6
    podiatrists and `appointments` appointments: 70 days from 2027-03-01, the rest on the weekdays
    before). Its site, podiatrists and type are then made inactive: the tables hold a clinic's years
    of visits while the simulated patients see and book the demo's two sites only."""
    if appointments <= 0:
        return
    _django()
    from django.db import connections

    benchmark_clinic(appointments)
    connections.close_all()


def benchmark_clinic(appointments: int) -> None:
    from booking.models import AppointmentType, Podiatrist, Site
    from tests.benchmarks import bench_booking

    site, podiatrists, exam, patient = bench_booking._clinic()
    bench_booking._fill(site, podiatrists, exam, patient, appointments)
    Site.objects.filter(pk=site.pk).update(is_active=False)
    Podiatrist.objects.filter(pk__in=[p.pk for p in podiatrists]).update(is_active=False)
    AppointmentType.objects.filter(pk=exam.pk).update(is_active=False)


def emails_owed_and_sent(end: datetime, wait_seconds: float) -> dict[str, int]:
    """The ledger after the run: rows due by `end` (not skipped) against rows sent, once the worker
    has drained them or `wait_seconds` have passed. A row is one email (its key is unique)."""
    _django()
    from django.db import connections

    from messaging.models import OutgoingMessage

    Status = OutgoingMessage.Status
    due = OutgoingMessage.objects.filter(scheduled_for__lte=end)
    deadline = time.monotonic() + wait_seconds
    while due.filter(status__in=[Status.PENDING, Status.SENDING]).exists() and time.monotonic() < deadline:
        time.sleep(1)
    counts = Counter(due.values_list("status", flat=True))
    connections.close_all()
    return {
        "owed": sum(n for status, n in counts.items() if status != Status.SKIPPED),
        "sent": counts[Status.SENT],
        "skipped": counts[Status.SKIPPED],
        "failed": counts[Status.FAILED],
        "waited": round(wait_seconds - max(0.0, deadline - time.monotonic())),
    }


def double_bookings() -> int:
    """Overlapping live appointments of one podiatrist (the database's DATABASE_URL, set by main)."""
    _django()
    from django.db import connections

    from booking.models import Appointment

    rows = sorted(
        Appointment.objects.exclude(status="cancelled").values_list("podiatrist_id", "start", "blocked_until")
    )
    doubles = sum(
        1 for (p, _, end), (p2, start2, _) in zip(rows, rows[1:], strict=False) if p == p2 and start2 < end
    )
    connections.close_all()
    return doubles


def percentile(sorted_ms: list[float], share: float) -> float:
    """Nearest rank: the smallest time that `share` of the answers did not exceed."""
    return sorted_ms[max(0, math.ceil(share * len(sorted_ms)) - 1)]


BOOK = "book (POST details)"
READY = "readiness"


def report(
    *,
    recorded: dict[str, Any],
    settings: dict[str, str],
    cpu_seconds_used: float | None,
    emails: dict[str, int] | None = None,
    locust_cpu_seconds: float | None = None,
) -> tuple[str, int]:
    """The Markdown report (from every answer Locust recorded) and the number of 5xx answers."""
    answers: dict[str, list[tuple[int, float]]] = recorded["answers"]
    first, last = recorded["window"]
    seconds = max(last - first, 1e-9)
    everything = [answer for rows in answers.values() for answer in rows]
    statuses = Counter(status for status, _ in everything)
    # The readiness probe's 503 is its answer "not ready" (a check failed), listed apart below.
    server_errors = sum(
        1 for name, rows in answers.items() if name != READY for status, _ in rows if status >= 500
    )
    not_ready = sum(1 for status, _ in answers.get(READY, []) if status == 503)
    booked = sum(1 for status, _ in answers.get(BOOK, []) if status == 302)
    moved = sum(1 for status, _ in answers.get("reschedule (POST)", []) if status == 302)
    cancelled = sum(1 for status, _ in answers.get("cancel (POST)", []) if status == 302)
    taken: dict[str, int] = recorded["just_taken"]
    lines = [f"# Load test ({settings['database']})", ""]
    lines += [f"- {key}: {value}" for key, value in settings.items() if key != "double bookings"]
    lines += [
        "",
        "| endpoint | requests | req/s | 4xx/5xx | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, rows in [*sorted(answers.items()), ("**all**", everything)]:
        times = sorted(ms for _, ms in rows)
        odd = sum(1 for status, _ in rows if not 200 <= status < 400)
        cells = [f"{percentile(times, q):,.0f}" for q in (0.50, 0.95, 0.99)] + [f"{times[-1]:,.0f}"]
        lines.append(f"| {name} | {len(rows)} | {len(rows) / seconds:.1f} | {odd} | {' | '.join(cells)} |")
    lines += [
        "",
        f"- answers by status: {', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))} "
        '(409: the booking POST\'s "That time was just taken"; 0 would be no answer at all)',
        f"- responses 5xx to patients: **{server_errors}** (target 0)",
        f'- readiness probe: {len(answers.get(READY, []))} answers, {not_ready} of them 503 "not ready"'
        + "".join(f"; {check} ({n}x)" for check, n in recorded.get("not_ready", {}).items()),
        f"- bookings made: {booked}; rescheduled: {moved}; cancelled: {cancelled}; "
        f'"That time was just taken": {taken.get(BOOK, 0)} bookings, {taken.get("reschedule (POST)", 0)} '
        "reschedules",
        f"- double bookings afterwards (overlap query): **{settings['double bookings']}** (target 0)",
        f"- requests the simulated users marked failed: {sum(recorded.get('failures', {}).values())}"
        + "".join(f"; {why} ({n}x)" for why, n in recorded.get("failures", {}).items()),
    ]
    if emails is not None:
        lines.append(
            f"- emails owed by the end of the run: {emails['owed']}, sent: **{emails['sent']}** "
            f"(target: all), failed: {emails['failed']}, skipped (stale: the booking moved or was "
            f"cancelled first): {emails['skipped']}; after waiting {emails['waited']} s for the worker"
        )
    if cpu_seconds_used is not None and everything:
        lines.append(
            f"- gunicorn CPU per request: {cpu_seconds_used * 1000 / len(everything):.1f} ms "
            "(its workers' CPU time over the run / requests)"
        )
    if locust_cpu_seconds is not None and everything:
        lines.append(
            f"- Locust's own CPU per request: {locust_cpu_seconds * 1000 / len(everything):.1f} ms "
            "(the simulated users share the server's cores)"
        )
    return "\n".join(lines) + "\n", server_errors


def run_locust(args: argparse.Namespace, host: str, day: date, env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host]
    command += ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time]
    command += ["--only-summary", "--stop-timeout", "10"]
    locust_env = {**env, "LOAD_DAY": day.isoformat(), "LOAD_ANSWERS": str(WORK / "answers.json")}
    with (WORK / "locust.log").open("w") as log:
        return subprocess.run(
            command, cwd=REPO, env=locust_env, stdout=log, stderr=subprocess.STDOUT
        ).returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--spawn-rate", type=float, default=8)
    parser.add_argument("--run-time", default="120s")
    parser.add_argument(
        "--mix",
        choices=["default", "heavy"],
        default=os.environ.get("LOAD_MIX") or "default",
        help="after booking: default 20%% reschedule, 10%% cancel; heavy 40%% and 40%%",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--appointments",
        type=int,
        default=100_000,
        help="the benchmark clinic's appointments loaded beside the demo clinic (0: none)",
    )
    parser.add_argument("--out", default=str(REPO / "var" / "load-report.md"))
    args = parser.parse_args()

    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    database_url = load_database_url(os.environ.get("DATABASE_URL", ""))
    production = {
        "DATABASE_URL": database_url,
        "DEBUG": "no",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    env = {name: value for name, value in os.environ.items() if name != "STAFF_2FA_REQUIRED"}
    env |= production | {"LOAD_MIX": args.mix}
    if not env.get("REDIS_URL"):
        env["CELERY_FS_DIR"] = str(WORK / "broker")
    os.environ.update(production)
    os.environ.pop("STAFF_2FA_REQUIRED", None)
    vendor = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    print(
        f"load test on {vendor}: a fresh database, migrated, with the demo clinic and the benchmark "
        f"clinic's {args.appointments:,} appointments",
        flush=True,
    )
    fresh_database(database_url)
    development = {**env, "DEBUG": "yes"}  # seed_demo's demo logins are for development only
    for step, step_env in (
        (["migrate", "--noinput"], env),
        (["createcachetable"], env),
        (["seed_demo"], development),
        (["collectstatic", "--noinput"], env),  # production serves static files from its manifest
    ):
        command = [sys.executable, "manage.py", *step]
        subprocess.run(command, cwd=REPO, env=step_env, check=True, stdout=subprocess.DEVNULL)
    load_benchmark_clinic(args.appointments)
    env["LOAD_BACKUP_CODES"] = ",".join(backup_codes_for_the_front_desk())

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    day = booking_day(datetime.now(ZoneInfo("America/Detroit")).date())  # the clinic's day
    worker_log = (WORK / "worker.log").open("w")
    server_log = (WORK / "gunicorn.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--concurrency=1", "--loglevel=WARNING"],
        cwd=REPO, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = subprocess.Popen(
        gunicorn_command(port, args.workers), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=server_log
    )
    doubles: int | None = None
    try:
        if not wait_for(f"{host}/healthz/live", 60):
            print("gunicorn did not answer /healthz/live within 60 s: see var/load/gunicorn.log")
            return 1
        if not wait_for(f"{host}/healthz/ready", 90):
            print("/healthz/ready did not pass within 90 s: see var/load/worker.log")
            return 1
        time.sleep(11)  # every worker's cached readiness answer from the warm-up has expired
        print(f"locust: {args.users} users (+{args.spawn_rate}/s) for {args.run_time} on {host}", flush=True)
        speed_before = speed_check_ms()
        cpu_before, locust_before = cpu_seconds(server.pid), _children_cpu_seconds()
        exit_code = run_locust(args, host, day, env)
        cpu_used = cpu_seconds(server.pid) - cpu_before
        locust_used = _children_cpu_seconds() - locust_before  # Locust is the one child ended since
        speed_after = speed_check_ms()
        emails = emails_owed_and_sent(datetime.now(UTC), wait_seconds=120)
    finally:
        stop(server)
        stop(worker)
        worker_log.close()
        server_log.close()
    try:
        doubles = double_bookings()
    finally:
        drop_database(database_url)

    answers_file = WORK / "answers.json"
    if not answers_file.exists():
        print(f"locust recorded nothing (exit {exit_code}): see var/load/locust.log")
        return 1
    settings = {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} after the run",
        "database": vendor,
        "broker": "Redis" if env.get("REDIS_URL") else "filesystem",
        "server": f"gunicorn, {args.workers} workers, production mode (DEBUG off), one Celery worker",
        "load": f"{args.users} simulated users (spawn {args.spawn_rate}/s) for {args.run_time}, "
        f"Locust on the same machine; every booking for {day:%A %Y-%m-%d}",
        "data": f"the demo clinic, and the benchmark clinic's {args.appointments:,} appointments "
        "beside it (inactive: tables at size, not booked)",
        "mix": "{} (after booking: {:.0%} reschedule, {:.0%} cancel)".format(args.mix, *MIXES[args.mix]),
        "machine speed": f"a fixed Python loop took {speed_before:.0f} ms of CPU before the run and "
        f"{speed_after:.0f} ms after (lower is faster; compare CPU figures at like speeds)",
        "double bookings": str(doubles),
    }
    text, server_errors = report(
        recorded=json.loads(answers_file.read_text()),
        settings=settings,
        cpu_seconds_used=cpu_used,
        emails=emails,
        locust_cpu_seconds=locust_used,
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    print(f"wrote {out}")
    unsent = emails["owed"] - emails["sent"]
    return 1 if server_errors or doubles or unsent else 0


if __name__ == "__main__":
    sys.exit(main())
