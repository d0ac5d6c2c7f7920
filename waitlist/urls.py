"""The patient's waitlist pages, mounted at /waitlist/."""

from django.urls import path

from waitlist import views

app_name = "waitlist"

urlpatterns = [
    path("earlier/<str:token>/", views.earlier, name="earlier"),
    path("earlier/<str:token>/leave/", views.leave_from_booking, name="leave_from_booking"),
    path("join/", views.join, name="join"),
    path("entry/<str:token>/", views.entry, name="entry"),
    path("offer/<str:token>/", views.offer, name="offer"),
]
