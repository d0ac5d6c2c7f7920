"""The clinic portal's Django project: settings, urls, the Celery app, health, home and error pages."""

from clinic.celery import app as celery_app

__all__ = ["celery_app"]
