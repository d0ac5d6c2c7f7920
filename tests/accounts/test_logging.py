"""Logs never carry manage-link tokens or search terms: Django's logs and gunicorn's access log."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from accounts.logging import RedactSecrets, redact
from tests.services import REPO

TOKEN = "AbC123.signed-token_value"


@pytest.mark.parametrize(
    "line",
    [
        f'"GET /book/manage/{TOKEN}/ HTTP/1.1" 200',
        f'"POST /book/manage/{TOKEN}/cancel/ HTTP/1.1" 302',
        f'"GET /book/done/{TOKEN}/ HTTP/1.1" 200',
        f'"GET /intake/for/{TOKEN}/ HTTP/1.1" 302',
    ],
)
def test_manage_tokens_are_blanked(line):
    cleaned = redact(line)
    assert TOKEN not in cleaned and "[redacted]" in cleaned


def test_search_terms_are_blanked_and_other_parameters_kept():
    cleaned = redact('"GET /admin/intake/intake/?status=new&q=Robin+Sample HTTP/1.1" 200')
    assert "Robin" not in cleaned
    assert "status=new" in cleaned


def test_the_filter_rewrites_a_formatted_record():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', (f"GET /book/manage/{TOKEN}/", 200), None
    )
    assert RedactSecrets().filter(record)
    assert TOKEN not in record.getMessage() and record.getMessage().endswith("200")


def test_every_handler_of_the_django_process_redacts():
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in ("django", "django.server", "django.request")),
    ]
    # (pytest adds capture handlers of its own to the root logger)
    handlers = [h for logger in loggers for h in logger.handlers if type(h).__module__ == "logging"]
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactSecrets) for f in handler.filters), (handler, handler.filters)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.services
def test_gunicorns_access_log_as_compose_runs_it_holds_no_token_or_search(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket", "--config", "python:clinic.gunicorn_conf"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for url in (f"/book/manage/{TOKEN}/", "/admin/login/?q=Robin+Sample"):
            for _ in range(600):  # up to a minute for the server to start on a busy machine
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    time.sleep(0.1)
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    access = [line for line in out.splitlines() if '"GET ' in line]
    # A request that timed out on a busy machine is retried, and gunicorn logs both tries.
    assert any("/book/manage/[redacted]/" in line for line in access), out + err
    assert any("/admin/login/" in line for line in access), out + err
    assert TOKEN not in out + err and "Robin" not in out + err
