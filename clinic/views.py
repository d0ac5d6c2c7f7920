"""Public pages of the clinic as a whole."""

from __future__ import annotations

import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.outage import is_database_outage, outage_response
from ratelimits import limit


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: start the questionnaire or book an exam."""
    return render(request, "clinic/home.html")


@limit(group="staff.login", rate_setting="STAFF_LOGIN_RATE", method="POST")
def staff_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login page, with a rate limit per client address on its POST."""
    return admin.site.login(request)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if is_database_outage(sys.exc_info()[1]):
        return outage_response()
    return render(request, "500.html", status=500, context={})
