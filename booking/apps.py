from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from messaging import subjects


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        from booking import notices, selectors  # need the models: only once the registry is ready

        subjects.register(notices.SUBJECT, notices.read_appointment)
        # Not business flow: the kept lists of active sites, types and podiatrists follow every
        # change to those rows at once in this process (booking.prepared.KeptRead).
        for model in selectors.KEPT_MODELS:
            post_save.connect(
                selectors.forget_kept_reads, sender=model, dispatch_uid=f"kept-{model.__name__}"
            )
            post_delete.connect(
                selectors.forget_kept_reads, sender=model, dispatch_uid=f"kept-del-{model.__name__}"
            )
