"""The clinic portal's Django project; also an app for clinic-wide pieces (home, health, mail)."""

from clinic.celery import app as celery_app

__all__ = ["celery_app"]
