"""/api/v1/ endpoints for recruitment: the careers site's way in (open vacancies, and applications,
with no account: validated and rate-limited per address), and HR's reads of vacancies and their
applications."""

from django.urls import URLPattern, path
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer
from contactcentre.http import client_ip
from contactcentre.throttling import CountingThrottle

from ..models import Application, Stage
from ..rules import recruitment as rules
from ..selectors import recruitment as selectors
from ..services import recruitment as services


class CareersThrottle(CountingThrottle, AnonRateThrottle):
    """Applications per client address, at their own rate (scope "careers", settings:
    API_THROTTLE_CAREERS), whoever is calling."""

    scope = "careers"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CareersVacancySerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField(source="job_role.title")
    title_ar = serializers.CharField(source="job_role.title_ar")
    site = serializers.CharField(source="site.name")
    posts = serializers.IntegerField()
    advert = serializers.CharField(source="description")
    purpose = serializers.CharField(source="job_role.purpose")
    responsibilities = serializers.CharField(source="job_role.responsibilities")
    opened_on = serializers.DateField()
    closes_on = serializers.DateField(allow_null=True)


VACANCY_EXAMPLE = {
    "reference": "V-2026-0007",
    "title": "Customer service adviser",
    "title_ar": "مستشار خدمة العملاء",
    "site": "Staines",
    "posts": 4,
    "advert": "Join our member services team answering calls about cover and claims.",
    "purpose": "Answers members' calls about their cover and claims.",
    "responsibilities": "Confirms cover, logs claims, reassures callers.",
    "opened_on": "2026-11-02",
    "closes_on": "2026-12-04",
}


class CareersVacancyListApi(ListAPIView):
    """Public: no account needed."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = CareersVacancySerializer

    def get_queryset(self):
        return selectors.careers_vacancies()

    @extend_schema(
        summary="Open vacancies (for the careers site; no account needed)",
        auth=[],
        examples=[OpenApiExample("An open vacancy", value=VACANCY_EXAMPLE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CareersApplicationApi(APIView):
    """Public: no account needed; each address may send settings' "careers" rate of applications. A
    repeat is answered like a new application (services.careers_application_receive)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [CareersThrottle]

    class CareersApplicationInput(serializers.Serializer):
        vacancy = serializers.CharField(max_length=20, help_text="The vacancy's reference (V-2026-0007).")
        full_name = serializers.CharField(max_length=150)
        email = serializers.EmailField(max_length=254)
        phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
        cover_note = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")

    class CareersApplicationReceived(serializers.Serializer):
        reference = serializers.CharField(help_text="Quote it in any message about the application.")
        vacancy = serializers.CharField()
        stage = serializers.ChoiceField(choices=Stage.choices)

    @extend_schema(
        summary="Apply for a vacancy (for the careers site; no account needed)",
        description=(
            "One application per email address per vacancy. A repeat is answered exactly as a new "
            "application would be (201, with the first application's reference and stage `applied`) and "
            "stores nothing, so that the answer does not tell anyone whether an address has applied. An "
            "application to a vacancy no longer taking them gets 409. Rate-limited per client address "
            "(429 with Retry-After)."
        ),
        auth=[],
        request=CareersApplicationInput,
        responses={
            201: CareersApplicationReceived,
            400: OpenApiResponse(ErrorSerializer),
            409: OpenApiResponse(ErrorSerializer),
            429: OpenApiResponse(ErrorSerializer),
        },
        examples=[
            OpenApiExample(
                "An application",
                request_only=True,
                value={
                    "vacancy": "V-2026-0007",
                    "full_name": "Amira Haddad",
                    "email": "amira.haddad@example.net",
                    "phone": "07700 900321",
                    "cover_note": "Three years on a GP surgery's front desk.",
                },
            ),
            OpenApiExample(
                "Received",
                response_only=True,
                status_codes=["201"],
                value={"reference": "APP-000123", "vacancy": "V-2026-0007", "stage": "applied"},
            ),
            OpenApiExample(
                "Not taking applications",
                response_only=True,
                status_codes=["409"],
                value={
                    "error": {
                        "code": "conflict",
                        "message": "Vacancy V-2026-0007 is not taking applications.",
                        "fields": {"vacancy": ["This vacancy is closed."]},
                    }
                },
            ),
        ],
    )
    def post(self, request):
        data = self.CareersApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        vacancy = selectors.vacancy_by_reference(values.pop("vacancy"))
        if vacancy is None:
            raise exceptions.ValidationError({"vacancy": [gettext("No vacancy has this reference.")]})
        receipt = services.careers_application_receive(vacancy=vacancy, **values)
        return Response(self.CareersApplicationReceived(receipt).data, status=status.HTTP_201_CREATED)


