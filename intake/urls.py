from django.urls import path

from clinic.views import home

app_name = "intake"

# Placeholder until the intake views land.
urlpatterns = [path("", home, name="start")]
