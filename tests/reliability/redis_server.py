"""A redis-server of a test's own on a free loopback port, which the test may stop and start.

Never the shared Redis: stopping that one would break every other run on the machine.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.messaging.conftest import free_port
from tests.services import missing_service, port_open


class OwnRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port, timeout=0.2):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@contextmanager
def own_redis(workdir: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        missing_service(
            "redis-server",
            "Install it: apt-get install -y redis-server",
            service="redis",
            problem="is not installed",
        )
    server = OwnRedis(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
