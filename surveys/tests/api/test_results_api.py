"""GET /api/v1/surveys/results/: the figures, their scope by role, and the filters' validation.

Five responses (hand-computed figures): team A (led by `leader`) answered
  CSAT 5, 4, 2, 3 · NPS 10, 9, 3, 7 · CES 7, 5, 2, 4
and team B CSAT 1 · NPS 0 · CES 1.
Everyone: CSAT 2 of 5 satisfied = 40%; NPS 2 promoters, 1 passive, 2 detractors: 40% - 40% = 0, margin
1.96 x 100 x sqrt((0.4 + 0.4 - 0) / 5) = 1.96 x 100 x 0.4 = 78.4; CES 19 / 5 = 3.8, 2 of 5 easy = 40%.
Team A: CSAT 2 of 4 = 50%; NPS 50% - 25% = 25, margin 196 x sqrt((0.75 - 0.0625) / 4) = 81.257;
CES 18 / 4 = 4.5, 2 of 4 easy = 50%."""

from datetime import timedelta

import pytest
from django.utils import timezone

from staff.roles import Role
from staff.tests.factories import TeamFactory, UserFactory
from surveys.models import ResponseSource, SurveyKind
from surveys.services.responses import response_submit
from surveys.tests.factories import handled_contact, make_survey

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/results/"
TEAM_A = [(5, 10, 7), (4, 9, 5), (2, 3, 2), (3, 7, 4)]
TEAM_B = [(1, 0, 1)]


@pytest.fixture
def answered(user_factory):
    leader = user_factory(role=Role.TEAM_LEADER)
    team_a, team_b = TeamFactory(name="Claims", leader=leader), TeamFactory(name="Renewals")
    survey = make_survey(code="after-call")
    for team, scores in ((team_a, TEAM_A), (team_b, TEAM_B)):
        agent = UserFactory(role=Role.AGENT, team=team, site=team.site)
        for csat, nps, ces in scores:
            response_submit(
                survey=survey,
                values={"csat": csat, "nps": nps, "ces": ces},
                source=ResponseSource.API,
                contact=handled_contact(agent=agent),
            )
    return {"leader": leader, "team_a": team_a, "team_b": team_b, "survey": survey}


def test_the_total_gives_csat_nps_with_its_margin_and_ces(answered, machine):
    response = machine.get(URL)
    assert response.status_code == 200
    body = response.json()
    today = timezone.localdate()
    assert (body["from"], body["to"]) == ((today - timedelta(days=89)).isoformat(), today.isoformat())
    assert body["group_by"] is None
    (row,) = body["rows"]
    assert (row["key"], row["responses"], row["small_sample"]) == ("", 5, True)
    assert row["csat"] == {"responses": 5, "score": 40.0, "satisfied": 2}
    assert row["nps"] == {
        "responses": 5,
        "score": 0.0,
        "margin": pytest.approx(78.4),
        "promoters": 2,
        "passives": 1,
        "detractors": 2,
    }
    assert row["ces"] == {"responses": 5, "score": pytest.approx(3.8), "easy_share": 40.0}


def test_grouped_by_team_a_row_per_team_in_name_order(answered, api_as, user_factory):
    body = api_as(user_factory(role=Role.MANAGER)).get(URL, {"group_by": "team"}).json()
    assert [(row["key"], row["label"], row["responses"]) for row in body["rows"]] == [
        (str(answered["team_a"].pk), "Claims", 4),
        (str(answered["team_b"].pk), "Renewals", 1),
    ]
    claims = body["rows"][0]
    assert (claims["csat"]["score"], claims["nps"]["score"], claims["ces"]["score"]) == (50.0, 25.0, 4.5)
    assert claims["nps"]["margin"] == pytest.approx(81.257, abs=0.001)


def test_a_team_leader_gets_the_figures_of_their_teams_only(answered, api_as):
    body = api_as(answered["leader"]).get(URL, {"group_by": "team"}).json()
    assert [row["label"] for row in body["rows"]] == ["Claims"]
    (total,) = api_as(answered["leader"]).get(URL).json()["rows"]
    assert (total["responses"], total["csat"]["score"], total["ces"]["easy_share"]) == (4, 50.0, 50.0)


def test_filters_narrow_the_responses(answered, machine):
    (row,) = machine.get(URL, {"team": answered["team_b"].pk}).json()["rows"]
    assert (row["responses"], row["nps"]["detractors"], row["csat"]["score"]) == (1, 1, 0.0)
    assert machine.get(URL, {"survey": "after-call"}).json()["survey"] == "after-call"


def test_scores_are_null_where_nobody_answered(answered, machine):
    make_survey(SurveyKind.POST_CONTACT, code="unanswered")
    (row,) = machine.get(URL, {"survey": "unanswered"}).json()["rows"]
    assert row["responses"] == 0
    assert (row["csat"]["score"], row["nps"]["score"], row["nps"]["margin"], row["ces"]["score"]) == (None,) * 4
    assert row["ces"]["easy_share"] is None


def test_a_period_before_the_responses_has_none(answered, machine):
    (row,) = machine.get(URL, {"from": "2020-01-01", "to": "2020-01-31"}).json()["rows"]
    assert row["responses"] == 0


def test_corporate_false_is_not_the_same_as_no_filter(answered, machine):
    # The members have no cover recorded, so none is known to be an individual.
    (row,) = machine.get(URL, {"corporate": "false"}).json()["rows"]
    assert row["responses"] == 0
    assert machine.get(URL).json()["rows"][0]["responses"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"from": "2023-01-01", "to": "2026-01-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"group_by": "colour"}, "group_by"),
        ({"survey": "no-such-survey"}, "survey"),
        ({"team": "claims"}, "team"),
        ({"plan_tier": "platinum"}, "plan_tier"),
    ],
)
def test_bad_filters_are_field_errors_in_the_one_error_shape(machine, roles, params, field):
    response = machine.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_two_years_is_the_longest_period(answered, machine):
    assert machine.get(URL, {"from": "2024-01-01", "to": "2025-12-31"}).status_code == 200


def test_people_without_view_results_are_refused(api_as, user_factory):
    assert api_as(user_factory(role=Role.AGENT)).get(URL).status_code == 403
    assert api_as(user_factory(role=Role.HR)).get(URL).status_code == 403


def test_the_query_count_does_not_grow_with_the_groups(answered, machine, django_assert_max_num_queries):
    machine.get(URL)  # the token and the permissions are remembered after the first call
    with django_assert_max_num_queries(2):  # the survey by its code, the figures
        assert len(machine.get(URL, {"group_by": "agent", "survey": "after-call"}).json()["rows"]) == 2
