"""The manager dashboard's reads: the period presets and the comparison period (pure date maths),
every KPI of a period and scope beside its comparison and the standard in force, the contact counts
behind them (each opens the drill-down), and the trend.

Everything is read from the rollups (`selectors.kpis`): a year is a few thousand rows, whatever the
number of contacts. The query count is fixed: two `kpi_set`s, one read of the standards, one trend."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import F, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from calls.models import ServiceLevelVariant

from ..models import AgentDailyRollup, DailyRollup, Metric, ServiceStandard
from ..models.standards import TELEPHONY_METRICS
from ..rules import kpis as rules
from ..rules.kpis import Measures
from ..rules.rollups import month_last
from ..rules.standards import lower_is_better, rag
from .kpis import KpiSet, Period, Scope, kpi_set, parts_grouped, rollup_parts, rollup_rows
from .standards import standards_for

# Period presets, as the form offers them.
TODAY, YESTERDAY, THIS_WEEK, LAST_WEEK = "today", "yesterday", "this_week", "last_week"
THIS_MONTH, LAST_MONTH, LAST_12_MONTHS, CUSTOM = "this_month", "last_month", "last_12_months", "custom"
PRESETS = [
    (TODAY, _("Today")),
    (YESTERDAY, _("Yesterday")),
    (THIS_WEEK, _("This week")),
    (LAST_WEEK, _("Last week")),
    (THIS_MONTH, _("This month")),
    (LAST_MONTH, _("Last month")),
    (LAST_12_MONTHS, _("Last 12 months")),
    (CUSTOM, _("Custom (from and to)")),
]
PREVIOUS, LAST_YEAR, NO_COMPARISON = "previous", "last_year", "none"
COMPARISONS = [
    (PREVIOUS, _("Previous period")),
    (LAST_YEAR, _("Same period last year")),
    (NO_COMPARISON, _("No comparison")),
]
_MONTHS = {THIS_MONTH: 1, LAST_MONTH: 1, LAST_12_MONTHS: 12}
_DAYS = {TODAY: 1, YESTERDAY: 1, THIS_WEEK: 7, LAST_WEEK: 7}


def preset_period(preset: str, today: date, first: date | None = None, last: date | None = None) -> Period:
    """The days a preset means on `today` ("custom": `first` to `last`). This week and this month
    run to today; the last 12 months are the twelve whole months before this one."""
    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    periods = {
        TODAY: (today, today),
        YESTERDAY: (today - timedelta(days=1), today - timedelta(days=1)),
        THIS_WEEK: (monday, today),
        LAST_WEEK: (monday - timedelta(days=7), monday - timedelta(days=1)),
        THIS_MONTH: (month, today),
        LAST_MONTH: (month - relativedelta(months=1), month - timedelta(days=1)),
        LAST_12_MONTHS: (month - relativedelta(months=12), month - timedelta(days=1)),
    }
    if preset == CUSTOM:
        if first is None or last is None:
            raise ValueError("a custom period needs its first and last day")
        return Period(first, last)
    return Period(*periods[preset])


def _whole_months(period: Period) -> int:
    """How many calendar months the period covers exactly (0: it does not start on a 1st and end on a month end)."""
    if period.first.day != 1 or period.last != month_last(period.last):
        return 0
    return (period.last.year - period.first.year) * 12 + period.last.month - period.first.month + 1


def _shift_months(period: Period, months: int) -> Period:
    """Both ends moved by whole months; an end on a month's last day stays on one (February's 28th
    -> January's 31st), and a 29th of February becomes the 28th."""
    last = period.last + relativedelta(months=months)
    if period.last == month_last(period.last):
        last = month_last(last)
    return Period(period.first + relativedelta(months=months), last)


def comparison_period(period: Period, preset: str, compare: str) -> Period | None:
    """The period compared with: the previous one of the same kind (the day before, the week
    before, the month(s) before, or as many days just before a custom period that is not whole
    months), or the same days a year earlier; None for no comparison."""
    if compare == NO_COMPARISON:
        return None
    if compare == LAST_YEAR:
        return _shift_months(period, -12)
    months = _MONTHS.get(preset) or (_whole_months(period) if preset == CUSTOM else 0)
    if months:
        return _shift_months(period, -months)
    step = timedelta(days=_DAYS.get(preset) or period.days)
    return Period(period.first - step, period.last - step)


