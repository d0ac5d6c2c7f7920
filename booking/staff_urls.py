
app_name = "staff"

# The podiatrists' and front desk's pages outside the admin (filled by the booking staff work).
urlpatterns: list[object] = []
