"""The pure rules of cover and claims: no database, plain data in, plain data out.

- `check_cover`: is a treatment covered, for how much, and every reason why (or why not).
- `settle`: what a claim pays, line by line, after limits (net of earlier use) and the excess.
- `policy_year_start`, `moratorium_clear_from`, `icd10_matches`: the date and code rules they share.

Definitions follow ../shared/domain.md ("Cover and claims"): the member pays the excess first, once
per policy year (or once per claim, by plan); the insurer's share is then capped by the benefit's
per-event limit (one treatment) and its annual limit (per category per policy year, net of what the
insurer already paid or approved); a waiting period of N days means treatment on
the N-th day after joining is covered; moratorium: a condition with symptoms, treatment, medication
or advice in the 5 years before joining is excluded until 2 continuous years of membership pass
without any.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Decision(StrEnum):
    COVERED = "covered"
    PARTLY_COVERED = "partly_covered"
    NOT_COVERED = "not_covered"


class Reason(StrEnum):
    NO_ACTIVE_POLICY = "no_active_policy"
    BENEFIT_NOT_IN_PLAN = "benefit_not_in_plan"
    WAITING_PERIOD = "waiting_period"
    EXCLUDED_CONDITION = "excluded_condition"
    MORATORIUM = "moratorium"
    PROVIDER_NOT_RECOGNISED = "provider_not_recognised"
    ANNUAL_LIMIT_REACHED = "annual_limit_reached"
    ANNUAL_LIMIT_PARTLY_USED = "annual_limit_partly_used"
    PER_EVENT_LIMIT = "per_event_limit"
    EXCESS_TO_PAY = "excess_to_pay"
    PRE_AUTHORISATION_REQUIRED = "pre_authorisation_required"
    PRE_AUTHORISATION_MISSING = "pre_authorisation_missing"  # at claim time: none matched the treatment
    PRE_AUTHORISATION_AMOUNT = "pre_authorisation_amount"  # at claim time: capped at the amount authorised
    DIAGNOSIS_NEEDED = "diagnosis_needed"  # conditions on file that only a diagnosis code can rule in or out
    COVERED = "covered"


BLOCKING = {
    Reason.NO_ACTIVE_POLICY,
    Reason.BENEFIT_NOT_IN_PLAN,
    Reason.WAITING_PERIOD,
    Reason.EXCLUDED_CONDITION,
    Reason.MORATORIUM,
    Reason.PROVIDER_NOT_RECOGNISED,
    Reason.ANNUAL_LIMIT_REACHED,
}


class ExcessBasis(StrEnum):
    POLICY_YEAR = "policy_year"
    PER_CLAIM = "per_claim"


class Underwriting(StrEnum):
    MORATORIUM = "moratorium"
    FULL_MEDICAL = "full_medical"


@dataclass(frozen=True)
class BenefitTerms:
    category: str
    annual_limit: Decimal | None  # None: unlimited
    per_event_limit: Decimal | None = None
    waiting_period_days: int = 0
    pre_authorisation_required: bool = False


@dataclass(frozen=True)
class PolicyTerms:
    """A policy and its plan, as the rules need them."""

    active: bool
    start: date
    end: date  # the last day of cover (the day before renewal)
    underwriting: Underwriting
    excess: Decimal
    excess_basis: ExcessBasis
    benefits: Mapping[str, BenefitTerms]


@dataclass(frozen=True)
class Exclusion:
    description: str
    icd10: str = ""


@dataclass(frozen=True)
class ConditionHistory:
    """Dates of symptoms, treatment, medication or advice for one condition (for moratorium)."""

    description: str
    icd10: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class MemberTerms:
    joined: date  # start of continuous membership (the moratorium and waiting periods count from it)
    covered_from: date  # on this policy
    covered_to: date | None = None
    exclusions: tuple[Exclusion, ...] = ()
    history: tuple[ConditionHistory, ...] = ()


@dataclass(frozen=True)
class Usage:
    """What the member has already used in the policy year of the treatment."""

    used_by_category: Mapping[str, Decimal] = field(default_factory=dict)
    excess_paid: Decimal = ZERO


@dataclass(frozen=True)
class CoverRequest:
    category: str
    treatment_date: date
    estimated_cost: Decimal
    icd10: str = ""
    provider_recognised: bool = True


@dataclass(frozen=True)
class Finding:
    reason: Reason
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CoverDecision:
    decision: Decision
    insurer_pays: Decimal
    member_pays: Decimal
    findings: tuple[Finding, ...]

    @property
    def reasons(self) -> list[Reason]:
        return [finding.reason for finding in self.findings]


def policy_year_start(policy_start: date, on: date) -> date:
    """The anniversary of the policy's start on or before `on`."""
    years = on.year - policy_start.year
    start = policy_start + relativedelta(years=years)
    if start > on:
        start = policy_start + relativedelta(years=years - 1)
    return start