def trend_grain(period: Period) -> str:
    """Daily up to a month, weekly up to six months, monthly beyond."""
    if period.days <= 31:
        return "day"
    return "week" if period.days <= 186 else "month"


# What each figure means (docs/kpis.md has the full wording).
DEFINITIONS = {
    Metric.SERVICE_LEVEL: _("Share of calls answered within the queue's threshold T, by the variant named."),
    Metric.ABANDONMENT_RATE: _("Abandoned / offered; short abandons left out of both."),
    Metric.ASA: _("Queue wait of answered calls / answered calls."),
    Metric.AHT: _("(Talk + hold + wrap-up) / handled calls, counted where each call ended."),
    Metric.FCR: _(
        "Handled calls of known members with no further inbound contact within 7 days (the last 7 days: provisional)."
    ),
    Metric.AGENT_FCR: _(
        "The agent's own 'resolved at first contact' answer; shown beside the system FCR, never instead."
    ),
    Metric.TRANSFER_RATE: _("Handled calls transferred at least once / handled calls."),
    Metric.OCCUPANCY: _("Time on calls and wrap-up / (that time + available idle time), from agent states."),
    Metric.UTILISATION: _(
        "Time on calls and wrap-up / logged-in time (available, on calls, wrap-up, break, training)."
    ),
    Metric.CSAT: _("Survey answers of 4 or 5 out of 5 / all answers."),
    Metric.NPS: _("% promoters (9-10) minus % detractors (0-6)."),
    Metric.CES: _("Mean agreement, 1-7, that the insurer made it easy."),
    Metric.COMPLAINTS_PER_1000: _("Complaints received / contacts, per 1,000."),
    Metric.COMPLAINTS_IN_3_DAYS: _("Complaints closed in the period that were resolved within 3 business days."),
    Metric.COMPLAINTS_IN_8_WEEKS: _(
        "Complaints closed in the period that were resolved or given a final response within 8 weeks."
    ),
    Metric.CLAIM_TURNAROUND: _(
        "Mean working days from a claim's papers being complete to its payment, for claims paid in the period."
    ),
    Metric.CALLBACKS_ON_TIME: _("Callbacks completed by the time promised."),
}
_SECONDS = {Metric.ASA, Metric.AHT}
_NO_PERCENT = {Metric.NPS, Metric.CES, Metric.COMPLAINTS_PER_1000, Metric.CLAIM_TURNAROUND}


def unit(metric: str) -> str:
    return "s" if metric in _SECONDS else ("" if metric in _NO_PERCENT else "%")


def kpi_values(kpis: KpiSet) -> dict[str, float | None]:
    """Every figure of a KPI set by metric value: the telephony ones, then the other apps' (`extra`)."""
    values = {metric.value: getattr(kpis, metric.value) for metric in TELEPHONY_METRICS}
    return values | {m.value: kpis.extra[m.value] for m in Metric if m.value in kpis.extra and m.value not in values}


@dataclass(frozen=True)
class Figure:
    """One KPI as the dashboard shows it."""

    metric: str
    label: str
    definition: str
    value: float | None
    compared: float | None
    standard: ServiceStandard | None
    rag: str | None

    @property
    def unit(self) -> str:
        return unit(self.metric)

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.compared is None else self.value - self.compared

    @property
    def trend(self) -> str:
        """ "better", "worse" or "same" for the change (less is better for some metrics)."""
        change = self.change
        if not change:
            return "same"
        return "better" if (change < 0) == lower_is_better(self.metric) else "worse"


@dataclass(frozen=True)
class Count:
    """A sum of contacts behind the figures; `figure` names its drill-down list (selectors.drilldown)."""

    figure: str
    label: str
    value: int
    compared: int | None

    @property
    def change(self) -> int | None:
        return None if self.compared is None else self.value - self.compared


def counts_of(m: Measures) -> dict[str, int]:
    """The drill-down figures' counts, from the sums (the same contacts `selectors.drilldown` lists)."""
    return {
        "offered": m.offered,
        "answered": m.answered,
        "answered_late": m.answered - m.answered_in_threshold,
        "abandoned": m.abandoned,
        "short_abandoned": m.short_abandoned,
        "handled": m.handled,
        "transferred": m.transferred,
        "repeat": m.fcr_eligible - m.fcr_resolved,
    }


