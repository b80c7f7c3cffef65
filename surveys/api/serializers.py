"""What the surveys API says about a stored response, shared by the responses list, the external
survey tool's POST and the SMS/IVR webhook (surveys/api/responses.py)."""

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers

from ..models import Answer, QuestionKind, Response, ResponseSource

_NUMBERED = {
    QuestionKind.CSAT,
    QuestionKind.NPS,
    QuestionKind.CES,
    QuestionKind.EXPECTATION,
    QuestionKind.PERCEPTION,
    QuestionKind.IMPORTANCE,
}


def answer_value(answer: Answer):
    """An answer as the API gives it: a score, the chosen value (a list of them for a multiple
    choice), or the text."""
    kind = answer.question.kind
    if kind in _NUMBERED:
        return answer.number
    if kind == QuestionKind.SINGLE_CHOICE:
        return answer.choices[0] if answer.choices else None
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return list(answer.choices)
    return answer.text


def with_answers(responses: QuerySet[Response]) -> QuerySet[Response]:
    """What ResponseOutput reads, in three queries for any number of responses (the responses with
    their survey and version, then every answer with its question)."""
    return responses.select_related("survey", "version").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position"))
    )


class ResponseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    survey = serializers.CharField(source="survey.code", help_text="The survey's code.")
    version = serializers.IntegerField(source="version.number", help_text="The version of the survey answered.")
    source = serializers.ChoiceField(choices=ResponseSource.choices)
    external_id = serializers.CharField(help_text='The external tool\'s id for the response ("" if none).')
    contact = serializers.IntegerField(source="contact_id", allow_null=True)
    language = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    csat = serializers.IntegerField(allow_null=True, help_text="1-5")
    nps = serializers.IntegerField(allow_null=True, help_text="0-10, likelihood to recommend")
    ces = serializers.IntegerField(allow_null=True, help_text="1-7")
    agent = serializers.IntegerField(source="agent_id", allow_null=True, help_text="The segment, as it was.")
    team = serializers.IntegerField(source="team_id", allow_null=True)
    queue = serializers.IntegerField(source="queue_id", allow_null=True)
    site = serializers.IntegerField(source="site_id", allow_null=True)
    plan_tier = serializers.CharField(help_text='"" when no cover was recorded.')
    corporate = serializers.BooleanField(source="is_corporate", allow_null=True)
    answers = serializers.SerializerMethodField(help_text="{question code: score, choice(s) or text}")

    def get_answers(self, response: Response) -> dict:
        return {answer.question.code: answer_value(answer) for answer in response.answers.all()}


RESPONSE_EXAMPLE = {
    "id": 5120,
    "survey": "after-call",
    "version": 2,
    "source": "api",
    "external_id": "qx-88412",
    "contact": 1187,
    "language": "ar",
    "submitted_at": "2026-11-23T10:02:11Z",
    "csat": 4,
    "nps": 9,
    "ces": 6,
    "agent": 12,
    "team": 3,
    "queue": 2,
    "site": 1,
    "plan_tier": "standard",
    "corporate": False,
    "answers": {"csat": 4, "ces": 6, "nps": 9, "comment": "Quick and kind."},
}
