"""Every telephony KPI on a small fixed data set, computed by hand (docs/kpis.md has the definitions).

Day D = Tuesday 10 November 2026 (London is on GMT, so local = UTC). Queue A: T = 20 s; queue B:
T = 30 s. Agents X (team 1) and Y (team 2). Members M1 (Premier plan), M2, M3, M4 (no cover).

| call | queue | offered (D) | wait | outcome | talk+hold+wrap | member | agent | other |
|---|---|---|---|---|---|---|---|---|
| c1 | A | 09:00:00 | 10 | answered in T | 280+20+30 | M1 | X | agent FCR yes; M1 calls c10 |
| c2 | A | 09:10:00 | 20 | answered in T(=) | 120+0+60 | M2 | X | agent FCR no; 1 transfer |
| c3 | A | 09:20:00 | 45 | answered late | 200+0+0 | - | Y |  |
| c4 | A | 09:30:00 | 15 | abandoned in T |  |  |  |  |
| c5 | A | 09:40:00 | 40 | abandoned late |  |  |  |  |
| c6 | A | 09:50:00 | 3 | short abandon |  |  |  | left out of every KPI |
| c7 | A | 10:14:50 | 15 | answered 10:15:05 | 300+0+0 | M3 | Y | agent FCR yes; two intervals |
| c8 | A | 23:58:00 | 10 | ended D+1 00:05:10 | 420+0+0 | M4 | X | spans midnight |
| c9 | - | 11:00 email |  | not telephony |  |  |  | counts in contacts only |
| c10 | B | 12:00:00 | 25 | answered in T=30 | 100+0+20 | M1 | Y |  |
Later: an email from M2 exactly 7 days after c2 (a repeat: the window includes its end), and one
from M4 7 days and 1 second after c8 (not a repeat).

Offered on D: contacts 10, answered 6 (c1 c2 c3 c7 c8 c10), within T 5 (all but c3), abandoned 2
(c4 c5), abandoned within T 1 (c4), short 1, offered 8, wait of answered 10+20+45+15+10+25 = 125.
  SL1 = 5 / (6 + 2) = 62.5 %   SL2 = 5 / (6 + 2 - 1) = 71.43 %   SL3 = (5 + 1) / 8 = 75 %
  SL4 = 5 / 6 = 83.33 %        abandonment = 2 / 8 = 25 %        ASA = 125 / 6 = 20.83 s
Ended on D (handled): c1 c2 c3 c7 c10 = 5; handle time 330 + 180 + 200 + 300 + 120 = 1130.
  AHT = 226 s    transfer rate = 1 / 5 = 20 %
  FCR: identified c1 c2 c7 c10 = 4; repeated c1 (c10 within 7 days), c2 (email at exactly 7 days)
       -> 2 / 4 = 50 %.  Agent FCR: answered c1 c2 c7 = 3, yes c1 c7 -> 66.67 %
On D+1: c8's handle time (420 s), FCR 1 / 1 (M4's email came 7 days and 1 second later).
States on D: X available 08:00-09:00, on a call 09:00-11:00, wrap-up 11:00-11:30, available
11:30-12:00, break 12:00-12:30, available 12:30-16:00, training 16:00-17:00, offline from 17:00;
Y available since 20:00 on D-1 until offline at 01:00 on D.
  available 3600 + 1800 + 12600 + 3600 (Y) = 21600; busy 7200 + 1800 = 9000; break 1800; training 3600
  occupancy = 9000 / 30600 = 29.41 %   utilisation = 9000 / 36000 = 25 %
  X alone: occupancy 9000 / 27000 = 33.33 %, utilisation 9000 / 32400 = 27.78 %
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from calls.models import ServiceLevelVariant as SL
from calls.tests.factories import QueueFactory
from claims.tests.factories import CustomerFactory, PlanFactory, covered_member
from performance.models import DailyRollup, IntervalRollup
from performance.selectors import naive
from performance.selectors.kpis import Period, Scope, kpi_set
from performance.services.rollups import rollups_rebuild
from staff.tests.factories import TeamFactory

from .factories import call, email, timeline

D = date(2026, 11, 10)
DAY = Period(D, D)


def at(hh: int, mm: int, ss: int = 0, *, day: date = D) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC)


@pytest.fixture
def data(user_factory):
    queue_a = QueueFactory(code="a", answer_threshold_seconds=20)
    queue_b = QueueFactory(code="b", answer_threshold_seconds=30, service_level_variant=SL.SL3)
    team_1, team_2 = TeamFactory(), TeamFactory()
    x = user_factory(team=team_1, site=team_1.site)
    y = user_factory(team=team_2, site=team_2.site)
    m1 = covered_member(plan=PlanFactory(tier="premier")).customer
    m2, m3, m4 = CustomerFactory(), CustomerFactory(), CustomerFactory()
    c2_offered, c8_offered = at(9, 10), at(23, 58)
    call(queue_a, at(9, 0), wait=10, talk=280, hold=20, wrap=30, customer=m1, agent=x, resolved_first_contact=True)
    call(queue_a, c2_offered, wait=20, talk=120, wrap=60, customer=m2, agent=x, resolved_first_contact=False,
         transfer_count=1)  # fmt: skip
    call(queue_a, at(9, 20), wait=45, talk=200, agent=y)
    call(queue_a, at(9, 30), wait=15, abandoned=True)
    call(queue_a, at(9, 40), wait=40, abandoned=True)
    call(queue_a, at(9, 50), wait=3, abandoned=True, short=True)
    call(queue_a, at(10, 14, 50), wait=15, talk=300, customer=m3, agent=y, resolved_first_contact=True)
    call(queue_a, c8_offered, wait=10, talk=420, customer=m4, agent=x)
    email(None, at(11, 0))
    call(queue_b, at(12, 0), wait=25, talk=100, wrap=20, customer=m1, agent=y)
    email(m2, c2_offered + timedelta(days=7))
    email(m4, c8_offered + timedelta(days=7, seconds=1))
    timeline(
        x,
        (at(8, 0), "available"),
        (at(9, 0), "on_call"),
        (at(11, 0), "wrap_up"),
        (at(11, 30), "available"),
        (at(12, 0), "break"),
        (at(12, 30), "available"),
        (at(16, 0), "training"),
        (at(17, 0), "offline"),
    )
    timeline(y, (at(20, 0, day=D - timedelta(days=1)), "available"), (at(1, 0), "offline"))
    rollups_rebuild(first=D - timedelta(days=1), last=D + timedelta(days=8))
    return {"a": queue_a, "b": queue_b, "team_1": team_1, "team_2": team_2, "x": x, "y": y}


def test_every_telephony_kpi_of_the_day_matches_the_hand_computed_table(data):
    kpi = kpi_set(DAY)
    m = kpi.measures
    assert (m.contacts, m.offered, m.answered, m.answered_in_threshold) == (10, 8, 6, 5)
    assert (m.abandoned, m.abandoned_in_threshold, m.short_abandoned, m.wait_answered_seconds) == (2, 1, 1, 125)
    assert kpi.service_levels == pytest.approx({SL.SL1: 62.5, SL.SL2: 500 / 7, SL.SL3: 75.0, SL.SL4: 500 / 6})
    assert (kpi.variant, kpi.service_level) == (SL.SL1, 62.5)  # across queues: domain.md's default
    assert kpi.abandonment_rate == 25.0
    assert kpi.asa_seconds == pytest.approx(125 / 6)
    assert (m.handled, kpi.aht_seconds, kpi.transfer_rate) == (5, 226.0, 20.0)
    assert (m.fcr_eligible, m.fcr_resolved, kpi.fcr) == (4, 2, 50.0)
    assert kpi.agent_fcr == pytest.approx(200 / 3)
    assert kpi.occupancy == pytest.approx(900000 / 30600)
    assert kpi.utilisation == 25.0


def test_a_queue_shows_its_own_variant_and_threshold(data):
    kpi = kpi_set(DAY, Scope(queue_id=data["b"].pk))
    # c10 waited 25 s: within queue B's 30 s (it would be late in queue A).
    assert (kpi.measures.offered, kpi.measures.answered_in_threshold) == (1, 1)
    assert (kpi.variant, kpi.service_level) == (SL.SL3, 100.0)


def test_the_fcr_window_ends_at_exactly_seven_days(data):
    """c2's member came back at exactly 7 days (a repeat); c8's member at 7 days and 1 second (none)."""
    assert kpi_set(Period(D + timedelta(days=1), D + timedelta(days=1))).fcr == 100.0
    x = kpi_set(DAY, Scope(agent_id=data["x"].pk))
    assert (x.measures.fcr_eligible, x.measures.fcr_resolved) == (2, 0)  # c1 and c2 both repeated


def test_a_call_counts_where_it_was_offered_and_its_handle_time_where_it_ended(data):
    """c7: offered at 10:14:50 (the 10:00 interval), answered at 10:15:05, ended at 10:20:05."""
    rows = {row.start: row for row in IntervalRollup.objects.filter(queue=data["a"], start__hour=10)}
    assert (rows[at(10, 0)].offered, rows[at(10, 0)].answered, rows[at(10, 0)].handled) == (1, 1, 0)
    assert (rows[at(10, 15)].offered, rows[at(10, 15)].handled, rows[at(10, 15)].talk_seconds) == (0, 1, 300)


def test_a_call_spanning_midnight_is_offered_on_one_day_and_handled_on_the_next(data):
    """c8: offered at 23:58 on D, ended at 00:05:10 on D+1."""
    late = IntervalRollup.objects.get(queue=data["a"], start=at(23, 45))
    after = IntervalRollup.objects.get(queue=data["a"], start=at(0, 0, day=D + timedelta(days=1)))
    assert (late.answered, late.handled, after.answered, after.handled, after.talk_seconds) == (1, 0, 0, 1, 420)
    next_day = DailyRollup.objects.filter(day=D + timedelta(days=1), queue=data["a"]).get()
    assert (next_day.offered, next_day.handled) == (0, 1)


def test_occupancy_and_utilisation_come_from_the_state_timeline(data):
    x = kpi_set(DAY, Scope(agent_id=data["x"].pk))
    assert (x.states.available_seconds, x.states.on_call_seconds, x.states.wrap_up_seconds) == (18000, 7200, 1800)
    assert x.occupancy == pytest.approx(100 / 3)
    assert x.utilisation == pytest.approx(900000 / 32400)
    # Y's state from the evening before carries into D until the change at 01:00.
    y = kpi_set(DAY, Scope(agent_id=data["y"].pk))
    assert (y.states.available_seconds, y.occupancy) == (3600, 0.0)


def test_an_agents_figures_are_the_calls_they_answered(data):
    x = kpi_set(DAY, Scope(agent_id=data["x"].pk))
    # c1, c2 and c8 were offered on D and answered by X; c1 and c2 ended on D.
    assert (x.measures.answered, x.measures.answered_in_threshold, x.measures.wait_answered_seconds) == (3, 3, 40)
    assert (x.measures.handled, x.aht_seconds, x.agent_fcr) == (2, 255.0, 50.0)


@pytest.mark.parametrize(
    "scope",
    [
        "everything",
        "queue_a",
        "queue_b",
        "team_1",
        "team_2",
        "agent_x",
        "site_of_team_2",
        "premier",
        "corporate",
        "individual",
    ],
)
@pytest.mark.parametrize("period", [DAY, Period(D - timedelta(days=1), D + timedelta(days=8))])
def test_the_rollups_equal_the_naive_computation_over_raw_contacts(data, scope, period):
    scopes = {
        "everything": Scope(),
        "queue_a": Scope(queue_id=data["a"].pk),
        "queue_b": Scope(queue_id=data["b"].pk),
        "team_1": Scope(team_id=data["team_1"].pk),
        "team_2": Scope(team_id=data["team_2"].pk),
        "agent_x": Scope(agent_id=data["x"].pk),
        "site_of_team_2": Scope(site_id=data["team_2"].site_id),
        "premier": Scope(plan_tier="premier"),
        "corporate": Scope(is_corporate=True),
        "individual": Scope(is_corporate=False),
    }
    assert naive.kpi_set(period, scopes[scope]) == kpi_set(period, scopes[scope], with_extra=False)


def test_the_premier_members_figures_are_theirs(data):
    premier = kpi_set(DAY, Scope(plan_tier="premier"))
    assert (premier.measures.offered, premier.measures.handled, premier.fcr) == (2, 2, 50.0)  # c1, c10


def test_a_short_abandon_after_a_handled_call_is_not_a_repeat_contact(user_factory):
    """A member's 3-second hang-up the next day is left out of every KPI, so it does not make the
    handled call before it 'not resolved at first contact' (rollups and the naive computation both)."""
    queue = QueueFactory(code="s", answer_threshold_seconds=20, short_abandon_seconds=5)
    member = CustomerFactory()
    call(queue, at(9, 0), wait=5, talk=100, customer=member, agent=user_factory())
    call(queue, at(9, 0, day=D + timedelta(days=1)), wait=3, abandoned=True, short=True, customer=member)
    rollups_rebuild(first=D, last=D + timedelta(days=1))
    for figures in (kpi_set(DAY), naive.kpi_set(DAY)):
        assert (figures.measures.fcr_eligible, figures.measures.fcr_resolved) == (1, 1)
