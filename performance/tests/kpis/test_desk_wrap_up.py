"""A call's wrap-up time in AHT: the platform's (wrap-up ended) when it sent one; otherwise, when the
agent wrapped up at the desk, from the end of the call to the desk's wrap-up (whole seconds, never
below 0); otherwise none.

Day D = Tuesday 10 November 2026 (GMT), queue Q (T = 20 s), agent X; every call waited 10 s.

| call | offered | talk | ended    | platform's wrap-up end | desk wrap-up   | wrap-up counted |
|------|---------|------|----------|------------------------|----------------|-----------------|
| w1   | 09:00   | 100  | 09:01:50 | 09:02:20 (30 s)        | 09:05:00       | 30 (platform's) |
| w2   | 10:00   | 200  | 10:03:30 | never sent             | 10:05:00.900   | 90 (90.9 cut)   |
| w3   | 11:00   | 300  | 11:05:10 | never sent             | 11:04:00       | 0 (before end)  |
| w4   | 12:00   | 150  | 12:02:40 | never sent             | -              | 0               |

Handled 4; handle time (100 + 30) + (200 + 90) + 300 + 150 = 870: AHT = 217.5 s (before the fix
the desk's 90 s counted 0: 780 / 4 = 195 s)."""

from datetime import timedelta

import pytest

from calls.models import ContactOutcome, ReasonCode
from calls.rules.telephony import wrap_up_seconds_counted
from calls.services.contacts import WrapUp, contact_wrap_up
from calls.tests.factories import QueueFactory
from performance.selectors import naive
from performance.selectors.drilldown import drilldown_contacts
from performance.selectors.kpis import Scope, kpi_set
from performance.services import rollups
from performance.services.rollups import rollups_rebuild, rollups_refresh

from .factories import call
from .test_fixed_data import DAY, D, at

DESK = {"wrap_up_ended_at": None, "outcome": ContactOutcome.OTHER}  # wrapped up at the desk; the platform said nothing
NINE_TENTHS = timedelta(microseconds=900_000)


@pytest.fixture
def data(user_factory):
    queue, x = QueueFactory(code="wrap-k", answer_threshold_seconds=20), user_factory()
    calls = {
        "w1": call(queue, at(9, 0), wait=10, talk=100, wrap=30, agent=x, wrapped_up_at=at(9, 5), outcome="other"),
        "w2": call(queue, at(10, 0), wait=10, talk=200, agent=x, wrapped_up_at=at(10, 5) + NINE_TENTHS, **DESK),
        "w3": call(queue, at(11, 0), wait=10, talk=300, agent=x, wrapped_up_at=at(11, 4), **DESK),
        "w4": call(queue, at(12, 0), wait=10, talk=150, agent=x, wrap_up_ended_at=None),
    }
    rollups_rebuild(first=D, last=D)
    return {"queue": queue, "x": x, "calls": calls}


def test_a_wrap_up_ended_at_the_desk_counts_in_aht_when_the_platform_sent_none(data):
    kpi = kpi_set(DAY)
    assert (kpi.measures.handled, kpi.measures.wrap_up_seconds, kpi.aht_seconds) == (4, 120, 217.5)
    assert naive.kpi_set(DAY) == kpi_set(DAY, with_extra=False)
    x = Scope(agent_id=data["x"].pk)
    assert naive.kpi_set(DAY, x) == kpi_set(DAY, x, with_extra=False)
    assert kpi_set(DAY, x).aht_seconds == 217.5


def test_the_handled_drilldown_shows_each_calls_counted_handle_time(data):
    handled = {contact.pk: contact.handle_seconds for contact in drilldown_contacts("handled", DAY, Scope())}
    calls = data["calls"]
    assert handled == {calls["w1"].pk: 130, calls["w2"].pk: 290, calls["w3"].pk: 300, calls["w4"].pk: 150}


@pytest.mark.parametrize(
    ("platform", "platform_end", "ended", "desk", "expected"),
    [
        (30, at(9, 2, 20), at(9, 1, 50), at(9, 5), 30),  # the platform's, whatever the desk says
        (0, None, at(10, 3, 30), at(10, 5) + NINE_TENTHS, 90),  # 90.9 s, cut to whole seconds
        (0, None, at(11, 5, 10), at(11, 4), 0),  # wrapped up at the desk before the call ended
        (0, None, at(12, 2, 40), None, 0),
        (0, None, None, at(12, 5), 0),  # not ended (yet)
    ],
)
def test_the_wrap_up_rule(platform, platform_end, ended, desk, expected):
    counted = wrap_up_seconds_counted(
        wrap_up_seconds=platform, wrap_up_ended_at=platform_end, wrapped_up_at=desk, ended_at=ended
    )
    assert counted == expected


def test_wrapping_up_at_the_desk_marks_the_day_and_the_refresh_counts_it(user_factory, monkeypatch):
    """Through the desk's service: the call ended at 11:58:00 and the platform sent no wrap-up end;
    the agent wraps up at 12:00:00 (the clock frozen there): 120 s of wrap-up after 240 s of talk."""
    monkeypatch.setattr(rollups.timezone, "now", lambda: at(12, 0))
    agent, queue = user_factory(), QueueFactory(code="desk-k")
    contact = call(queue, at(11, 53, 50), wait=10, talk=240, agent=agent, wrap_up_ended_at=None)
    reason = ReasonCode.objects.create(code="desk-k-reason", name="Desk")
    contact_wrap_up(contact_id=contact.pk, actor=agent, wrap_up=WrapUp(reasons=[reason], outcome="other"))
    while rollups_refresh():
        pass
    assert (kpi_set(DAY).measures.handled, kpi_set(DAY).aht_seconds) == (1, 360.0)
    assert naive.kpi_set(DAY) == kpi_set(DAY, with_extra=False)
