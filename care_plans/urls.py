"""Completing a visit and sending its care plan, mounted at /visits/."""

from django.urls import path

from care_plans import views

app_name = "care_plans"

urlpatterns = [
    path("<int:pk>/care-plan/", views.send_plan, name="send"),
]
