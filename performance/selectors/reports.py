"""What the scheduled reports say, and the reports pages' reads.

`report_content` gathers a report's tables for a kind, a period and a site (blank: every site) from
the rollups (`selectors.kpis`) and the standards in force (`selectors.standards`); no KPI is worked
out here (each figure is a `rules.kpis` function of summed measures). The PDF and the XLSX are both
drawn from the one `ReportContent` (performance/rendering/), so they always agree. Call it inside
`translation.override(language)`: its labels are in the active language."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Queue, ServiceLevelVariant
from staff.models import Site
from staff.templatetags.staff_tags import local_name

from ..models import DailyRollup, IntervalRollup, Metric, ReportKind, ReportRun, ReportSchedule
from ..rules import kpis
from ..rules.kpis import Measures
from ..rules.reports import period_before, same_period_last_year
from ..rules.standards import rag
from . import kpis as kpi_selectors
from .kpis import KpiSet, Period, Scope, kpi_set
from .standards import standards_for

# A cell's kind says how it is shown: counts and text as they are, percentages with one decimal and
# "%", seconds as whole seconds, numbers (NPS, CES, per 1,000) with one decimal, a status as a word.
TEXT, COUNT, PERCENT, SECONDS, NUMBER, STATUS = "text", "count", "percent", "seconds", "number", "status"


@dataclass(frozen=True)
class Cell:
    """A value and how to show it; `signed` shows a change with its sign (+1.5)."""

    value: object
    kind: str = TEXT
    signed: bool = False
    text: str = ""  # a status's words when they are not the standard ones (the five gaps')


@dataclass
class Table:
    """One table of a report: a sheet in the XLSX, a section in the PDF."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    empty: str = ""
    widths: tuple[float, ...] = ()  # each column's share of the PDF page's width (blank: even)


@dataclass
class ReportContent:
    kind: str
    title: str
    period: Period
    period_label: str
    scope_label: str
    tables: list[Table] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)


def period_label(period: Period) -> str:
    first = formats.date_format(period.first, "DATE_FORMAT")
    if period.first == period.last:
        return first
    return f"{first} – {formats.date_format(period.last, 'DATE_FORMAT')}"


# --- headline figures ---------------------------------------------------------------------------

# (metric, KpiSet attribute, kind): the contact-centre KPIs every report leads with.
_KPIS = [
    (Metric.SERVICE_LEVEL, "service_level", PERCENT),
    (Metric.ABANDONMENT_RATE, "abandonment_rate", PERCENT),
    (Metric.ASA, "asa_seconds", SECONDS),
    (Metric.AHT, "aht_seconds", SECONDS),
    (Metric.FCR, "fcr", PERCENT),
    (Metric.AGENT_FCR, "agent_fcr", PERCENT),
    (Metric.TRANSFER_RATE, "transfer_rate", PERCENT),
    (Metric.OCCUPANCY, "occupancy", PERCENT),
    (Metric.UTILISATION, "utilisation", PERCENT),
]
_COUNTS = [
    ("contacts", gettext_lazy("Contacts (all channels)")),
    ("offered", gettext_lazy("Calls offered")),
    ("answered", gettext_lazy("Calls answered")),
    ("abandoned", gettext_lazy("Calls abandoned")),
    ("short_abandoned", gettext_lazy("Short abandons (left out of every KPI)")),
]
# Figures from the other apps (KpiSet.extra, filled by the KPI engine) that are not percentages.
_EXTRA_KINDS = {
    Metric.NPS: NUMBER,
    Metric.CES: NUMBER,
    Metric.COMPLAINTS_PER_1000: NUMBER,
    Metric.CLAIM_TURNAROUND: NUMBER,
}


def _figures(ks: KpiSet) -> dict[str, float | None]:
    figures = {metric.value: getattr(ks, attr) for metric, attr, _kind in _KPIS}
    figures.update({key: value for key, value in ks.extra.items() if key in Metric.values})
    return figures


def _metric_label(metric: str, ks: KpiSet) -> str:
    label = str(Metric(metric).label)
    if metric == Metric.SERVICE_LEVEL:
        return f"{label}, {ServiceLevelVariant(ks.variant).label}"
    return label


