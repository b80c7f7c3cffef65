"""/api/v1/: every app registers its endpoints on this one router."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from contactcentre.api_errors import JsonErrorsMixin
from contactcentre.views import api_not_found
from staff import api as staff_api


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JsonErrorsMixin, SpectacularSwaggerView):
    pass


router = DefaultRouter()
router.include_format_suffixes = False  # JSON only: no /sites.json twins
router.register("sites", staff_api.SiteViewSet, basename="site")
router.register("teams", staff_api.TeamViewSet, basename="team")

urlpatterns = [
    path("me/", staff_api.MeApi.as_view(), name="me"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, in DEBUG too.
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
