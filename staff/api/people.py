"""/api/v1/ endpoints for people and places: who am I, sites, teams."""

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Site, Team
from ..selectors import user_roles


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "code", "name", "name_ar", "timezone", "is_active"]


class TeamSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    leader = serializers.EmailField(source="leader.email", read_only=True, default=None)

    class Meta:
        model = Team
        fields = ["id", "name", "site", "leader", "is_active"]


SITE = {
    "id": 1,
    "code": "staines",
    "name": "Staines",
    "name_ar": "ستينز",
    "timezone": "Europe/London",
    "is_active": True,
}
TEAM = {"id": 3, "name": "Claims", "site": "staines", "leader": "teamleader@tawasul.demo", "is_active": True}


def _page(item: dict) -> dict:
    return {"count": 1, "next": None, "previous": None, "results": [item]}


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("Sites", value=_page(SITE), response_only=True)]),
    retrieve=extend_schema(examples=[OpenApiExample("A site", value=SITE, response_only=True)]),
)
class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    """Contact-centre sites."""

    queryset = Site.objects.order_by("name")
    serializer_class = SiteSerializer
    filterset_fields = ["is_active", "code"]
    search_fields = ["name", "name_ar", "code"]
    ordering_fields = ["name", "code"]


class TeamFilter(django_filters.FilterSet):
    site = django_filters.CharFilter(field_name="site__code")

    class Meta:
        model = Team
        fields = ["site", "is_active"]


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("Teams", value=_page(TEAM), response_only=True)]),
    retrieve=extend_schema(examples=[OpenApiExample("A team", value=TEAM, response_only=True)]),
)
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Teams, each at one site with a team leader."""

    queryset = Team.objects.select_related("site", "leader").order_by("site__name", "name")
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    search_fields = ["name"]
    ordering_fields = ["name"]


class MeApi(APIView):
    """The authenticated user or API client."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        preferred_language = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        site = serializers.CharField(allow_null=True)
        team = serializers.CharField(allow_null=True)

    @extend_schema(
        responses=OutputSerializer,
        examples=[
            OpenApiExample(
                "An API client",
                response_only=True,
                value={
                    "id": 7,
                    "email": "telephony@tawasul.demo",
                    "full_name": "Telephony platform (API client)",
                    "preferred_language": "en",
                    "roles": ["api_client"],
                    "site": "staines",
                    "team": None,
                },
            )
        ],
    )
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "roles": user_roles(user),
            "site": user.site.code if user.site_id else None,
            "team": user.team.name if user.team_id else None,
        }
        return Response(self.OutputSerializer(data).data)
