"""Records each successful staff view of a page that shows patient data (audit.pages declares them)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from audit.models import StaffAccess
from audit.pages import SEARCH_PARAMS, seen


class StaffAccessMiddleware:
    """After the view: a 200 answer to a logged-in user on a declared page writes one row (one INSERT).

    Refused (403), missing (404) and redirected (a saved form, an action) requests show nothing and
    write nothing. A failed write fails the request: a page of patient data is not shown unrecorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # What the page is comes first: a patient's page never loads the session or user for this.
        page = seen(match) if response.status_code == 200 and match is not None else None
        user = getattr(request, "user", None) if page is not None else None
        if page is None or user is None or not user.is_authenticated:
            return response
        terms = (request.GET.get(param, "").strip() for param in SEARCH_PARAMS)
        StaffAccess.objects.create(
            user_id=user.pk,
            page=page.page[:100],
            path=request.path[:300],
            query=request.GET.urlencode()[:2000],
            record=page.record,
            record_id=page.record_id,
            search=next((term for term in terms if term), "")[:200],
        )
        return response
