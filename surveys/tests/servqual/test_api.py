"""GET /api/v1/surveys/servqual/: the scores, segments and gap 1 as JSON; bad parameters in the one
error shape; team leaders scoped to their teams."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from staff.roles import Role
from surveys.models import SurveyKind
from surveys.tests.factories import make_survey

from .conftest import answer, manager_answers, points, scores

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/servqual/"


def api_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_gives_dimensions_items_overall_segments_and_gap_1(centre, two_members, django_assert_max_num_queries):
    manager_answers(centre.study, centre.manager, scores(7, tangibles=5), points())
    client = api_of(centre.manager)
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"survey": "servqual-2026"})
    assert response.status_code == 200
    body = response.json()
    assert body["survey"] == {"code": "servqual-2026", "name": "SERVQUAL 2026"}
    overall = body["overall"]
    assert (overall["responses"], overall["unweighted"], overall["weighted"]) == (2, -0.4, -1.0)
    reliability = next(d for d in overall["dimensions"] if d["dimension"] == "reliability")
    assert reliability == {
        "dimension": "reliability", "expectation": 5.5, "perception": 4.5, "gap": -1.0, "points": 50.0,
    }  # fmt: skip
    item = overall["items"][4]
    assert (item["item"], item["expectation"], item["perception"], item["gap"]) == (5, 5.5, 4.5, -1.0)
    tiers = next(s for s in body["segments"] if s["name"] == "plan_tier")["segments"]
    premier = next(s for s in tiers if s["key"] == "premier")["result"]
    assert (premier["responses"], premier["weighted"]) == (1, -2.0)
    assert next(s for s in tiers if s["key"] == "essential")["result"]["unweighted"] is None
    gap = body["knowledge_gap"]
    assert gap["study"]["code"] == "management-2026" and (gap["managers"], gap["customers"]) == (1, 2)
    tangibles = next(d for d in gap["dimensions"] if d["dimension"] == "tangibles")
    assert (tangibles["management"], tangibles["customers"], tangibles["gap"], tangibles["direction"]) == (
        5.0, 5.5, -0.5, "under",
    )  # fmt: skip


def test_the_period_defaults_to_a_year_and_can_be_chosen(centre, two_members):
    answer(centre.survey, scores(7), scores(1), points(), submitted_at=timezone.now() - timedelta(days=500))
    assert api_of(centre.manager).get(URL).json()["overall"]["responses"] == 2
    start = (timezone.localdate() - timedelta(days=501)).isoformat()
    end = (timezone.localdate() - timedelta(days=499)).isoformat()
    body = api_of(centre.manager).get(URL, {"from": start, "to": end}).json()
    assert body["period"] == {"from": start, "to": end}
    assert (body["overall"]["responses"], body["overall"]["unweighted"]) == (1, -6.0)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"survey": "nope"}, "survey"), ({"from": "2026-13-01"}, "from"),
     ({"from": "2026-05-02", "to": "2026-05-01"}, "to"), ({"study": "nope"}, "study")],
)  # fmt: skip
def test_bad_parameters_are_field_errors_in_the_one_shape(centre, params, field):
    response = api_of(centre.manager).get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


def test_a_post_contact_survey_is_not_a_servqual_survey(centre):
    make_survey(SurveyKind.POST_CONTACT, code="after-your-call")
    response = api_of(centre.manager).get(URL, {"survey": "after-your-call"})
    assert response.status_code == 400 and "survey" in response.json()["error"]["fields"]


def test_no_servqual_survey_at_all_is_a_404(user_factory):
    response = api_of(user_factory(role=Role.MANAGER)).get(URL)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_team_leader_sees_only_their_teams_responses(centre, two_members):
    assert api_of(centre.leader).get(URL).json()["overall"]["responses"] == 0
    answer(centre.survey, scores(6), scores(5), points(), team=centre.team)
    assert api_of(centre.leader).get(URL).json()["overall"]["unweighted"] == -1.0


def test_an_agent_may_not_read_the_scores(centre):
    response = api_of(centre.agent).get(URL)
    assert response.status_code == 403 and "error" in response.json()
