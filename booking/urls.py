from django.urls import path

from clinic.views import home

app_name = "booking"

# Placeholder until the booking views land.
urlpatterns = [path("", home, name="start")]
