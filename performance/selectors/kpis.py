"""KPIs for a period and a scope, read from the rollups (never from raw contacts): the manager
dashboard, the wallboard's day, the five-gap page and the reports all go through `kpi_set`.

A scope narrows by queue, site, plan tier, corporate or not, team or agent. Queue, site, tier and
corporate read `DailyRollup` (and `MonthlyRollup` for whole months: `rollup_parts`); team and agent
read `AgentDailyRollup` (and `AgentMonthlyRollup`); contacts nobody answered have no agent: offered,
abandoned and service level are then about the calls the team answered.

`KpiSet.extra` holds the figures of the other apps' data (surveys, complaints, claims, callbacks),
keyed by `models.Metric` value, each source read by one aggregate query. Each source records only
some scopes (`EXTRA_SCOPES`); a figure whose source cannot be narrowed to the scope asked is None and
its metric is listed in `KpiSet.extra_unscoped`, so that a page says why rather than showing the
whole organisation's figure under a queue's name. Definitions: docs/kpis.md."""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count, F, Model, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from calls.models import FollowUp, FollowUpKind, FollowUpStatus, Queue, ServiceLevelVariant
from calls.selectors.complaints import WITHIN_FINAL, WITHIN_SUMMARY, complaints_with_closing
from claims.models import Claim, PromiseMetric, ServicePromise
from surveys.models import Response, SurveyKind

# Private in surveys for now (the lead is asked to make them public): the same counts as its pages.
from surveys.selectors.results import SCORE_AGGREGATES, scores_row

from ..models import AgentDailyRollup, AgentStateDaily, DailyRollup, Metric
from ..models.rollups import MONTHLY
from ..rules import kpis
from ..rules.kpis import Measures, StateMeasures
from ..rules.rollups import month_last, month_of


@dataclass(frozen=True)
class Period:
    """Whole local days, `first` to `last` included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[the start of the first local day, the start of the day after the last)."""
        zone = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.first, time.min), zone),
            timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min), zone),
        )


@dataclass(frozen=True)
class Scope:
    queue_id: int | None = None
    site_id: int | None = None
    plan_tier: str = ""
    is_corporate: bool | None = None
    team_id: int | None = None
    agent_id: int | None = None

    @property
    def by_people(self) -> bool:
        return self.team_id is not None or self.agent_id is not None

    def narrowed_by(self) -> set[str]:
        """The names of the fields that narrow this scope."""
        return {f.name for f in fields(self) if getattr(self, f.name) not in (None, "")}


ORGANISATION = Scope()  # the whole organisation: a default for functions taking a scope


def people_filtered(qs: QuerySet, scope: Scope, *, through: str = "") -> QuerySet:
    """Narrowed by the scope's site, team and agent: the rows' own `site_id`, `team_id`, `agent_id`,
    or those of the person the `through` field names (e.g. "agent": `agent__site_id`...)."""
    for name, value in (("site_id", scope.site_id), ("team_id", scope.team_id), ("agent_id", scope.agent_id)):
        if value is not None:
            column = name if not through else (f"{through}_id" if name == "agent_id" else f"{through}__{name}")
            qs = qs.filter(**{column: value})
    return qs


def split_months(period: Period) -> tuple[Period | None, list[Period]]:
    """The period's whole calendar months (None: not one) and the days outside them (up to two runs)."""
    first = period.first if period.first.day == 1 else month_of(period.first) + relativedelta(months=1)
    last = period.last if period.last == month_last(period.last) else month_of(period.last) - timedelta(days=1)
    if first > last:
        return None, [period]
    before, after = Period(period.first, first - timedelta(days=1)), Period(last + timedelta(days=1), period.last)
    return Period(first, last), [p for p in (before, after) if p.first <= p.last]


def _scoped(qs: QuerySet, scope: Scope, *, people: bool) -> QuerySet:
    if scope.queue_id is not None:
        qs = qs.filter(queue_id=scope.queue_id)
    if scope.site_id is not None:
        qs = qs.filter(site_id=scope.site_id)
    if people:
        if scope.team_id is not None:
            qs = qs.filter(team_id=scope.team_id)
        if scope.agent_id is not None:
            qs = qs.filter(agent_id=scope.agent_id)
    else:
        if scope.plan_tier:
            qs = qs.filter(plan_tier=scope.plan_tier)
        if scope.is_corporate is not None:
            qs = qs.filter(is_corporate=scope.is_corporate)
    return qs


def rollup_rows(qs: QuerySet, period: Period, scope: Scope, *, people: bool) -> QuerySet:
    """Daily rollup rows (`DailyRollup`, `AgentDailyRollup`) of the period and scope."""
    return _scoped(qs.filter(day__gte=period.first, day__lte=period.last), scope, people=people)


