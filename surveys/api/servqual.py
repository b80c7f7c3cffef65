"""/api/v1/surveys/servqual/: a SERVQUAL survey's scores for reporting tools and readers of results
(surveys.view_results): the five dimensions, the 22 statements, the unweighted and weighted gaps,
each segment, and gap 1 against the management perception study. How the figures are formed:
surveys/selectors/servqual.py. Figures are rounded to three decimals."""

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer

from ..models import Survey, SurveyKind
from ..rules import servqual as rules
from ..selectors import servqual as selectors


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class Figure(serializers.FloatField):
    """A mean or a gap, rounded; null when there is nothing to average."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return _round(value)


class SurveyRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DimensionOut(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=rules.DIMENSIONS)
    expectation = Figure(help_text="Mean expectation over the dimension's statements, 1-7.")
    perception = Figure(help_text="Mean perception over the dimension's statements, 1-7.")
    gap = Figure(help_text="Mean of the dimension's statement gaps (perception - expectation).")
    points = Figure(help_text="Mean importance points (of 100).")


class ItemOut(serializers.Serializer):
    item = serializers.IntegerField(help_text="The statement's number, 1-22.")
    dimension = serializers.ChoiceField(choices=rules.DIMENSIONS)
    statement = serializers.CharField(help_text="The perception wording, in the request's language.")
    expectation = Figure()
    perception = Figure()
    gap = Figure()


class ResultOut(serializers.Serializer):
    responses = serializers.IntegerField()
    unweighted = Figure(help_text="Mean of the five dimension gaps.")
    weighted = Figure(help_text="Sum of dimension gap x mean importance points / 100.")
    dimensions = DimensionOut(many=True)


class OverallOut(ResultOut):
    items = ItemOut(many=True)


class SegmentOut(serializers.Serializer):
    key = serializers.CharField(help_text='The tier, the site\'s code, "corporate"/"individual", or "none".')
    label = serializers.CharField()
    result = ResultOut()


class SegmentationOut(serializers.Serializer):
    name = serializers.CharField(help_text='"plan_tier", "site" or "corporate".')
    segments = SegmentOut(many=True)


class KnowledgeGapRowOut(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=rules.DIMENSIONS)
    management = Figure(help_text="What managers believe customers expect (mean, 1-7).")
    customers = Figure(help_text="What customers say they expect (mean, 1-7).")
    gap = Figure(help_text="management - customers: above 0, managers overestimate.")
    direction = serializers.CharField(
        help_text='"over" (managers overestimate), "under", "in_line" (within 0.05), or "" without figures.'
    )
    management_points = Figure()
    customer_points = Figure()


class KnowledgeGapOut(serializers.Serializer):
    study = SurveyRef(allow_null=True)
    managers = serializers.IntegerField()
    customers = serializers.IntegerField()
    dimensions = KnowledgeGapRowOut(many=True, source="rows")


class ServqualOut(serializers.Serializer):
    survey = SurveyRef()
    period = serializers.SerializerMethodField()
    overall = OverallOut()
    segments = SegmentationOut(many=True, source="segmentations")
    knowledge_gap = KnowledgeGapOut()

    def get_period(self, report) -> dict[str, str]:
        return {"from": report.start.isoformat(), "to": report.end.isoformat()}


def _example() -> dict:
    gaps = {"tangibles": -0.5, "reliability": -1.2, "responsiveness": -0.8, "assurance": -0.3, "empathy": -0.6}
    points = {"tangibles": 10, "reliability": 35, "responsiveness": 25, "assurance": 20, "empathy": 10}
    dimensions = [
        {"dimension": d, "expectation": 6.4, "perception": round(6.4 + g, 3), "gap": g, "points": points[d]}
        for d, g in gaps.items()
    ]
    result = {"responses": 60, "unweighted": -0.68, "weighted": -0.79, "dimensions": dimensions}
    return {
        "survey": {"code": "servqual-2026", "name": "SERVQUAL 2026"},
        "period": {"from": "2025-11-24", "to": "2026-11-23"},
        "overall": result
        | {
            "items": [
                {
                    "item": 5,
                    "dimension": "reliability",
                    "statement": "When this insurer promises to do something by a certain time, it does so.",
                    "expectation": 6.7,
                    "perception": 5.1,
                    "gap": -1.6,
                }
            ]
        },
        "segments": [{"name": "plan_tier", "segments": [{"key": "premier", "label": "Premier", "result": result}]}],
        "knowledge_gap": {
            "study": {"code": "management-2026", "name": "What our members expect: managers' view 2026"},
            "managers": 4,
            "customers": 60,
            "dimensions": [
                {
                    "dimension": "reliability",
                    "management": 6.1,
                    "customers": 6.6,
                    "gap": -0.5,
                    "direction": "under",
                    "management_points": 25,
                    "customer_points": 35,
                }
            ],
        },
    }


class ServqualScoresApi(APIView):
    """A SERVQUAL survey's scores over a period (managers and reporting tools: every response; a team
    leader: the responses of their teams, which panel responses are not)."""

    permission_classes = [requires("surveys.view_results")]

    class Input(serializers.Serializer):
        survey = serializers.SlugField(required=False, help_text="The SERVQUAL survey's code; the newest if not given.")
        study = serializers.SlugField(
            required=False, help_text="The management study's code for gap 1; the current one if not given."
        )
        to = serializers.DateField(required=False)

        def get_fields(self):
            fields = super().get_fields()
            fields["from"] = serializers.DateField(required=False)  # a keyword in Python
            return fields

        def validate(self, data):
            default_start, default_end = selectors.default_period()
            data["from"], data["to"] = data.get("from") or default_start, data.get("to") or default_end
            if data["to"] < data["from"]:
                raise exceptions.ValidationError({"to": [_("The period ends before it starts.")]})
            return data

    @extend_schema(
        summary="SERVQUAL scores and gap 1",
        parameters=[
            OpenApiParameter("survey", OpenApiTypes.STR, description="A SERVQUAL survey's code (default: the newest)."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: a year ago)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)."),
            OpenApiParameter("study", OpenApiTypes.STR, description="A management study's code (default: current)."),
        ],
        responses={200: ServqualOut, 400: OpenApiResponse(ErrorSerializer), 404: OpenApiResponse(ErrorSerializer)},
        examples=[OpenApiExample("Scores", value=_example(), response_only=True)],
    )
    def get(self, request):
        params = self.Input(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        survey = self._survey(data.get("survey"))
        study = self._study(data.get("study"))
        report = selectors.servqual_report(
            actor=request.user, survey=survey, start=data["from"], end=data["to"], study=study
        )
        return Response(ServqualOut(report).data)

    @staticmethod
    def _survey(code: str | None):
        if code is None:
            survey = selectors.servqual_surveys().first()
            if survey is None:
                raise exceptions.NotFound(_("There is no SERVQUAL survey yet."))
            return survey
        survey = selectors.servqual_surveys().filter(code=code).first()
        if survey is None:
            raise exceptions.ValidationError({"survey": [_("No SERVQUAL survey has this code.")]})
        return survey

    @staticmethod
    def _study(code: str | None):
        if code is None:
            return selectors.management_study_latest()
        study = Survey.objects.filter(kind=SurveyKind.MANAGEMENT, code=code).first()
        if study is None:
            raise exceptions.ValidationError({"study": [_("No management study has this code.")]})
        return study


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [path("surveys/servqual/", ServqualScoresApi.as_view(), name="survey-servqual")]