# --- HR reads -----------------------------------------------------------------------------------
class VacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    job_role = serializers.CharField(source="job_role.code")
    site = serializers.CharField(source="site.code")
    posts = serializers.IntegerField()
    status = serializers.CharField()
    opened_on = serializers.DateField()
    closes_on = serializers.DateField(allow_null=True)
    filled_on = serializers.DateField(allow_null=True)
    applications = serializers.IntegerField(source="applications_count")
    in_progress = serializers.IntegerField()
    hired = serializers.IntegerField()


class VacancyListApi(ListAPIView):
    """HR: every vacancy with its application counts; ?status=open&site=<id>."""

    permission_classes = [requires("staff.manage_people")]
    serializer_class = VacancySerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        site = params.get("site", "")
        return selectors.vacancy_list(
            status=params.get("status", ""), site_id=int(site) if site.isascii() and site.isdigit() else None
        )

    @extend_schema(
        summary="Vacancies (HR)",
        examples=[
            OpenApiExample(
                "A vacancy",
                response_only=True,
                value={
                    "id": 7,
                    "reference": "V-2026-0007",
                    "job_role": "customer-service-adviser",
                    "site": "staines",
                    "posts": 4,
                    "status": "open",
                    "opened_on": "2026-11-02",
                    "closes_on": "2026-12-04",
                    "filled_on": None,
                    "applications": 31,
                    "in_progress": 12,
                    "hired": 1,
                },
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.SerializerMethodField()
    full_name = serializers.SerializerMethodField(help_text="Translated 'Anonymised candidate' once anonymised.")
    email = serializers.CharField()
    source = serializers.CharField()
    stage = serializers.CharField()
    applied_at = serializers.DateTimeField()
    stage_entered_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    anonymised = serializers.SerializerMethodField()

    def get_reference(self, application) -> str:
        return rules.application_reference(application.pk)

    def get_full_name(self, application) -> str:
        return selectors.candidate_name(application)

    def get_anonymised(self, application) -> bool:
        return application.anonymised_at is not None


class VacancyApplicationsApi(ListAPIView):
    """HR: a vacancy's applications, the board's order; ?stage=assessment_centre."""

    permission_classes = [requires("staff.manage_people")]
    serializer_class = ApplicationSerializer
    filter_backends: list = []

    def get_queryset(self):
        vacancy = selectors.vacancy_get(self.kwargs["pk"])
        applications = Application.objects.filter(vacancy=vacancy).order_by("stage_entered_at", "pk")
        stage = self.request.query_params.get("stage", "")
        return applications.filter(stage=stage) if stage else applications

    @extend_schema(
        summary="A vacancy's applications (HR; each read is audited)",
        examples=[
            OpenApiExample(
                "An application",
                response_only=True,
                value={
                    "id": 123,
                    "reference": "APP-000123",
                    "full_name": "Amira Haddad",
                    "email": "amira.haddad@example.net",
                    "source": "careers_site",
                    "stage": "assessment_centre",
                    "applied_at": "2026-11-03T10:12:00Z",
                    "stage_entered_at": "2026-11-12T09:30:00Z",
                    "closed_at": None,
                    "anonymised": False,
                },
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.applications_listed(
            vacancy=selectors.vacancy_get(self.kwargs["pk"]), actor=request.user, ip_address=client_ip(request)
        )
        return response


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [
    path("careers/vacancies/", CareersVacancyListApi.as_view(), name="careers-vacancies"),
    path("careers/applications/", CareersApplicationApi.as_view(), name="careers-applications"),
    path("recruitment/vacancies/", VacancyListApi.as_view(), name="vacancy-list"),
    path("recruitment/vacancies/<int:pk>/applications/", VacancyApplicationsApi.as_view(), name="vacancy-applications"),
]
