from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = "Waitlist"

    def ready(self) -> None:
        from booking import hooks
        from waitlist import services

        hooks.on_time_freed(services.record_freed_time)
