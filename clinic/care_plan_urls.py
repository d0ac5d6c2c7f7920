"""Completing a visit and sending its care plan, mounted at /visits/."""

from django.urls import path

from clinic import care_plan_views

app_name = "care_plans"

urlpatterns = [
    path("<int:pk>/care-plan/", care_plan_views.send_plan, name="send"),
]
