from django.apps import AppConfig

from messaging import subjects


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from intake import notices  # needs the models: only once the registry is ready

        subjects.register(notices.SUBJECT, notices.read_intake)