def _change(value, before) -> float | None:
    return None if value is None or before is None else value - before


def headline_table(
    period: Period, scope: Scope, comparisons: list[tuple[str, Period]], *, title: str
) -> tuple[Table, KpiSet]:
    """Every KPI of the period with each comparison period's figure and the change, the target in
    force on the period's last day for the scope and the red/amber/green status against it."""
    ks = kpi_set(period, scope)
    others = [(label, kpi_set(other, scope)) for label, other in comparisons]
    standards = standards_for(scope, period.last)
    columns = [_("Measure"), _("Value")]
    for label, _other in others:
        columns += [label, _("Change")]
    columns += [_("Target"), _("Status")]

    rows = []
    for name, label in _COUNTS:
        row = [Cell(str(label)), Cell(getattr(ks.measures, name), COUNT)]
        for _label, other in others:
            before = getattr(other.measures, name)
            row += [Cell(before, COUNT), Cell(_change(getattr(ks.measures, name), before), COUNT, signed=True)]
        rows.append([*row, Cell(None), Cell(None)])
    figures = _figures(ks)
    other_figures = [_figures(other) for _label, other in others]
    kinds = {metric.value: kind for metric, _attr, kind in _KPIS}
    for metric, value in figures.items():
        kind = kinds.get(metric) or _EXTRA_KINDS.get(metric, PERCENT)
        row = [Cell(_metric_label(metric, ks)), Cell(value, kind)]
        for other in other_figures:
            row += [Cell(other.get(metric), kind), Cell(_change(value, other.get(metric)), kind, signed=True)]
        standard = standards.get(metric)
        target = None if standard is None else float(standard.target)
        status = None if standard is None else rag(metric, value, standard.target, standard.warning)
        rows.append([*row, Cell(target, kind), Cell(status, STATUS)])
    note = _(
        "Calls count in the interval they were offered (service level, abandonment, speed of answer) and "
        "handle time where they ended; short abandons are left out. First-contact resolution looks 7 days "
        "ahead, so it is provisional for the last 7 days. Definitions: docs/kpis.md."
    )
    return Table("headline", title, columns, rows, note=note), ks


# --- breakdowns: one grouped query each, KPIs from the rules ------------------------------------


def _sums() -> dict:
    return {name: Sum(name) for name in Measures.names()}


def _grouped(period: Period, scope: Scope, by: str, **annotations) -> list[dict]:
    qs = kpi_selectors.rollup_rows(DailyRollup.objects.all(), period, scope, people=False)
    if annotations:
        qs = qs.annotate(**annotations)
    return list(qs.values(by).annotate(**_sums()).order_by(by))


_BREAKDOWN = [
    ("offered", COUNT),
    ("answered", COUNT),
    ("abandoned", COUNT),
    ("service_level", PERCENT),
    ("abandonment_rate", PERCENT),
    ("asa_seconds", SECONDS),
    ("aht_seconds", SECONDS),
    ("fcr", PERCENT),
]


def _breakdown_columns(first: str) -> list[str]:
    return [
        first,
        _("Offered"),
        _("Answered"),
        _("Abandoned"),
        _("Service level (%)"),
        _("Abandonment rate (%)"),
        _("Average speed of answer (s)"),
        _("Average handle time (s)"),
        _("First-contact resolution (%)"),
    ]


def _breakdown_row(label: str, m: Measures, variant: str) -> list[Cell]:
    values = {
        "offered": m.offered,
        "answered": m.answered,
        "abandoned": m.abandoned,
        "service_level": kpis.service_level(m, variant),
        "abandonment_rate": kpis.abandonment_rate(m),
        "asa_seconds": kpis.asa_seconds(m),
        "aht_seconds": kpis.aht_seconds(m),
        "fcr": kpis.fcr(m),
    }
    return [Cell(label)] + [Cell(values[name], kind) for name, kind in _BREAKDOWN]


