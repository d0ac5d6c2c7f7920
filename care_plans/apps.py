from django.apps import AppConfig

from messaging import subjects


class CarePlansConfig(AppConfig):
    name = "care_plans"
    verbose_name = "Care plans"

    def ready(self) -> None:
        from care_plans import notices  # needs the models: only once the registry is ready

        subjects.register(notices.SUBJECT, notices.read_care_plan)
