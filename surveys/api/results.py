"""/api/v1/surveys/results/: CSAT, NPS (with its margin of error) and CES for a period, in total or
by agent, team, queue, site, plan tier, corporate or individual, week or month. The counting is
surveys.selectors.results.results_table's, scoped to the responses the caller may see."""

from datetime import timedelta

from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Tier
from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer

from ..models import Survey
from ..selectors.results import GROUPS, ResultFilters, results_table

DEFAULT_DAYS = 90  # as the results page
MAX_DAYS = 731  # two years, a leap day included


class CsatOutput(serializers.Serializer):
    responses = serializers.IntegerField(help_text="Responses with a CSAT answer.")
    score = serializers.FloatField(allow_null=True, help_text="% satisfied (4-5); null with no answer.")
    satisfied = serializers.IntegerField()


class NpsOutput(serializers.Serializer):
    responses = serializers.IntegerField(help_text="Responses with a likelihood-to-recommend answer.")
    score = serializers.FloatField(allow_null=True, help_text="% promoters - % detractors, -100 to 100.")
    margin = serializers.FloatField(allow_null=True, help_text="The score's 95% margin of error, in points.")
    promoters = serializers.IntegerField(help_text="9-10")
    passives = serializers.IntegerField(help_text="7-8")
    detractors = serializers.IntegerField(help_text="0-6")


class CesOutput(serializers.Serializer):
    responses = serializers.IntegerField(help_text="Responses with a CES answer.")
    score = serializers.FloatField(allow_null=True, help_text="Mean agreement, 1-7.")
    easy_share = serializers.FloatField(allow_null=True, help_text="% answering 5-7.")


class ResultRowOutput(serializers.Serializer):
    key = serializers.CharField(
        help_text="The group's id or value (\"none\" for responses without one; a week's or month's first "
        'day; "" for the total).'
    )
    label = serializers.CharField(help_text="In the caller's language (Accept-Language).")
    responses = serializers.IntegerField()
    small_sample = serializers.BooleanField(help_text="Fewer than 30 responses: the figures move a lot.")
    csat = CsatOutput()
    nps = NpsOutput()
    ces = CesOutput()


class ResultsOutput(serializers.Serializer):
    start = serializers.DateField(source="start")
    end = serializers.DateField(source="end")
    group_by = serializers.CharField(allow_null=True)
    survey = serializers.CharField(allow_null=True)
    rows = ResultRowOutput(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"], fields["to"] = fields.pop("start"), fields.pop("end")
        return fields


ROW_EXAMPLE = {
    "key": "3",
    "label": "Claims",
    "responses": 40,
    "small_sample": False,
    "csat": {"responses": 40, "score": 75.0, "satisfied": 30},
    "nps": {"responses": 40, "score": 20.0, "margin": 25.39, "promoters": 18, "passives": 10, "detractors": 10},
    "ces": {"responses": 38, "score": 5.473684210526316, "easy_share": 78.94736842105263},
}


class SurveyResultsApi(APIView):
    """Survey results for reporting tools: a manager or an API client reads every response, a team
    leader their teams'."""

    permission_classes = [requires("surveys.view_results")]

    class ResultsQuery(serializers.Serializer):
        start = serializers.DateField(required=False, help_text="The first day (default: 89 days before `to`).")
        end = serializers.DateField(required=False, help_text="The last day, included (default: today).")
        group_by = serializers.ChoiceField(
            choices=GROUPS, required=False, help_text="One row per group; left out, one row for the total."
        )
        survey = serializers.SlugField(
            required=False, help_text="A survey's code (default: every post-contact survey together)."
        )
        site = serializers.IntegerField(required=False, min_value=1, help_text="A site's id.")
        team = serializers.IntegerField(required=False, min_value=1, help_text="A team's id.")
        queue = serializers.IntegerField(required=False, min_value=1, help_text="A queue's id.")
        agent = serializers.IntegerField(required=False, min_value=1, help_text="An agent's user id.")
        plan_tier = serializers.ChoiceField(choices=Tier.choices, required=False)
        corporate = serializers.BooleanField(
            required=False, allow_null=True, default=None, help_text="true: corporate members; false: individuals."
        )

        def get_fields(self):
            fields = super().get_fields()
            fields["from"], fields["to"] = fields.pop("start"), fields.pop("end")
            return fields

        def validate_survey(self, code: str) -> Survey:
            survey = Survey.objects.filter(code=code).first()
            if survey is None:
                raise serializers.ValidationError(_("No survey has this code."))
            return survey

        def validate(self, data):
            end = data.get("to") or timezone.localdate()
            start = data.get("from") or end - timedelta(days=DEFAULT_DAYS - 1)
            if start > end:
                raise serializers.ValidationError({"to": [_("Must be on or after the day in from.")]})
            if (end - start).days + 1 > MAX_DAYS:
                raise serializers.ValidationError({"from": [_("Ask for at most two years at a time.")]})
            return data | {"from": start, "to": end}

    @extend_schema(
        operation_id="survey_results",
        summary="CSAT, NPS and CES for a period, in total or by group",
        description=(
            "Figures of the responses submitted between `from` and `to` (days, inclusive; at most two years; "
            "default the last 90 days), of every post-contact survey or of `survey`. `group_by` gives a row "
            f"per {', '.join(GROUPS)} (responses with no value for the group last, keyed `none`). Scores are "
            "null where nobody answered that question. A team leader gets the figures of their teams only."
        ),
        parameters=[ResultsQuery],
        responses={200: ResultsOutput, 400: OpenApiResponse(ErrorSerializer)},
        examples=[
            OpenApiExample(
                "By team",
                response_only=True,
                value={
                    "from": "2026-09-01",
                    "to": "2026-11-29",
                    "group_by": "team",
                    "survey": None,
                    "rows": [ROW_EXAMPLE],
                },
            )
        ],
    )
    def get(self, request):
        params = self.ResultsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        survey = data.get("survey")
        filters = ResultFilters(
            start=data["from"],
            end=data["to"],
            survey_id=survey.pk if survey else None,
            site_id=data.get("site"),
            team_id=data.get("team"),
            queue_id=data.get("queue"),
            agent_id=data.get("agent"),
            plan_tier=data.get("plan_tier", ""),
            corporate=data.get("corporate"),
        )
        group_by = data.get("group_by") or None
        rows = results_table(actor=request.user, filters=filters, group_by=group_by)
        body = {
            "start": filters.start,
            "end": filters.end,
            "group_by": group_by,
            "survey": survey.code if survey else None,
            "rows": rows,
        }
        return Response(ResultsOutput(body).data)


# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = [path("surveys/results/", SurveyResultsApi.as_view(), name="survey-results")]