def queue_table(period: Period, scope: Scope) -> Table:
    """Per queue, each at its own service-level variant."""
    rows = _grouped(period, scope, "queue_id")
    queues = Queue.objects.in_bulk([row["queue_id"] for row in rows if row["queue_id"]])
    lines = []
    for row in sorted(rows, key=lambda r: local_name(queues.get(r["queue_id"])) or "~"):
        queue = queues.get(row["queue_id"])
        variant = queue.service_level_variant if queue else ServiceLevelVariant.SL1
        label = f"{local_name(queue)} ({variant.upper()})" if queue else _("No queue")
        lines.append(_breakdown_row(label, Measures.of(row), variant))
    return Table(
        "queues",
        _("By queue"),
        _breakdown_columns(_("Queue (service-level variant)")),
        lines,
        empty=_("No calls in this period."),
    )


def site_table(period: Period, scope: Scope) -> Table:
    rows = _grouped(period, scope, "site_id")
    sites = Site.objects.in_bulk([row["site_id"] for row in rows if row["site_id"]])
    lines = [
        _breakdown_row(local_name(sites.get(row["site_id"])) or _("No site"), Measures.of(row), ServiceLevelVariant.SL1)
        for row in sorted(rows, key=lambda r: local_name(sites.get(r["site_id"])) or "~")
    ]
    return Table(
        "sites",
        _("By site"),
        _breakdown_columns(_("Site")),
        lines,
        note=_("Service level here is SL1 (answered within the threshold / answered + abandoned)."),
        empty=_("No calls in this period."),
    )


def day_table(period: Period, scope: Scope) -> Table:
    """One row per day of the period (days with no calls shown empty)."""
    by_day = {row["day"]: Measures.of(row) for row in _grouped(period, scope, "day")}
    variant = kpi_selectors.variant_for(scope)
    lines = []
    for offset in range(period.days):
        day = date.fromordinal(period.first.toordinal() + offset)
        label = formats.date_format(day, "l j F")
        lines.append(_breakdown_row(label, by_day.get(day, Measures()), variant))
    return Table("days", _("By day"), _breakdown_columns(_("Day")), lines)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, 1)


def month_table(period: Period, scope: Scope) -> Table:
    """The 12 months up to the period's month, one row each."""
    months = Period(_add_months(period.last, -11), period.last)
    grouped = {row["month"]: Measures.of(row) for row in _grouped(months, scope, "month", month=TruncMonth("day"))}
    variant = kpi_selectors.variant_for(scope)
    lines = []
    for offset in range(12):
        month = _add_months(months.first, offset)
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
        lines.append(_breakdown_row(label, grouped.get(month, Measures()), variant))
    return Table("months", _("The last 12 months"), _breakdown_columns(_("Month")), lines)


def hour_table(period: Period, scope: Scope) -> Table:
    """Per local hour of the day (from the 15-minute interval rollups)."""
    start = timezone.make_aware(datetime.combine(period.first, time.min))
    end = timezone.make_aware(datetime.combine(period.last + timedelta(days=1), time.min))
    qs = IntervalRollup.objects.filter(start__gte=start, start__lt=end)
    if scope.queue_id is not None:
        qs = qs.filter(queue_id=scope.queue_id)
    if scope.site_id is not None:
        qs = qs.filter(site_id=scope.site_id)
    hours: dict[int, Measures] = {}
    for row in qs.values("start", *Measures.names()):
        hour = timezone.localtime(row["start"]).hour
        hours.setdefault(hour, Measures())
        hours[hour] += Measures.of(row)
    variant = kpi_selectors.variant_for(scope)
    lines = [_breakdown_row(f"{hour:02d}:00", hours[hour], variant) for hour in sorted(hours)]
    return Table(
        "hours",
        _("By hour"),
        _breakdown_columns(_("Hour")),
        lines,
        note=_("Each call counts in the hour it was offered; its handle time, transfers and FCR where it ended."),
        empty=_("No calls in this period."),
    )


# --- the five gaps (the board pack) -------------------------------------------------------------


_GAP_KINDS = {"percent": PERCENT, "number": NUMBER, "gap": NUMBER, "count": COUNT}


