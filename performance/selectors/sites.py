"""Site consistency (gap 4: "consistent service standards across sites"): the same measures,
site by site, each against the standard in force for that site, with the spread between the best
and the worst site and which site is behind."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from staff.models import Site
from staff.templatetags.staff_tags import local_name

from ..models import DailyRollup, Metric, ServiceStandard
from ..models.standards import LOWER_IS_BETTER, TELEPHONY_METRICS
from ..rules.standards import rag
from .kpis import Period, Scope, kpi_set
from .standards import kpi_value, standards_for

# The measures compared, in the order shown; others (those `kpi_set` does not give per site) are
# left out rather than shown blank.
SITE_METRICS = [
    *TELEPHONY_METRICS,
    Metric.CSAT,
    Metric.NPS,
    Metric.CES,
    Metric.COMPLAINTS_PER_1000,
    Metric.CALLBACKS_ON_TIME,
]


@dataclass(frozen=True)
class SiteFigure:
    site_id: int
    site_name: str
    value: float | None
    standard: ServiceStandard | None
    rag: str | None


@dataclass(frozen=True)
class SiteComparison:
    """One metric across the sites. `spread` is best minus worst in absolute terms (None with
    fewer than two sites with a figure); `behind` is the worst site when the sites differ."""

    metric: str
    label: str
    lower_is_better: bool
    figures: list[SiteFigure]
    spread: float | None
    best: SiteFigure | None
    behind: SiteFigure | None

    @property
    def met(self) -> int:
        return sum(1 for f in self.figures if f.rag == "green")


def _compare(metric: str, figures: list[SiteFigure]) -> SiteComparison:
    measured = [f for f in figures if f.value is not None]
    lower = metric in LOWER_IS_BETTER
    best = behind = None
    spread = None
    if len(measured) >= 2:
        ordered = sorted(measured, key=lambda f: f.value, reverse=not lower)  # best first
        best, worst = ordered[0], ordered[-1]
        spread = abs(worst.value - best.value)
        if spread:
            behind = worst
        else:
            best = None
    return SiteComparison(
        metric=metric,
        label=str(Metric(metric).label),
        lower_is_better=lower,
        figures=figures,
        spread=spread,
        best=best,
        behind=behind,
    )


def site_consistency(
    period: Period, *, metrics: list[str] | None = None, on: date | None = None, sites: list[Site] | None = None
) -> list[SiteComparison]:
    """Each metric (default `SITE_METRICS`) across the active sites in the period, against each
    site's standard in force on `on` (default: the period's last day). Queries: one for the sites,
    then per site `kpi_set`'s and one for its standards: it grows with sites (two in the case
    study), never with days or contacts."""
    metrics = metrics or SITE_METRICS
    on = on or period.last
    if sites is None:
        sites = list(Site.objects.filter(is_active=True).order_by("name"))
    per_site = []
    with_extra = not {str(m) for m in metrics} <= {
        str(m) for m in TELEPHONY_METRICS
    }  # the other apps' figures only if asked
    for site in sites:
        scope = Scope(site_id=site.pk)
        per_site.append(
            (site, kpi_set(period, scope, with_extra=with_extra), standards_for(scope, on, metrics=metrics))
        )
    out = []
    for metric in metrics:
        figures = []
        for site, kpis, standards in per_site:
            value = kpi_value(kpis, metric)
            standard = standards.get(metric)
            figures.append(
                SiteFigure(
                    site_id=site.pk,
                    site_name=local_name(site),
                    value=value,
                    standard=standard,
                    rag=rag(metric, value, standard.target, standard.warning) if standard else None,
                )
            )
        out.append(_compare(metric, figures))
    return out


def abandoned_on_shared_queues(period: Period) -> int:
    """Calls abandoned in the period that count for no site: on a queue several sites share (or on
    no queue), nobody's site took them, so every site's figures leave them out. One query."""
    rows = DailyRollup.objects.filter(day__gte=period.first, day__lte=period.last, site__isnull=True)
    return rows.aggregate(abandoned=Sum("abandoned"))["abandoned"] or 0
