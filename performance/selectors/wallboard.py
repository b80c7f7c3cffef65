"""The wallboard's figures for a site or a queue (or the whole centre), read every few seconds:

- calls waiting now and the longest wait: live, from the phone contacts in state offered or
  ringing, offered in the last `WAITING_HOURS` hours (a call the platform never ended stops counting
  then); for a site, those of the queues served from it (`Queue.site`) or shared, and those ringing at
  its agents. The query always names the queues, so that the (queue, offered_at) index serves it;
- agents by state: live, from `calls.AgentStatus` (for a queue: the agents holding one of its
  skills, every agent when it needs none; for a site: its people);
- today's service level (the queue's variant, SL1 across queues) and abandonment: from the daily
  rollups, which lag the calls by up to ROLLUP_REFRESH_SECONDS (said on the board), against the
  standard in force today (red/amber/green).

A fixed number of queries, whatever the number of calls, agents or queues."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from calls.models import (
    AgentState,
    AgentStatus,
    Contact,
    ContactChannel,
    ContactState,
    Queue,
    ServiceLevelVariant,
    Skill,
)
from staff.models import Site

from ..models import Metric, RollupMark
from ..rules import kpis
from ..rules.standards import rag
from .kpis import Period, Scope, measures
from .standards import standards_for

WAITING_HOURS = 12
WAITING_STATES = (ContactState.OFFERED, ContactState.RINGING)
# The order the states are shown in.
STATES = [AgentState.AVAILABLE, AgentState.ON_CALL, AgentState.WRAP_UP, AgentState.BREAK, AgentState.TRAINING,
          AgentState.OFFLINE]  # fmt: skip


@dataclass(frozen=True)
class QueueWaiting:
    queue: Queue
    waiting: int
    oldest: datetime | None


@dataclass(frozen=True)
class Figure:
    value: float | None
    target: float | None
    rag: str | None


@dataclass(frozen=True)
class Wallboard:
    now: datetime
    site: Site | None
    queue: Queue | None
    queues: list[QueueWaiting]  # the queues with calls waiting, longest wait first
    waiting: int
    oldest: datetime | None
    agents: list[tuple[str, str, int]]  # (state, label, count) in STATES order
    service_level: Figure
    variant: str
    abandonment: Figure
    offered_today: int
    refresh_seconds: int
    refresh_pending: bool  # today's rollups have changes not folded in yet

    @property
    def longest_wait_seconds(self) -> int | None:
        return None if self.oldest is None else max(0, int((self.now - self.oldest).total_seconds()))

    @property
    def logged_in(self) -> int:
        return sum(count for state, _label, count in self.agents if state != AgentState.OFFLINE)


def _waiting(*, site: Site | None, queue: Queue | None, now: datetime) -> list[QueueWaiting]:
    queues = [queue] if queue is not None else list(Queue.objects.filter(is_active=True))
    if not queues:
        return []
    contacts = Contact.objects.filter(
        queue__in=queues,
        offered_at__gte=now - timedelta(hours=WAITING_HOURS),
        state__in=WAITING_STATES,
        channel=ContactChannel.PHONE,
    )
    if site is not None:
        # A waiting call has no site until an agent takes it: a site's board shows those of the queues
        # served from it and of the queues the sites share, and those ringing at its agents.
        served = [q.pk for q in queues if q.site_id in (None, site.pk)]
        contacts = contacts.filter(Q(site=site) | Q(site__isnull=True, queue__in=served))
    rows = contacts.values("queue_id").annotate(n=Count("pk"), oldest=Min("offered_at")).order_by()
    by_id = {q.pk: q for q in queues}
    waiting = [QueueWaiting(by_id[row["queue_id"]], row["n"], row["oldest"]) for row in rows]
    return sorted(waiting, key=lambda w: w.oldest or now)


def _agents(*, site: Site | None, queue: Queue | None) -> list[tuple[str, str, int]]:
    statuses = AgentStatus.objects.filter(user__is_active=True)
    if site is not None:
        statuses = statuses.filter(user__site=site)
    if queue is not None:
        needs = Skill.objects.filter(queues=queue)
        holds = Skill.objects.filter(queues=queue, agents=OuterRef("pk"))
        statuses = statuses.filter(Exists(holds) | ~Exists(needs))
    counts = dict(statuses.values_list("state").annotate(n=Count("pk")).order_by())
    return [(state.value, str(state.label), counts.get(state.value, 0)) for state in STATES]


def _figure(metric: str, value: float | None, standards: dict) -> Figure:
    standard = standards.get(metric)
    if standard is None:
        return Figure(value, None, None)
    return Figure(value, float(standard.target), rag(metric, value, standard.target, standard.warning))


def wallboard(*, site: Site | None = None, queue: Queue | None = None, now: datetime | None = None) -> Wallboard:
    """The board for a site and/or a queue (both None: the whole centre) at `now`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queues = _waiting(site=site, queue=queue, now=now)
    scope = Scope(queue_id=queue.pk if queue else None, site_id=site.pk if site else None)
    day = measures(Period(today, today), scope)
    variant = queue.service_level_variant if queue is not None else ServiceLevelVariant.SL1
    standards = standards_for(scope, today, metrics=[Metric.SERVICE_LEVEL, Metric.ABANDONMENT_RATE])
    return Wallboard(
        now=now,
        site=site,
        queue=queue,
        queues=queues,
        waiting=sum(w.waiting for w in queues),
        oldest=min((w.oldest for w in queues if w.oldest), default=None),
        agents=_agents(site=site, queue=queue),
        service_level=_figure(Metric.SERVICE_LEVEL, kpis.service_level(day, variant), standards),
        variant=variant,
        abandonment=_figure(Metric.ABANDONMENT_RATE, kpis.abandonment_rate(day), standards),
        offered_today=day.offered,
        refresh_seconds=settings.ROLLUP_REFRESH_SECONDS,
        refresh_pending=RollupMark.objects.filter(day=today).exists(),
    )