def gap_table(period: Period) -> Table:
    """The five-gap page's standing of each gap over the period (`selectors.gaps.gap_standing`,
    organisation-wide): its headline figure, status and what the figure means."""
    from .gaps import gap_standing

    rows = []
    for standing in gap_standing(period):
        kind = _GAP_KINDS.get(standing.headline_kind, NUMBER)
        rows.append(
            [
                Cell(f"{standing.number}. {standing.gap.name}"),
                Cell(str(standing.headline_label)),
                Cell(standing.headline, kind, signed=standing.headline_kind == "gap"),
                Cell(standing.rag, STATUS, text=standing.status_label),
                Cell(str(standing.note or standing.definition)),
            ]
        )
    return Table(
        "gaps",
        _("The five gaps"),
        [_("Gap"), _("Measure"), _("Figure"), _("Status"), _("What it means")],
        rows,
        note=_("As on the five-gap page, for the month of this pack; a dash: the data to measure it is not held."),
        empty=_("No figures for the five gaps in this period."),
        widths=(0.15, 0.2, 0.1, 0.15, 0.4),
    )


# --- a whole report -----------------------------------------------------------------------------


def report_title(kind: str) -> str:
    return str(ReportKind(kind).label)


def report_content(kind: str, period: Period, *, site_id: int | None = None) -> ReportContent:
    """The tables of a report: the daily operations report (yesterday: figures, by hour, by queue),
    the weekly KPI pack (figures against the week before, by day, queue, site) and the monthly board
    pack (against the month before and a year before, the last 12 months, sites, queues, five gaps)."""
    scope = Scope(site_id=site_id)
    site = Site.objects.filter(pk=site_id).first() if site_id else None
    content = ReportContent(
        kind=kind,
        title=report_title(kind),
        period=period,
        period_label=period_label(period),
        scope_label=local_name(site) if site else _("Every site"),
    )
    if kind == ReportKind.DAILY_OPERATIONS:
        comparisons = [(_("Day before"), period_before(kind, period))]
    elif kind == ReportKind.WEEKLY_KPI:
        comparisons = [(_("Week before"), period_before(kind, period))]
    else:
        comparisons = [
            (_("Month before"), period_before(kind, period)),
            (_("A year before"), same_period_last_year(period)),
        ]
    headline, _ks = headline_table(period, scope, comparisons, title=_("Key figures"))
    content.tables.append(headline)
    if kind == ReportKind.DAILY_OPERATIONS:
        content.tables.append(hour_table(period, scope))
    elif kind == ReportKind.WEEKLY_KPI:
        content.tables.append(day_table(period, scope))
    else:
        content.tables.append(month_table(period, scope))
    content.tables.append(queue_table(period, scope))
    if site_id is None:
        content.tables.append(site_table(period, scope))
    if kind == ReportKind.MONTHLY_BOARD:
        content.tables.append(gap_table(period))
    return content


# --- the pages ----------------------------------------------------------------------------------


def runs_list() -> QuerySet[ReportRun]:
    """The runs, latest period first, without their files (only whether each has them)."""
    return (
        ReportRun.objects.select_related("schedule", "schedule__site")
        .defer("pdf", "xlsx")
        .annotate(
            has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()),
            has_xlsx=ExpressionWrapper(Q(xlsx__isnull=False), output_field=BooleanField()),
        )
        .order_by("-created_at", "-id")
    )


def run_status(pk: int) -> ReportRun | None:
    return runs_list().filter(pk=pk).first()


def run_file(pk: int, fmt: str) -> tuple[ReportRun, bytes | None]:
    """A run (its schedule loaded) and one of its files' bytes (None before it is built)."""
    run = ReportRun.objects.select_related("schedule").defer("pdf", "xlsx").get(pk=pk)
    data = ReportRun.objects.filter(pk=pk).values_list(fmt, flat=True).get()
    return run, (bytes(data) if data is not None else None)


def schedules_list() -> QuerySet[ReportSchedule]:
    return ReportSchedule.objects.select_related("site", "periodic_task", "periodic_task__crontab").order_by(
        "kind", "name"
    )
