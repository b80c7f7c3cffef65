"""/api/v1/triages/<id>/: a nurse-line triage note, for nurses only.

Anyone who may use the API gets as far as `triage_read`, which refuses non-nurses (403) after
writing the attempt to the audit trail; a permission class would refuse them unrecorded."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import CanUseApi
from contactcentre.api_errors import ErrorSerializer
from contactcentre.http import client_ip

from ..models import NurseTriage
from ..services.nurse import triage_read


class TriageSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="contact.customer_id", allow_null=True, read_only=True)
    nurse = serializers.EmailField(source="nurse.email", read_only=True)

    class Meta:
        model = NurseTriage
        fields = [
            "id",
            "contact",
            "customer",
            "nurse",
            "presenting_problem",
            "advice_given",
            "disposition",
            "safety_netting",
            "follow_up",
            "created_at",
            "updated_at",
        ]


TRIAGE_EXAMPLE = {
    "id": 31,
    "contact": 5120,
    "customer": 42,
    "nurse": "nurse@tawasul.demo",
    "presenting_problem": "Sore throat for three days, temperature 38.1 C, eating and drinking.",
    "advice_given": "Fluids, paracetamol as on the packet, rest.",
    "disposition": "self_care",
    "safety_netting": "Call back or see a GP if not better in 7 days, or at once if breathing gets hard.",
    "follow_up": 77,
    "created_at": "2026-11-23T21:40:00Z",
    "updated_at": "2026-11-23T21:40:00Z",
}
REFUSED_EXAMPLE = {
    "error": {
        "code": "permission_denied",
        "message": "You do not have permission to perform this action.",
        "fields": {},
    }
}


class TriageDetailApi(APIView):
    permission_classes = [CanUseApi]

    @extend_schema(
        summary="A triage note of the nurse advice line (nurses only; every read and refusal audited)",
        responses={200: TriageSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        examples=[
            OpenApiExample("A triage note", value=TRIAGE_EXAMPLE, response_only=True, status_codes=["200"]),
            OpenApiExample(
                "Refused: not a nurse (the attempt is audited)",
                value=REFUSED_EXAMPLE,
                response_only=True,
                status_codes=["403"],
            ),
        ],
    )
    def get(self, request, pk: int):
        triage = triage_read(actor=request.user, triage_id=pk, ip_address=client_ip(request), via="api")
        return Response(TriageSerializer(triage).data)
