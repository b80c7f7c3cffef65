"""The five-gap page's figures on fixed data, worked by hand:

Standards (conftest.telephony_standards): SL 80/70, abandonment 5/8, ASA 20/30 across the
organisation; Manchester's SL 60/50.

Rollups, March 2025:
| site       | answered | in 20 s | abandoned | wait (s) | SL1          | abandonment | ASA    |
| Staines    | 90       | 85      | 10        | 900      | 85% green    | 10% red     | 10 green |
| Manchester | 80       | 60      | 20        | 2400     | 60% green*   | 20% red     | 30 amber |
(* against Manchester's own 60.) Gap 3: 3 green of 6 site checks = 50% (act); across the
organisation SL 145/200 = 72.5% amber, abandonment 15% red, ASA 3300/170 = 19.4 s green.
February 2025: Staines alone, 100 answered within 20 s, 500 s of wait: 3 of 3 green (100%).
Gap 4: Staines meets 2 of its 3 standards (66.7%), Manchester 1 of 3 (33.3%): spread 33.3 points.
Gap 2: 3 of the 17 measures have a standard (17.6%, act); SL 80 and abandonment 5 are at the common
norm, ASA 20 s is stretching (norm 30, best 10), Manchester's 60% is below the norm.

SERVQUAL: two members on 15 March 2025 expect 5 and perceive 4 of every statement; one on 15 January
2025 expects and perceives 6. Managers (one) believe members expect 6.
- March: gap 5 = 4 - 5 = -1.0 (act); gap 1 = 6 - 5 = 1.0 per dimension (act).
- Twelve months to March: E = (5 + 5 + 6) / 3 = 5.333, P = 4.667: gap 5 -0.667 (watch), gap 1 0.667 (act).
- January's trend points: gap 5 0.0, gap 1 0.0."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest import approx

from calls.models import Queue
from performance.selectors import gaps as selectors
from performance.selectors.kpis import Period
from surveys.models import SurveyKind
from surveys.tests.factories import make_survey
from surveys.tests.servqual.conftest import answer, manager_answers, points, scores

from .conftest import day_rollup, standard

pytestmark = pytest.mark.django_db
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def rollups(centre):
    day_rollup(date(2025, 3, 10), centre.staines, answered=90, answered_in_threshold=85, abandoned=10,
               wait_answered_seconds=900)  # fmt: skip
    day_rollup(date(2025, 3, 12), centre.manchester, answered=80, answered_in_threshold=60, abandoned=20,
               wait_answered_seconds=2400)  # fmt: skip
    day_rollup(date(2025, 2, 5), centre.staines, answered=100, answered_in_threshold=100, wait_answered_seconds=500)


@pytest.fixture
def servqual(centre):
    survey = make_survey(SurveyKind.SERVQUAL, code="servqual-2025", name="SERVQUAL 2025")
    study = make_survey(SurveyKind.MANAGEMENT, code="management-2025", name="Managers 2025")
    march, january = datetime(2025, 3, 15, 12, tzinfo=LONDON), datetime(2025, 1, 15, 12, tzinfo=LONDON)
    for _n in range(2):
        answer(survey, scores(5), scores(4), points(), submitted_at=march)
    answer(survey, scores(6), scores(6), points(), submitted_at=january)
    manager_answers(study, centre.manager, scores(6), points())
    return survey


def by_number(standings):
    return {s.number: s for s in standings}


def facts(standing):
    return {f.key: f.value for f in standing.facts}


def test_each_gaps_standing_for_march_matches_the_hand_worked_figures(centre, telephony_standards, rollups, servqual):
    gaps = by_number(selectors.gap_standing(MARCH, actor=centre.manager))

    assert gaps[1].headline == approx(1.0) and gaps[1].status == "act"
    assert facts(gaps[1])["managers"] == 1 and facts(gaps[1])["members"] == 2
    assert "overestimate" in facts(gaps[1])["widest"]

    assert gaps[2].headline == approx(100 * 3 / 17) and gaps[2].status == "act"
    assert facts(gaps[2])["measures"] == "3 / 17"
    queues = Queue.objects.filter(is_active=True).count()
    assert facts(gaps[2])["queues"] == f"{queues} / {queues}"
    assert (facts(gaps[2])["challenge-common"], facts(gaps[2])["challenge-stretching"]) == (2, 1)
    assert facts(gaps[2])["challenge-below"] == 1

    assert gaps[3].headline == approx(50.0) and gaps[3].status == "act"
    assert (facts(gaps[3])["green"], facts(gaps[3])["amber"], facts(gaps[3])["red"]) == (3, 1, 2)
    rows = {row[0].value: [c.value for c in row[1:]] for row in gaps[3].table.rows}
    assert rows["Across the organisation"] == [1, 1, 1, 0, approx(100 / 3)]
    assert rows["Staines"] == [2, 0, 1, 0, approx(200 / 3)]
    assert rows["Manchester"] == [1, 1, 1, 0, approx(100 / 3)]

    assert gaps[4].headline is None  # no plan makes a promise here
    assert facts(gaps[4])["spread"] == approx(100 / 3)
    assert gaps[4].status == "watch"  # sites more than 10 points apart

    assert gaps[5].headline == approx(-1.0) and gaps[5].status == "act"
    assert facts(gaps[5])["responses"] == 2


def test_the_page_shows_twelve_months_and_each_gaps_monthly_trend(centre, telephony_standards, rollups, servqual):
    period, standings = selectors.gaps_page(date(2025, 3, 31), actor=centre.manager)
    gaps = by_number(standings)
    assert period == Period(date(2024, 4, 1), date(2025, 3, 31))
    assert gaps[5].headline == approx(-2 / 3) and gaps[5].status == "watch"
    assert gaps[1].headline == approx(2 / 3)

    def trend(number):
        return {p.month: p.value for p in gaps[number].trend}

    assert len(gaps[3].trend) == 12 and gaps[3].trend[0].month == date(2024, 4, 1)
    assert trend(3)[date(2025, 2, 1)] == approx(100.0)
    assert trend(3)[date(2025, 3, 1)] == approx(50.0)
    assert trend(3)[date(2024, 12, 1)] is None
    assert trend(4)[date(2025, 3, 1)] == approx(100 / 3)
    assert trend(4)[date(2025, 2, 1)] is None  # Manchester had no calls
    assert trend(2)[date(2024, 4, 1)] == approx(100 * 3 / 17)
    assert trend(5)[date(2025, 1, 1)] == approx(0.0) and trend(5)[date(2025, 3, 1)] == approx(-1.0)
    assert trend(1)[date(2025, 1, 1)] == approx(0.0) and trend(1)[date(2025, 3, 1)] == approx(1.0)
    assert trend(5)[date(2024, 6, 1)] is None


def test_with_no_data_every_gap_says_it_is_not_measured(centre):
    gaps = by_number(selectors.gap_standing(MARCH))
    assert [gaps[n].status for n in (1, 3, 4, 5)] == ["unknown"] * 4
    assert gaps[2].headline == 0.0 and gaps[2].status == "act"
    assert gaps[1].note and gaps[5].note


def test_the_board_pack_counts_every_response_without_a_reader(centre, servqual):
    gaps = by_number(selectors.gap_standing(MARCH))
    assert gaps[5].headline == approx(-1.0)


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/performance/gaps/").status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_days_responses_or_standards(
    client, centre, telephony_standards, rollups, servqual
):
    client.force_login(centre.manager)
    _page_queries(client)  # the session and permission caches warm up
    before = _page_queries(client)
    for day in range(1, 28):
        day_rollup(date(2025, 1, day), centre.staines, answered=10, answered_in_threshold=9, abandoned=1)
    answer(servqual, scores(3), scores(2), points(), submitted_at=datetime(2024, 11, 3, 9, tzinfo=LONDON))
    standard("fcr", 75, 70)
    assert _page_queries(client) == before
    assert before <= 60
