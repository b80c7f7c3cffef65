"""A small contact centre for the dashboard's tests: one queue at one site, two agents in two teams,
a handful of calls on one fixed day (and one the day before), their rollups built, a quality
evaluation or two, state time, and two standards. The figures it gives are in `Centre`'s docstring."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from calls.models import Contact, ContactState, Queue
from calls.tests.factories import ContactFactory, QueueFactory
from claims.tests.factories import PlanFactory, covered_member
from performance.models import AgentStateDaily, Metric, ServiceStandard
from performance.services.rollups import day_rollup
from performance.services.rollups_monthly import months_rollup
from staff.models import Site, Team, User
from staff.roles import Role
from staff.tests.factories import SiteFactory, TeamFactory, UserFactory
from staff.tests.quality.factories import EvaluationFactory

DAY = date(2026, 3, 10)  # a Tuesday
BEFORE = DAY - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Centre:
    """On DAY, queue "general" (T = 20 s) at Staines:

    | call | agent | member     | wait | talk+hold+wrap | notes                                  |
    |------|-------|------------|------|----------------|----------------------------------------|
    | 1    | ann   | premier    | 10   | 300+0+60       | agent says resolved; member calls again (5) |
    | 2    | bob   | standard   | 30   | 200+0+40       | late answer, transferred, agent says no |
    | 3    | -     | none       | 40   | -              | abandoned                              |
    | 4    | -     | none       | 3    | -              | short abandon                          |
    | 5    | ann   | premier    | 5    | 120+0+0        | the repeat of 1                        |

    offered 4, answered 3 (2 within T), abandoned 1, short 1, handled 3, transferred 1, FCR 2/3,
    SL1 = 2/4 = 50%, abandonment 25%, ASA 15 s, AHT 240 s. BEFORE: one call answered in 10 s by ann
    (SL 100%, ASA 10 s). Ann's evaluations 90 (passed) and 70 (failed): quality 80, pass rate 50%.
    Ann's state time on DAY: 3,600 s available, 1,800 on calls, 600 wrap-up: occupancy 40%."""

    queue: Queue
    site: Site
    teams: dict[str, Team]
    agents: dict[str, User]
    manager: User
    calls: dict[int, Contact] = field(default_factory=dict)


def call(offered: datetime, wait: int, **fields) -> Contact:
    """An inbound call a telephony platform reported, answered after `wait` seconds (its wrap-up end
    sent too) or abandoned, with `is_abandoned=True`."""
    fields.setdefault("provider", "test-pbx")
    if fields.get("is_abandoned"):
        fields |= {"answered_at": None, "ended_at": offered + timedelta(seconds=wait), "agent": None}
    else:
        answered = offered + timedelta(seconds=wait)
        ended = answered + timedelta(seconds=fields.get("talk_seconds", 0) + fields.get("hold_seconds", 0))
        wrap_up_ended = ended + timedelta(seconds=fields.get("wrap_up_seconds", 0))
        fields = {"answered_at": answered, "ended_at": ended, "wrap_up_ended_at": wrap_up_ended, **fields}
    return ContactFactory(offered_at=offered, wait_seconds=wait, state=ContactState.CLOSED, **fields)


def build_centre() -> Centre:
    site = SiteFactory(code="staines", name="Staines")
    teams = {name: TeamFactory(site=site, name=name.title()) for name in ("north", "south")}
    agents = {
        "ann": UserFactory(full_name="Ann Agent", site=site, team=teams["north"]),
        "bob": UserFactory(full_name="Bob Agent", site=site, team=teams["south"]),
    }
    manager = UserFactory(full_name="Mo Manager", role=Role.MANAGER, site=site)
    queue = QueueFactory(code="general", name="General enquiries")
    premier = covered_member(plan=PlanFactory(tier="premier")).customer
    standard = covered_member(plan=PlanFactory(tier="standard")).customer
    common = {"queue": queue, "site": site}
    ann, bob = agents["ann"], agents["bob"]
    calls = {
        1: call(at(DAY, 9), 10, agent=ann, customer=premier, talk_seconds=300, wrap_up_seconds=60,
                resolved_first_contact=True, **common),
        2: call(at(DAY, 10), 30, agent=bob, customer=standard, talk_seconds=200, wrap_up_seconds=40,
                transfer_count=1, resolved_first_contact=False, **common),
        3: call(at(DAY, 11), 40, is_abandoned=True, customer=None, **common),
        4: call(at(DAY, 12), 3, is_abandoned=True, is_short_abandon=True, customer=None, **common),
        5: call(at(DAY, 13), 5, agent=ann, customer=premier, talk_seconds=120, **common),
        0: call(at(BEFORE, 9), 10, agent=ann, customer=None, talk_seconds=100, **common),
    }  # fmt: skip
    for day in (BEFORE, DAY):
        day_rollup(day)
    AgentStateDaily.objects.create(
        day=DAY, agent=ann, team=teams["north"], site=site,
        available_seconds=3600, on_call_seconds=1800, wrap_up_seconds=600,
    )  # fmt: skip
    months_rollup([DAY])
    evaluator = UserFactory(role=Role.TEAM_LEADER, site=site, team=teams["north"])
    EvaluationFactory(contact=calls[1], evaluator=evaluator, score=90, evaluated_at=at(DAY, 15))
    EvaluationFactory(contact=calls[5], evaluator=evaluator, score=70, evaluated_at=at(DAY, 16))
    ServiceStandard.objects.all().delete()  # the seeded defaults (migration 0002): these tests set their own
    standard_rows = [(Metric.SERVICE_LEVEL, 80, 70), (Metric.ASA, 20, 30)]
    for metric, target, warning in standard_rows:
        ServiceStandard.objects.create(metric=metric, target=target, warning=warning, effective_from=date(2026, 1, 1))
    return Centre(queue=queue, site=site, teams=teams, agents=agents, manager=manager, calls=calls)


def more_history(centre: Centre, *, days: int, agents: int) -> None:
    """More of the same on the days after DAY, by more agents: the page must read as many queries."""
    people = [
        UserFactory(site=centre.site, team=centre.teams["south"] if n % 2 else centre.teams["north"])
        for n in range(agents)
    ]
    for n in range(1, days + 1):
        day = DAY + timedelta(days=n)
        made = [
            call(at(day, 9, index), 15, agent=person, queue=centre.queue, site=centre.site, talk_seconds=90)
            for index, person in enumerate(people)
        ]
        day_rollup(day)
        for person in people:
            AgentStateDaily.objects.create(day=day, agent=person, team=person.team, site=centre.site,
                                           available_seconds=600, on_call_seconds=300)  # fmt: skip
        months_rollup([day])
        EvaluationFactory(contact=made[0], evaluator=centre.manager, score=85, evaluated_at=at(day, 17))
