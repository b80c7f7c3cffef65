"""The performance app's pages: each area's module lists its own URLs."""

from .views import dashboard, gaps, reports, standards, workforce

app_name = "performance"
urlpatterns = [
    *dashboard.urlpatterns,
    *standards.urlpatterns,
    *gaps.urlpatterns,
    *workforce.urlpatterns,
    *reports.urlpatterns,
]
