"""The rollups kept incrementally equal the raw data: random calls, their events repeated and
shuffled, go through the real telephony ingest and fold in batches, with refreshes in between;
then the rollups equal `selectors.naive`'s direct computation, and a rebuild gives the same rows."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.models import AgentStateChange, AgentStatus, Contact
from calls.rules.telephony import Event
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold_pending
from calls.tests.factories import QueueFactory
from calls.tests.test_telephony_properties import T0 as PROPERTY_T0
from calls.tests.test_telephony_properties import call_lives as clean_call
from claims.tests.factories import PhoneFactory, PlanFactory, covered_member
from performance.models import (
    AgentDailyRollup,
    AgentIntervalRollup,
    AgentStateDaily,
    DailyRollup,
    IntervalRollup,
    RollupMark,
)
from performance.models.rollups import MONTHLY
from performance.rules.rollups import month_of
from performance.selectors import naive
from performance.selectors.kpis import Period, Scope, kpi_set
from performance.services import rollups
from performance.services.rollups import contacts_mark, days_mark, rollups_rebuild, rollups_refresh
from performance.services.rollups_monthly import summed_fields
from staff.tests.factories import TeamFactory

# 23:15 on Tuesday 10 November 2026 (GMT): calls around midnight, and a week later (the FCR window).
T0 = datetime(2026, 11, 10, 23, 15, tzinfo=UTC)
QUEUES = {"claims": "a", "cover": "b", "nurse": "x"}  # the property test's queues -> these
PERIOD = Period(date(2026, 11, 10), date(2026, 11, 20))
MONTH = Period(date(2026, 11, 1), date(2026, 11, 30))  # whole: read from the monthly rollups
CALLERS = ["+447700900001", "+447700900002", "+447700900003", "+447700900999"]  # the last: nobody's
AGENTS = ["4001", "4002", "4003"]  # the property test also uses 4004: no such extension here


@st.composite
def call_lives(draw, call_id: str) -> list[Event]:
    """One call's clean stream from the telephony property test, moved to around midnight on the
    10th or about a week later, in queue a, b or an unknown one, from a member's number or not."""
    days = draw(st.sampled_from([0, 0, 1, 6, 7, 8]))
    shift = T0 - PROPERTY_T0 + timedelta(days=days)
    queue, caller = draw(st.sampled_from(["a", "b", "x"])), draw(st.sampled_from(CALLERS))
    return [
        replace(
            event,
            provider="kpi",
            occurred_at=event.occurred_at + shift,
            queue=QUEUES.get(event.queue, "") if event.type == "transferred" else (queue if event.queue else ""),
            caller_number=caller if event.caller_number else "",
        )
        for event in draw(clean_call(call_id))
    ]


@st.composite
def deliveries(draw):
    run = uuid.uuid4().hex[:8]
    calls = [draw(call_lives(f"{run}-{n}")) for n in range(draw(st.integers(1, 8)))]
    clean = [event for call in calls for event in call]
    stream = clean + draw(st.lists(st.sampled_from(clean), max_size=len(clean)))
    draw(st.randoms(use_true_random=False)).shuffle(stream)
    return stream, draw(st.integers(1, 8))


@pytest.fixture
def centre(user_factory):
    QueueFactory(code="a", answer_threshold_seconds=20, short_abandon_seconds=5)
    QueueFactory(code="b", answer_threshold_seconds=30, short_abandon_seconds=10)
    teams = [TeamFactory(), TeamFactory()]
    agents = []
    for n, extension in enumerate(AGENTS):
        agent = user_factory(team=teams[n % 2], site=teams[n % 2].site)
        AgentStatus.objects.update_or_create(user=agent, defaults={"extension": extension})
        agents.append(agent)
    for n, number in enumerate(CALLERS[:3]):
        member = covered_member(plan=PlanFactory(tier=["premier", "standard", "essential"][n])).customer
        PhoneFactory(customer=member, number=number)
    return {"teams": teams, "agents": agents}


def _scopes(centre) -> list[Scope]:
    team, agent = centre["teams"][0], centre["agents"][1]
    queues = list(QueueFactory._meta.model.objects.values_list("pk", flat=True))
    return [
        Scope(),
        *(Scope(queue_id=pk) for pk in queues),
        Scope(team_id=team.pk),
        Scope(agent_id=agent.pk),
        Scope(site_id=team.site_id),
        Scope(plan_tier="premier"),
        Scope(is_corporate=False),
    ]