def icd10_matches(rule_code: str, diagnosis_code: str) -> bool:
    """Does a diagnosis fall under a condition's code? An exclusion coded M17 covers M17.1; and a
    diagnosis given only as its category (M17) may be the excluded M17.1, so it is refused too (the
    cautious reading: the assessor can ask for the full code). Codes compare without dots and case."""
    rule, diagnosis = (c.replace(".", "").strip().upper() for c in (rule_code, diagnosis_code))
    return bool(rule) and bool(diagnosis) and (diagnosis.startswith(rule) or rule.startswith(diagnosis))


def moratorium_clear_from(joined: date, dates: Iterable[date], before: date) -> date | None:
    """The first day a pre-existing condition is covered under moratorium, judged from its history
    known before `before`; None when it is not pre-existing (no episode in the 5 years before joining)."""
    known = sorted(d for d in dates if d < before)
    if not any(joined - relativedelta(years=5) <= d < joined for d in known):
        return None
    clear_start = joined
    for episode in known:
        if episode >= clear_start + relativedelta(years=2):
            break  # two clear years had already passed: the condition is covered from then on
        if episode >= clear_start:
            clear_start = episode + timedelta(days=1)  # the clock restarts after each episode
    return clear_start + relativedelta(years=2)


def check_cover(
    request: CoverRequest, policy: PolicyTerms | None, member: MemberTerms | None, usage: Usage = Usage()
) -> CoverDecision:
    """Covered / partly covered (with the amount) / not covered, with every reason."""
    estimate = money(request.estimated_cost)
    on = request.treatment_date

    def refuse(*findings: Finding) -> CoverDecision:
        return CoverDecision(Decision.NOT_COVERED, ZERO, estimate, findings)

    if (
        policy is None
        or member is None
        or not policy.active
        or not (policy.start <= on <= policy.end)
        or on < member.covered_from
        or (member.covered_to is not None and on > member.covered_to)
    ):
        return refuse(Finding(Reason.NO_ACTIVE_POLICY, {"date": on.isoformat()}))

    benefit = policy.benefits.get(request.category)
    if benefit is None:
        return refuse(Finding(Reason.BENEFIT_NOT_IN_PLAN, {"category": request.category}))

    blocking: list[Finding] = []
    waiting_ends = member.joined + timedelta(days=benefit.waiting_period_days)
    if on < waiting_ends:
        blocking.append(
            Finding(Reason.WAITING_PERIOD, {"ends": waiting_ends.isoformat(), "days": str(benefit.waiting_period_days)})
        )
    if request.icd10:
        for exclusion in member.exclusions:
            if icd10_matches(exclusion.icd10, request.icd10):
                blocking.append(
                    Finding(Reason.EXCLUDED_CONDITION, {"condition": exclusion.description, "icd10": exclusion.icd10})
                )
        if policy.underwriting == Underwriting.MORATORIUM:
            for condition in member.history:
                if not icd10_matches(condition.icd10, request.icd10):
                    continue
                clear_from = moratorium_clear_from(member.joined, condition.dates, on)
                if clear_from is not None and on < clear_from:
                    blocking.append(
                        Finding(
                            Reason.MORATORIUM,
                            {"condition": condition.description, "clear_from": clear_from.isoformat()},
                        )
                    )
    # Conditions on file that cannot be matched automatically: no diagnosis code was given, or the
    # exclusion has no code. The decision stands, but the agent is told what to ask.
    unmatched = [e.description for e in member.exclusions if not e.icd10 or not request.icd10]
    if policy.underwriting == Underwriting.MORATORIUM and not request.icd10:
        unmatched += [c.description for c in member.history]
    conditions = ", ".join(sorted(set(unmatched)))
    notes = [Finding(Reason.DIAGNOSIS_NEEDED, {"conditions": conditions})] if unmatched else []
    if not request.provider_recognised:
        blocking.append(Finding(Reason.PROVIDER_NOT_RECOGNISED))

    remaining = None
    if benefit.annual_limit is not None:
        remaining = max(ZERO, money(benefit.annual_limit) - money(usage.used_by_category.get(request.category, ZERO)))
        if remaining == ZERO:
            blocking.append(Finding(Reason.ANNUAL_LIMIT_REACHED, {"limit": str(money(benefit.annual_limit))}))
    if blocking:
        return refuse(*blocking)

    # The member pays the excess first; the insurer's share is then capped by the limits.
    findings: list[Finding] = []
    excess_due = (
        money(policy.excess)
        if policy.excess_basis == ExcessBasis.PER_CLAIM
        else max(ZERO, money(policy.excess) - money(usage.excess_paid))
    )
    excess = min(excess_due, estimate)
    insurer = estimate - excess
    capped = False
    if benefit.per_event_limit is not None and insurer > benefit.per_event_limit:
        insurer, capped = money(benefit.per_event_limit), True
        findings.append(Finding(Reason.PER_EVENT_LIMIT, {"limit": str(insurer)}))
    if remaining is not None and insurer > remaining:
        insurer, capped = remaining, True
        findings.append(Finding(Reason.ANNUAL_LIMIT_PARTLY_USED, {"remaining": str(remaining)}))
    if excess > ZERO:
        findings.append(Finding(Reason.EXCESS_TO_PAY, {"amount": str(excess)}))
    if benefit.pre_authorisation_required:
        findings.append(Finding(Reason.PRE_AUTHORISATION_REQUIRED))
    findings.extend(notes)
    if not capped:
        findings.insert(0, Finding(Reason.COVERED))
    decision = Decision.PARTLY_COVERED if capped else Decision.COVERED
    return CoverDecision(decision, insurer, estimate - insurer, tuple(findings))


