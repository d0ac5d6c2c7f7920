"""The staff-access log in the admin: superusers read, filter by user and date, and export CSV.

Nobody adds, changes or deletes an entry here, not even a superuser.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import StaffAccess

CSV_HEADER = ["When (Michigan time)", "At (UTC, ISO 8601)", "User", "Page", "Path", "Query", "Record",
              "Record id", "Search"]  # fmt: skip


def michigan(moment: datetime) -> str:
    """The clinic's one way to show a moment: Michigan time, in words ("Mon Nov 30, 9:00 AM")."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@admin.register(StaffAccess)
class StaffAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    list_display = ["when", "user", "page", "record", "record_id", "search"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), ("at", admin.DateFieldListFilter), "record"]
    list_select_related = ["user"]
    search_fields = ["search", "record_id", "page", "user__username"]
    date_hierarchy = "at"
    actions = ["export_csv"]
    fields = ("when", "user", "page", "path", "query", "record", "record_id", "search")
    readonly_fields = fields

    @admin.display(description="When", ordering="at")
    def when(self, obj: StaffAccess) -> str:
        return michigan(obj.at)

    @admin.action(description="Export the selected entries as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[StaffAccess]) -> StreamingHttpResponse:
        rows = queryset.select_related("user").order_by("at", "pk").iterator(chunk_size=2000)
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="staff-access.csv"'
        return response

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: StaffAccess | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StaffAccess | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StaffAccess | None = None) -> bool:
        return False


class _Line:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[StaffAccess]) -> Iterator[str]:
    """The header, then one line per entry; a cell a spreadsheet would run as a formula is quoted."""
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_HEADER)
    for row in rows:
        cells: list[Any] = [michigan(row.at), row.at.astimezone(UTC).isoformat(),
                            row.user.get_username(), row.page, row.path, row.query, row.record,
                            row.record_id, row.search]  # fmt: skip
        yield writer.writerow([_inert(str(cell)) for cell in cells])


def _inert(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
