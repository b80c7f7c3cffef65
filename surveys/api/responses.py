"""/api/v1/surveys/ endpoints for responses: reading them (results readers), an external survey tool
posting them (idempotent by the tool's id), and an SMS or IVR provider posting a contact's scores
(idempotent by the contact). Every response is stored by services.responses.response_submit."""

from datetime import timedelta

from django.conf import settings
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.models import Contact
from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer
from contactcentre.exceptions import Conflict, DomainError
from contactcentre.http import client_ip
from contactcentre.throttling import UserThrottle

from ..exceptions import AlreadyAnswered
from ..models import Response as SurveyResponse
from ..models import ResponseSource, Survey
from ..selectors.periods import period_bounds
from ..selectors.visibility import responses_visible_to
from ..services.responses import response_submit
from ..services.results import responses_listed
from ..services.scores import SCORE_FIELDS, contact_scores_record
from .serializers import RESPONSE_EXAMPLE, ResponseOutput, with_answers

# A sender's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _error(code: str, message: str, fields: dict) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields}}


def _contact(contact_id: int | None) -> Contact | None:
    """The contact a response is about, with what response_submit reads of it; a field error if unknown."""
    if contact_id is None:
        return None
    contact = Contact.objects.select_related("agent", "customer").filter(pk=contact_id).first()
    if contact is None:
        raise exceptions.ValidationError({"contact": [_("No contact has this id.")]})
    return contact


def _language(contact: Contact | None) -> str:
    """The member's preferred language, when the response is about one of their contacts."""
    return contact.customer.preferred_language if contact is not None and contact.customer is not None else "en"


def _answer_errors(error: DomainError, names: dict[str, str] | None = None) -> dict:
    """answers_clean's errors (per question code, "__all__" for the whole) as the API's fields,
    renamed by `names` (question code -> the request's field)."""
    names = names or {}
    return {
        ("non_field_errors" if code == "__all__" else names.get(code, code)): messages
        for code, messages in error.fields.items()
    }


# --- Reading and posting responses ---------------------------------------------------------------