@dataclass(frozen=True)
class Authorisation:
    """A pre-authorisation given for a benefit, valid for a period, up to an amount."""

    category: str
    valid_from: date
    valid_to: date
    amount: Decimal


@dataclass(frozen=True)
class ClaimLineInput:
    category: str
    treatment_date: date
    amount: Decimal
    icd10: str = ""


@dataclass(frozen=True)
class LineSettlement:
    claimed: Decimal
    approved: Decimal
    excess: Decimal
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Settlement:
    lines: tuple[LineSettlement, ...]

    @property
    def claimed(self) -> Decimal:
        return sum((line.claimed for line in self.lines), ZERO)

    @property
    def payable(self) -> Decimal:
        return sum((line.approved for line in self.lines), ZERO)

    @property
    def excess(self) -> Decimal:
        return sum((line.excess for line in self.lines), ZERO)


def settle(
    lines: Iterable[ClaimLineInput],
    policy: PolicyTerms,
    member: MemberTerms,
    usage: Usage,
    provider_recognised: bool,
    authorisation: Authorisation | None = None,
) -> Settlement:
    """Settle a claim's lines in order: each line is checked like a cover check, and what it uses
    (limit and excess) counts against the lines after it, so the excess is taken once. A line whose
    benefit needs pre-authorisation pays only when the authorisation covers its benefit and date, and
    the lines it covers together pay no more than the authorised amount; a refused line takes no
    excess and uses no limit."""
    authorised_left = money(authorisation.amount) if authorisation else ZERO
    used = dict(usage.used_by_category)
    excess_paid = money(usage.excess_paid)
    per_claim_excess_taken = False
    results = []
    for line in lines:
        benefit = policy.benefits.get(line.category)
        if (
            benefit is not None
            and benefit.pre_authorisation_required
            and not (
                authorisation is not None
                and authorisation.category == line.category
                and authorisation.valid_from <= line.treatment_date <= authorisation.valid_to
            )
        ):
            missing = (Finding(Reason.PRE_AUTHORISATION_MISSING),)
            results.append(LineSettlement(money(line.amount), ZERO, ZERO, missing))
            continue
        if policy.excess_basis == ExcessBasis.PER_CLAIM and per_claim_excess_taken:
            line_policy = PolicyTerms(**{**policy.__dict__, "excess": ZERO})
        else:
            line_policy = policy
        decision = check_cover(
            CoverRequest(line.category, line.treatment_date, line.amount, line.icd10, provider_recognised),
            line_policy,
            member,
            Usage(used, excess_paid),
        )
        excess = ZERO
        for finding in decision.findings:
            if finding.reason == Reason.EXCESS_TO_PAY:
                excess = Decimal(finding.params["amount"])
        approved = decision.insurer_pays
        findings = decision.findings
        if benefit is not None and benefit.pre_authorisation_required and approved > authorised_left:
            approved = authorised_left
            findings = (*findings, Finding(Reason.PRE_AUTHORISATION_AMOUNT, {"amount": str(authorisation.amount)}))
        if benefit is not None and benefit.pre_authorisation_required:
            authorised_left -= approved
        if decision.decision != Decision.NOT_COVERED:
            used[line.category] = money(used.get(line.category, ZERO)) + approved
            excess_paid += excess
            per_claim_excess_taken = per_claim_excess_taken or excess > ZERO
        results.append(LineSettlement(money(line.amount), approved, excess, findings))
    return Settlement(tuple(results))


# The claim's state machine: the one table of allowed transitions (services.claim_transition applies it).
CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"assessing", "withdrawn"}),
    "assessing": frozenset({"information_requested", "approved", "partly_approved", "rejected", "withdrawn"}),
    "information_requested": frozenset({"assessing", "withdrawn"}),
    "approved": frozenset({"payment_scheduled"}),
    "partly_approved": frozenset({"payment_scheduled"}),
    "payment_scheduled": frozenset({"paid"}),
    "rejected": frozenset(),
    "paid": frozenset(),
    "withdrawn": frozenset(),
}


def claim_transition_allowed(current: str, target: str) -> bool:
    return target in CLAIM_TRANSITIONS.get(current, frozenset())
