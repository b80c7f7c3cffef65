"""The monthly rollups: a month's rows are its days' rows summed by the same keys, and a figure
read from whole months plus the days around them equals the same figure summed day by day."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Sum

from calls.tests.factories import QueueFactory
from performance.models import (
    AgentDailyRollup,
    AgentIntervalRollup,
    AgentMonthlyRollup,
    AgentStateDaily,
    AgentStateMonthly,
    DailyRollup,
    MonthlyRollup,
    RollupMark,
)
from performance.rules.kpis import Measures, StateMeasures
from performance.rules.rollups import month_last
from performance.selectors import league
from performance.selectors.dashboard import dashboard_trend
from performance.selectors.kpis import Period, Scope, measures, split_months, state_measures
from performance.services import rollups
from performance.services.rollups import days_mark, rollups_rebuild, rollups_refresh
from performance.services.rollups_monthly import months_rollup
from staff.tests.factories import SiteFactory, TeamFactory

from .factories import call

STATES = list(StateMeasures.__dataclass_fields__)


@pytest.mark.parametrize(
    ("first", "last", "months", "days"),
    [
        ("2025-03-10", "2025-03-20", None, [("2025-03-10", "2025-03-20")]),
        ("2025-03-01", "2025-03-31", ("2025-03-01", "2025-03-31"), []),
        ("2025-03-01", "2025-03-30", None, [("2025-03-01", "2025-03-30")]),
        ("2025-03-02", "2025-04-30", ("2025-04-01", "2025-04-30"), [("2025-03-02", "2025-03-31")]),
        ("2024-11-24", "2025-11-23", ("2024-12-01", "2025-10-31"),
         [("2024-11-24", "2024-11-30"), ("2025-11-01", "2025-11-23")]),
        ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-29"), []),  # a leap February is whole on the 29th
        ("2025-01-31", "2025-02-01", None, [("2025-01-31", "2025-02-01")]),
    ],
)  # fmt: skip
def test_a_period_splits_into_whole_months_and_the_days_around_them(first, last, months, days):
    whole, rest = split_months(Period(date.fromisoformat(first), date.fromisoformat(last)))
    as_text = lambda p: (p.first.isoformat(), p.last.isoformat())  # noqa: E731
    assert (as_text(whole) if whole else None) == months
    assert [as_text(p) for p in rest] == days


@pytest.fixture
def places(db):
    queues = [QueueFactory(), QueueFactory()]
    sites = [SiteFactory(code="m-a"), SiteFactory(code="m-b")]
    teams = [TeamFactory(site=sites[0]), TeamFactory(site=sites[1])]
    return queues, sites, teams


def test_a_months_rows_are_its_days_summed_by_the_same_keys(places, user_factory):
    (q1, q2), (s1, _s2), (t1, t2) = places
    agent = user_factory(site=s1, team=t1)
    DailyRollup.objects.create(day=date(2025, 1, 3), queue=q1, site=s1, plan_tier="premier", offered=4, answered=3)
    DailyRollup.objects.create(day=date(2025, 1, 28), queue=q1, site=s1, plan_tier="premier", offered=6, answered=6)
    DailyRollup.objects.create(day=date(2025, 1, 28), queue=q2, site=None, offered=2, abandoned=2)
    DailyRollup.objects.create(day=date(2025, 2, 1), queue=q1, site=s1, plan_tier="premier", offered=50)
    AgentDailyRollup.objects.create(day=date(2025, 1, 3), agent=agent, queue=q1, team=t1, site=s1, handled=2)
    AgentDailyRollup.objects.create(
        day=date(2025, 1, 9), agent=agent, queue=q1, team=t2, site=s1, handled=5
    )  # moved team
    AgentStateDaily.objects.create(day=date(2025, 1, 3), agent=agent, team=t1, site=s1, available_seconds=100)
    AgentStateDaily.objects.create(day=date(2025, 1, 4), agent=agent, team=t1, site=s1, available_seconds=50)

    assert months_rollup([date(2025, 1, 20), date(2025, 1, 3)]) == 1
    columns = ("month", "queue", "site", "plan_tier", "offered", "answered", "abandoned")
    assert sorted(MonthlyRollup.objects.values_list(*columns)) == [
        (date(2025, 1, 1), q1.pk, s1.pk, "premier", 10, 9, 0),
        (date(2025, 1, 1), q2.pk, None, "", 2, 0, 2),
    ]  # fmt: skip
    assert sorted(AgentMonthlyRollup.objects.values_list("team", "handled")) == [(t1.pk, 2), (t2.pk, 5)]
    assert list(AgentStateMonthly.objects.values_list("month", "available_seconds")) == [(date(2025, 1, 1), 150)]

    DailyRollup.objects.filter(queue=q2).delete()
    months_rollup([date(2025, 1, 1)])  # again: the month rebuilt whole, nothing added twice
    assert list(MonthlyRollup.objects.values_list("offered", flat=True)) == [10]


@pytest.fixture
def history(places, user_factory):
    """Random daily rows over 14 months for 2 queues, 2 sites, 2 teams, 3 agents (one moves team)."""
    queues, sites, teams = places
    agents = [user_factory(site=sites[n % 2], team=teams[n % 2]) for n in range(3)]
    rng = random.Random(7)
    names = Measures.names()
    first = date(2024, 1, 1)
    for n in range(0, 425, 3):
        day = first + timedelta(days=n)
        for queue in queues:
            for site in (*sites, None):
                DailyRollup.objects.create(
                    day=day, queue=queue, site=site, plan_tier=rng.choice(["", "premier", "standard"]),
                    **{name: rng.randint(0, 40) for name in names},
                )  # fmt: skip
            for index, agent in enumerate(agents):
                team = teams[(index + (n > 200)) % 2]  # the agents change teams half way
                sums = {m: rng.randint(0, 9) for m in names}
                AgentDailyRollup.objects.create(day=day, agent=agent, queue=queue, team=team, site=team.site, **sums)
        for index, agent in enumerate(agents):
            team = teams[(index + (n > 200)) % 2]
            AgentStateDaily.objects.create(day=day, agent=agent, team=team, site=team.site,
                                           **{s: rng.randint(0, 9000) for s in STATES})  # fmt: skip
    months_rollup(DailyRollup.objects.dates("day", "month"))
    return queues, sites, teams, agents


def _daily(model, period: Period, names, **filters) -> dict:
    sums = model.objects.filter(day__gte=period.first, day__lte=period.last, **filters).aggregate(
        **{name: Sum(name) for name in names}
    )
    return {name: value or 0 for name, value in sums.items()}


PERIODS = [
    Period(date(2024, 1, 1), date(2024, 12, 31)),
    Period(date(2024, 2, 14), date(2025, 2, 13)),
    Period(date(2024, 3, 1), date(2024, 3, 31)),
    Period(date(2024, 5, 9), date(2024, 5, 30)),
    Period(date(2024, 6, 30), date(2024, 8, 1)),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first}..{p.last}")
def test_figures_from_months_and_days_equal_the_days_summed(history, period):
    queues, sites, teams, agents = history
    names = Measures.names()
    cases = [
        (Scope(), DailyRollup, {}),
        (Scope(queue_id=queues[1].pk), DailyRollup, {"queue_id": queues[1].pk}),
        (Scope(site_id=sites[0].pk), DailyRollup, {"site_id": sites[0].pk}),
        (Scope(plan_tier="premier"), DailyRollup, {"plan_tier": "premier"}),
        (Scope(team_id=teams[1].pk), AgentDailyRollup, {"team_id": teams[1].pk}),
        (Scope(agent_id=agents[2].pk, queue_id=queues[0].pk), AgentDailyRollup,
         {"agent_id": agents[2].pk, "queue_id": queues[0].pk}),
    ]  # fmt: skip
    for scope, model, filters in cases:
        assert measures(period, scope) == Measures.of(_daily(model, period, names, **filters)), scope
    for scope, filters in ((Scope(), {}), (Scope(team_id=teams[0].pk), {"team_id": teams[0].pk})):
        assert state_measures(period, scope) == StateMeasures.of(_daily(AgentStateDaily, period, STATES, **filters))

    teams_table, agents_table = league.leagues(period, Scope())
    for row in agents_table:
        assert row.measures == Measures.of(_daily(AgentDailyRollup, period, names, agent_id=row.key))
        assert row.states == StateMeasures.of(_daily(AgentStateDaily, period, STATES, agent_id=row.key))
    for row in teams_table:
        assert row.measures == Measures.of(_daily(AgentDailyRollup, period, names, team_id=row.key))


def test_a_monthly_trend_reads_each_month_whole(history):
    period = Period(date(2024, 2, 14), date(2025, 2, 13))
    points = dashboard_trend(period, Scope(), "month")
    assert [p.start for p in points][:2] == [date(2024, 2, 1), date(2024, 3, 1)]
    assert len(points) == 13
    for point in points:
        first = max(point.start, period.first)
        last = min(month_last(point.start), period.last)
        expected = Measures.of(_daily(DailyRollup, Period(first, last), Measures.names()))
        assert point.measures == expected, point.start


def _month_equals_its_days(month: date) -> None:
    names = Measures.names()
    period = Period(month, month_last(month))
    kept = MonthlyRollup.objects.filter(month=month).aggregate(**{n: Sum(n) for n in names})
    assert {n: v or 0 for n, v in kept.items()} == _daily(DailyRollup, period, names)


@pytest.fixture
def calls_in_march(db):
    queue = QueueFactory()
    for day in (3, 5, 9):
        call(queue, datetime(2025, 3, day, 10, tzinfo=UTC), wait=day, talk=60)
    return queue


def test_a_refresh_that_fails_part_way_leaves_the_marks_of_the_days_it_rebuilt(calls_in_march, monkeypatch):
    days_mark([date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 9)])
    rebuild = rollups.day_rollup

    def fails_on_the_9th(day, **options):
        if day == date(2025, 3, 9):
            raise RuntimeError("the worker died")
        return rebuild(day, **options)

    monkeypatch.setattr(rollups, "day_rollup", fails_on_the_9th)
    with pytest.raises(RuntimeError):
        rollups_refresh()
    # Days 3 and 5 were rebuilt but their month was not: their marks stay, so the next refresh does it.
    assert set(RollupMark.objects.values_list("day", flat=True)) == {date(2025, 3, d) for d in (3, 5, 9)}
    monkeypatch.setattr(rollups, "day_rollup", rebuild)
    while rollups_refresh():
        pass
    assert not RollupMark.objects.exists()
    _month_equals_its_days(date(2025, 3, 1))
    assert MonthlyRollup.objects.get().answered == 3


def test_a_rebuild_interrupted_in_a_month_leaves_that_month_equal_to_its_days(calls_in_march, monkeypatch):
    rebuild = rollups.day_rollup

    def interrupted_on_the_7th(day, **options):
        if day == date(2025, 3, 7):
            raise KeyboardInterrupt
        return rebuild(day, **options)

    monkeypatch.setattr(rollups, "day_rollup", interrupted_on_the_7th)
    with pytest.raises(KeyboardInterrupt):
        rollups_rebuild(first=date(2025, 3, 1), last=date(2025, 3, 31))
    _month_equals_its_days(date(2025, 3, 1))
    assert MonthlyRollup.objects.get().answered == 2  # the 3rd and the 5th, rebuilt before the interruption


def test_deleting_a_team_an_agent_left_mid_month_keeps_their_month(places, user_factory):
    (queue, _q2), (site, _s2), (team, _t2) = places
    agent = user_factory(site=site, team=None)
    AgentDailyRollup.objects.create(day=date(2025, 1, 3), agent=agent, queue=queue, team=None, site=site, handled=2)
    AgentDailyRollup.objects.create(day=date(2025, 1, 9), agent=agent, queue=queue, team=team, site=site, handled=5)
    AgentStateDaily.objects.create(day=date(2025, 1, 3), agent=agent, team=None, site=site, available_seconds=10)
    AgentStateDaily.objects.create(day=date(2025, 1, 9), agent=agent, team=team, site=site, available_seconds=20)
    months_rollup([date(2025, 1, 1)])
    team.delete()  # SET_NULL: the agent's rows with and without the team now share their keys
    january = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert measures(january, Scope(agent_id=agent.pk)).handled == 7
    assert state_measures(january, Scope(agent_id=agent.pk)).available_seconds == 30


def test_an_agents_intervals_sum_to_their_day(db, user_factory):
    """Answered at 10:14 (offered in the 10:00 interval), ended at 10:20: the answer counts at 10:00,
    the handling at 10:15; the two intervals sum to the agent's day."""
    queue = QueueFactory()
    agent = user_factory()
    call(queue, datetime(2025, 3, 3, 10, 13, 50, tzinfo=UTC), wait=20, talk=350, agent=agent)
    call(queue, datetime(2025, 3, 3, 16, 0, tzinfo=UTC), wait=5, talk=60, agent=agent)
    rollups_rebuild(first=date(2025, 3, 3), last=date(2025, 3, 3))
    rows = {
        (row.start.astimezone(UTC).strftime("%H:%M")): (row.answered, row.handled, row.talk_seconds)
        for row in AgentIntervalRollup.objects.filter(agent=agent)
    }
    assert rows == {"10:00": (1, 0, 0), "10:15": (0, 1, 350), "16:00": (1, 1, 60)}
    day = AgentDailyRollup.objects.get(agent=agent)
    assert (day.answered, day.handled, day.talk_seconds) == (2, 2, 410)