def _refresh_all() -> None:
    while rollups_refresh():
        pass


def _rows(until: date = PERIOD.last) -> dict:
    """Every rollup row up to a day, without ids (today's state time grows by the second)."""
    end = datetime(until.year, until.month, until.day, tzinfo=UTC) + timedelta(days=1)
    return {
        rows.model.__name__: sorted(
            (tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows.values()),
            key=repr,
        )
        for rows in (
            IntervalRollup.objects.filter(start__lt=end),
            AgentIntervalRollup.objects.filter(start__lt=end),
            DailyRollup.objects.filter(day__lte=until),
            AgentDailyRollup.objects.filter(day__lte=until),
            AgentStateDaily.objects.filter(day__lte=until),
        )
    }


def _assert_months_sum_their_days() -> None:
    """Every monthly rollup table holds exactly its daily table's rows summed by month and keys."""
    for daily, (monthly, keys) in MONTHLY.items():
        sums = summed_fields(monthly, keys)
        totals: dict = {}
        for row in daily.objects.values("day", *keys, *sums):
            target = totals.setdefault((month_of(row["day"]), *(row[k] for k in keys)), dict.fromkeys(sums, 0))
            for name in sums:
                target[name] += row[name]
        kept = {
            (row["month"], *(row[k] for k in keys)): {name: row[name] for name in sums}
            for row in monthly.objects.values("month", *keys, *sums)
        }
        assert kept == totals, monthly.__name__


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deliveries())
@pytest.mark.django_db
def test_rollups_kept_through_ingest_fold_and_refresh_equal_the_raw_data(centre, delivery):
    stream, batch = delivery
    with transaction.atomic():
        for start in range(0, len(stream), batch):
            events_ingest(list(enumerate(stream[start : start + batch])))
            contacts_fold_pending()
            if start % (2 * batch) == 0:
                _refresh_all()  # some refreshes see half-folded calls, as in production
        _refresh_all()
        assert Contact.objects.filter(provider="kpi").exists()
        for scope in _scopes(centre):
            assert kpi_set(PERIOD, scope, with_extra=False) == naive.kpi_set(PERIOD, scope), scope
            # A whole month reads the monthly rollups the refreshes kept.
            assert kpi_set(MONTH, scope, with_extra=False) == naive.kpi_set(MONTH, scope), scope
        _assert_months_sum_their_days()
        kept = _rows()
        rollups_rebuild(first=PERIOD.first - timedelta(days=1), last=PERIOD.last)
        assert _rows() == kept
        _assert_months_sum_their_days()
        transaction.set_rollback(True)


def test_the_rebuild_command_gives_identical_rows(centre):
    from django.core.management import call_command

    for n, (wait, talk) in enumerate([(5, 60), (25, 200), (3, 0)]):
        offered = T0 + timedelta(minutes=50 * n)
        events = [Event("offered", "kpi", f"c{n}-0", f"c{n}", offered, None, queue="a", caller_number=CALLERS[n])]
        if talk:
            answered = offered + timedelta(seconds=wait)
            events += [
                Event("answered", "kpi", f"c{n}-1", f"c{n}", answered, None, agent=AGENTS[n]),
                Event("ended", "kpi", f"c{n}-2", f"c{n}", answered + timedelta(seconds=talk), None, cause="caller"),
            ]
        else:
            events.append(Event("abandoned", "kpi", f"c{n}-1", f"c{n}", offered + timedelta(seconds=wait), None))
        events_ingest(list(enumerate(events)))
    contacts_fold_pending()
    _refresh_all()
    kept = _rows()
    assert kept["DailyRollup"] and kept["AgentStateDaily"]
    IntervalRollup.objects.all().delete()
    DailyRollup.objects.all().delete()
    call_command("rebuild_rollups", "--from", "2026-11-09", "--to", "2026-11-20", verbosity=0)
    assert _rows() == kept


