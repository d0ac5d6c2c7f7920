from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/contact/", views.contact, name="contact"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("emergency/", views.emergency, name="emergency"),
    path("check/", views.check, name="check"),
    path("outcome/", views.outcome, name="outcome"),
    path("for/<str:token>/", views.for_appointment, name="for_appointment"),
    path("staff/<int:pk>/summary/", views.summary, name="summary"),
]
