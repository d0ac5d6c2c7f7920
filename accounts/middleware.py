"""Two gates in front of every staff page: the idle timeout, then the second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import idle, two_factor


@cache
def staff_prefixes() -> tuple[str, ...]:
    """Where staff pages live: the admin, /staff/, /visits/ and the intake summaries."""
    return (
        reverse("admin:index"),
        "/staff/",
        "/visits/",
        "/intake/staff/",
    )


@cache
def open_paths() -> tuple[str, ...]:
    """Staff URLs reachable with only a password: logging in and out, the second factor itself."""
    return (
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("accounts:second_factor"),
        reverse("accounts:keep_alive"),
    )


def is_staff_path(path: str) -> bool:
    return path.startswith(staff_prefixes())


class StaffIdleTimeoutMiddleware:
    """A staff session that saw no request for STAFF_IDLE_MINUTES ends: the next request logs out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            if idle.has_expired(request):
                minutes = idle.idle_seconds() // 60
                logout(request)
                messages.info(request, f"You were logged out after {minutes} minutes without activity.")
                if request.method == "GET" and is_staff_path(request.path):
                    login = reverse("admin:login")
                    return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            else:
                idle.touch(request)
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """No staff page opens for a staff session that has only a password (STAFF_2FA_REQUIRED)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            is_staff_path(request.path)
            and not request.path.startswith(open_paths())
            and two_factor.needs_second_factor(request.user)
        ):
            target = reverse("accounts:second_factor")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseRedirect(target)
        return self.get_response(request)