def test_a_day_marked_again_while_it_is_rebuilt_stays_marked(centre, monkeypatch):
    """A contact changes while the refresh rebuilds its day: the refresh must not drop the new mark."""
    day = date(2026, 11, 10)
    days_mark([day])
    rebuild = rollups.day_rollup

    def rebuild_while_a_fold_marks(on, **options):
        result = rebuild(on, **options)
        days_mark([on])  # written by a fold committing during the rebuild (a later marked_at)
        return result

    monkeypatch.setattr(rollups, "day_rollup", rebuild_while_a_fold_marks)
    assert rollups_refresh() >= 1
    assert RollupMark.objects.filter(day=day).exists()
    monkeypatch.setattr(rollups, "day_rollup", rebuild)
    _refresh_all()
    assert not RollupMark.objects.filter(day=day).exists()


def test_a_day_marked_again_at_the_same_clock_reading_stays_marked(centre, monkeypatch):
    """Marks are counted in the database, not compared by clock: a second mark written with the same
    (or a skewed, earlier) time than the one the refresh read is still kept."""
    day = date(2026, 11, 10)
    frozen = rollups.timezone.now()
    monkeypatch.setattr(rollups.timezone, "now", lambda: frozen)
    days_mark([day])
    rebuild = rollups.day_rollup

    def rebuild_while_a_fold_marks(on, **options):
        result = rebuild(on, **options)
        days_mark([on])
        return result

    monkeypatch.setattr(rollups, "day_rollup", rebuild_while_a_fold_marks)
    rollups_refresh()
    assert RollupMark.objects.filter(day=day).exists()


def test_a_state_carried_into_an_untouched_day_is_counted_and_ended_by_a_late_change(centre):
    """An agent available from 22:15 on Tuesday with no further change: the state lasts 16 hours, to
    14:15 on Wednesday (Tuesday 1 h 45 = 6,300 s, Wednesday 14 h 15 = 51,300 s, Thursday none); a late
    'offline' at 23:15 on Tuesday then takes it out of Wednesday again."""
    agent = centre["agents"][0]
    tuesday = date(2026, 11, 10)
    AgentStateChange.objects.create(user=agent, state="available", started_at=T0 - timedelta(hours=1), source="agent")
    days_mark([tuesday])
    _refresh_all()
    carried = dict(AgentStateDaily.objects.filter(agent=agent).values_list("day", "available_seconds"))
    assert carried == {tuesday: 6300, tuesday + timedelta(days=1): 51300}
    AgentStateChange.objects.create(user=agent, state="offline", started_at=T0, source="agent")
    days_mark([tuesday])
    _refresh_all()
    assert not AgentStateDaily.objects.filter(agent=agent, day__gt=tuesday).exists()
    assert AgentStateDaily.objects.get(agent=agent, day=tuesday).available_seconds == 3600


def test_a_changed_contact_marks_the_days_its_figures_fall_in(centre):
    member = PhoneFactory._meta.model.objects.get(number=CALLERS[0]).customer
    contact = Contact.objects.create(
        customer=member, offered_at=T0 + timedelta(minutes=30), ended_at=T0 + timedelta(hours=2), state="closed"
    )
    contacts_mark([contact])
    # Offered on the 10th, ended on the 11th; a known member: the 7 days before (their earlier calls' FCR).
    assert set(RollupMark.objects.values_list("day", flat=True)) == {
        date(2026, 11, 3) + timedelta(days=n) for n in range(9)
    }


def test_marking_a_caller_unidentified_marks_the_former_members_earlier_days(centre):
    """The member the call was put down to loses a repeat contact: their earlier calls' FCR changes."""
    from calls.services.contacts import contact_identify

    agent = centre["agents"][0]
    member = PhoneFactory._meta.model.objects.get(number=CALLERS[0]).customer
    contact = Contact.objects.create(
        customer=member, agent=agent, offered_at=T0 + timedelta(minutes=30), ended_at=T0 + timedelta(hours=1)
    )
    RollupMark.objects.all().delete()
    contact_identify(contact_id=contact.pk, actor=agent, customer=None)
    # Offered on the 10th, ended on the 11th, and the 7 days before for the former member.
    assert set(RollupMark.objects.values_list("day", flat=True)) == {
        date(2026, 11, 3) + timedelta(days=n) for n in range(9)
    }
