"""clinic.storage: production's static storage gives whitenoise's hashed addresses, each worked
out once per process."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

from clinic.storage import KeptURLStaticFilesStorage


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a folder of its own with production's storage, as the Dockerfile does."""
    root = tmp_path_factory.mktemp("static")
    from django.test import override_settings

    backend = {"BACKEND": "clinic.storage.KeptURLStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={"staticfiles": backend, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}):  # fmt: skip
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


NAMES = ["clinic/clinic.css", "vendor/bootstrap/bootstrap.min.css", "intake/questionnaire.js"]


def test_it_gives_whitenoises_hashed_addresses(collected):
    kept = KeptURLStaticFilesStorage(location=collected)
    plain = CompressedManifestStaticFilesStorage(location=collected)
    for name in NAMES:
        assert kept.url(name) == plain.url(name)
        assert re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.(css|js)", kept.url(name)), kept.url(name)


def test_each_address_is_worked_out_once_and_force_is_never_kept(collected, monkeypatch):
    kept = KeptURLStaticFilesStorage(location=collected)
    asked = []
    original = CompressedManifestStaticFilesStorage.url

    def counting(self, name, force=False):
        asked.append((name, force))
        return original(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counting)
    first = [kept.url(name) for name in NAMES]
    again = [kept.url(name) for name in NAMES]
    assert first == again and asked == [(name, False) for name in NAMES]
    kept.url(NAMES[0], force=True)
    kept.url(NAMES[0], force=True)
    assert asked[-2:] == [(NAMES[0], True), (NAMES[0], True)]


def test_a_name_missing_from_the_manifest_still_fails_as_whitenoise_fails(collected):
    kept = KeptURLStaticFilesStorage(location=collected)
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        kept.url("clinic/no-such-file.css")
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        kept.url("clinic/no-such-file.css")
