"""Writes for cover and claims: cover checks, pre-authorisations, claims and their state machine,
settlement and the one payment. Each function is atomic and raises domain errors (claims/exceptions.py)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from contactcentre.workdays import working_days_between

from . import rules, selectors
from .exceptions import ClaimAlreadyPaid, ClaimChangedMeanwhile, ClaimTransitionRefused, NoCoverOnDate, NotCovered
from .models import (
    Claim,
    ClaimLine,
    ClaimStatus,
    ClaimTransition,
    CoverCheck,
    Payee,
    Payment,
    PolicyMember,
    PreAuthorisation,
    PreAuthorisationStatus,
    Provider,
)


def _findings_json(findings) -> list[dict]:
    return [{"reason": str(f.reason), "params": dict(f.params)} for f in findings]


def cover_check_run(
    *,
    customer,
    category: str,
    treatment_date: date,
    estimated_cost: Decimal,
    actor,
    provider: Provider | None = None,
    procedure: str = "",
    icd10: str = "",
) -> CoverCheck:
    """Answer "is this covered?" with the rules engine and record the question and the answer."""
    membership = selectors.membership_on(customer.pk, treatment_date)
    policy_terms, member_terms = selectors.terms_for(membership, treatment_date)
    usage = rules.Usage()
    if membership is not None:
        _, usage = selectors.usage_in_policy_year(customer.pk, membership.policy, treatment_date)
    decision = rules.check_cover(
        rules.CoverRequest(
            category,
            treatment_date,
            estimated_cost,
            icd10.upper(),
            provider_recognised=provider is None or provider.recognised,
        ),
        policy_terms,
        member_terms,
        usage,
    )
    return CoverCheck.objects.create(
        customer=customer,
        policy=membership.policy if membership else None,
        category=category,
        procedure=procedure,
        icd10=icd10.upper(),
        provider=provider,
        treatment_date=treatment_date,
        estimated_cost=estimated_cost,
        decision=decision.decision,
        insurer_pays=decision.insurer_pays,
        member_pays=decision.member_pays,
        findings=_findings_json(decision.findings),
        checked_by=actor,
    )


PRE_AUTHORISATION_VALID_DAYS = 90


@transaction.atomic
def pre_authorisation_create(
    *, cover_check: CoverCheck, actor, valid_days: int = PRE_AUTHORISATION_VALID_DAYS
) -> PreAuthorisation:
    """Turn a cover check that passed into an authorisation: its own number, the insurer's amount,
    valid from the treatment date for `valid_days`."""
    check = CoverCheck.objects.select_for_update().get(pk=cover_check.pk)
    if check.decision == rules.Decision.NOT_COVERED or check.insurer_pays <= 0:
        raise NotCovered(str(gettext("Only a treatment that is covered can be pre-authorised.")))
    if check.provider is None:
        raise NotCovered(str(gettext("Name the provider before pre-authorising.")))
    if hasattr(check, "pre_authorisation"):
        return check.pre_authorisation
    authorisation = PreAuthorisation.objects.create(
        number=f"PA{check.pk:08d}",
        cover_check=check,
        customer_id=check.customer_id,
        policy_id=check.policy_id,
        provider_id=check.provider_id,
        category=check.category,
        procedure=check.procedure,
        amount=check.insurer_pays,
        valid_from=check.treatment_date - timedelta(days=7),
        valid_to=check.treatment_date + timedelta(days=valid_days),
        created_by=actor,
    )
    return authorisation


@dataclass(frozen=True)
class LineInput:
    category: str
    procedure: str
    treatment_date: date
    amount: Decimal
    icd10: str = ""


@transaction.atomic
def claim_create(
    *,
    customer,
    provider: Provider,
    lines: list[LineInput],
    actor,
    received_on: date | None = None,
    pre_authorisation: PreAuthorisation | None = None,
) -> Claim:
    """Enter a claim with its invoice lines. The policy is the one covering the first treatment; a
    pre-authorisation is matched when one is valid for the member, provider and benefit."""
    if not lines:
        raise NotCovered(str(gettext("A claim needs at least one invoice line.")))
    received_on = received_on or timezone.localdate()
    first = min(line.treatment_date for line in lines)
    if received_on > timezone.localdate():
        raise DomainError(
            str(gettext("A claim cannot be received in the future.")),
            fields={"received_on": [str(gettext("Not after today."))]},
        )
    if max(line.treatment_date for line in lines) > received_on:
        raise DomainError(
            str(gettext("A claim cannot be received before the treatment it is for.")),
            fields={"received_on": [str(gettext("Not before the treatment dates."))]},
        )
    membership = selectors.membership_on(customer.pk, first)
    if membership is None:
        raise NoCoverOnDate()
    if pre_authorisation is None:
        categories = {line.category for line in lines}
        pre_authorisation = (
            PreAuthorisation.objects.filter(
                customer=customer,
                provider=provider,
                category__in=categories,
                status=PreAuthorisationStatus.ACTIVE,
                valid_from__lte=first,
                valid_to__gte=first,
            )
            .exclude(claims__status__in=OPEN_CLAIM_STATUSES)  # relied on by another claim already
            .order_by("valid_to")
            .first()
        )
    claim = Claim(
        number=f"TMP{timezone.now():%H%M%S%f}",
        customer=customer,
        policy=membership.policy,
        provider=provider,
        pre_authorisation=pre_authorisation,
        received_on=received_on,
        claimed_total=sum((line.amount for line in lines), Decimal("0.00")),
        created_by=actor,
    )
    claim.full_clean(exclude=["number"])
    claim.save()
    claim.number = f"CL{claim.pk:08d}"
    claim.save(update_fields=["number"])
    for line in lines:
        item = ClaimLine(
            claim=claim,
            category=line.category,
            procedure=line.procedure,
            icd10=line.icd10.upper(),
            treatment_date=line.treatment_date,
            amount=line.amount,
        )
        item.full_clean(exclude=["claim"])
        item.save()
    ClaimTransition.objects.create(claim=claim, from_status="", to_status=ClaimStatus.RECEIVED, actor=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=claim, summary=claim.number)
    return claim


OPEN_CLAIM_STATUSES = [s for s in ClaimStatus.values if s not in (ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN)]


def _complete_on(claim: Claim) -> date:
    """The day the claim became complete: when the last information asked for arrived, else the day
    it was received (turnaround is counted from a complete claim, domain.md)."""
    resumed = (
        ClaimTransition.objects.filter(
            claim=claim, from_status=ClaimStatus.INFORMATION_REQUESTED, to_status=ClaimStatus.ASSESSING
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return max(claim.received_on, timezone.localdate(resumed)) if resumed else claim.received_on


def _locked(claim_id: int, expected_version: int | None) -> Claim:
    claim = Claim.objects.select_for_update().select_related("provider").get(pk=claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise ClaimChangedMeanwhile(expected_version, claim.version)
    return claim


def _move(claim: Claim, target: str, actor, reason: str, *, extra_fields: list[str] | None = None) -> Claim:
    if not rules.claim_transition_allowed(claim.status, target):
        raise ClaimTransitionRefused(claim.status, target)
    ClaimTransition.objects.create(
        claim=claim, from_status=claim.status, to_status=target, actor=actor, reason=reason[:500]
    )
    claim.status = target
    claim.version = F("version") + 1
    claim.save(update_fields=["status", "version", "updated_at", *(extra_fields or [])])
    claim.refresh_from_db(fields=["version"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=claim, summary=f"{claim.number} -> {target}")
    return claim


@transaction.atomic
def claim_transition(
    *, claim_id: int, target: str, actor, reason: str = "", expected_version: int | None = None
) -> Claim:
    """The plain moves: start assessing, ask for information, resume, reject, withdraw.
    Decisions with amounts go through claim_assess, payment through claim_schedule_payment/claim_pay."""
    if target in {ClaimStatus.APPROVED, ClaimStatus.PARTLY_APPROVED, ClaimStatus.PAYMENT_SCHEDULED, ClaimStatus.PAID}:
        claim = Claim.objects.get(pk=claim_id)
        raise ClaimTransitionRefused(claim.status, target)
    return _move(_locked(claim_id, expected_version), target, actor, reason)


@transaction.atomic
def claim_assess(*, claim_id: int, actor, expected_version: int | None = None, reason: str = "") -> Claim:
    """Settle the claim line by line (limits net of earlier use, the excess once) and decide:
    approved, partly approved, or rejected when nothing is payable."""
    claim = _locked(claim_id, expected_version)
    if claim.status != ClaimStatus.ASSESSING:
        raise ClaimTransitionRefused(claim.status, ClaimStatus.APPROVED)
    lines = list(claim.lines.order_by("treatment_date", "id"))
    first = lines[0].treatment_date
    membership = selectors.membership_on(claim.customer_id, first)
    policy_terms, member_terms = selectors.terms_for(membership, first)
    if policy_terms is None:
        for line in lines:
            line.approved_amount = Decimal("0.00")
            line.findings = [{"reason": rules.Reason.NO_ACTIVE_POLICY, "params": {"date": first.isoformat()}}]
        ClaimLine.objects.bulk_update(lines, ["approved_amount", "findings"])
        claim.approved_total, claim.excess_applied = Decimal("0.00"), Decimal("0.00")
        return _move(claim, ClaimStatus.REJECTED, actor, reason, extra_fields=["approved_total", "excess_applied"])
    # Two claims of one member assessed at once must not both spend the same limit or excess: the
    # membership row is the lock that serialises them (taken after the claim's, always in that order).
    PolicyMember.objects.select_for_update().filter(pk=membership.pk).first()
    _, usage = selectors.usage_in_policy_year(claim.customer_id, claim.policy, first, exclude_claim_id=claim.pk)
    authorisation = _usable_authorisation(claim)
    settlement = rules.settle(
        [rules.ClaimLineInput(line.category, line.treatment_date, line.amount, line.icd10) for line in lines],
        policy_terms,
        member_terms,
        usage,
        provider_recognised=claim.provider.recognised,
        authorisation=authorisation
        and rules.Authorisation(
            authorisation.category, authorisation.valid_from, authorisation.valid_to, authorisation.amount
        ),
    )
    for line, settled in zip(lines, settlement.lines, strict=True):
        line.approved_amount = settled.approved
        line.findings = _findings_json(settled.findings)
    ClaimLine.objects.bulk_update(lines, ["approved_amount", "findings"])
    # The excess counts even when it swallows the whole claim: the member has paid it this year.
    claim.approved_total, claim.excess_applied = settlement.payable, settlement.excess
    claim.payee = Payee.PROVIDER if claim.provider.direct_settlement else Payee.MEMBER
    fields = ["approved_total", "excess_applied", "payee"]
    if settlement.payable == 0:
        return _move(claim, ClaimStatus.REJECTED, actor, reason, extra_fields=fields)
    if authorisation is not None and any(
        line.approved_amount > 0 and line.category == authorisation.category for line in lines
    ):
        PreAuthorisation.objects.filter(pk=authorisation.pk).update(status=PreAuthorisationStatus.USED)
    whole = all(line.approved + line.excess == line.claimed for line in settlement.lines)
    return _move(
        claim, ClaimStatus.APPROVED if whole else ClaimStatus.PARTLY_APPROVED, actor, reason, extra_fields=fields
    )


def _usable_authorisation(claim: Claim) -> PreAuthorisation | None:
    """The claim's pre-authorisation, if it may still be relied on: given to this member for this
    provider, and active (or already used by this very claim, when it is assessed again)."""
    authorisation = claim.pre_authorisation
    if authorisation is None or authorisation.customer_id != claim.customer_id:
        return None
    if authorisation.provider_id != claim.provider_id:
        return None
    if authorisation.status == PreAuthorisationStatus.CANCELLED:
        return None
    return authorisation


@transaction.atomic
def claim_schedule_payment(*, claim_id: int, actor, expected_version: int | None = None) -> Claim:
    return _move(_locked(claim_id, expected_version), ClaimStatus.PAYMENT_SCHEDULED, actor, "")


def claim_pay(*, claim_id: int, actor, paid_on: date | None = None, expected_version: int | None = None) -> Payment:
    """Pay a scheduled claim, exactly once: the row lock makes a second caller wait and then see it
    paid; the unique claim on Payment refuses a second payment even without the lock."""
    try:
        with transaction.atomic():
            claim = _locked(claim_id, expected_version)
            if claim.status == ClaimStatus.PAID:
                raise ClaimAlreadyPaid()
            if not rules.claim_transition_allowed(claim.status, ClaimStatus.PAID):
                raise ClaimTransitionRefused(claim.status, ClaimStatus.PAID)
            paid_on = paid_on or timezone.localdate()
            payee_name = (
                claim.provider.name
                if claim.payee == Payee.PROVIDER
                else f"{claim.customer.first_name} {claim.customer.last_name}"
            )
            payment = Payment.objects.create(
                claim=claim,
                amount=claim.approved_total,
                currency=settings.CURRENCY,
                payee=claim.payee,
                payee_name=payee_name,
                reference=f"PAY{claim.pk:010d}",
                paid_on=paid_on,
                paid_by=actor,
            )
            claim.paid_on = paid_on
            claim.turnaround_working_days = working_days_between(_complete_on(claim), paid_on)
            _move(claim, ClaimStatus.PAID, actor, "", extra_fields=["paid_on", "turnaround_working_days"])
            if claim.pre_authorisation_id:
                PreAuthorisation.objects.filter(pk=claim.pre_authorisation_id).update(
                    status=PreAuthorisationStatus.USED
                )
            return payment
    except IntegrityError as error:
        if Payment.objects.filter(claim_id=claim_id).exists():
            raise ClaimAlreadyPaid() from error
        raise


# The claim actions people take, by name (browser buttons and API endpoints), each with the
# permission it needs and what it does: a plain transition to a status, or one of the deciding steps.
CLAIM_ACTIONS: dict[str, tuple[str, str]] = {
    "start": ("claims.assess_claim", ClaimStatus.ASSESSING),
    "request-information": ("claims.assess_claim", ClaimStatus.INFORMATION_REQUESTED),
    "resume": ("claims.assess_claim", ClaimStatus.ASSESSING),
    "assess": ("claims.assess_claim", "assess"),
    "reject": ("claims.assess_claim", ClaimStatus.REJECTED),
    "schedule-payment": ("claims.pay_claim", ClaimStatus.PAYMENT_SCHEDULED),
    "pay": ("claims.pay_claim", ClaimStatus.PAID),
    "withdraw": ("claims.withdraw_claim", ClaimStatus.WITHDRAWN),
}


def claim_act(*, claim_id: int, action: str, actor, expected_version: int | None = None, reason: str = "") -> None:
    """Carry out a named action on a claim (see CLAIM_ACTIONS); the caller has checked the permission."""
    _permission, target = CLAIM_ACTIONS[action]
    if target == "assess":
        claim_assess(claim_id=claim_id, actor=actor, expected_version=expected_version, reason=reason)
    elif target == ClaimStatus.PAYMENT_SCHEDULED:
        claim_schedule_payment(claim_id=claim_id, actor=actor, expected_version=expected_version)
    elif target == ClaimStatus.PAID:
        claim_pay(claim_id=claim_id, actor=actor, expected_version=expected_version)
    else:
        claim_transition(
            claim_id=claim_id, target=target, actor=actor, reason=reason, expected_version=expected_version
        )


def claim_record_viewed(*, claim: Claim, actor, ip_address: str | None = None, via: str = "web") -> None:
    """A claim holds diagnoses (clinical data): every opening of one is in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=claim,
        ip_address=ip_address,
        summary=claim.number,
        detail={"via": via},
    )