@dataclass(frozen=True)
class RollupPart:
    """Rows covering part of a period: monthly rows (`date_field` "month") or daily ones ("day")."""

    rows: QuerySet
    date_field: str


def rollup_parts(model: type[Model], period: Period, scope: Scope) -> list[RollupPart]:
    """The rows of a daily rollup model (DailyRollup, AgentDailyRollup or AgentStateDaily) that
    cover the period and scope with as few rows as possible: the monthly rows of its whole months
    and the daily rows of the days around them; one or two querysets."""
    months, days = split_months(period)
    parts = []
    people = model is not DailyRollup

    def scoped(qs: QuerySet) -> QuerySet:
        return people_filtered(qs, scope) if model is AgentStateDaily else _scoped(qs, scope, people=people)

    if months is not None:
        monthly = MONTHLY[model][0].objects.filter(month__gte=months.first, month__lte=months.last)
        parts.append(RollupPart(scoped(monthly), "month"))
    if days:
        within = Q()
        for run in days:
            within |= Q(day__gte=run.first, day__lte=run.last)
        parts.append(RollupPart(scoped(model.objects.filter(within)), "day"))
    return parts


def parts_summed(parts: list[RollupPart], names: list[str]) -> dict[str, int]:
    """The columns' sums over every part: one aggregate query a part."""
    totals = dict.fromkeys(names, 0)
    for part in parts:
        for name, value in part.rows.aggregate(**{name: Sum(name) for name in names}).items():
            totals[name] += value or 0
    return totals


def parts_grouped(parts: list[RollupPart], keys: list[str], names: list[str]) -> dict[tuple, dict[str, int]]:
    """The columns' sums by the values of `keys` ("bucket": the part's month, to group by month),
    over every part: one grouped query a part."""
    out: dict[tuple, dict[str, int]] = {}
    for part in parts:
        rows = part.rows
        if "bucket" in keys:
            rows = rows.annotate(bucket=F("month") if part.date_field == "month" else TruncMonth("day"))
        for row in rows.values(*keys).annotate(**{name: Sum(name) for name in names}).order_by():
            totals = out.setdefault(tuple(row[key] for key in keys), dict.fromkeys(names, 0))
            for name in names:
                totals[name] += row[name] or 0
    return out


def measures(period: Period, scope: Scope = Scope()) -> Measures:
    """The contact sums of a period and scope: one aggregate query."""
    model = AgentDailyRollup if scope.by_people else DailyRollup
    return Measures.of(parts_summed(rollup_parts(model, period, scope), Measures.names()))


def state_measures(period: Period, scope: Scope = Scope()) -> StateMeasures:
    """The agent-state sums of a period for a site, team or agent (queue, tier: every agent)."""
    names = list(StateMeasures.__dataclass_fields__)
    return StateMeasures.of(parts_summed(rollup_parts(AgentStateDaily, period, scope), names))


def variant_for(scope: Scope) -> str:
    """The service-level variant shown: the queue's own, SL1 across queues (domain.md's default)."""
    if scope.queue_id is None:
        return ServiceLevelVariant.SL1
    return Queue.objects.filter(pk=scope.queue_id).values_list("service_level_variant", flat=True).first() or (
        ServiceLevelVariant.SL1
    )


@dataclass
class KpiSet:
    """Every contact-centre KPI of a period and scope. Figures are None where there is nothing to
    measure. `extra` holds the figures other apps' data give (satisfaction, complaints, claims,
    callbacks), keyed by `models.Metric` value; `extra_counts` what each was computed from (responses,
    complaints closed, claims paid, callbacks due), `extra_detail` the figures beside them
    (`EXTRA_DETAIL`), `extra_unscoped` the metrics whose data cannot be narrowed to this scope."""

    period: Period
    scope: Scope
    measures: Measures
    states: StateMeasures
    variant: str
    service_level: float | None
    service_levels: dict[str, float | None]
    abandonment_rate: float | None
    asa_seconds: float | None
    aht_seconds: float | None
    fcr: float | None
    agent_fcr: float | None
    transfer_rate: float | None
    occupancy: float | None
    utilisation: float | None
    extra: dict[str, float | None] = field(default_factory=dict)
    extra_counts: dict[str, int] = field(default_factory=dict)
    extra_detail: dict[str, float | int | None] = field(default_factory=dict)
    extra_unscoped: frozenset[str] = frozenset()


