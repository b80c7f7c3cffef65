"""/api/v1/telephony/: the way in for telephony platforms: call events (one or a batch), and the
screen-pop look-up of members by the number calling."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import requires, requires_any
from contactcentre.api_errors import ErrorSerializer
from contactcentre.throttling import UserThrottle
from customers.api import MEMBER_EXAMPLE, SUMMARY_FIELDS, CustomerSummarySerializer

from ..rules.telephony import EVENT_TYPES, MAX_BATCH, event_parse
from ..selectors.telephony import caller_lookup, client_signing_secret
from ..services.telephony import EventResult, events_ingest, signature_valid

SIGNATURE_HEADER = "X-Tawasul-Signature"


class EventInput(serializers.Serializer):
    """For the schema only: the view checks events with rules.telephony.event_parse (fast enough
    for 10,000 a second, and it names every bad field the same way)."""

    type = serializers.ChoiceField(choices=EVENT_TYPES)
    provider = serializers.CharField(max_length=40, help_text="asterisk, twilio, connect, ...")
    event_id = serializers.CharField(max_length=128, help_text="Unique per provider: a repeat changes nothing.")
    call_id = serializers.CharField(max_length=128, help_text="The platform's call id (Linkedid, CallSid, ContactId).")
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone; at most 5 minutes ahead.")
    sequence = serializers.IntegerField(required=False, min_value=0, help_text="Orders events of the same instant.")
    queue = serializers.CharField(required=False, help_text="offered: the queue; transferred: the target queue.")
    agent = serializers.CharField(required=False, help_text="ringing/answered: the agent; transferred: the target.")
    caller_number = serializers.CharField(required=False)
    dialled_number = serializers.CharField(required=False)
    cause = serializers.CharField(required=False, help_text="ended/abandoned: why (caller, agent, ...).")


class EventResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The event's place in the batch (0 for a single event).")
    event_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["accepted", "rejected"])
    contact_id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(required=False, help_text="Per field, for a rejected event.")


class BatchResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = EventResultSerializer(many=True)


OFFERED = {
    "type": "offered",
    "provider": "asterisk",
    "event_id": "1732350902.1041-join",
    "call_id": "1732350902.1041",
    "occurred_at": "2026-11-23T09:15:02Z",
    "queue": "claims",
    "caller_number": "07700 900321",
    "dialled_number": "0345 600 3040",
}
ANSWERED = {
    "type": "answered",
    "provider": "asterisk",
    "event_id": "1732350902.1041-connect",
    "call_id": "1732350902.1041",
    "occurred_at": "2026-11-23T09:15:14Z",
    "agent": "4021",
}


class TelephonyEventsRateThrottle(UserThrottle):
    """Per telephony client, at its own rate (settings: API_THROTTLE_TELEPHONY)."""

    scope = "telephony"


class TelephonyEventsApi(APIView):
    permission_classes = [requires("calls.add_telephonyevent")]
    throttle_classes = [TelephonyEventsRateThrottle]

    @extend_schema(
        summary="Send call events: one (a JSON object) or a batch (an array of up to 500)",
        description=(
            "Exactly-once effect under at-least-once delivery: an event id already received (per provider) "
            "changes nothing and gets the same answer; events may arrive in any order; an event for an "
            "unknown call creates it; an unknown agent is stored and flagged. A batch is all-or-nothing per "
            "event: good events are stored, each bad one is reported. When the client has a signing secret, "
            f"`{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>` is required (401 otherwise)."
        ),
        request=EventInput,
        parameters=[OpenApiParameter(SIGNATURE_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
        responses={
            200: BatchResultSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
        },
        examples=[
            OpenApiExample("One event", value=OFFERED, request_only=True),
            OpenApiExample("A batch", value=[OFFERED, ANSWERED], request_only=True),
            OpenApiExample(
                "One event stored",
                value={"index": 0, "event_id": OFFERED["event_id"], "status": "accepted", "contact_id": 1187},
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "A batch with a bad event",
                value={
                    "accepted": 1,
                    "rejected": 1,
                    "results": [
                        {"index": 0, "event_id": OFFERED["event_id"], "status": "accepted", "contact_id": 1187},
                        {
                            "index": 1,
                            "event_id": "1732350902.1041-x",
                            "status": "rejected",
                            "contact_id": None,
                            "errors": {"type": ["Unknown event type 'picked_up'; expected one of: offered, ..."]},
                        },
                    ],
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "A single bad event",
                value={
                    "error": {
                        "code": "invalid",
                        "message": "The request has invalid fields.",
                        "fields": {"occurred_at": ["Is in the future."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request):
        self._check_signature(request)
        payload = request.data
        now = timezone.now()
        if isinstance(payload, list):
            return Response(self._batch(payload, now, request.user))
        event, errors = event_parse(payload, now=now)
        if errors:
            raise exceptions.ValidationError(errors)
        (result,) = events_ingest([(0, event)], received_from=request.user)
        if result.status != "accepted":
            raise exceptions.ValidationError(result.errors)
        return Response(result.as_dict())

    def _batch(self, payload: list, now, user) -> dict:
        if not payload:
            raise exceptions.ValidationError({"non_field_errors": ["The batch is empty."]})
        if len(payload) > MAX_BATCH:
            raise exceptions.ValidationError({"non_field_errors": [f"A batch holds at most {MAX_BATCH} events."]})
        valid, results = [], []
        for index, raw in enumerate(payload):
            event, errors = event_parse(raw, now=now)
            if errors:
                event_id = raw.get("event_id") if isinstance(raw, dict) else None
                results.append(EventResult(index, str(event_id or ""), "rejected", errors=errors))
            else:
                valid.append((index, event))
        results.extend(events_ingest(valid, received_from=user))
        results.sort(key=lambda result: result.index)
        accepted = sum(1 for result in results if result.status == "accepted")
        return {
            "accepted": accepted,
            "rejected": len(results) - accepted,
            "results": [result.as_dict() for result in results],
        }

    def _check_signature(self, request) -> None:
        secret = client_signing_secret(request.user.pk)
        if not secret:
            return
        header = request.headers.get(SIGNATURE_HEADER, "")
        if not header or not signature_valid(secret=secret, body=request.body, header=header):
            raise exceptions.AuthenticationFailed(f"Missing or wrong {SIGNATURE_HEADER} header.")


class LookupResultSerializer(serializers.Serializer):
    customer = CustomerSummarySerializer()
    score = serializers.FloatField()
    matched_on = serializers.ChoiceField(choices=["member_phone", "household", "recent_caller"])


class CallerLookupApi(APIView):
    permission_classes = [requires_any("customers.lookup_customer", "customers.view_customer")]

    class Input(serializers.Serializer):
        number = serializers.CharField(max_length=40)

    @extend_schema(
        summary="Screen-pop: the members a calling number belongs to, best match first",
        description="Exact member phone first, then their household, then members who called from this number "
        "in the last 90 days.",
        parameters=[OpenApiParameter("number", OpenApiTypes.STR, required=True, description="In any format.")],
        responses={200: LookupResultSerializer(many=True), 400: OpenApiResponse(ErrorSerializer)},
        examples=[
            OpenApiExample(
                "The member whose phone it is",
                response_only=True,
                value=[
                    {
                        "customer": {key: MEMBER_EXAMPLE[key] for key in SUMMARY_FIELDS},
                        "score": 1.0,
                        "matched_on": "member_phone",
                    }
                ],
            )
        ],
    )
    def get(self, request):
        params = self.Input(data=request.query_params)
        params.is_valid(raise_exception=True)
        matches = caller_lookup(params.validated_data["number"])
        if matches is None:
            raise exceptions.ValidationError({"number": ["Not a phone number."]})
        return Response(LookupResultSerializer(matches, many=True).data)
