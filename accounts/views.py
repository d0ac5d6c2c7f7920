"""The staff account pages: the second factor (enrol or verify) and the idle-timeout keep-alive."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import idle, two_factor


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _refusal(user: object, hint: str) -> str:
    wait = two_factor.wait_seconds(user)
    if wait > 0:
        then = hint[0].lower() + hint[1:]
        return f"That code is not right. After a wrong code, wait {wait} second(s), then {then}"
    return f"That code is not right. {hint}"


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        # Nothing of the admin is listed before the second factor is done.
        "available_apps": [],
        "is_nav_sidebar_enabled": False,
        "title": title,
        "next": _next_url(request),
        **extra,
    }
    return render(request, template, context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app at the first login, or ask for a code at every later one."""
    user = request.user
    if not user.is_staff:
        return HttpResponseRedirect(reverse("home"))
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if not two_factor.is_enrolled(user):
        enrolment = two_factor.pending_enrolment(user)
        if form.is_valid():
            codes = two_factor.confirm_enrolment(request=request, token=form.cleaned_data["otp_token"])
            if codes is not None:
                return _page(request, "accounts/backup_codes.html", "Your backup codes", codes=codes)
            form.add_error("otp_token", _refusal(user, "Type the 6 digits your app shows now."))
        return _page(
            request, "accounts/enrol.html", "Set up your second factor", form=form, enrolment=enrolment
        )
    if form.is_valid():
        if two_factor.verify(request=request, token=form.cleaned_data["otp_token"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("otp_token", _refusal(user, "Type the 6 digits your app shows now, or a backup code."))
    return _page(request, "accounts/verify.html", "Your second factor", form=form)


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "stay signed in": any staff request counts as activity (see the middleware)."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "idle_seconds": idle.idle_seconds()})
