"""The patient's booking pages, mounted at /book/."""

from django.urls import path

from booking import views

app_name = "booking"

urlpatterns = [
    path("", views.start, name="start"),
    path("times/", views.slots, name="slots"),
    path("details/", views.details, name="details"),
    path("done/<str:token>/", views.done, name="done"),
    path("urgent/", views.urgent, name="urgent"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/calendar.ics", views.ics, name="ics"),
    path("manage/<str:token>/reschedule/", views.reschedule, name="reschedule"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
]
