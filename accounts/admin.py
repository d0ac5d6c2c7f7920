"""Staff users in the admin: whether each has a second factor, and a superuser's reset of it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "has_second_factor", "last_login"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(enrolled=Exists(enrolled))

    @admin.display(description="Second factor", boolean=True, ordering="enrolled")
    def has_second_factor(self, obj: User) -> bool:
        return bool(getattr(obj, "enrolled", False))

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    @admin.action(
        description="Reset the second factor (they set it up again at next login)", permissions=["reset"]
    )
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            removed = two_factor.reset_devices(user)
            # Recorded in the user's history in the admin (LogEntry), with who did it and when.
            self.log_change(request, user, f"Reset the second factor ({removed} device(s) removed).")
        self.message_user(request, f"Second factor reset for {queryset.count()} user(s).", messages.SUCCESS)
