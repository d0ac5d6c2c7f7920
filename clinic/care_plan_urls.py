
app_name = "care_plans"

# Completing a visit and sending its care plan (filled by the notifications work).
urlpatterns: list[object] = []