def kpis_of(period: Period, scope: Scope, m: Measures, s: StateMeasures, variant: str) -> KpiSet:
    """The telephony KPIs of these sums (shared with `selectors.naive`, which sums the raw data)."""
    return KpiSet(
        period=period,
        scope=scope,
        measures=m,
        states=s,
        variant=variant,
        service_level=kpis.service_level(m, variant),
        service_levels={v: kpis.service_level(m, v) for v in ServiceLevelVariant.values},
        abandonment_rate=kpis.abandonment_rate(m),
        asa_seconds=kpis.asa_seconds(m),
        aht_seconds=kpis.aht_seconds(m),
        fcr=kpis.fcr(m),
        agent_fcr=kpis.agent_fcr(m),
        transfer_rate=kpis.transfer_rate(m),
        occupancy=kpis.occupancy(s),
        utilisation=kpis.utilisation(s),
    )


# Extra figures -----------------------------------------------------------------------------------

_EVERY_SCOPE = frozenset({"queue_id", "site_id", "plan_tier", "is_corporate", "team_id", "agent_id"})
# The scope fields each source records; a scope narrowed by any other field leaves its figures None.
EXTRA_SCOPES: dict[str, frozenset[str]] = {
    # A response keeps its segment as it was (agent, team, queue, site, tier, corporate).
    "surveys": _EVERY_SCOPE,
    # A complaint records its member only: no queue, site or team; per 1,000 contacts is organisation-wide.
    "complaints": frozenset(),
    # A claim's policy has its plan (tier) and corporate account; no queue, site or team handles it.
    "claims": frozenset({"plan_tier", "is_corporate"}),
    # A callback has its owner (team, site: theirs as now) or team, and the contact it came from (queue).
    "callbacks": frozenset({"queue_id", "site_id", "team_id", "agent_id"}),
}
EXTRA_METRICS: dict[str, tuple[str, ...]] = {
    "surveys": (Metric.CSAT, Metric.NPS, Metric.CES),
    "complaints": (Metric.COMPLAINTS_PER_1000, Metric.COMPLAINTS_IN_3_DAYS, Metric.COMPLAINTS_IN_8_WEEKS),
    "claims": (Metric.CLAIM_TURNAROUND,),
    "callbacks": (Metric.CALLBACKS_ON_TIME,),
}
# extra_detail's keys: the NPS margin of error at 95% (points); the share answering CES 5-7; complaints
# received in the period; claims paid whose plan promises a turnaround, and the share of them within it.
EXTRA_DETAIL = ("nps_margin", "ces_easy_share", "complaints_received", "claims_promised", "claims_within_promise")


def _satisfaction(period: Period, scope: Scope) -> tuple[dict, dict, dict]:
    """CSAT, NPS and CES of the post-contact responses submitted in the period, by surveys' own
    aggregates and rules (surveys/selectors/results.py, surveys/rules/scores.py)."""
    start, end = period.bounds()
    responses = Response.objects.filter(
        survey__kind=SurveyKind.POST_CONTACT, submitted_at__gte=start, submitted_at__lt=end
    )
    for name in ("queue_id", "site_id", "team_id", "agent_id"):
        if getattr(scope, name) is not None:
            responses = responses.filter(**{name: getattr(scope, name)})
    if scope.plan_tier:
        responses = responses.filter(plan_tier=scope.plan_tier)
    if scope.is_corporate is not None:
        responses = responses.filter(is_corporate=scope.is_corporate)
    row = scores_row("", "", responses.aggregate(**SCORE_AGGREGATES))
    values = {Metric.CSAT: row.csat.score, Metric.NPS: row.nps.score, Metric.CES: row.ces.score}
    counts = {Metric.CSAT: row.csat.responses, Metric.NPS: row.nps.responses, Metric.CES: row.ces.responses}
    return values, counts, {"nps_margin": row.nps.margin, "ces_easy_share": row.ces.easy_share}


def _complaints(period: Period, contacts: int) -> tuple[dict, dict, dict]:
    """Complaints received in the period per 1,000 contacts (all channels, `Measures.contacts`), and
    of the complaints closed in the period (summary resolution or final response, as the FCA return
    and calls' complaints report count them) the shares closed by the summary deadline (3 business
    days) and by the final-response deadline (8 weeks)."""
    start, end = period.bounds()
    in_period = Q(closed_at__gte=start, closed_at__lt=end)
    row = complaints_with_closing().aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        closed=Count("pk", filter=in_period),
        in_3_days=Count("pk", filter=in_period & WITHIN_SUMMARY),
        in_8_weeks=Count("pk", filter=in_period & WITHIN_FINAL),
    )
    values = {
        Metric.COMPLAINTS_PER_1000: kpis.per_thousand(row["received"], contacts),
        Metric.COMPLAINTS_IN_3_DAYS: kpis.share(row["in_3_days"], row["closed"]),
        Metric.COMPLAINTS_IN_8_WEEKS: kpis.share(row["in_8_weeks"], row["closed"]),
    }
    counts = {
        Metric.COMPLAINTS_PER_1000: row["received"],
        Metric.COMPLAINTS_IN_3_DAYS: row["closed"],
        Metric.COMPLAINTS_IN_8_WEEKS: row["closed"],
    }
    return values, counts, {"complaints_received": row["received"]}


