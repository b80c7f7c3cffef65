from django.contrib import admin
from django.urls import include, path

from . import views
from .api_urls import SwaggerView

handler400 = "contactcentre.views.bad_request"
handler403 = "contactcentre.views.permission_denied"
handler404 = "contactcentre.views.page_not_found"
handler500 = "contactcentre.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("system/status/", views.system_status, name="system-status"),
    path("calls/", include("calls.urls")),
    path("members/", include("customers.urls")),
    path("claims/", include("claims.urls")),
    path("staff/", include("staff.urls")),
    path("performance/", include("performance.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include("surveys.public_urls")),
    path("api/v1/", include("contactcentre.api_urls")),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
