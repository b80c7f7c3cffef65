"""/api/v1/performance/erlang-c/: Erlang C staffing for workforce tools (domain.md, "Erlang C"):
from the contacts of one interval, its length, the AHT, the service-level goal and shrinkage, the
agents required and what they give. The maths is rules/erlang.py's."""

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer

from ..rules import erlang


class ErlangQuery(serializers.Serializer):
    contacts = serializers.FloatField(help_text="Contacts offered in the interval (may be a forecast: 12.5).")
    interval_seconds = serializers.FloatField(help_text="The interval's length, in seconds (900 for 15 minutes).")
    aht_seconds = serializers.FloatField(help_text="Average handle time: talk + hold + wrap-up, in seconds.")
    threshold_seconds = serializers.FloatField(help_text="The answer threshold T of the service level, in seconds.")
    target = serializers.FloatField(help_text="The share to answer within T, between 0 and 1 (0.8 for 80%).")
    shrinkage = serializers.FloatField(
        required=False, default=0.0, help_text="The share of paid time not on the phones, 0 up to 1 (default 0)."
    )

    def validate_contacts(self, value: float) -> float:
        if value < 0:
            raise serializers.ValidationError(_("Contacts cannot be negative."))
        return value

    def validate_interval_seconds(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("The interval must be longer than zero seconds."))
        return value

    def validate_aht_seconds(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("The average handle time must be more than zero seconds."))
        return value

    def validate_threshold_seconds(self, value: float) -> float:
        if value < 0:
            raise serializers.ValidationError(_("The answer threshold cannot be negative."))
        return value

    def validate_target(self, value: float) -> float:
        if not 0 < value < 1:
            raise serializers.ValidationError(
                _("The service level target is a share between 0 and 1, both excluded (0.8 for 80%).")
            )
        return value

    def validate_shrinkage(self, value: float) -> float:
        if not 0 <= value < 1:
            raise serializers.ValidationError(_("Shrinkage is a share from 0 up to, but not including, 1."))
        return value


class ErlangOutput(serializers.Serializer):
    traffic_erlangs = serializers.FloatField(help_text="A = contacts x AHT / interval length.")
    agents = serializers.IntegerField(help_text="The fewest agents on the phones (N > A) meeting the target.")
    rostered = serializers.IntegerField(help_text="agents / (1 - shrinkage), rounded up: the agents to roster.")
    p_wait = serializers.FloatField(help_text="The probability a contact waits, C(N, A), with `agents`.")
    service_level = serializers.FloatField(help_text="Share answered within the threshold with `agents`, 0-1.")
    asa_seconds = serializers.FloatField(help_text="Average speed of answer with `agents`, in seconds.")
    occupancy = serializers.FloatField(help_text="A / N, 0-1.")


REFERENCE = {
    "traffic_erlangs": 10.0,
    "agents": 14,
    "rostered": 20,
    "p_wait": 0.17410,
    "service_level": 0.88843,
    "asa_seconds": 7.8357,
    "occupancy": 0.714286,
}


class ErlangCApi(APIView):
    """Erlang C for workforce tools: managers and API clients (performance.view_staffing)."""

    permission_classes = [requires("performance.view_staffing")]

    @extend_schema(
        operation_id="performance_erlang_c",
        summary="Agents required for an interval by Erlang C",
        description=(
            "Traffic A = contacts x aht_seconds / interval_seconds erlangs; the fewest agents N > A whose "
            "service level SL = 1 - C(N, A) exp(-(N - A) threshold_seconds / aht_seconds) meets `target`, with "
            "C(N, A) by the Erlang B recursion (no factorials: safe for thousands of erlangs); `rostered` = "
            "N / (1 - shrinkage), rounded up. Every figure after `rostered` is at N agents. No contacts: all "
            "zeros and a service level of 1. A 400 names the field: zero or negative interval or AHT, a "
            "target outside 0-1, shrinkage of 1 or more, a value that is not a number, one left out."
        ),
        parameters=[ErlangQuery],
        responses={200: ErlangOutput, 400: OpenApiResponse(ErrorSerializer)},
        examples=[
            OpenApiExample(
                "100 contacts in 30 minutes, AHT 180 s, 80% in 20 s, 30% shrinkage",
                response_only=True,
                value=REFERENCE,
            )
        ],
    )
    def get(self, request):
        query = ErlangQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            result = erlang.staffing(**query.validated_data)
        except erlang.ErlangInputError as error:  # what the serializer cannot see: traffic beyond any centre
            message = _("This is more traffic than the calculator staffs (at most %(agents)d agents).") % {
                "agents": erlang.MAX_AGENTS
            }
            raise serializers.ValidationError({error.field: [message]}) from None
        return Response(ErlangOutput(result).data)


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [
    path("performance/erlang-c/", ErlangCApi.as_view(), name="performance-erlang-c"),
]
