"""The performance demo data: months of calls with a real contact centre's patterns (calls.demo.
seed_history), the agents' timelines, the roster, a site's own standard, the report recipients, and
the KPI rollups rebuilt from them (performance.demo.seed_performance, called by seed_demo)."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from calls.demo import seed_history, seed_queues_and_reasons
from calls.models import AgentStateChange, Contact, ContactState
from claims.tests.factories import PhoneFactory
from performance.demo import seed_performance
from performance.models import DailyRollup, Metric, ReportKind, ReportSchedule, RosterShift, ServiceStandard
from performance.selectors.kpis import Period, kpi_set
from staff.models import Site
from staff.roles import Role
from staff.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def centre(user_factory):
    """The demo's queues, ten office agents and three nurses (each with an extension), 40 members."""
    seed_queues_and_reasons()
    agents = [(user_factory(role=Role.AGENT), str(4001 + n)) for n in range(10)]
    agents += [(user_factory(role=Role.NURSE), str(4101 + n)) for n in range(3)]
    for n in range(40):
        PhoneFactory(number=f"+4477009{n:05d}")
    return agents


def test_the_nurse_line_is_served_from_the_nurses_site_and_the_other_queues_are_shared(user_factory):
    staines, manchester = SiteFactory(code="staines", name="Staines"), SiteFactory(code="manchester")
    user_factory(role=Role.NURSE, site=staines)
    user_factory(role=Role.AGENT, site=manchester)
    queues = seed_queues_and_reasons()
    assert queues["nurse"].site == staines
    assert {code for code, queue in queues.items() if queue.site_id is None} == set(queues) - {"nurse"}


def _local(moment):
    return timezone.localtime(moment)


def test_history_follows_the_week_the_day_and_a_mild_trend(centre):
    first = MONDAY
    last = first + timedelta(weeks=8) - timedelta(days=1)
    contacts, states = seed_history(rng=random.Random(1), agents=centre, first=first, last=last, per_day=120)

    calls = list(Contact.objects.select_related("queue"))
    assert len(calls) == contacts > 5_000 and states > 0
    office = [c for c in calls if c.queue.code != "nurse"]
    by_weekday = Counter(_local(c.offered_at).weekday() for c in office)
    assert by_weekday[0] > by_weekday[1] > by_weekday[4] > by_weekday[5] > by_weekday[6] == 0  # Monday heaviest
    by_hour = Counter(_local(c.offered_at).hour for c in office)
    assert min(by_hour[9], by_hour[10], by_hour[14]) > 1.5 * max(by_hour[8], by_hour[12], by_hour[18])
    assert set(by_hour) <= set(range(8, 20))
    nurse = [c for c in calls if c.queue.code == "nurse"]
    assert {_local(c.offered_at).weekday() for c in nurse} == set(range(7))  # the nurse line 24/7
    assert any(_local(c.offered_at).hour < 6 for c in nurse)
    halves = Counter(_local(c.offered_at).date() < first + timedelta(weeks=4) for c in office)
    assert 1.0 < halves[False] / halves[True] < 1.25  # later weeks busier, mildly


def test_every_history_call_is_finished_and_answered_by_an_agent_on_shift(centre):
    seed_history(rng=random.Random(2), agents=centre, first=MONDAY, last=MONDAY + timedelta(days=6), per_day=80)

    calls = Contact.objects.all()
    assert set(calls.values_list("state", flat=True)) == {ContactState.CLOSED, ContactState.ABANDONED}
    abandoned = calls.filter(is_abandoned=True).count() / calls.count()
    assert 0.02 < abandoned < 0.25
    assert not calls.filter(state=ContactState.CLOSED, agent__isnull=True).exists()
    at_work = 0
    answered = list(calls.filter(state=ContactState.CLOSED).select_related("queue", "agent")[:300])
    for call in answered:
        # the agent's timeline has them at work when the call was answered (shifts start up to a
        # quarter of an hour late: the odd call at the edge of a shift is not)
        entry = (
            AgentStateChange.objects.filter(user_id=call.agent_id, started_at__lte=call.answered_at)
            .order_by("-started_at")
            .first()
        )
        at_work += entry is not None and entry.state != "offline"
        assert (call.queue.code == "nurse") == call.agent.has_perm("staff.use_nurse_line")
    assert at_work / len(answered) > 0.95


