"""Reads for cover and claims, and the bridge from the database to the pure rules (claims/rules.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Prefetch, QuerySet, Sum, When

from . import rules
from .models import (
    Benefit,
    BenefitCategory,
    Claim,
    ClaimLine,
    ClaimStatus,
    CoverCheck,
    Exclusion,
    MedicalHistoryEntry,
    Policy,
    PolicyMember,
    PolicyStatus,
    PreAuthorisation,
    PreAuthorisationStatus,
)

# Claims whose approved amounts count against limits and whose excess counts as paid.
COUNTED = [ClaimStatus.APPROVED, ClaimStatus.PARTLY_APPROVED, ClaimStatus.PAYMENT_SCHEDULED, ClaimStatus.PAID]


def membership_on(customer_id: int, on: date) -> PolicyMember | None:
    """The member's cover on a date: the policy membership in force then (the newest if several)."""
    return (
        PolicyMember.objects.filter(
            customer_id=customer_id, covered_from__lte=on, policy__start_date__lte=on, policy__renewal_date__gt=on
        )
        .exclude(covered_to__lt=on)
        .select_related("policy", "policy__plan")
        .prefetch_related(
            Prefetch("policy__plan__benefits", queryset=Benefit.objects.order_by("category")),
            Prefetch("exclusions", queryset=Exclusion.objects.order_by("id")),
        )
        # An active policy first (a cancelled one overlapping it must not hide it), then the newest.
        .order_by(Case(When(policy__status=PolicyStatus.ACTIVE, then=0), default=1), "-covered_from")
        .first()
    )


def member_plans_on(customer_ids: Iterable[int], on: date) -> dict[int, tuple[str, bool]]:
    """Each member's (plan tier, corporate or not) on a date, by the same choice as
    `membership_on` (an active policy first, then the newest); members without cover are absent."""
    ids = set(customer_ids)
    if not ids:
        return {}
    rows = (
        PolicyMember.objects.filter(
            customer_id__in=ids, covered_from__lte=on, policy__start_date__lte=on, policy__renewal_date__gt=on
        )
        .exclude(covered_to__lt=on)
        .order_by(
            "customer_id", Case(When(policy__status=PolicyStatus.ACTIVE, then=0), default=1), "-covered_from", "-id"
        )
        .values_list("customer_id", "policy__plan__tier", "policy__corporate_account_id")
    )
    plans: dict[int, tuple[str, bool]] = {}
    for customer_id, tier, corporate_id in rows:
        plans.setdefault(customer_id, (tier, corporate_id is not None))
    return plans


def usage_in_policy_year(
    customer_id: int, policy: Policy, on: date, *, exclude_claim_id: int | None = None
) -> tuple[date, rules.Usage]:
    """What the insurer already approved or paid for the member in the policy year of `on`, per
    benefit category, and the excess already taken: two aggregate queries, whatever the history."""
    year_start = rules.policy_year_start(policy.start_date, on)
    year_end = year_start + relativedelta(years=1)
    lines = ClaimLine.objects.filter(
        claim__customer_id=customer_id,
        claim__policy_id=policy.pk,
        claim__status__in=COUNTED,
        treatment_date__gte=year_start,
        treatment_date__lt=year_end,
    )
    # The excess counts from every settled claim, a rejected one too (a bill below the excess is the
    # member's to pay, and counts towards it).
    claims = Claim.objects.filter(
        pk__in=ClaimLine.objects.filter(
            claim__customer_id=customer_id,
            claim__policy_id=policy.pk,
            claim__status__in=[*COUNTED, ClaimStatus.REJECTED],
            treatment_date__gte=year_start,
            treatment_date__lt=year_end,
        ).values("claim_id")
    )
    if exclude_claim_id:
        lines = lines.exclude(claim_id=exclude_claim_id)
        claims = claims.exclude(pk=exclude_claim_id)
    used = {
        row["category"]: row["total"] or Decimal("0.00")
        for row in lines.values("category").annotate(total=Sum("approved_amount"))
    }
    excess = claims.aggregate(total=Sum("excess_applied"))["total"] or Decimal("0.00")
    return year_start, rules.Usage(used, excess)