COUNT_LABELS = {
    "offered": _("Offered"),
    "answered": _("Answered"),
    "answered_late": _("Answered after the threshold"),
    "abandoned": _("Abandoned"),
    "short_abandoned": _("Short abandons (left out)"),
    "handled": _("Handled"),
    "transferred": _("Transferred"),
    "repeat": _("Followed by a repeat contact"),
}


@dataclass(frozen=True)
class Dashboard:
    period: Period
    comparison: Period | None
    scope: Scope
    kpis: KpiSet
    compared: KpiSet | None
    figures: list[Figure]
    counts: list[Count]

    @property
    def variant_label(self) -> str:
        return ServiceLevelVariant(self.kpis.variant).label

    @property
    def service_levels(self) -> list[tuple[str, str, float | None, bool]]:
        """(variant, its definition, value, is the one shown) for SL1-SL4."""
        return [
            (variant, label, self.kpis.service_levels.get(variant), variant == self.kpis.variant)
            for variant, label in ServiceLevelVariant.choices
        ]

    @property
    def has_contacts(self) -> bool:
        return bool(self.kpis.measures.contacts or self.kpis.measures.handled)


def dashboard_figures(period: Period, scope: Scope, comparison: Period | None) -> Dashboard:
    """Every KPI of the period with its comparison and RAG against the standard in force on the
    period's last day (the most specific for the scope, helper `selectors.standards`)."""
    kpis = kpi_set(period, scope)
    compared = kpi_set(comparison, scope) if comparison is not None else None
    values = kpi_values(kpis)
    before = kpi_values(compared) if compared is not None else {}
    standards = standards_for(scope, period.last, metrics=list(values))
    figures = []
    for metric, value in values.items():
        standard = standards.get(metric)
        figures.append(
            Figure(
                metric=metric,
                label=str(Metric(metric).label),
                definition=str(DEFINITIONS.get(metric, "")),
                value=value,
                compared=before.get(metric),
                standard=standard,
                rag=rag(metric, value, standard.target, standard.warning) if standard else None,
            )
        )
    now, then = counts_of(kpis.measures), counts_of(compared.measures) if compared is not None else {}
    counts = [Count(name, str(COUNT_LABELS[name]), value, then.get(name)) for name, value in now.items()]
    return Dashboard(period, comparison, scope, kpis, compared, figures, counts)


@dataclass(frozen=True)
class TrendPoint:
    start: date
    measures: Measures | None  # None: no row in the rollups for this day, week or month

    def kpi(self, name: str) -> float | None:
        if self.measures is None:
            return None
        return getattr(rules, name)(self.measures)


def _bucket_starts(period: Period, grain: str) -> list[date]:
    if grain == "day":
        return [period.first + timedelta(days=n) for n in range(period.days)]
    if grain == "week":
        first = period.first - timedelta(days=period.first.weekday())
        return [first + timedelta(weeks=n) for n in range((period.last - first).days // 7 + 1)]
    first = period.first.replace(day=1)
    months = (period.last.year - first.year) * 12 + period.last.month - first.month + 1
    return [first + relativedelta(months=n) for n in range(months)]


def dashboard_trend(period: Period, scope: Scope, grain: str) -> list[TrendPoint]:
    """The sums per day, week (from Monday) or month of the period: one grouped query over the daily
    rollups, or by month over the monthly rollups of the whole months and the daily ones around them."""
    model = AgentDailyRollup if scope.by_people else DailyRollup
    if grain == "month":
        grouped = parts_grouped(rollup_parts(model, period, scope), ["bucket"], Measures.names())
        sums = {key[0]: Measures.of(row) for key, row in grouped.items()}
    else:
        qs = rollup_rows(model.objects.all(), period, scope, people=scope.by_people)
        rows = qs.annotate(bucket={"day": F("day"), "week": TruncWeek("day")}[grain])
        sums = {
            row["bucket"]: Measures.of(row)
            for row in rows.values("bucket").annotate(**{name: Sum(name) for name in Measures.names()}).order_by()
        }
    return [TrendPoint(start, sums.get(start)) for start in _bucket_starts(period, grain)]
