"""Staff account pages, mounted at /staff/account/."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.second_factor, name="second_factor"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
]
