"""The podiatrists' and front desk's pages outside the admin, mounted at /staff/."""

from django.urls import path

from booking import staff_views

app_name = "staff"

urlpatterns = [
    path("today/", staff_views.today, name="today"),
]
