from django.apps import AppConfig

from booking import hooks
from messaging import subjects


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = "Waitlist"

    def ready(self) -> None:
        from waitlist import notices, services, views  # need the models: only once the registry is ready

        subjects.register(notices.SUBJECT, notices.read_offer)
        subjects.register(notices.ENTRY_SUBJECT, notices.read_entry)
        hooks.on_time_freed(services.record_freed_time)
        hooks.on_time_booked(services.end_booked_entries)
        hooks.on_manage_page(views.manage_panel)
        hooks.on_times_page(views.times_panel)
