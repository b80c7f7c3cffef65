"""The five-gap page: the organisation's standing on each gap of the service-quality model, from
the data Tawasul holds, with a monthly trend (what each figure means: docs/performance/five-gaps.md;
the status thresholds: rules/gaps.py).

- Gap 1, knowledge: the management perception study against members' SERVQUAL expectations
  (surveys' selectors); headline: managers' mean error per dimension, either way, on the 1-7 scale.
- Gap 2, standards: the share of measures with a service standard in force, the queues covered for
  service level, abandonment and ASA, and how challenging each target is against the benchmarks
  (performance.rules.standards).
- Gap 3, delivery: each site's and each team's figures for the period, from the rollups, against
  the standard in force for that site; headline: the share of those checks that are green.
- Gap 4, communication: plan tiers' promises kept (performance.selectors.promises, which reads raw
  contacts and so is asked for the period's last `PROMISE_DAYS` days at most) and the spread
  between sites (performance.selectors.sites).
- Gap 5, customer: SERVQUAL's unweighted P - E overall and per dimension (surveys' selectors).

Queries: a fixed number per gap (gap 4's site comparison grows with the sites, two in the case
study), never with days, contacts, responses or months."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from calls.models import Queue, ServiceLevelVariant
from staff.models import Site, Team
from staff.templatetags.staff_tags import local_name
from surveys.models import Answer, QuestionKind, Response
from surveys.selectors import servqual as sq
from surveys.selectors.periods import period_bounds

from ..models import AgentDailyRollup, AgentStateDaily, DailyRollup, Metric, ServiceStandard
from ..models.standards import TELEPHONY_METRICS
from ..rules import gaps as rules
from ..rules import kpis
from ..rules.kpis import Measures, StateMeasures
from ..rules.standards import Challenge, challenge, challenge_label, rag
from . import promises as promise_selectors
from . import sites as site_selectors
from .kpis import ORGANISATION, Period, parts_grouped, rollup_parts
from .standards import specificity, standards_in_force

TREND_MONTHS = 12
PROMISE_DAYS = promise_selectors.MAX_DAYS
# Gap 2: a queue is covered when each of these has a standard that applies to it.
QUEUE_METRICS = (Metric.SERVICE_LEVEL, Metric.ABANDONMENT_RATE, Metric.ASA)
# Gap 3: the measures the rollups give per site, and per team (a team's rows count only the calls
# its agents answered, so abandonment and service level mean nothing there).
SITE_METRICS = TELEPHONY_METRICS
TEAM_METRICS = tuple(m for m in SITE_METRICS if m not in (Metric.SERVICE_LEVEL, Metric.ABANDONMENT_RATE))


@dataclass(frozen=True)
class Cell:
    """A table cell: `kind` says how to show `value` ("percent", "number", "gap", "count", "text")."""

    value: object
    kind: str = "text"
    rag: str | None = None


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: object
    kind: str = "text"


@dataclass(frozen=True)
class TrendPoint:
    month: date  # the month's first day
    value: float | None


@dataclass
class GapStanding:
    """One gap's standing: a headline figure (None: not measurable from the data held), its status
    (rules.gaps.Status), a few facts, a table of the evidence, and the monthly trend (empty when the
    standing was asked for without it)."""

    number: int
    headline: float | None
    headline_label: str
    headline_kind: str  # as Cell.kind
    definition: str
    status: str
    facts: list[Fact] = field(default_factory=list)
    table: Table | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    trend_label: str = ""
    note: str = ""

    @property
    def gap(self) -> rules.Gap:
        return rules.GAPS[self.number]

    @property
    def status_label(self) -> str:
        return str(rules.STATUS_LABELS[rules.Status(self.status)])

    @property
    def rag(self) -> str | None:
        return rules.STATUS_RAG[rules.Status(self.status)]


# Surveys (gaps 1 and 5) -----------------------------------------------------------------------------


def _responses(actor, survey, first: date | None = None, last: date | None = None) -> QuerySet[Response]:
    """A survey's responses in the period: those `actor` may see (surveys' one scoping), or every
    one for the organisation-wide board pack (`actor` None)."""
    if actor is not None:
        return sq.servqual_responses_for(actor, survey=survey, start=first, end=last)
    responses = Response.objects.filter(survey=survey)
    if first is not None and last is not None:
        start, end = period_bounds(first, last)
        responses = responses.filter(submitted_at__gte=start, submitted_at__lt=end)
    return responses


def _monthly_means(responses: QuerySet[Response]) -> dict[date, sq.Means]:
    """surveys' `answer_means`, grouped by the month the response was submitted (local time)."""
    rows = (
        Answer.objects.filter(
            response__in=responses,
            number__isnull=False,
            question__kind__in=(QuestionKind.EXPECTATION, QuestionKind.PERCEPTION, QuestionKind.IMPORTANCE),
        )
        .annotate(month=TruncMonth("response__submitted_at", output_field=DateField()))
        .values("month", "question__kind", "question__servqual_item", "question__dimension")
        .annotate(mean=Avg("number"))
        .order_by()
    )
    means: dict[date, sq.Means] = defaultdict(sq.Means)
    for row in rows:
        target, value = means[row["month"]], float(row["mean"])
        if row["question__kind"] == QuestionKind.EXPECTATION:
            target.expectations[row["question__servqual_item"]] = value
        elif row["question__kind"] == QuestionKind.PERCEPTION:
            target.perceptions[row["question__servqual_item"]] = value
        else:
            target.points[row["question__dimension"]] = value
    return means


