"""An agent's state lasts until their next change, or at most STATE_MAX_HOURS (16 h) after it began:
an agent who never logged out is not "available" for months.

Day D = Tuesday 10 November 2026 (GMT), then D+1 and D+2; no change after those below.

| agent | timeline                                  | D               | D+1            | D+2 |
|-------|-------------------------------------------|-----------------|----------------|-----|
| A     | available from 09:00 on D                 | 15 h = 54,000 s | 1 h = 3,600 s  | -   |
| B     | available from 07:00 on D (ends 23:00)    | 16 h = 57,600 s | -              | -   |
| C     | available 08:00, offline 17:00 on D        | 9 h = 32,400 s  | -              | -   |

D: 54,000 + 57,600 + 32,400 = 144,000 s available. (Before the fix A and B were available until
the next change: A 15 h and B 17 h on D, and both 24 h on every day after.)"""

from datetime import timedelta

import pytest

from calls.models import AgentState
from performance.models import AgentStateDaily
from performance.rules.rollups import STATE_MAX_HOURS
from performance.selectors import naive
from performance.selectors.kpis import Period, Scope, kpi_set
from performance.services.rollups import day_rollup, days_mark, rollups_rebuild, rollups_refresh

from .factories import timeline
from .test_fixed_data import DAY, D, at

NEXT, AFTER = D + timedelta(days=1), D + timedelta(days=2)


@pytest.fixture
def agents(user_factory):
    a, b, c = user_factory(), user_factory(), user_factory()
    timeline(a, (at(9, 0), AgentState.AVAILABLE))
    timeline(b, (at(7, 0), AgentState.AVAILABLE))
    timeline(c, (at(8, 0), AgentState.AVAILABLE), (at(17, 0), AgentState.OFFLINE))
    return {"a": a, "b": b, "c": c}


def _available(agent) -> dict:
    return dict(AgentStateDaily.objects.filter(agent=agent).values_list("day", "available_seconds"))


def test_a_state_with_no_following_change_lasts_sixteen_hours(agents):
    assert STATE_MAX_HOURS == 16
    rollups_rebuild(first=D, last=AFTER)
    assert _available(agents["a"]) == {D: 54_000, NEXT: 3_600}
    assert _available(agents["b"]) == {D: 57_600}
    assert _available(agents["c"]) == {D: 32_400}
    assert kpi_set(DAY).states.available_seconds == 144_000
    assert kpi_set(Period(NEXT, AFTER)).states.available_seconds == 3_600


@pytest.mark.parametrize("period", [DAY, Period(NEXT, NEXT), Period(D, AFTER)])
@pytest.mark.parametrize("agent", [None, "a", "b"])
def test_the_naive_computation_caps_a_state_the_same_way(agents, period, agent):
    rollups_rebuild(first=D, last=AFTER)
    scope = Scope(agent_id=agents[agent].pk) if agent else Scope()
    assert naive.state_measures(period, scope) == kpi_set(period, scope, with_extra=False).states


def test_only_a_state_reaching_past_midnight_carries_into_the_next_day(agents):
    """A's 16 h from 09:00 reach 01:00 on D+1: D+1 must be rebuilt after D. B's end at 23:00 on D."""
    day_rollup(D)
    assert day_rollup(D) is True  # the day is unchanged: only A's state carries
    AgentStateDaily.objects.all().delete()
    agents["a"].state_changes.all().delete()
    day_rollup(D)
    assert day_rollup(D) is False


def test_a_refresh_carries_a_state_into_the_next_day_and_no_further(agents):
    days_mark([D])
    while rollups_refresh():
        pass
    assert _available(agents["a"]) == {D: 54_000, NEXT: 3_600}
    assert not AgentStateDaily.objects.filter(day=AFTER).exists()
