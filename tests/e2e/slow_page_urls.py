"""Test-only URLs: a page whose HTML arrives in two parts, a radio first and its label later.

`tests/e2e/test_axe_helper.py` uses it to pin that the axe helper waits for the page to finish
loading before it checks it (a long slot list once failed CI that way).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path

HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Choose a time</title></head>'
    '<body><main><h1>Choose a time</h1><form><input type="radio" name="slot" id="slot-1" value="1">'
)
TAIL = '<label for="slot-1">Monday, March 8, 9:00 AM</label></form></main></body></html>'


def start(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Start</title></head>'
        '<body><main><h1>Start</h1><a href="/slow/">Show free times</a></main></body></html>'
    )


def slow(request: HttpRequest) -> StreamingHttpResponse:
    def parts() -> Iterator[str]:
        yield HEAD + " " * 2048  # past any buffering, so the browser parses the radio at once
        time.sleep(1.5)
        yield TAIL

    return StreamingHttpResponse(parts(), content_type="text/html; charset=utf-8")


urlpatterns = [path("", start), path("slow/", slow)]
