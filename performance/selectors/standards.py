"""Which service standard applies, and what standards have applied.

A standard applies to a scope when every scope field it sets matches the scope: a standard for
queue X applies to a scope on queue X (whatever its site or tier), never to a scope across queues.
Among the standards that apply and are in force on the day, the most specific wins:

1. the one setting the most scope fields (corporate account, queue, plan tier, site);
2. on a tie, in this order: corporate account (a contract with a client), then queue (the kind of
   work), then plan tier (the promise a member bought), then site;
3. (the database allows one open standard per metric and exact scope; a remaining tie between
   dated ones goes to the latest `effective_from`.)

Team and agent scopes have no standards of their own: the site/queue ones apply to them."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from calls.models import Queue

from ..models import ServiceStandard
from ..rules.standards import Benchmark, benchmark_for, challenge, challenge_label, rag
from .kpis import KpiSet, Period, Scope, kpi_set

# Scope fields in order of precedence (step 2 above).
PRECEDENCE = ("corporate_account_id", "queue_id", "plan_tier", "site_id")


def in_force_q(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def _applies_q(scope: Scope, corporate_account_id: int | None) -> Q:
    """Standards whose set scope fields all match the scope's."""
    q = Q(queue__isnull=True) if scope.queue_id is None else Q(queue__isnull=True) | Q(queue_id=scope.queue_id)
    q &= Q(site__isnull=True) if scope.site_id is None else Q(site__isnull=True) | Q(site_id=scope.site_id)
    q &= Q(plan_tier="") if not scope.plan_tier else Q(plan_tier="") | Q(plan_tier=scope.plan_tier)
    if corporate_account_id is None:
        q &= Q(corporate_account__isnull=True)
    else:
        q &= Q(corporate_account__isnull=True) | Q(corporate_account_id=corporate_account_id)
    return q


def specificity(standard: ServiceStandard) -> tuple:
    """The sort key of step 1-3: greater is more specific."""
    set_fields = tuple(bool(getattr(standard, name)) for name in PRECEDENCE)
    return (sum(set_fields), set_fields, standard.effective_from, standard.pk or 0)


def standards_for(
    scope: Scope, on: date, *, metrics: list[str] | None = None, corporate_account_id: int | None = None
) -> dict[str, ServiceStandard]:
    """The standard in force on `on` for each metric (that has one) for this scope, by metric
    value: one query. Use this on pages showing many metrics."""
    qs = ServiceStandard.objects.filter(in_force_q(on), _applies_q(scope, corporate_account_id))
    if metrics is not None:
        qs = qs.filter(metric__in=metrics)
    best: dict[str, ServiceStandard] = {}
    for standard in qs:
        current = best.get(standard.metric)
        if current is None or specificity(standard) > specificity(current):
            best[standard.metric] = standard
    return best


def standard_for(
    metric: str, scope: Scope | None = None, on: date | None = None, *, corporate_account_id: int | None = None
) -> ServiceStandard | None:
    """The standard in force on `on` (default: today) for this metric and scope, the most specific
    winning (module docstring), or None. One query."""
    scope = scope or Scope()
    on = on or timezone.localdate()
    return standards_for(scope, on, metrics=[metric], corporate_account_id=corporate_account_id).get(metric)


def standards_in_force(on: date) -> QuerySet[ServiceStandard]:
    """Every standard in force on the day, whatever its scope, with its scope's names loaded."""
    return (
        ServiceStandard.objects.filter(in_force_q(on))
        .select_related("queue", "site", "corporate_account", "changed_by")
        .order_by("metric", "queue__name", "site__name", "plan_tier", "corporate_account_id", "pk")
    )


def same_scope_q(standard: ServiceStandard) -> Q:
    return Q(
        metric=standard.metric,
        queue_id=standard.queue_id,
        site_id=standard.site_id,
        plan_tier=standard.plan_tier,
        corporate_account_id=standard.corporate_account_id,
    )