def test_calls_already_seeded_are_taken_off_the_days_draw(centre):
    tuesday = MONDAY + timedelta(days=1)
    seed_history(rng=random.Random(3), agents=centre, first=tuesday, last=tuesday, per_day=100)
    alone = Contact.objects.exclude(queue__code="nurse").count()
    Contact.objects.all().delete()
    seed_history(rng=random.Random(3), agents=centre, first=tuesday, last=tuesday, per_day=100, already={tuesday: 30})
    assert Contact.objects.exclude(queue__code="nurse").count() == alone - 30


def test_the_performance_demo_rebuilds_the_rollups_so_the_dashboard_has_months_to_show(centre, settings):
    Site.objects.get_or_create(code="manchester", defaults={"name": "Manchester"})
    if not ReportSchedule.objects.exists():  # the defaults of migration performance 0003
        ReportSchedule.objects.create(name="Daily", kind=ReportKind.DAILY_OPERATIONS, recipients="")
    today = timezone.localdate()

    seeded = seed_performance(rng=random.Random(4), scale="small", today=today, agents=centre)

    assert seeded.contacts == Contact.objects.count() > 4_000
    first = _local(Contact.objects.order_by("offered_at").first().offered_at).date()
    assert first == today - timedelta(days=120)
    assert seeded.rollup_days == 121
    assert DailyRollup.objects.filter(day=today - timedelta(days=1)).exists()
    figures = kpi_set(Period(today - timedelta(days=90), today - timedelta(days=1)))
    assert figures.measures.offered > 3_000
    assert 65 < figures.service_level < 95 and 2 < figures.abandonment_rate < 15  # per cent
    assert 65 < figures.occupancy < 90  # the timelines' on-call and wrap-up share
    assert 150 < figures.aht_seconds < 600
    # the roster: the past four weeks and the coming week, no agent on two shifts at once
    shifts = RosterShift.objects.all()
    assert shifts.filter(starts_at__date__gt=today + timedelta(days=5)).exists()
    assert shifts.filter(starts_at__date__lt=today - timedelta(days=21)).exists()
    by_agent_day = Counter((s.agent_id, _local(s.starts_at).date()) for s in shifts)
    assert max(by_agent_day.values()) == 1
    standard = ServiceStandard.objects.get(site__code="manchester")
    assert standard.metric == Metric.ABANDONMENT_RATE and standard.effective_to is None
    daily = ReportSchedule.objects.filter(kind=ReportKind.DAILY_OPERATIONS)
    assert daily and all(
        schedule.recipient_list == ["manager@tawasul.demo", "teamleader@tawasul.demo"] for schedule in daily
    )


@pytest.fixture
def bulk_members(db):
    from claims.demo import seed_plans_and_providers
    from customers.bulk import load_members

    plans, _providers = seed_plans_and_providers()
    load_members(count=300, seed=5, plan_ids=[p.pk for p in plans.values()], chunk=150)


def test_bulk_contacts_multiply_in_sql_with_their_own_ids_and_every_index_back(bulk_members):
    from django.db import connection

    from calls.bulk import contact_centre_ensure, load_contacts, replicate_contacts

    load_contacts(count=400, seed=3, centre=contact_centre_ensure(agents=6), chunk=400)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'calls_contact' ORDER BY 1")
        indexes = cursor.fetchall()

    assert replicate_contacts(times=3) == 800

    contacts = Contact.objects.all()
    assert contacts.count() == 1_200
    assert contacts.values("external_id").distinct().count() == 1_200
    assert (
        contacts.filter(customer__isnull=False).count()
        == 3 * Contact.objects.filter(customer__isnull=False, external_id__regex=r"^[0-9]+\.[0-9]+$").count()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'calls_contact' ORDER BY 1")
        assert cursor.fetchall() == indexes
    originals = Contact.objects.filter(external_id__regex=r"^[0-9]+\.[0-9]+$")
    assert contacts.filter(is_abandoned=True).count() == 3 * originals.filter(is_abandoned=True).count()


def test_bulk_agent_timelines_give_a_realistic_occupancy(bulk_members):
    from calls.bulk import contact_centre_ensure, load_agent_states
    from performance.services.rollups import day_rollup

    centre = contact_centre_ensure(agents=7)
    rows = load_agent_states(seed=1, centre=centre, years=1)

    assert AgentStateChange.objects.count() == rows > 7 * 200 * 20
    day = timezone.localdate() - timedelta(days=3)
    day_rollup(day)
    figures = kpi_set(Period(day, day))
    assert 65 < figures.occupancy < 90  # per cent
    assert figures.states.on_call_seconds > 0 and figures.states.break_seconds > 0
