from django.apps import AppConfig

from messaging import subjects


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        from booking import notices  # needs the models: only once the registry is ready

        subjects.register(notices.SUBJECT, notices.read_appointment)
