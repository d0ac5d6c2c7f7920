"""The front desk offers a free time to one waiting patient by hand (an admin page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from booking.selectors import search_slots
from booking.staff_forms import MoveForm, MoveSearchForm
from booking.staff_views import slot_choices
from waitlist import services
from waitlist.models import WaitlistEntry


def offer_view(request: HttpRequest, *, pk: int, model_admin: ModelAdmin) -> HttpResponse:
    """Search a day's free times for the entry's type; the chosen one goes to `offer_by_hand`."""
    entry = get_object_or_404(WaitlistEntry.objects.select_related("type", "site"), pk=pk)
    if not request.user.has_perm("waitlist.offer_time_waitlistentry"):
        raise PermissionDenied
    change_url = reverse("admin:waitlist_waitlistentry_change", args=[pk])
    initial = {"site": entry.site_id, "date": max(entry.first_day, timezone.localdate())}
    search = MoveSearchForm(request.GET or initial)
    site = search.cleaned_data["site"] if search.is_valid() else entry.site
    pick = MoveForm(request.POST or None)
    if request.method == "POST" and pick.is_valid() and site is not None:
        podiatrist, start = pick.cleaned_data["slot"]
        try:
            services.offer_by_hand(
                entry=entry, site=site, start=start, podiatrist=podiatrist, actor=request.user
            )
        except services.WaitlistRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"Offered to {entry.name}: the email goes out now.")
            return HttpResponseRedirect(change_url)
    slots: list[Any] = []
    if search.is_valid():
        slots = search_slots(
            sites=[site],
            type=entry.type,
            start_date=search.cleaned_data["date"],
            days=1,
            podiatrist=search.cleaned_data["podiatrist"],
            may_use_holds=True,
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Offer a time to {entry.name}",
        "entry": entry,
        "search": search,
        "slots": slot_choices(slots, sites=[site] if site else []),
        "change_url": change_url,
        "can_offer": entry.status == WaitlistEntry.Status.WAITING,
    }
    return render(request, "admin/waitlist/waitlistentry/offer.html", context)