def _surveys():
    return sq.servqual_surveys().first(), sq.management_study_latest()


def _knowledge(survey, study, period: Period, actor, monthly: dict | None, months) -> GapStanding:
    management, managers = None, 0
    if study is not None:
        answered = _responses(actor, study)
        management, managers = sq.answer_means(answered).get(None), answered.count()
    customers, members = None, 0
    if survey is not None:
        responses = _responses(actor, survey, period.first, period.last)
        customers, members = sq.answer_means(responses).get(None), responses.count()
    gap = sq.knowledge_gap_from(
        study=study, management=management, managers=managers, customers=customers, customer_count=members
    )
    headline = rules.mean(row.difference for row in gap.rows)
    widest = max((row for row in gap.rows if row.gap is not None), key=lambda row: abs(row.gap), default=None)
    facts = [
        Fact("managers", _("Managers who answered the study"), managers, "count"),
        Fact("members", _("Members' SERVQUAL responses"), members, "count"),
    ]
    if widest is not None:
        direction = _("overestimate") if widest.gap > 0 else _("underestimate")
        facts.append(Fact("widest", _("Widest"), f"{widest.label} ({direction})"))
    table = Table(
        [_("Dimension"), _("Managers believe"), _("Members expect"), _("Gap 1")],
        [
            [Cell(row.label), Cell(row.management, "number"), Cell(row.customers, "number"), Cell(row.gap, "gap")]
            for row in gap.rows
        ],
    )
    trend = []
    if monthly is not None:
        for first, _last in months:
            point = sq.knowledge_gap_from(
                study=study, management=management, managers=managers, customers=monthly.get(first), customer_count=0
            )
            trend.append(TrendPoint(first, rules.mean(row.difference for row in point.rows)))
    note = ""
    if study is None:
        note = _("No management perception study yet: set one up under survey definitions.")
    elif survey is None:
        note = _("No SERVQUAL survey yet: members' expectations come from one.")
    return GapStanding(
        number=1,
        headline=headline,
        headline_label=_("Managers' mean error about members' expectations"),
        headline_kind="number",
        definition=_(
            "Per SERVQUAL dimension, what managers believe members expect minus what members say they expect "
            "(1-7 scale); the headline is the mean size of that difference, either way. 0 means managers know."
        ),
        status=rules.knowledge_status(headline),
        facts=facts,
        table=table,
        trend=trend,
        trend_label=_("Mean error (scale points)"),
        note=note,
    )