def terms_for(membership: PolicyMember | None, on: date) -> tuple[rules.PolicyTerms | None, rules.MemberTerms | None]:
    if membership is None:
        return None, None
    policy, plan = membership.policy, membership.policy.plan
    history: dict[str, list] = {}
    for entry in MedicalHistoryEntry.objects.filter(customer_id=membership.customer_id).order_by("occurred_on"):
        history.setdefault(entry.icd10, [entry.description, []])[1].append(entry.occurred_on)
    policy_terms = rules.PolicyTerms(
        active=policy.status == PolicyStatus.ACTIVE,
        start=policy.start_date,
        end=policy.renewal_date - relativedelta(days=1),
        underwriting=rules.Underwriting(policy.underwriting),
        excess=plan.excess,
        excess_basis=rules.ExcessBasis(plan.excess_basis),
        benefits={
            b.category: rules.BenefitTerms(
                b.category, b.annual_limit, b.per_event_limit, b.waiting_period_days, b.pre_authorisation_required
            )
            for b in plan.benefits.all()
        },
    )
    member_terms = rules.MemberTerms(
        joined=membership.joined_on,
        covered_from=membership.covered_from,
        covered_to=membership.covered_to,
        exclusions=tuple(rules.Exclusion(e.description, e.icd10) for e in membership.exclusions.all()),
        history=tuple(rules.ConditionHistory(desc, code, tuple(dates)) for code, (desc, dates) in history.items()),
    )
    return policy_terms, member_terms


@dataclass
class BenefitRemaining:
    category: str
    label: str
    annual_limit: Decimal | None
    used: Decimal
    remaining: Decimal | None
    per_event_limit: Decimal | None
    waiting_period_days: int
    pre_authorisation_required: bool


@dataclass
class CoverSummary:
    membership: PolicyMember
    year_start: date
    excess: Decimal
    excess_remaining: Decimal
    benefits: list[BenefitRemaining]


def cover_summary(customer_id: int, on: date) -> CoverSummary | None:
    """The member's cover today: the plan's benefits with what remains of each annual limit."""
    membership = membership_on(customer_id, on)
    if membership is None:
        return None
    plan = membership.policy.plan
    year_start, usage = usage_in_policy_year(customer_id, membership.policy, on)
    labels = dict(BenefitCategory.choices)
    benefits = []
    for benefit in plan.benefits.all():
        used = usage.used_by_category.get(benefit.category, Decimal("0.00"))
        remaining = None if benefit.annual_limit is None else max(Decimal("0.00"), benefit.annual_limit - used)
        benefits.append(
            BenefitRemaining(
                benefit.category,
                labels[benefit.category],
                benefit.annual_limit,
                used,
                remaining,
                benefit.per_event_limit,
                benefit.waiting_period_days,
                benefit.pre_authorisation_required,
            )
        )
    excess_remaining = (
        plan.excess
        if plan.excess_basis == rules.ExcessBasis.PER_CLAIM
        else max(Decimal("0.00"), plan.excess - usage.excess_paid)
    )
    return CoverSummary(membership, year_start, plan.excess, excess_remaining, benefits)


def claims_for_customer(customer_id: int, *, limit: int = 10) -> list[Claim]:
    return list(
        Claim.objects.filter(customer_id=customer_id).select_related("provider").order_by("-received_on", "-id")[:limit]
    )


def cover_checks_for_customer(customer_id: int, *, limit: int = 5) -> list[CoverCheck]:
    return list(
        CoverCheck.objects.filter(customer_id=customer_id)
        .select_related("provider", "checked_by")
        .order_by("-checked_at", "-id")[:limit]
    )


def active_pre_authorisations(customer_id: int, on: date) -> list[PreAuthorisation]:
    return list(
        PreAuthorisation.objects.filter(customer_id=customer_id, status=PreAuthorisationStatus.ACTIVE, valid_to__gte=on)
        .select_related("provider")
        .order_by("valid_to")
    )


def claim_queue(*, status: str = "", search: str = "") -> QuerySet[Claim]:
    """The assessors' work queue: claims waiting for a decision, oldest first."""
    claims = Claim.objects.select_related("customer", "provider", "policy__plan")
    if status:
        claims = claims.filter(status=status)
    else:
        claims = claims.filter(
            status__in=[
                ClaimStatus.RECEIVED,
                ClaimStatus.ASSESSING,
                ClaimStatus.INFORMATION_REQUESTED,
                ClaimStatus.APPROVED,
                ClaimStatus.PARTLY_APPROVED,
                ClaimStatus.PAYMENT_SCHEDULED,
            ]
        )
    if search:
        claims = claims.filter(number__iexact=search.strip()) | claims.filter(
            customer__membership_number=search.strip()
        )
    return claims.order_by("received_on", "id")


def claim_detail(pk: int) -> Claim:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Claim.objects.select_related(
            "customer", "provider", "policy__plan", "pre_authorisation", "created_by"
        ).prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("id")), "transitions__actor"),
        pk=pk,
    )
