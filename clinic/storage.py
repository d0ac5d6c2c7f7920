"""Static files in production: whitenoise's compressed manifest storage, each file's address
worked out once per process.

A page names five or six static files; working out each hashed address (the manifest lookup,
then joining and quoting the URL) cost about as much as the rest of the page's head, on every
request, though the manifest cannot change while the process runs (collectstatic writes it
before the server starts). `force=True` (collectstatic's own use) is never kept.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeptURLStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        url = self._kept_urls.get(name)
        if url is None:
            url = self._kept_urls[name] = super().url(name)
        return url
