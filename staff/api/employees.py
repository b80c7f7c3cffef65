"""/api/v1/ endpoints for telephony and workforce tools: employees (with their skills and extension),
skills, and agents' states. Read only. API clients see everyone; HR, managers and team leaders see
the people staff.selectors.employees lets them see. Reading employees is audited (one row a call)."""

import django_filters
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response

from calls.models import AgentState, AgentStatus, Skill
from contactcentre.api import requires, requires_any
from contactcentre.http import client_ip

from ..models import Employee, EmploymentStatus
from ..selectors import employees as selectors
from ..services import employees as services


class EmployeeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    site = serializers.CharField(source="user.site.code", default=None, help_text="The site's code.")
    team = serializers.CharField(source="user.team.name", default=None)
    job_role = serializers.CharField(source="job_role.code", help_text="The job role's code.")
    skills = serializers.SerializerMethodField(help_text="Codes of the skills calls are routed by.")
    extension = serializers.SerializerMethodField(help_text="The telephony extension or agent id, if any.")

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "name",
            "email",
            "site",
            "team",
            "job_role",
            "contract_hours",
            "status",
            "start_date",
            "skills",
            "extension",
        ]

    def get_skills(self, employee) -> list[str]:
        status = getattr(employee.user, "agent_status", None)
        return [skill.code for skill in status.skills.all()] if status else []

    def get_extension(self, employee) -> str | None:
        status = getattr(employee.user, "agent_status", None)
        return status.extension if status else None


class EmployeeFilter(django_filters.FilterSet):
    site = django_filters.CharFilter(field_name="user__site__code", help_text="A site's code.")
    team = django_filters.NumberFilter(field_name="user__team_id", help_text="A team's id.")
    status = django_filters.ChoiceFilter(choices=EmploymentStatus.choices)
    skill = django_filters.CharFilter(method="filter_skill", help_text="A skill's code.")

    class Meta:
        model = Employee
        fields = ["site", "team", "status", "skill"]

    def filter_skill(self, queryset, name, value):
        return queryset.filter(user__in=AgentStatus.objects.filter(skills__code=value).values("user_id"))


EMPLOYEE = {
    "id": 12,
    "employee_number": "E00012",
    "name": "Amira Haddad",
    "email": "agent@tawasul.demo",
    "site": "staines",
    "team": "Membership and renewals",
    "job_role": "customer-service-adviser",
    "contract_hours": "37.5",
    "status": "active",
    "start_date": "2024-03-04",
    "skills": ["claims", "membership"],
    "extension": "4101",
}
SKILL = {"id": 2, "code": "claims", "name": "Claims", "name_ar": "المطالبات"}
AGENT_STATE = {
    "user": 12,
    "extension": "4101",
    "state": "available",
    "since": "2026-11-23T09:02:11Z",
    "skills": ["claims", "membership"],
}


def _page(item: dict) -> dict:
    return {"count": 1, "next": None, "previous": None, "results": [item]}


class _EmployeeApi:
    permission_classes = [requires("staff.view_employee")]
    serializer_class = EmployeeSerializer

    def get_queryset(self):
        return selectors.employees_for_api(self.request.user)


@extend_schema_view(
    get=extend_schema(examples=[OpenApiExample("Employees", value=_page(EMPLOYEE), response_only=True)])
)
class EmployeeListApi(_EmployeeApi, generics.ListAPIView):
    """Employees with their site, team, job, skills and extension (API clients: everyone; HR, managers
    and team leaders: the people they may see). Every call is in the audit trail."""

    filterset_class = EmployeeFilter
    search_fields = ["user__full_name", "user__email", "employee_number"]
    ordering_fields = ["employee_number", "start_date"]

    def list(self, request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        services.employees_read(
            actor=request.user,
            summary="Employees API: list",
            filters=dict(request.query_params.items()),
            employee_ids=[row["id"] for row in rows],
            ip_address=client_ip(request),
        )
        return response


@extend_schema_view(get=extend_schema(examples=[OpenApiExample("An employee", value=EMPLOYEE, response_only=True)]))
class EmployeeDetailApi(_EmployeeApi, generics.RetrieveAPIView):
    """One employee (404 for one the caller may not see). Every read is in the audit trail."""

    def retrieve(self, request, *args, **kwargs) -> Response:
        employee = self.get_object()
        services.employee_record_viewed(employee=employee, actor=request.user, ip_address=client_ip(request))
        return Response(self.get_serializer(employee).data)


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "code", "name", "name_ar"]


@extend_schema_view(get=extend_schema(examples=[OpenApiExample("Skills", value=_page(SKILL), response_only=True)]))
class SkillListApi(generics.ListAPIView):
    """The skills calls are routed by."""

    queryset = Skill.objects.order_by("name", "id")
    serializer_class = SkillSerializer
    search_fields = ["code", "name", "name_ar"]


class AgentStateSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    skills = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = AgentStatus
        fields = ["user", "extension", "state", "since", "skills"]


class AgentStateFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=AgentState.choices)
    site = django_filters.CharFilter(field_name="user__site__code", help_text="A site's code.")
    team = django_filters.NumberFilter(field_name="user__team_id", help_text="A team's id.")

    class Meta:
        model = AgentStatus
        fields = ["state", "site", "team"]


@extend_schema_view(
    get=extend_schema(examples=[OpenApiExample("Agents' states", value=_page(AGENT_STATE), response_only=True)])
)
class AgentStateListApi(generics.ListAPIView):
    """Each agent's current telephony state (API clients: every agent; team leaders and managers: the
    people they may see)."""

    permission_classes = [requires_any("calls.view_agentstatus", "staff.lead_team")]
    serializer_class = AgentStateSerializer
    filterset_class = AgentStateFilter

    def get_queryset(self):
        return selectors.agent_states_for(self.request.user)


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [
    path("employees/", EmployeeListApi.as_view(), name="employee-list"),
    path("employees/<int:pk>/", EmployeeDetailApi.as_view(), name="employee-detail"),
    path("skills/", SkillListApi.as_view(), name="skill-list"),
    path("agent-states/", AgentStateListApi.as_view(), name="agent-state-list"),
]
