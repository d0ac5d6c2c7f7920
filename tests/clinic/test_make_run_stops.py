"""Ctrl-C of `make run` ends the web server, the Celery worker and beat within 10 s (issue 12).

The test runs the Makefile's `serve` target, the commands `make run` ends with (it migrates and seeds
first), in a process group of its own, as a terminal would. Everything it writes goes to the test's
own folder: an empty SQLite database, the filesystem broker and beat's schedule; a free port. The web
server answers /healthz/live without the database, and a worker and beat start without tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.messaging.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)  # the venv running the tests: `make install`'s .venv in CI
STARTED = ("Quit the server with CONTROL-C.", "celery@", " ready.", "beat: Starting...")
START_WITHIN = 90  # seconds: three Django processes start on a busy machine
STOP_WITHIN = 10  # seconds: the requirement


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _group_processes(pgid: int) -> str:
    # -ww: whole command lines. Without it ps cuts them at 80 columns when it has no terminal, and in
    # a checkout with a long path ".../celery -A clinic worker" ends before "worker".
    command = ["ps", "-ww", "-o", "pid=,args=", "-g", str(pgid)]
    listing = subprocess.run(command, capture_output=True, text=True)
    return listing.stdout.strip()


@pytest.fixture
def make_serve(tmp_path):
    if shutil.which("make") is None or not (VENV / "bin" / "celery").exists():
        pytest.skip("needs make and the venv's celery")
    port = free_port()
    dropped = {"DATABASE_URL", "REDIS_URL", "MAKEFLAGS", "MFLAGS"}
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_FS_DIR": str(tmp_path / "broker"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "make-serve.log"
    # -o: the venv is installed already (in a git worktree, another checkout's .venv: never reinstall).
    command = ["make", "--no-print-directory", "serve", f"PORT={port}", f"VENV={VENV}"]
    command += ["-o", f"{VENV}/.installed"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_as_a_terminal_starts_it,
        )
    try:
        yield proc, port, log_path
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _as_a_terminal_starts_it() -> None:
    """A shell starts a foreground job with Ctrl-C's signal at its default. The test run itself may
    have it ignored (pytest started as a background job of a script): ignored signals are
    inherited, and Python, runserver included, then never sees the Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_serving(proc, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
        log = log_path.read_text(errors="replace")
        if all(marker in log for marker in STARTED):
            url = f"http://127.0.0.1:{port}/healthz/live"
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")[-3000:]
    pytest.fail(f"make serve did not start within {START_WITHIN} s:\n{log}")


def test_ctrl_c_ends_the_web_server_worker_and_beat_within_10_seconds(make_serve):
    proc, port, log_path = make_serve
    _wait_until_serving(proc, port, log_path)
    running = _group_processes(proc.pid)
    assert "runserver" in running and "worker" in running and "beat" in running, running

    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    deadline = time.monotonic() + STOP_WITHIN
    while time.monotonic() < deadline:
        proc.poll()  # reap make itself once it has exited
        if not _group_alive(proc.pid):
            break
        time.sleep(0.1)

    left = _group_processes(proc.pid)
    assert not _group_alive(proc.pid), f"still running {STOP_WITHIN} s after Ctrl-C:\n{left}"
    assert "worker: Warm shutdown" in log_path.read_text(errors="replace")  # stopped as asked