def _claims(period: Period, scope: Scope) -> tuple[dict, dict, dict]:
    """The mean turnaround, in working days from a complete claim to payment, of the claims paid in
    the period; and the share of those whose plan promises a turnaround that were paid within it."""
    claims = Claim.objects.filter(
        paid_on__gte=period.first, paid_on__lte=period.last, turnaround_working_days__isnull=False
    )
    if scope.plan_tier:
        claims = claims.filter(policy__plan__tier=scope.plan_tier)
    if scope.is_corporate is not None:
        claims = claims.filter(policy__corporate_account__isnull=not scope.is_corporate)
    promise = ServicePromise.objects.filter(
        plan_id=OuterRef("policy__plan_id"), metric=PromiseMetric.CLAIM_PAID_WORKING_DAYS
    ).values("target")[:1]
    row = claims.annotate(promise=Subquery(promise)).aggregate(
        paid=Count("pk"),
        mean=Avg("turnaround_working_days"),
        promised=Count("pk", filter=Q(promise__isnull=False)),
        kept=Count("pk", filter=Q(turnaround_working_days__lte=F("promise"))),
    )
    mean = None if row["mean"] is None else float(row["mean"])
    detail = {"claims_promised": row["promised"], "claims_within_promise": kpis.share(row["kept"], row["promised"])}
    return {Metric.CLAIM_TURNAROUND: mean}, {Metric.CLAIM_TURNAROUND: row["paid"]}, detail


def _callbacks(period: Period, scope: Scope) -> tuple[dict, dict, dict]:
    """Callbacks due in the period, not cancelled, whose due time has passed (or that are done):
    the share done by their due time. One still open past its due time is late."""
    start, end = period.bounds()
    now = timezone.now()
    callbacks = (
        FollowUp.objects.filter(kind=FollowUpKind.CALLBACK, due_at__gte=start, due_at__lt=end)
        .exclude(status=FollowUpStatus.CANCELLED)
        .filter(Q(due_at__lte=now) | Q(status=FollowUpStatus.DONE))
    )
    if scope.queue_id is not None:
        callbacks = callbacks.filter(contact__queue_id=scope.queue_id)
    if scope.agent_id is not None:
        callbacks = callbacks.filter(owner_id=scope.agent_id)
    if scope.team_id is not None:
        callbacks = callbacks.filter(Q(owner__team_id=scope.team_id) | Q(owner=None, team_id=scope.team_id))
    if scope.site_id is not None:
        callbacks = callbacks.filter(Q(owner__site_id=scope.site_id) | Q(owner=None, team__site_id=scope.site_id))
    row = callbacks.aggregate(
        due=Count("pk"),
        kept=Count("pk", filter=Q(status=FollowUpStatus.DONE, completed_at__lte=F("due_at"))),
    )
    return {Metric.CALLBACKS_ON_TIME: kpis.share(row["kept"], row["due"])}, {Metric.CALLBACKS_ON_TIME: row["due"]}, {}


def _extra(kpi: KpiSet) -> None:
    narrowed = kpi.scope.narrowed_by()
    unscoped: set[str] = set()
    for source, read in (
        ("surveys", lambda: _satisfaction(kpi.period, kpi.scope)),
        ("complaints", lambda: _complaints(kpi.period, kpi.measures.contacts)),
        ("claims", lambda: _claims(kpi.period, kpi.scope)),
        ("callbacks", lambda: _callbacks(kpi.period, kpi.scope)),
    ):
        if narrowed <= EXTRA_SCOPES[source]:
            values, counts, detail = read()
        else:
            values = dict.fromkeys(EXTRA_METRICS[source])
            counts, detail = {}, {}
            unscoped |= set(EXTRA_METRICS[source])
        kpi.extra.update({str(metric): value for metric, value in values.items()})
        kpi.extra_counts.update({str(metric): count for metric, count in counts.items()})
        kpi.extra_detail.update(detail)
    kpi.extra_unscoped = frozenset(unscoped)


def kpi_set(period: Period, scope: Scope = Scope(), *, with_extra: bool = True) -> KpiSet:
    """Every KPI of the period and scope: two or three queries from the rollups, and (`with_extra`)
    one for each other source whose data has the scope. A trend chart of telephony figures passes
    `with_extra=False`."""
    kpi = kpis_of(period, scope, measures(period, scope), state_measures(period, scope), variant_for(scope))
    if with_extra:
        _extra(kpi)
    return kpi
