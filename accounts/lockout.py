"""The page shown to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """Say until when (Michigan time) this username cannot log in from this address, and who unlocks."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "until": until,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
