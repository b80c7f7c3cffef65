"""/api/v1/: every app registers its endpoints on this one router."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from calls.api import nurse as nurse_api
from calls.api import telephony as telephony_api
from claims import api as claims_api
from contactcentre.api_errors import JsonErrorsMixin
from contactcentre.views import api_not_found
from customers import api as customers_api
from performance.api import erlang as performance_erlang_api
from staff import api as staff_api
from staff.api import appraisal as appraisal_api
from staff.api import employees as employees_api
from staff.api import quality as quality_api
from staff.api import recruitment as recruitment_api
from staff.api import training as training_api
from surveys.api import responses as survey_responses_api
from surveys.api import results as survey_results_api
from surveys.api import servqual as survey_servqual_api


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
    path("customers/", customers_api.CustomerSearchApi.as_view(), name="customer-search"),
    path("customers/<int:pk>/", customers_api.CustomerDetailApi.as_view(), name="customer-detail"),
    path("customers/<int:pk>/household/", customers_api.CustomerHouseholdApi.as_view(), name="customer-household"),
    path("providers/", claims_api.ProviderList.as_view(), name="provider-list"),
    path("policies/", claims_api.PolicyList.as_view(), name="policy-list"),
    path("policies/<int:pk>/", claims_api.PolicyDetail.as_view(), name="policy-detail"),
    path("cover-checks/", claims_api.CoverCheckCreate.as_view(), name="cover-check-create"),
    path("cover-checks/<int:pk>/", claims_api.CoverCheckDetail.as_view(), name="cover-check-detail"),
    path("pre-authorisations/", claims_api.PreAuthorisationListCreate.as_view(), name="pre-authorisation-list"),
    path("pre-authorisations/<int:pk>/", claims_api.PreAuthorisationDetail.as_view(), name="pre-authorisation-detail"),
    path("claims/", claims_api.ClaimListCreate.as_view(), name="claim-list"),
    path("claims/<int:pk>/", claims_api.ClaimDetail.as_view(), name="claim-detail"),
    *[
        path(
            f"claims/<int:pk>/{name}/",
            claims_api.transition_view(name, summary).as_view(),
            name=f"claim-{name}",
        )
        for name, summary in claims_api.CLAIM_TRANSITION_ENDPOINTS
    ],
    path("telephony/events/", telephony_api.TelephonyEventsApi.as_view(), name="telephony-events"),
    path("telephony/lookup/", telephony_api.CallerLookupApi.as_view(), name="telephony-lookup"),
    path("triages/<int:pk>/", nurse_api.TriageDetailApi.as_view(), name="triage-detail"),
    *employees_api.urls,
    *recruitment_api.urls,
    *survey_results_api.urls,
    *survey_responses_api.urls,
    *survey_servqual_api.urls,
    *training_api.urls,
    *appraisal_api.urls,
    *quality_api.urls,
    *performance_erlang_api.urls,
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, in DEBUG too.
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