class ResponseListApi(generics.ListAPIView):
    """GET: the responses the caller may see (a team leader: their teams'), newest first. POST: an
    external survey tool's response (surveys.add_response)."""

    permission_classes = [requires("surveys.view_results")]
    serializer_class = ResponseOutput
    filter_backends: list = []

    class ResponseFilters(serializers.Serializer):
        start = serializers.DateField(required=False, help_text="Submitted on or after this day (YYYY-MM-DD).")
        end = serializers.DateField(required=False, help_text="Submitted on or before this day.")
        survey = serializers.SlugField(required=False, help_text="A survey's code.")
        contact = serializers.IntegerField(required=False, min_value=1, help_text="A contact's id.")

        def get_fields(self):
            fields = super().get_fields()
            fields["from"], fields["to"] = fields.pop("start"), fields.pop("end")
            return fields

        def validate(self, data):
            if data.get("from") and data.get("to") and data["from"] > data["to"]:
                raise serializers.ValidationError({"to": [_("Must be on or after the day in from.")]})
            return data

    class ResponseInput(serializers.Serializer):
        survey = serializers.SlugField(max_length=40, help_text="The survey's code.")
        external_id = serializers.CharField(
            max_length=100, help_text="Your tool's id for this response: a retry with the same id is the same response."
        )
        contact = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, help_text="The contact the member was asked about."
        )
        submitted_at = serializers.DateTimeField(
            required=False,
            allow_null=True,
            help_text=(
                "When the member answered (now if left out); not in the future, nor more than "
                "SURVEY_LINK_DAYS before now, nor before the contact ended."
            ),
        )
        language = serializers.ChoiceField(
            choices=[code for code, _name in settings.LANGUAGES],
            required=False,
            help_text="The language the member answered in (default: the member's preferred language, else en).",
        )
        answers = serializers.DictField(
            allow_empty=False, help_text="{question code: score (a whole number), choice value, [values] or text}"
        )

        def validate_survey(self, code: str) -> Survey:
            survey = Survey.objects.select_related("current_version").filter(code=code).first()
            if survey is None:
                raise serializers.ValidationError(_("No survey has this code."))
            if not survey.is_active:
                raise serializers.ValidationError(_("This survey is not taking responses."))
            return survey

        def validate_submitted_at(self, value):
            if value is not None and value > timezone.now() + CLOCK_SKEW:
                raise serializers.ValidationError(_("Is in the future."))
            # No back-dating into periods already reported on (and recognitions already awarded): an
            # answer is at most as old as a survey link can be.
            if value is not None and value < timezone.now() - timedelta(days=settings.SURVEY_LINK_DAYS):
                raise serializers.ValidationError(
                    _("Is more than %(days)s days ago.") % {"days": settings.SURVEY_LINK_DAYS}
                )
            return value

        def validate(self, data):
            contact_id, submitted_at = data.get("contact"), data.get("submitted_at")
            if contact_id and submitted_at:
                ended_at = Contact.objects.filter(pk=contact_id).values_list("ended_at", flat=True).first()
                if ended_at is not None and submitted_at < ended_at:
                    raise serializers.ValidationError({"submitted_at": [_("Is before the contact ended.")]})
            return data

    def get_permissions(self):
        if self.request.method == "POST":
            return [requires("surveys.add_response")()]
        return super().get_permissions()

    def get_queryset(self):
        params = self.ResponseFilters(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        responses = responses_visible_to(self.request.user)
        if filters.get("from"):
            responses = responses.filter(submitted_at__gte=period_bounds(filters["from"], filters["from"])[0])
        if filters.get("to"):
            responses = responses.filter(submitted_at__lt=period_bounds(filters["to"], filters["to"])[1])
        if filters.get("survey"):
            responses = responses.filter(survey__code=filters["survey"])
        if filters.get("contact"):
            responses = responses.filter(contact_id=filters["contact"])
        return with_answers(responses.order_by("-submitted_at", "-id"))

    @extend_schema(
        operation_id="survey_responses_list",
        summary="Survey responses with their answers (results readers)",
        description=(
            "The responses the caller may see (a team leader: their teams'; a manager or an API client: "
            "all), newest first, paginated (`page`, `page_size`). Filters: `from` and `to` (days, inclusive, "
            "in the centre's time zone), `survey` (a code), `contact` (an id). Each call is in the audit trail."
        ),
        parameters=[ResponseFilters],
        responses={200: ResponseOutput(many=True), 400: OpenApiResponse(ErrorSerializer)},
        examples=[OpenApiExample("Responses", value=RESPONSE_EXAMPLE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        responses_listed(
            actor=request.user,
            filters=dict(request.query_params.items()),
            response_ids=[row["id"] for row in response.data["results"]],
            ip_address=client_ip(request),
        )
        return response

    @extend_schema(
        operation_id="survey_responses_create",
        summary="Submit a response from an external survey tool",
        description=(
            "Answers are checked against the survey's current questions. A retry with the same `external_id` "
            "returns the stored response (200) and stores nothing; a new response gets 201. A score out of "
            "its scale, a missing required answer or an unknown question is a 400 naming the question under "
            "`answers`; an unknown survey or contact a 400 naming the field; a contact that already has a "
            "response (from any channel) a 409. A detractor's or a dissatisfied member's response opens a "
            "follow-up for the agent's team leader."
        ),
        request=ResponseInput,
        responses={
            200: OpenApiResponse(ResponseOutput, description="A retry: the response stored before."),
            201: ResponseOutput,
            400: OpenApiResponse(ErrorSerializer),
            409: OpenApiResponse(ErrorSerializer, description="The contact already has a response."),
        },
        examples=[
            OpenApiExample(
                "A response",
                request_only=True,
                value={
                    "survey": "after-call",
                    "external_id": "qx-88412",
                    "contact": 1187,
                    "submitted_at": "2026-11-23T10:02:11Z",
                    "language": "ar",
                    "answers": {"csat": 4, "ces": 6, "nps": 9, "comment": "Quick and kind."},
                },
            ),
            OpenApiExample("Stored", value=RESPONSE_EXAMPLE, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "A score out of scale",
                response_only=True,
                status_codes=["400"],
                value=_error(
                    "invalid",
                    "The request has invalid fields.",
                    {"answers": {"csat": ["Choose a score from 1 to 5."]}},
                ),
            ),
            OpenApiExample(
                "Already answered",
                response_only=True,
                status_codes=["409"],
                value=_error("already_answered", "This contact already has a survey response.", {}),
            ),
        ],
    )
    def post(self, request):
        data = self.ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contact = _contact(values.get("contact"))
        try:
            stored, created = response_submit(
                survey=values["survey"],
                values=values["answers"],
                source=ResponseSource.API,
                actor=request.user,
                contact=contact,
                language=values.get("language") or _language(contact),
                external_id=values["external_id"],
                submitted_at=values.get("submitted_at"),
            )
        except AlreadyAnswered:
            raise
        except DomainError as error:
            if not error.fields:
                raise
            raise exceptions.ValidationError({"answers": _answer_errors(error)}) from None
        body = ResponseOutput(with_answers(SurveyResponse.objects.filter(pk=stored.pk)).get()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- The SMS / IVR provider's webhook --------------------------------------------------------------


# The webhook's fields, and the kind of question each answers in the contact's survey.
class SurveyWebhookThrottle(UserThrottle):
    """Per provider's token, at its own rate (settings: API_THROTTLE_SURVEY_WEBHOOK)."""

    scope = "survey_webhook"


class SurveyScoresWebhookApi(APIView):
    """An SMS or IVR survey provider posts the scores a member gave about a contact."""

    permission_classes = [requires("surveys.add_response")]
    throttle_classes = [SurveyWebhookThrottle]

    class ScoresInput(serializers.Serializer):
        contact = serializers.IntegerField(min_value=1, help_text="The contact's id, as Tawasul gave it to you.")
        csat = serializers.IntegerField(required=False, allow_null=True, help_text="1-5")
        nps = serializers.IntegerField(required=False, allow_null=True, help_text="0-10")
        ces = serializers.IntegerField(required=False, allow_null=True, help_text="1-7")
        comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    @extend_schema(
        operation_id="survey_scores_webhook",
        summary="SMS/IVR provider: a member's scores about a contact (idempotent)",
        description=(
            "The scores go to the survey the contact's queue's active sampling rule names (else the "
            "default rule's); with neither, 400. Any of `csat`, `nps`, `ces` and `comment` may be left out, "
            "not all of them. Idempotent per contact: a repeat (a retry, or a second call at the same "
            "moment) returns the response stored first with 200 and stores nothing; the first gets 201. A "
            "contact answered through another channel (the survey link, an external tool) gets 409. An "
            "unknown contact is a 400 naming `contact` (not a 404: the URL exists; the body is wrong, and "
            "retrying it will not help). Rate-limited per token (429 with Retry-After)."
        ),
        request=ScoresInput,
        responses={
            200: OpenApiResponse(ResponseOutput, description="A repeat: the response stored first."),
            201: ResponseOutput,
            400: OpenApiResponse(ErrorSerializer),
            409: OpenApiResponse(ErrorSerializer, description="Answered through another channel."),
            429: OpenApiResponse(ErrorSerializer),
        },
        examples=[
            OpenApiExample("Scores", request_only=True, value={"contact": 1187, "csat": 2, "nps": 3}),
            OpenApiExample(
                "Stored",
                response_only=True,
                status_codes=["201"],
                value=RESPONSE_EXAMPLE
                | {"source": "sms_ivr", "external_id": "contact-1187", "csat": 2, "nps": 3, "ces": None}
                | {"answers": {"csat": 2, "nps": 3}},
            ),
            OpenApiExample(
                "Out of scale",
                response_only=True,
                status_codes=["400"],
                value=_error("invalid", "The request has invalid fields.", {"nps": ["Choose a score from 0 to 10."]}),
            ),
            OpenApiExample(
                "No post-contact survey",
                response_only=True,
                status_codes=["400"],
                value=_error(
                    "invalid",
                    "The request has invalid fields.",
                    {"contact": ["No post-contact survey is configured for this contact's queue."]},
                ),
            ),
        ],
    )
    def post(self, request):
        data = self.ScoresInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        contact = _contact(body["contact"])
        scores = {name: body.get(name) for name in SCORE_FIELDS}
        try:
            stored, created = contact_scores_record(actor=request.user, contact=contact, scores=scores)
        except Conflict:
            raise
        except DomainError as error:
            if not error.fields:
                raise
            raise exceptions.ValidationError(error.fields) from None
        output = ResponseOutput(with_answers(SurveyResponse.objects.filter(pk=stored.pk)).get()).data
        return Response(output, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [
    path("surveys/responses/", ResponseListApi.as_view(), name="survey-responses"),
    path("surveys/scores/", SurveyScoresWebhookApi.as_view(), name="survey-scores-webhook"),
]
