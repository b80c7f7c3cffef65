"""The staffing page (performance:staffing) on a fixed history and roster, figures worked by hand.

Queue "claims", 80% within 20 s. Day: Monday 1 June 2026 (past). History: the 8 Mondays before
(6 April - 25 May) had 50 calls offered at 09:00 and 50 at 09:15, nothing else, so the forecast is
50 and 50 (trend 1: every week the same). AHT from the daily rollup of 25 May: (1500 talk + 100 hold
+ 200 wrap-up) / 10 handled = 180 s. Shrinkage from the queue's agent's states: 3000 s on a break of
10000 s logged in = 30%. So at 09:00 and 09:15: A = 50 x 180 / 900 = 10 erlangs, 14 agents on the
phones (domain.md's reference), 14 / 0.7 = 20 to roster.

Roster: Amal 08:00-10:00, Bilal 09:00-09:10 (2/3 of the 09:00 interval), Carys 09:15-10:00.
  interval  forecast  actual  required  rostered required  rostered  gap
  08:00-08:45   0        0       0          0                1        +1   (each)
  09:00        50       60      14         20                1.67    -18.33
  09:15        50       40      14         20                2       -18
  09:30-09:45   0        0       0          0                2        +2
Actuals on the day: 60 and 40: WAPE (10 + 10) / 100 = 20%. The 7 days before: 25 May's 50 and 50
were forecast exactly, no other call: WAPE 0. Hours: required (20 + 20) / 4 = 10; rostered
2 + 10/60 + 45/60 = 2.92."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.tests.factories import QueueFactory
from performance.models import AgentIntervalRollup
from performance.selectors.workforce import staffing_day
from staff.roles import Role

from .conftest import DAY
from .factories import at, offered, shift

pytestmark = pytest.mark.django_db

URL = "/performance/staffing/"


def rows_by_time(staffing) -> dict:
    return {row.start.astimezone(at(DAY, 0).tzinfo).strftime("%H:%M"): row for row in staffing.rows}


def test_each_interval_has_its_forecast_requirement_roster_and_gap(claims):
    staffing = staffing_day(claims, DAY)
    assert (staffing.aht_seconds, staffing.aht_from_history) == (pytest.approx(180), True)
    assert (staffing.shrinkage, staffing.shrinkage_from_history) == (pytest.approx(0.3), True)
    assert staffing.forecast.trend == pytest.approx(1.0)
    rows = rows_by_time(staffing)
    nine, quarter_past = rows["09:00"], rows["09:15"]
    assert (nine.forecast, nine.actual, nine.required, nine.rostered_required) == (50, 60, 14, 20)
    assert nine.traffic == pytest.approx(10.0)
    assert nine.scheduled == pytest.approx(5 / 3)
    assert nine.gap == pytest.approx(5 / 3 - 20)
    assert (quarter_past.forecast, quarter_past.actual, quarter_past.scheduled, quarter_past.gap) == (50, 40, 2, -18)
    assert nine.predicted_service_level == 0.0  # 1.67 x 0.7 rounds down to 1 agent for 10 erlangs
    assert (rows["08:00"].scheduled, rows["08:00"].gap, rows["08:00"].required) == (1, 1, 0)
    assert (rows["09:45"].scheduled, rows["09:45"].gap) == (2, 2)
    assert [r.start for r in staffing.shown] == [at(DAY, 8) + timedelta(minutes=15 * k) for k in range(8)]


def test_the_totals_and_the_forecast_error(claims):
    staffing = staffing_day(claims, DAY)
    assert (staffing.forecast_total, staffing.actual_total) == (100, 100)
    assert staffing.required_hours == 10
    assert staffing.scheduled_hours == pytest.approx(2 + 10 / 60 + 45 / 60)
    assert (staffing.short_intervals, staffing.peak_required) == (2, 20)
    assert staffing.accuracy_day == pytest.approx(0.2)
    assert staffing.accuracy_week == 0


def test_the_page_shows_the_figures_the_chart_and_the_assumptions(manager, claims):
    response = manager.get(URL, {"queue": claims.pk, "day": DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="interval-0900"' in html
    assert 'data-testid="interval-0300"' not in html  # nothing forecast, done or rostered: left out
    assert 'id="agents-chart"' in html and 'id="contacts-chart"' in html
    assert response.context["agents_chart"]["data"]["datasets"][0]["data"][36:38] == [20, 20]  # 09:00, 09:15
    assert 'data-testid="aht">180 s<' in html
    assert 'data-testid="shrinkage">30%<' in html
    assert 'data-testid="short-intervals">2<' in html
    assert "no-history" not in html


def test_a_day_to_come_has_a_forecast_but_no_actuals(claims):
    staffing = staffing_day(claims, DAY + timedelta(weeks=1), now=at(DAY, 12))
    rows = rows_by_time(staffing)
    assert rows["09:00"].forecast == pytest.approx(50)
    assert rows["09:00"].actual is None
    assert staffing.actual_total is None


def test_a_queue_with_no_history_says_so_and_uses_the_defaults(manager, user_factory):
    queue = QueueFactory(code="new-line", name="New line")
    response = manager.get(URL, {"queue": queue.pk, "day": DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="no-history"' in html
    assert 'data-testid="empty-state"' in html  # nothing forecast, nobody rostered
    staffing = response.context["staffing"]
    assert (staffing.aht_from_history, staffing.shrinkage_from_history) == (False, False)
    assert (staffing.aht_seconds, staffing.shrinkage) == (300, 0.3)


def test_without_queues_the_page_says_what_to_do(manager):
    response = manager.get(URL)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()


def test_the_page_takes_the_same_queries_however_long_the_history_or_the_roster(
    manager, claims, user_factory, django_assert_num_queries
):
    params = {"queue": claims.pk, "day": DAY.isoformat()}
    manager.get(URL, params)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as before:
        manager.get(URL, params)
    more = [user_factory(role=Role.AGENT) for _ in range(5)]
    for k, agent in enumerate(more):
        shift(agent, claims, at(DAY, 6 + k), at(DAY, 14 + k))
    for days_back in range(1, 60):
        offered(claims, DAY - timedelta(days=days_back), 12, 0, 7)
    with django_assert_num_queries(len(before.captured_queries)):
        manager.get(URL, params)
    assert len(before.captured_queries) <= 12


def test_each_ended_interval_says_how_many_agents_took_its_calls(claims, user_factory):
    """Two agents answered at 09:00 (one of them again at 09:15, with a call ending then); one only
    handled a call ending at 09:15; a call of another queue and an agent with nothing do not count."""
    ann, bob, cai, dan = (user_factory() for _ in range(4))
    AgentIntervalRollup.objects.create(start=at(DAY, 9), agent=ann, queue=claims, answered=2)
    AgentIntervalRollup.objects.create(start=at(DAY, 9), agent=bob, queue=claims, answered=1)
    AgentIntervalRollup.objects.create(start=at(DAY, 9, 15), agent=ann, queue=claims, answered=1, handled=1)
    AgentIntervalRollup.objects.create(start=at(DAY, 9, 15), agent=cai, queue=claims, handled=1)
    AgentIntervalRollup.objects.create(start=at(DAY, 9, 15), agent=dan, queue=QueueFactory(), answered=3)
    AgentIntervalRollup.objects.create(start=at(DAY, 9, 30), agent=dan, queue=claims, contacts=1)
    rows = rows_by_time(staffing_day(claims, DAY))
    assert [rows[t].took_calls for t in ("08:45", "09:00", "09:15", "09:30")] == [0, 2, 2, 0]
    future = rows_by_time(staffing_day(claims, DAY, now=at(DAY, 9, 20)))
    assert (future["09:00"].took_calls, future["09:15"].took_calls) == (2, None)  # 09:15 has not ended