def _customer(survey, period: Period, actor, monthly: dict | None, months) -> GapStanding:
    means, count = None, 0
    if survey is not None:
        responses = _responses(actor, survey, period.first, period.last)
        means, count = sq.answer_means(responses).get(None), responses.count()
    result = sq.servqual_result(means, count)
    facts = [
        Fact("responses", _("Responses"), count, "count"),
        Fact("weighted", _("Weighted by importance"), result.weighted, "gap"),
    ]
    scored = [d for d in result.dimensions if d.gap is not None]
    if scored:
        widest = min(scored, key=lambda d: d.gap)
        facts.append(Fact("widest", _("Widest gap"), widest.label))
    table = Table(
        [_("Dimension"), _("Expectation"), _("Perception"), _("Gap (P - E)")],
        [
            [Cell(d.label), Cell(d.expectation, "number"), Cell(d.perception, "number"), Cell(d.gap, "gap")]
            for d in result.dimensions
        ],
    )
    trend = []
    if monthly is not None:
        trend = [TrendPoint(first, sq.servqual_result(monthly.get(first), 0).unweighted) for first, _l in months]
    return GapStanding(
        number=5,
        headline=result.unweighted,
        headline_label=_("SERVQUAL overall gap, unweighted"),
        headline_kind="gap",
        definition=_(
            "Perception minus expectation per statement, averaged per dimension, then over the five dimensions "
            "(1-7 scale). Below zero, members get less than they expect of an excellent health insurer."
        ),
        status=rules.customer_status(result.unweighted),
        facts=facts,
        table=table,
        trend=trend,
        trend_label=_("Overall gap, unweighted"),
        note="" if survey is not None else _("No SERVQUAL survey yet: create one and invite a panel of members."),
    )


# Gap 2 -------------------------------------------------------------------------------------------------


def _covered_metrics(standards) -> set[str]:
    return {s.metric for s in standards} & set(Metric.values)


def _queues_covered(standards, queues: list[Queue]) -> int:
    """Queues with a standard applying to them (theirs, or one across queues) for each QUEUE_METRICS."""
    applying = defaultdict(set)  # metric -> queue ids, None for every queue
    for s in standards:
        if not s.site_id and not s.plan_tier and not s.corporate_account_id:
            applying[s.metric].add(s.queue_id)
    return sum(1 for q in queues if all(None in applying[m] or q.pk in applying[m] for m in QUEUE_METRICS))


def _in_force(standards: list[ServiceStandard], on: date) -> list[ServiceStandard]:
    return [s for s in standards if s.effective_from <= on and (s.effective_to is None or s.effective_to >= on)]


def _standards(period: Period, window: list[ServiceStandard] | None, months) -> GapStanding:
    on = period.last
    standards = list(standards_in_force(on))
    queues = list(Queue.objects.filter(is_active=True).order_by("name"))
    covered = _covered_metrics(standards)
    coverage = rules.share(len(covered), len(Metric.values))
    challenges = defaultdict(int)
    by_metric = defaultdict(list)
    for s in standards:
        by_metric[s.metric].append(s)
        level = challenge(s.metric, s.target)
        if level:
            challenges[level] += 1
    facts = [
        Fact("measures", _("Measures with a standard"), f"{len(covered)} / {len(Metric.values)}"),
        Fact("queues", _("Queues with service level, abandonment and ASA standards"),
             f"{_queues_covered(standards, queues)} / {len(queues)}"),
        *(Fact(f"challenge-{level}", challenge_label(level), challenges[level], "count") for level in Challenge),
    ]  # fmt: skip
    rows = []
    for metric in Metric:
        own = by_metric.get(metric.value, [])
        general = next((s for s in own if specificity(s)[0] == 0), None)
        shown = general or (own[0] if own else None)
        level = challenge(metric.value, shown.target) if shown else None
        rows.append(
            [
                Cell(str(metric.label)),
                Cell(float(shown.target) if shown else None, "number"),
                Cell(len(own), "count"),
                Cell(challenge_label(level) if level else (_("No standard") if not own else "")),
            ]
        )
    trend = []
    if window is not None:
        trend = [
            TrendPoint(first, rules.share(len(_covered_metrics(_in_force(window, last))), len(Metric.values)))
            for first, last in months
        ]
    return GapStanding(
        number=2,
        headline=coverage,
        headline_label=_("Measures with a service standard"),
        headline_kind="percent",
        definition=_(
            "The share of the measures Tawasul keeps (service level, abandonment, ASA, FCR, CSAT, complaints, "
            "claims, callbacks...) with a standard in force on the period's last day, and how demanding each "
            "target is against the recognised benchmarks. A target below the common norm keeps the gap open."
        ),
        status=rules.standards_status(coverage, challenges[Challenge.BELOW]),
        facts=facts,
        table=Table([_("Measure"), _("Target across the organisation"), _("Standards"), _("How challenging")], rows),
        trend=trend,
        trend_label=_("Measures with a standard (%)"),
    )


