"""Real services for tests: PostgreSQL, Redis, a Celery worker process.

In CI (CI=true) a test whose service is missing fails; elsewhere it is skipped with a reason
that says what to start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# The services a CI run must have; .ci/run names them per run (its SQLite run has no PostgreSQL
# by design). Outside CI nothing is required.
CI_SERVICES = set(os.environ.get("CI_SERVICES", "postgres redis chromium").split()) if IN_CI else set()


def missing_service(what: str, how_to_start: str, *, service: str, problem: str = "is not reachable") -> None:
    """Fail when this CI run must have the service; skip, saying what to start, otherwise."""
    message = f"{what} {problem}. {how_to_start}"
    if service in CI_SERVICES:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def require_redis() -> str:
    """The Redis URL of this run; the test fails in CI or skips elsewhere when there is none."""
    url = settings.REDIS_URL
    if not url:
        missing_service(
            "Redis",
            "Start it and: export REDIS_URL=redis://127.0.0.1:6379/0",
            service="redis",
            problem="is not configured (REDIS_URL is not set)",
        )
    parsed = urlparse(url)
    if not port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        missing_service(
            f"Redis at {url}",
            "Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379",
            service="redis",
        )
    return url


def require_postgres() -> None:
    """For PostgreSQL-only behaviour (the exclusion constraint); this run's database is another."""
    if connection.vendor != "postgresql":
        missing_service(
            "A PostgreSQL-only test",
            "Run on PostgreSQL: export DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic",
            service="postgres",
            problem=f"cannot run on {connection.vendor}",
        )


def require_chromium() -> str:
    path = "/usr/bin/chromium"
    if not Path(path).exists():
        missing_service(
            "Debian's Chromium (/usr/bin/chromium)",
            "Install it: apt-get install -y chromium",
            service="chromium",
            problem="is not installed",
        )
    return path


def test_database_url() -> str:
    """A DATABASE_URL for another process to use this test run's database."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
        return f"postgres://{user}{password}@{host}/{db['NAME']}"
    return f"sqlite:///{Path(db['NAME']).resolve()}"


def drop_broker_pool() -> None:
    """Forget the Celery app's pooled broker connections (messaging publishes over them), so that
    the next publish connects to whatever broker_url now says; a test that changes it calls this."""
    from kombu import pools

    from clinic.celery import app

    pools.reset()  # closes kombu's pools and forgets them (a closed one kept would refuse to lend)
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_worker(
    *, extra_env: dict[str, str] | None = None, tmp_path: Path | None = None, beat: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a real `celery worker` process against this test run's database and broker.

    With the filesystem broker (no REDIS_URL) the worker shares this run's queue folder
    (CELERY_FS_DIR; `make test` gives tests their own). Yields the process; it is stopped on exit.
    """
    env = {**os.environ, "DATABASE_URL": test_database_url(), "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        fs_dir = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        env["CELERY_FS_DIR"] = str(Path(fs_dir).parent)
    env.update(extra_env or {})
    # Messages left by earlier tests (whose rows are gone) must not reach this worker.
    from clinic.celery import app

    try:
        app.control.purge()
    except RuntimeError:  # "Acquire on closed pool": an outage test closed kombu's shared pool
        from kombu import pools

        pools.reset()
        app._pool = None
        app.control.purge()
    node = f"test-{uuid.uuid4().hex[:8]}@%h"
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "clinic",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
        "--pool=solo",
        "-n",
        node,
        "--without-gossip",
        "--without-mingle",
    ]
    if beat:
        args.append("--beat")
    log = (tmp_path or REPO / "var") / f"worker-{uuid.uuid4().hex[:6]}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_for_ready(proc, log)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_for_ready(proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if "ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Celery worker not ready after {timeout}s:\n{log.read_text()[-3000:]}")


def chromium_available() -> bool:
    return shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