def standard_history(standard: ServiceStandard) -> QuerySet[ServiceStandard]:
    """Every standard ever set on this metric and exact scope, latest first (the `replaces` chain
    and any standard set again after one was retired)."""
    return (
        ServiceStandard.objects.filter(same_scope_q(standard))
        .select_related("changed_by", "replaces")
        .order_by("-effective_from", "-pk")
    )


def standard_get(pk: int) -> ServiceStandard:
    return get_object_or_404(ServiceStandard.objects.select_related("queue", "site", "corporate_account"), pk=pk)


def standard_scope(standard: ServiceStandard) -> Scope | None:
    """The KPI scope a standard is measured over; None for a corporate account's standard (the
    rollups keep corporate or not, not which account)."""
    if standard.corporate_account_id is not None:
        return None
    return Scope(queue_id=standard.queue_id, site_id=standard.site_id, plan_tier=standard.plan_tier)


def kpi_value(kpis: KpiSet, metric: str) -> float | None:
    """A metric's figure from a `KpiSet`: its attribute, or its `extra` entry."""
    if metric != "extra" and hasattr(kpis, metric):
        return getattr(kpis, metric)
    value = kpis.extra.get(metric)
    return None if value is None else float(value)


@dataclass(frozen=True)
class StandardRow:
    """A standard in force with how the last days went against it and how it compares to the
    recognised benchmarks."""

    standard: ServiceStandard
    value: float | None
    rag: str | None
    measurable: bool
    benchmark: Benchmark | None
    challenge: str | None

    @property
    def challenge_label(self) -> str:
        return challenge_label(self.challenge)


def standards_overview(on: date, *, days: int = 30) -> tuple[Period, list[StandardRow]]:
    """Every standard in force on `on`, each with its figure over the `days` days to `on` for its
    own scope and the RAG against it. Queries: one for the standards, then `kpi_set`'s per distinct
    scope (most standards share the "everything" scope): never per standard or per day."""
    period = Period(on - timedelta(days=days - 1), on)
    standards = list(standards_in_force(on))
    figures: dict[Scope, KpiSet] = {}
    rows = []
    for standard in standards:
        scope = standard_scope(standard)
        value = None
        if scope is not None:
            if scope not in figures:
                figures[scope] = kpi_set(period, scope)
            value = kpi_value(figures[scope], standard.metric)
        rows.append(
            StandardRow(
                standard=standard,
                value=value,
                rag=rag(standard.metric, value, standard.target, standard.warning),
                measurable=scope is not None,
                benchmark=benchmark_for(standard.metric),
                challenge=challenge(standard.metric, standard.target),
            )
        )
    return period, rows


@dataclass(frozen=True)
class Coverage:
    """For the five-gap page (gap 2): how many queues have a standard on each key measure, and
    how challenging the standards in force are."""

    queues: int
    queues_with_standards: int
    challenge_counts: dict[str, int]


def standards_coverage(on: date, *, metrics: tuple[str, ...] = ("service_level", "abandonment_rate")) -> Coverage:
    """A queue is covered when every metric in `metrics` has a standard that applies to it (its
    own or a wider one). Two queries."""
    in_force = list(ServiceStandard.objects.filter(in_force_q(on), metric__in=metrics, corporate_account__isnull=True))
    queue_ids = list(Queue.objects.values_list("pk", flat=True))

    def applies(s: ServiceStandard, queue_id: int) -> bool:
        return s.queue_id in (None, queue_id) and s.site_id is None and not s.plan_tier

    def covered_queue(queue_id: int) -> bool:
        return all(any(s.metric == m and applies(s, queue_id) for s in in_force) for m in metrics)

    covered = sum(1 for queue_id in queue_ids if covered_queue(queue_id))
    counts: dict[str, int] = {}
    for s in ServiceStandard.objects.filter(in_force_q(on)).only("metric", "target"):
        level = challenge(s.metric, s.target)
        if level:
            counts[level] = counts.get(level, 0) + 1
    return Coverage(queues=len(queue_ids), queues_with_standards=covered, challenge_counts=counts)