# Gap 3 -------------------------------------------------------------------------------------------------


def _sums(model, names: list[str], period: Period, key: str, monthly: bool) -> dict[tuple, dict]:
    """{(month or None, key value): sums} over the period, from the monthly rollups of its whole
    months and the daily ones around them (`selectors.kpis.rollup_parts`)."""
    parts = rollup_parts(model, period, ORGANISATION)
    if monthly:
        return parts_grouped(parts, ["bucket", key], names)
    return {(None, value): sums for (value,), sums in parts_grouped(parts, [key], names).items()}


STATE_NAMES = list(StateMeasures.__dataclass_fields__)


def _add_states(a: StateMeasures, b: StateMeasures) -> StateMeasures:
    return StateMeasures(*(getattr(a, name) + getattr(b, name) for name in STATE_NAMES))


def _value(metric: str, m: Measures, s: StateMeasures) -> float | None:
    """A measure from sums; service level is SL1 across queues (domain.md's default)."""
    if metric == Metric.SERVICE_LEVEL:
        return kpis.service_level(m, ServiceLevelVariant.SL1)
    if metric in (Metric.OCCUPANCY, Metric.UTILISATION):
        return getattr(kpis, metric)(s)
    return getattr(kpis, metric)(m)


def _standard(candidates: list[ServiceStandard], metric: str, site_id: int | None, on: date):
    """The standard for a site (or, with None, across sites) on a day: performance.selectors.
    standards' precedence among the standards without a queue, tier or account scope."""
    applying = [
        s
        for s in candidates
        if s.metric == metric
        and s.site_id in (None, site_id)
        and s.effective_from <= on
        and (s.effective_to is None or s.effective_to >= on)
    ]
    return max(applying, key=specificity, default=None)


def _checks(metrics, m: Measures, s: StateMeasures, candidates, site_id, on) -> rules.RagCounts:
    out = []
    for metric in metrics:
        standard = _standard(candidates, metric, site_id, on)
        if standard is not None:
            out.append(rag(metric, _value(metric, m, s), standard.target, standard.warning))
    return rules.rag_counts(out)


@dataclass(frozen=True)
class _People:
    sites: list[Site]
    teams: list[Team]
    candidates: list[ServiceStandard]


def _people(first: date, last: date) -> _People:
    candidates = list(
        ServiceStandard.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=first),
            effective_from__lte=last,
            queue__isnull=True,
            plan_tier="",
            corporate_account__isnull=True,
            metric__in=SITE_METRICS,
        )
    )
    sites = list(Site.objects.filter(is_active=True).order_by("name"))
    teams = list(Team.objects.filter(is_active=True).select_related("site").order_by("site__name", "name"))
    return _People(sites, teams, candidates)


def _delivery_counts(period: Period, people: _People, monthly: bool, months) -> dict:
    """{month or None: {("site", id) | ("team", id) | ("all", None): RagCounts}} from four grouped
    queries over the rollups."""
    sites = _sums(DailyRollup, Measures.names(), period, "site_id", monthly)
    teams = _sums(AgentDailyRollup, Measures.names(), period, "team_id", monthly)
    site_states = _sums(AgentStateDaily, STATE_NAMES, period, "site_id", monthly)
    team_states = _sums(AgentStateDaily, STATE_NAMES, period, "team_id", monthly)
    buckets = [(first, last) for first, last in months] if monthly else [(None, period.last)]
    out = {}
    for bucket, on in buckets:
        counts = {}
        total, total_states = Measures(), StateMeasures()
        for (month, _key), row in sites.items():
            if month == bucket:
                total += Measures.of(row)
        for (month, _key), row in site_states.items():
            if month == bucket:
                total_states = _add_states(total_states, StateMeasures.of(row))
        counts[("all", None)] = _checks(SITE_METRICS, total, total_states, people.candidates, None, on)
        for site in people.sites:
            m = Measures.of(sites.get((bucket, site.pk), {}))
            s = StateMeasures.of(site_states.get((bucket, site.pk), {}))
            counts[("site", site.pk)] = _checks(SITE_METRICS, m, s, people.candidates, site.pk, on)
        for team in people.teams:
            m = Measures.of(teams.get((bucket, team.pk), {}))
            s = StateMeasures.of(team_states.get((bucket, team.pk), {}))
            counts[("team", team.pk)] = _checks(TEAM_METRICS, m, s, people.candidates, team.site_id, on)
        out[bucket] = counts
    return out


