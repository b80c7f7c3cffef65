"""Promises against delivery (gap 4): what each plan promises its holders (`claims.ServicePromise`)
against what that plan's members got in a period.

- "Calls answered within N seconds": the members' inbound phone calls offered in the period that a
  telephony platform reported (short abandons excluded, as everywhere; a call logged by hand has no
  queue wait to measure), the share answered within N seconds of all answered or
  abandoned (SL1 at N). The rollups count within each queue's own threshold, not N, so this is
  counted from the contacts themselves: hence `MAX_DAYS`. A call counts for the plan its caller
  held on the day it was offered (an active policy first, then the newest cover).
- "Claims paid within N working days": claims paid in the period on a policy of the plan, the share
  whose turnaround (working days from a complete claim to payment) is at most N, and the mean.
- "Pre-authorisations given on the first call": pre-authorisations given in the period whose cover
  check was recorded on an inbound call that was the member's first contact in the 7 days before
  it (the member did not have to call before to get it). Those given outside a call count as not.

A promise is kept when the share meeting it reaches `required_share`: the promise's own percentage
for the pre-authorisation promise, `KEPT_SHARE` (9 in 10) for the others, whose wording names no
share ("calls answered within 30 seconds" reads as nearly every call)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from calls.models import Contact, ContactChannel, Direction
from claims.models import Claim, PolicyMember, PolicyStatus, PreAuthorisation, PromiseMetric, ServicePromise

from ..rules.rollups import REPEAT_WINDOW
from ..services.rollups import day_bounds
from .kpis import Period

KEPT_SHARE = Decimal(90)
# The call promise reads raw contacts: a page asks for at most this many days at a time.
MAX_DAYS = 92


class PeriodTooLong(ValueError):
    pass


@dataclass(frozen=True)
class PromiseDelivery:
    """One plan's promise and what its members got. `share` is a percentage of `cases` (None: no
    cases); `mean` the mean wait of answered calls (s) or the mean turnaround (working days)."""

    plan_id: int
    plan_name: str
    tier: str
    metric: str  # claims.PromiseMetric
    promised: Decimal  # N seconds, N working days, or the percentage for pre-authorisations
    wording: str
    cases: int
    met: int
    share: float | None
    required_share: Decimal
    mean: float | None
    kept: bool | None  # None: nothing to measure

    @property
    def status(self) -> str:
        return "none" if self.kept is None else ("kept" if self.kept else "missed")


@dataclass(frozen=True)
class PlanPromises:
    plan_id: int
    plan_name: str
    tier: str
    promises: list[PromiseDelivery]

    @property
    def kept(self) -> int:
        return sum(1 for p in self.promises if p.kept)

    @property
    def missed(self) -> int:
        return sum(1 for p in self.promises if p.kept is False)


def _counts(rows, key: str, promised: dict[int, Decimal]) -> dict[int, tuple[int, int, float | None]]:
    out = {}
    for row in rows:
        plan_id = row[key]
        if plan_id not in promised:
            continue
        out[plan_id] = (row["cases"], row[f"met_{int(promised[plan_id])}"], row.get("mean"))
    return out


def _met_counts(promised: dict[int, Decimal], field: str, base: Q) -> dict[str, Count]:
    """One conditional count per distinct promised N (a few), so one query serves every plan."""
    return {
        f"met_{n}": Count("pk", filter=base & Q(**{f"{field}__lte": n}))
        for n in sorted({int(v) for v in promised.values()})
    }


def _plan_on_day(customer_ref: str, day_ref: str) -> Subquery:
    """The plan a member held on a day: the choice `claims.selectors.membership_on` makes."""
    day = OuterRef(day_ref)
    return Subquery(
        PolicyMember.objects.filter(
            customer_id=OuterRef(customer_ref),
            covered_from__lte=day,
            policy__start_date__lte=day,
            policy__renewal_date__gt=day,
        )
        .filter(Q(covered_to__isnull=True) | Q(covered_to__gte=day))
        .order_by(Case(When(policy__status=PolicyStatus.ACTIVE, then=0), default=1), "-covered_from", "-id")
        .values("policy__plan_id")[:1]
    )


def _calls(period: Period, promised: dict[int, Decimal]) -> dict[int, tuple[int, int, float | None]]:
    if not promised:
        return {}
    if period.days > MAX_DAYS:
        raise PeriodTooLong(f"at most {MAX_DAYS} days")
    start, _end = day_bounds(period.first)
    _start, end = day_bounds(period.last)
    answered = Q(answered_at__isnull=False, is_abandoned=False)
    counted = answered | Q(is_abandoned=True, is_short_abandon=False)
    rows = (
        Contact.objects.filter(
            channel=ContactChannel.PHONE,
            direction=Direction.INBOUND,
            customer__isnull=False,
            offered_at__gte=start,
            offered_at__lt=end,
        )
        .filter(counted)
        .exclude(provider="")
        .annotate(day=TruncDate("offered_at", tzinfo=timezone.get_current_timezone()))
        .annotate(plan_id=_plan_on_day("customer_id", "day"))
        .filter(plan_id__in=list(promised))
        .values("plan_id")
        .annotate(
            cases=Count("pk"),
            mean=Avg("wait_seconds", filter=answered),
            **_met_counts(promised, "wait_seconds", answered),
        )
        .order_by()
    )
    return _counts(rows, "plan_id", promised)


def _claims(period: Period, promised: dict[int, Decimal]) -> dict[int, tuple[int, int, float | None]]:
    if not promised:
        return {}
    rows = (
        Claim.objects.filter(
            paid_on__gte=period.first,
            paid_on__lte=period.last,
            turnaround_working_days__isnull=False,
            policy__plan_id__in=list(promised),
        )
        .values("policy__plan_id")
        .annotate(
            cases=Count("pk"),
            mean=Avg("turnaround_working_days"),
            **_met_counts(promised, "turnaround_working_days", Q()),
        )
        .order_by()
    )
    return _counts(rows, "policy__plan_id", promised)


def _pre_authorisations(period: Period, plan_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not plan_ids:
        return {}
    start, _end = day_bounds(period.first)
    _start, end = day_bounds(period.last)
    call = Contact.objects.filter(
        cover_check_id=OuterRef("cover_check_id"), channel=ContactChannel.PHONE, direction=Direction.INBOUND
    )
    earlier = Contact.objects.filter(
        customer_id=OuterRef("customer_id"),
        direction=Direction.INBOUND,
        offered_at__lt=OuterRef("call_at"),
        offered_at__gte=OuterRef("call_at") - Value(REPEAT_WINDOW),
    )
    rows = (
        PreAuthorisation.objects.filter(created_at__gte=start, created_at__lt=end, policy__plan_id__in=plan_ids)
        .annotate(call_at=Subquery(call.order_by("offered_at").values("offered_at")[:1]))
        .annotate(first=Q(call_at__isnull=False) & ~Exists(earlier))
        .values("policy__plan_id")
        .annotate(cases=Count("pk"), met=Count("pk", filter=Q(first=True)))
        .order_by()
    )
    return {row["policy__plan_id"]: (row["cases"], row["met"]) for row in rows}


def _share(met: int, cases: int) -> float | None:
    return 100.0 * met / cases if cases else None


def promises_delivery(period: Period) -> list[PlanPromises]:
    """Every plan that makes a promise, each promise with what was delivered in the period, plans
    by tier and name. Four queries whatever the number of plans. Raises `PeriodTooLong` beyond
    `MAX_DAYS` when a plan promises a call answer time."""
    promises = list(
        ServicePromise.objects.select_related("plan").order_by("plan__annual_premium", "plan__name", "metric")
    )
    by_metric: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for p in promises:
        by_metric[p.metric][p.plan_id] = p.target
    calls = _calls(period, by_metric[PromiseMetric.CALL_ANSWERED_SECONDS])
    claims = _claims(period, by_metric[PromiseMetric.CLAIM_PAID_WORKING_DAYS])
    preauth = _pre_authorisations(period, list(by_metric[PromiseMetric.PREAUTH_SAME_CALL]))
    arabic = (get_language() or "").startswith("ar")
    plans: dict[int, PlanPromises] = {}
    for p in promises:
        if p.metric == PromiseMetric.PREAUTH_SAME_CALL:
            cases, met = preauth.get(p.plan_id, (0, 0))
            mean, required = None, p.target
        else:
            source = calls if p.metric == PromiseMetric.CALL_ANSWERED_SECONDS else claims
            cases, met, mean = source.get(p.plan_id, (0, 0, None))
            required = KEPT_SHARE
        share = _share(met, cases)
        plan = plans.setdefault(
            p.plan_id,
            PlanPromises(p.plan_id, (p.plan.name_ar if arabic and p.plan.name_ar else p.plan.name), p.plan.tier, []),
        )
        plan.promises.append(
            PromiseDelivery(
                plan_id=p.plan_id,
                plan_name=plan.plan_name,
                tier=p.plan.tier,
                metric=p.metric,
                promised=p.target,
                wording=(p.wording_ar if arabic and p.wording_ar else p.wording),
                cases=cases,
                met=met,
                share=share,
                required_share=required,
                mean=float(mean) if mean is not None else None,
                kept=None if share is None else share >= float(required),
            )
        )
    return list(plans.values())


@dataclass(frozen=True)
class PromisesSummary:
    """For the five-gap page: promises kept, missed and not measurable in the period."""

    kept: int
    missed: int
    unmeasured: int

    @property
    def kept_share(self) -> float | None:
        return _share(self.kept, self.kept + self.missed)


def promises_summary(period: Period) -> PromisesSummary:
    plans = promises_delivery(period)
    flat = [p for plan in plans for p in plan.promises]
    return PromisesSummary(
        kept=sum(1 for p in flat if p.kept),
        missed=sum(1 for p in flat if p.kept is False),
        unmeasured=sum(1 for p in flat if p.kept is None),
    )


STATUS_LABELS = {"kept": _("Kept"), "missed": _("Missed"), "none": _("Nothing to measure")}

__all__ = [
    "KEPT_SHARE",
    "MAX_DAYS",
    "PeriodTooLong",
    "PlanPromises",
    "PromiseDelivery",
    "PromisesSummary",
    "promises_delivery",
    "promises_summary",
]
