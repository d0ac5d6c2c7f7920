"""The Celery app: configured from Django settings (CELERY_*), tasks discovered from the apps."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _make_filesystem_broker_folders() -> None:
    """kombu's filesystem transport (the development default) needs its folders to exist."""
    if not str(app.conf.broker_url).startswith("filesystem://"):
        return
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = (app.conf.broker_transport_options or {}).get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
    backend = str(app.conf.result_backend or "")
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


_make_filesystem_broker_folders()


@signals.worker_ready.connect
@signals.beat_init.connect
def _freeze_startup_objects(**_: Any) -> None:
    """Keep what start-up loaded (Django, the apps, Celery) out of garbage collection from now on.

    Those objects live as long as the process. Left in, Python's last collections at exit walk
    them all: about 2 s of CPU on a busy two-core machine, most of a worker's stop after Ctrl-C.
    """
    gc.freeze()