def _met_share(counts: dict) -> float | None:
    """Green over the site and team checks with a figure."""
    parts = [c for (kind, _k), c in counts.items() if kind != "all"]
    return sum(parts, rules.RagCounts()).met_share


def _delivery(period: Period, people: _People, trend_counts: dict | None, months) -> GapStanding:
    counts = _delivery_counts(period, people, False, months)[None]
    met = _met_share(counts)
    rows = [(_("Across the organisation"), counts[("all", None)])]
    rows += [(local_name(site), counts[("site", site.pk)]) for site in people.sites]
    rows += [(f"{local_name(team)} ({local_name(team.site)})", counts[("team", team.pk)]) for team in people.teams]
    table = Table(
        [_("Site or team"), _("Green"), _("Amber"), _("Red"), _("No figure"), _("Met")],
        [
            [Cell(label), Cell(c.green, "count", "green"), Cell(c.amber, "count", "amber"), Cell(c.red, "count", "red"),
             Cell(c.no_data, "count"), Cell(c.met_share, "percent")]
            for label, c in rows
        ],
    )  # fmt: skip
    total = sum((c for (kind, _k), c in counts.items() if kind != "all"), rules.RagCounts())
    facts = [
        Fact("green", _("Green"), total.green, "count"),
        Fact("amber", _("Amber"), total.amber, "count"),
        Fact("red", _("Red"), total.red, "count"),
    ]
    trend = []
    if trend_counts is not None:
        trend = [TrendPoint(first, _met_share(trend_counts.get(first, {}))) for first, _last in months]
    return GapStanding(
        number=3,
        headline=met,
        headline_label=_("Standards met, by site and team"),
        headline_kind="percent",
        definition=_(
            "Each site's service level (SL1), abandonment, ASA, AHT, FCR, transfers, occupancy and utilisation for "
            "the period, and each team's (without service level and abandonment: a team's figures count only the "
            "calls it answered), held against the standard in force for the site on the period's last day. The "
            "headline is the share of those checks that are green."
        ),
        status=rules.delivery_status(met),
        facts=facts,
        table=table,
        trend=trend,
        trend_label=_("Standards met (%)"),
    )


# Gap 4 -------------------------------------------------------------------------------------------------


def _site_spread_trend(trend_counts: dict, people: _People, months) -> list[TrendPoint]:
    return [
        TrendPoint(
            first,
            rules.spread(trend_counts.get(first, {}).get(("site", s.pk), rules.RagCounts()).met_share
                         for s in people.sites),
        )
        for first, _last in months
    ]  # fmt: skip


