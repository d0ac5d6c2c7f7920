from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from clinic import views
from clinic.health import ReadinessView

admin.site.site_header = "Heel Pain Clinic: staff"
admin.site.site_title = "Heel Pain Clinic staff"
admin.site.index_title = "Front desk and podiatrists"

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers and bookmark tools ask for /favicon.ico whatever the page links.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("clinic/favicon.svg"))),
    # /healthz/live is answered by clinic.health.LivenessMiddleware before any URL is resolved.
    path("healthz/ready", ReadinessView.as_view(), name="healthz_ready"),
    path("intake/", include("intake.urls")),
    path("book/", include("booking.urls")),
    path("staff/account/", include("accounts.urls")),
    path("waitlist/", include("waitlist.urls")),
    path("staff/", include("booking.staff_urls")),
    path("visits/", include("care_plans.urls")),
    # Before admin.site.urls so the login POST is rate-limited; reverse("admin:login") is unchanged.
    path("admin/login/", views.staff_login, name="staff_login"),
    path("admin/", admin.site.urls),
]

handler400 = "clinic.views.error_400"
handler403 = "clinic.views.error_403"
handler404 = "clinic.views.error_404"
handler500 = "clinic.views.error_500"  # a database outage there is the 503 page
