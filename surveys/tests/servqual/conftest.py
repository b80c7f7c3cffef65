"""SERVQUAL tests: a SERVQUAL survey, a management study, and a way to answer them with chosen scores."""

from types import SimpleNamespace

import pytest

from staff.roles import Role
from staff.tests.factories import SiteFactory, TeamFactory
from surveys.models import Response, ResponseSource, SurveyKind
from surveys.rules.servqual import DIMENSION_OF, DIMENSIONS
from surveys.services.responses import response_submit
from surveys.tests.factories import make_survey


def scores(default: int, items: dict[int, int] | None = None, **by_dimension: int) -> dict[int, int]:
    """A 1-7 score for each of the 22 statements: `default`, or the dimension's, or the item's."""
    items = items or {}
    return {item: items.get(item, by_dimension.get(dimension, default)) for item, dimension in DIMENSION_OF.items()}


def points(tangibles=20, reliability=20, responsiveness=20, assurance=20, empathy=20) -> dict[str, int]:
    return dict(zip(DIMENSIONS, (tangibles, reliability, responsiveness, assurance, empathy), strict=True))


def servqual_values(expectations: dict[int, int], perceptions: dict[int, int] | None, allocation: dict) -> dict:
    values = {f"e{item}": score for item, score in expectations.items()}
    values |= {f"p{item}": score for item, score in (perceptions or {}).items()}
    return values | {f"points-{dimension}": allocation[dimension] for dimension in DIMENSIONS}


def answer(survey, expectations, perceptions, allocation, *, submitted_at=None, **segment) -> Response:
    """A member's response, as the survey link stores it, then placed in `segment` (plan_tier,
    site, is_corporate, team), which the response service takes from the member's cover."""
    response, _created = response_submit(
        survey=survey,
        values=servqual_values(expectations, perceptions, allocation),
        source=ResponseSource.LINK,
        submitted_at=submitted_at,
    )
    if segment:
        Response.objects.filter(pk=response.pk).update(**segment)
        response.refresh_from_db()
    return response


def manager_answers(study, manager, expectations, allocation) -> Response:
    response, _created = response_submit(
        survey=study,
        values=servqual_values(expectations, None, allocation),
        source=ResponseSource.IN_APP,
        respondent=manager,
    )
    return response


@pytest.fixture
def centre(user_factory):
    staines, manchester = SiteFactory(code="staines", name="Staines"), SiteFactory(code="manchester", name="Manchester")
    leader = user_factory(role=Role.TEAM_LEADER, site=staines)
    team = TeamFactory(site=staines, leader=leader)
    return SimpleNamespace(
        staines=staines,
        manchester=manchester,
        team=team,
        leader=leader,
        manager=user_factory(role=Role.MANAGER, site=staines),
        other_manager=user_factory(role=Role.MANAGER, site=manchester),
        agent=user_factory(role=Role.AGENT, site=staines, team=team),
        survey=make_survey(SurveyKind.SERVQUAL, code="servqual-2026", name="SERVQUAL 2026"),
        study=make_survey(SurveyKind.MANAGEMENT, code="management-2026", name="Managers' view 2026"),
    )


@pytest.fixture
def two_members(centre):
    """Two members, hand-worked (every figure below is checked in the tests):
    A expects 6 of everything and perceives 6, but 4 for tangibles (items 1-4); 100 points to tangibles.
    B expects 5 of everything and perceives 5, but 3 for reliability (items 5-9); 100 points to reliability.
    Means per statement: E = (6 + 5) / 2 = 5.5 everywhere; P = (4 + 5) / 2 = 4.5 for items 1-4,
    (6 + 3) / 2 = 4.5 for items 5-9, (6 + 5) / 2 = 5.5 for the rest.
    Gaps: -1.0 for items 1-9, 0 for 10-22; dimensions: tangibles -1, reliability -1, the others 0;
    unweighted (-1 - 1 + 0 + 0 + 0) / 5 = -0.4. Mean points: tangibles 50, reliability 50, others 0;
    weighted -1 x 50/100 + -1 x 50/100 = -1.0 (each member's own weighted score is -2.0: the aggregate
    weights the mean gaps by the mean points, as the selector documents)."""
    a = answer(
        centre.survey,
        scores(6),
        scores(6, tangibles=4),
        points(100, 0, 0, 0, 0),
        plan_tier="premier",
        is_corporate=True,
        site=centre.staines,
    )
    b = answer(
        centre.survey,
        scores(5),
        scores(5, reliability=3),
        points(0, 100, 0, 0, 0),
        plan_tier="standard",
        is_corporate=False,
        site=centre.staines,
    )
    return a, b
