from django.apps import AppConfig

from booking import hooks


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = "Waitlist"

    def ready(self) -> None:
        from waitlist import services, views  # need the models: only once the registry is ready

        hooks.on_time_freed(services.record_freed_time)
        hooks.on_manage_page(views.manage_panel)