def _promises(period: Period, people: _People, trend_counts: dict | None, months) -> GapStanding:
    recent = Period(max(period.first, date.fromordinal(period.last.toordinal() - PROMISE_DAYS + 1)), period.last)
    try:
        plans = promise_selectors.promises_delivery(recent)
    except promise_selectors.PeriodTooLong:  # pragma: no cover - `recent` is within the limit
        plans = []
    flat = [p for plan in plans for p in plan.promises]
    kept, missed = sum(1 for p in flat if p.kept), sum(1 for p in flat if p.kept is False)
    kept_share = rules.share(kept, kept + missed)
    comparisons = site_selectors.site_consistency(period, metrics=list(SITE_METRICS), sites=people.sites)
    site_shares = {}
    for comparison in comparisons:
        for figure in comparison.figures:
            if figure.rag is not None:
                judged, green = site_shares.get(figure.site_name, (0, 0))
                site_shares[figure.site_name] = (judged + 1, green + (figure.rag == "green"))
    spread = rules.spread(rules.share(green, judged) for judged, green in site_shares.values())
    behind = [c for c in comparisons if c.behind is not None]
    rows = [
        [Cell(plan.plan_name), Cell(plan.kept, "count", "green"), Cell(plan.missed, "count", "red"),
         Cell(len(plan.promises) - plan.kept - plan.missed, "count")]
        for plan in plans
    ]  # fmt: skip
    facts = [
        Fact("kept", _("Promises kept"), f"{kept} / {kept + missed}"),
        Fact("spread", _("Spread between sites in standards met (points)"), spread, "number"),
        Fact("differ", _("Measures where a site is behind"), f"{len(behind)} / {len(comparisons)}"),
    ]
    trend = _site_spread_trend(trend_counts, people, months) if trend_counts is not None else []
    return GapStanding(
        number=4,
        headline=kept_share,
        headline_label=_("Promises kept to plan tiers"),
        headline_kind="percent",
        definition=_(
            "Each plan's promises (calls answered within N seconds, claims paid within N working days, "
            "pre-authorisation on the first call) against what its members got in the last %(days)s days of the "
            "period; and the spread between the sites in the share of standards met (gap 3's checks, site by site)."
        )
        % {"days": PROMISE_DAYS},
        status=rules.promises_status(kept_share, spread),
        facts=facts,
        table=Table([_("Plan"), _("Kept"), _("Missed"), _("Nothing to measure")], rows),
        trend=trend,
        trend_label=_("Spread between sites (points)"),
        note=_("The trend is the spread between sites: promises are read from raw contacts, so only recently."),
    )


# The page and the board pack ---------------------------------------------------------------------------


def gap_standing(period: Period, *, actor=None) -> list[GapStanding]:
    """The standing on each of the five gaps over `period` (whole local days), gap 1 first, without
    trends: what the monthly board pack prints (performance.selectors.reports).

    Each `GapStanding` has `number` (1-5), `gap.name` / `gap.question` (translated), `headline`
    (a float or None when the data to measure it is missing), `headline_label`, `headline_kind`
    ("percent", "number" or "gap": how to print it), `definition` (one sentence), `status`
    ("good" | "watch" | "act" | "unknown", `status_label` in words, `rag` its colour), `facts`
    (label/value pairs), `table` (headers and rows of `Cell`s) and `note` (why a figure is missing).
    `actor` None counts every survey response (organisation-wide); pass the reader to apply
    surveys' visibility. Figures are read in the active language: wrap the call in
    `translation.override(...)` for a report in another."""
    survey, study = _surveys()
    people = _people(period.first, period.last)
    return [
        _knowledge(survey, study, period, actor, None, []),
        _standards(period, None, []),
        _delivery(period, people, None, []),
        _promises(period, people, None, []),
        _customer(survey, period, actor, None, []),
    ]


def gaps_page(today: date, *, actor=None, months: int = TREND_MONTHS) -> tuple[Period, list[GapStanding]]:
    """The five-gap page: each gap's standing over the last `months` calendar months (this one to
    today) and its trend month by month."""
    window = rules.trailing_months(today, months)
    period = Period(window[0][0], today)
    survey, study = _surveys()
    people = _people(period.first, period.last)
    monthly = _monthly_means(_responses(actor, survey, period.first, period.last)) if survey else {}
    standards_window = list(
        ServiceStandard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=period.first)).filter(
            effective_from__lte=period.last
        )
    )
    trend_counts = _delivery_counts(period, people, True, window)
    return period, [
        _knowledge(survey, study, period, actor, monthly, window),
        _standards(period, standards_window, window),
        _delivery(period, people, trend_counts, window),
        _promises(period, people, trend_counts, window),
        _customer(survey, period, actor, monthly, window),
    ]


__all__ = ["Cell", "Fact", "GapStanding", "Table", "TrendPoint", "gap_standing", "gaps_page"]
