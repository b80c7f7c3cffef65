"""Cover checks, pre-authorisation, claims and their state machine, settlement and payment, against
PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from claims import services
from claims.exceptions import ClaimAlreadyPaid, ClaimChangedMeanwhile, ClaimTransitionRefused, NoCoverOnDate
from claims.models import ClaimStatus, ClaimTransition, Exclusion, Payment, Policy, PreAuthorisationStatus
from claims.tests.factories import ProviderFactory, covered_member
from staff.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(user_factory):
    return user_factory(role=Role.AGENT)


@pytest.fixture
def assessor(user_factory):
    return user_factory(role=Role.CLAIMS_ASSESSOR)


def claim_for(member, agent, *lines, provider=None, received=date(2026, 6, 10)):
    items = [services.LineInput(category, "Treatment", on, D(amount), icd10) for category, on, amount, icd10 in lines]
    return services.claim_create(
        customer=member.customer, provider=provider or ProviderFactory(), lines=items, actor=agent, received_on=received
    )


def pre_authorised(member, agent, hospital, cost: str):
    """An in-patient treatment on 1 June 2026, checked and pre-authorised."""
    check = services.cover_check_run(
        customer=member.customer,
        category="inpatient",
        treatment_date=date(2026, 6, 1),
        estimated_cost=D(cost),
        actor=agent,
        provider=hospital,
    )
    return services.pre_authorisation_create(cover_check=check, actor=agent)


def decide(claim, assessor):
    services.claim_transition(claim_id=claim.pk, target=ClaimStatus.ASSESSING, actor=assessor)
    return services.claim_assess(claim_id=claim.pk, actor=assessor)


def test_cover_check_is_recorded_with_every_reason(agent):
    member = covered_member()
    check = services.cover_check_run(
        customer=member.customer,
        category="therapies",
        treatment_date=date(2026, 2, 1),
        estimated_cost=D("300"),
        actor=agent,
        provider=ProviderFactory(recognised=False, direct_settlement=False),
    )
    assert check.decision == "not_covered"
    assert [f["reason"] for f in check.findings] == ["waiting_period", "provider_not_recognised"]
    assert check.checked_by == agent and check.policy == member.policy


def test_cover_check_for_a_member_without_a_policy(agent):
    from claims.tests.factories import CustomerFactory

    check = services.cover_check_run(
        customer=CustomerFactory(),
        category="outpatient",
        treatment_date=date(2026, 2, 1),
        estimated_cost=D("100"),
        actor=agent,
    )
    assert check.decision == "not_covered" and check.findings[0]["reason"] == "no_active_policy"


def test_a_passing_check_becomes_a_pre_authorisation_and_the_claim_is_matched_to_it(agent, assessor):
    member = covered_member()
    hospital = ProviderFactory()
    authorisation = pre_authorised(member, agent, hospital, "4000")
    assert authorisation.number.startswith("PA") and authorisation.amount == D("3900.00")
    claim = claim_for(member, agent, ("inpatient", date(2026, 6, 1), "4000", ""), provider=hospital)
    assert claim.pre_authorisation == authorisation
    claim = decide(claim, assessor)
    assert claim.status == ClaimStatus.APPROVED and claim.approved_total == D("3900.00")


def test_a_claim_needing_pre_authorisation_without_one_is_rejected_with_the_reason(agent, assessor):
    member = covered_member()
    claim = decide(claim_for(member, agent, ("inpatient", date(2026, 6, 1), "4000", "")), assessor)
    assert claim.status == ClaimStatus.REJECTED
    assert claim.lines.get().findings[0]["reason"] == "pre_authorisation_missing"


def test_settlement_takes_the_excess_once_per_policy_year_across_claims(agent, assessor):
    member = covered_member(start=date(2025, 6, 1))
    Policy.objects.filter(pk=member.policy_id).update(renewal_date=date(2027, 6, 1))  # two policy years
    first = decide(
        claim_for(member, agent, ("outpatient", date(2025, 9, 1), "200", ""), received=date(2025, 9, 5)), assessor
    )
    second = decide(
        claim_for(member, agent, ("outpatient", date(2025, 10, 1), "200", ""), received=date(2025, 10, 5)), assessor
    )
    assert (first.approved_total, first.excess_applied) == (D("100.00"), D("100.00"))
    assert (second.approved_total, second.excess_applied) == (D("200.00"), D("0.00"))
    # The next policy year (from 1 June 2026) takes the excess again.
    third = decide(
        claim_for(member, agent, ("outpatient", date(2026, 6, 3), "200", ""), received=date(2026, 6, 5)), assessor
    )
    assert (third.approved_total, third.excess_applied) == (D("100.00"), D("100.00"))


def test_a_bill_below_the_excess_counts_towards_it(agent, assessor):
    member = covered_member()
    small = decide(claim_for(member, agent, ("outpatient", date(2026, 3, 1), "60", "")), assessor)
    assert (small.status, small.excess_applied) == (ClaimStatus.REJECTED, D("60.00"))
    later = decide(claim_for(member, agent, ("outpatient", date(2026, 3, 9), "200", "")), assessor)
    assert (later.approved_total, later.excess_applied) == (D("160.00"), D("40.00"))


def test_an_active_policy_is_found_beside_a_cancelled_one(agent):
    from claims.models import PolicyMember, PolicyStatus

    member = covered_member(start=date(2026, 1, 1))
    old = Policy.objects.create(
        number="POLD",
        plan=member.policy.plan,
        holder=member.customer,
        underwriting="full_medical",
        status=PolicyStatus.CANCELLED,
        start_date=date(2025, 12, 1),
        renewal_date=date(2026, 12, 1),
    )
    PolicyMember.objects.create(
        policy=old, customer=member.customer, joined_on=date(2025, 12, 1), covered_from=date(2025, 12, 1)
    )
    check = services.cover_check_run(
        customer=member.customer,
        category="outpatient",
        treatment_date=date(2026, 3, 1),
        estimated_cost=D("100"),
        actor=agent,
    )
    assert check.policy == member.policy and check.decision == "covered"


def test_a_pre_authorisation_caps_the_claim_and_serves_one_claim(agent, assessor):
    member = covered_member()
    hospital = ProviderFactory()
    authorisation = pre_authorised(member, agent, hospital, "1000")
    claim = decide(claim_for(member, agent, ("inpatient", date(2026, 6, 1), "9000", ""), provider=hospital), assessor)
    assert claim.approved_total == authorisation.amount == D("900.00")
    assert claim.status == ClaimStatus.PARTLY_APPROVED
    second = claim_for(member, agent, ("inpatient", date(2026, 6, 1), "500", ""), provider=hospital)
    assert second.pre_authorisation is None  # already relied on by the first claim


def test_a_cancelled_or_other_providers_pre_authorisation_is_not_honoured(agent, assessor):
    member = covered_member()
    hospital = ProviderFactory()
    authorisation = pre_authorised(member, agent, hospital, "1000")
    other = services.claim_create(
        customer=member.customer,
        provider=ProviderFactory(),
        actor=agent,
        received_on=date(2026, 6, 10),
        pre_authorisation=authorisation,
        lines=[services.LineInput("inpatient", "x", date(2026, 6, 1), D("500"))],
    )
    assert decide(other, assessor).status == ClaimStatus.REJECTED


def test_turnaround_counts_from_the_day_the_claim_became_complete(agent, assessor):
    from django.utils import timezone

    member = covered_member()
    claim = claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", ""), received=date(2026, 3, 2))
    services.claim_transition(claim_id=claim.pk, target="assessing", actor=assessor)
    services.claim_transition(claim_id=claim.pk, target="information_requested", actor=assessor)
    services.claim_transition(claim_id=claim.pk, target="assessing", actor=assessor)  # arrives today
    services.claim_assess(claim_id=claim.pk, actor=assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    services.claim_pay(claim_id=claim.pk, actor=assessor)
    claim.refresh_from_db()
    assert claim.turnaround_working_days == 0 and claim.paid_on == timezone.localdate()


def test_a_claim_cannot_be_received_in_the_future_or_before_its_treatment(agent):
    from contactcentre.exceptions import DomainError

    member = covered_member()
    with pytest.raises(DomainError, match="future"):
        claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", ""), received=date(2099, 1, 1))
    with pytest.raises(DomainError, match="before the treatment"):
        claim_for(member, agent, ("outpatient", date(2026, 3, 10), "200", ""), received=date(2026, 3, 1))


def test_limits_are_net_of_earlier_payments_and_a_claim_can_be_partly_approved(agent, assessor):
    member = covered_member()
    for month in (2, 3, 4, 5):
        decide(claim_for(member, agent, ("outpatient", date(2026, month, 1), "250", "")), assessor)
    # £150 + £250 x 3 = £900 of the £1,000 used: £100 remain.
    last = decide(claim_for(member, agent, ("outpatient", date(2026, 6, 1), "250", "")), assessor)
    assert last.status == ClaimStatus.PARTLY_APPROVED and last.approved_total == D("100.00")


def test_an_excluded_condition_is_not_paid(agent, assessor):
    member = covered_member()
    Exclusion.objects.create(policy_member=member, description="Osteoarthritis of the knee", icd10="M17")
    claim = decide(
        claim_for(
            member,
            agent,
            ("outpatient", date(2026, 3, 1), "200", "M17.1"),
            ("outpatient", date(2026, 3, 2), "200", "K40.9"),
        ),
        assessor,
    )
    assert claim.status == ClaimStatus.PARTLY_APPROVED
    assert [line.approved_amount for line in claim.lines.order_by("id")] == [D("0.00"), D("100.00")]


def test_the_payee_is_the_provider_for_direct_settlement_else_the_member(agent, assessor):
    member = covered_member()
    direct = decide(
        claim_for(
            member, agent, ("outpatient", date(2026, 3, 1), "200", ""), provider=ProviderFactory(direct_settlement=True)
        ),
        assessor,
    )
    reimburse = decide(
        claim_for(
            member,
            agent,
            ("outpatient", date(2026, 3, 2), "200", ""),
            provider=ProviderFactory(direct_settlement=False),
        ),
        assessor,
    )
    assert (direct.payee, reimburse.payee) == ("provider", "member")


def test_every_transition_is_stored_and_only_allowed_ones_happen(agent, assessor):
    member = covered_member()
    claim = claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", ""))
    with pytest.raises(ClaimTransitionRefused) as refused:
        services.claim_pay(claim_id=claim.pk, actor=assessor)
    assert refused.value.current == "received" and refused.value.status_code == 409
    claim = decide(claim, assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    payment = services.claim_pay(claim_id=claim.pk, actor=assessor, paid_on=date(2026, 6, 15))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and payment.amount == D("100.00")
    assert claim.turnaround_working_days == 3  # received Wed 10 June, paid Mon 15 June
    assert list(ClaimTransition.objects.filter(claim=claim).values_list("from_status", "to_status")) == [
        ("", "received"),
        ("received", "assessing"),
        ("assessing", "approved"),
        ("approved", "payment_scheduled"),
        ("payment_scheduled", "paid"),
    ]
    with pytest.raises(ClaimTransitionRefused):
        services.claim_transition(claim_id=claim.pk, target="withdrawn", actor=agent)


def test_a_stale_version_is_refused_rather_than_overwriting(agent, assessor):
    member = covered_member()
    claim = claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", ""))
    seen = claim.version
    services.claim_transition(claim_id=claim.pk, target="assessing", actor=assessor, expected_version=seen)
    with pytest.raises(ClaimChangedMeanwhile):
        services.claim_transition(claim_id=claim.pk, target="withdrawn", actor=agent, expected_version=seen)


def test_a_claim_for_a_date_without_cover_is_refused(agent):
    member = covered_member()
    with pytest.raises(NoCoverOnDate):
        claim_for(member, agent, ("outpatient", date(2025, 12, 31), "200", ""))


def test_paying_twice_is_refused_and_pays_once(agent, assessor):
    member = covered_member()
    claim = decide(claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", "")), assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    services.claim_pay(claim_id=claim.pk, actor=assessor)
    with pytest.raises(ClaimAlreadyPaid):
        services.claim_pay(claim_id=claim.pk, actor=assessor)
    assert Payment.objects.filter(claim=claim).count() == 1


def test_the_database_refuses_a_second_payment_row_even_without_the_service(agent, assessor):
    from django.db import IntegrityError, transaction

    member = covered_member()
    claim = decide(claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", "")), assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    services.claim_pay(claim_id=claim.pk, actor=assessor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            claim=claim,
            amount=D("1"),
            currency="GBP",
            payee="member",
            payee_name="x",
            reference="OTHER",
            paid_on=date(2026, 6, 1),
            paid_by=assessor,
        )
    assert Payment.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_threads_paying_the_same_claim_make_exactly_one_payment(roles, user_factory):
    agent, assessor = user_factory(role=Role.AGENT), user_factory(role=Role.CLAIMS_ASSESSOR)
    member = covered_member()
    claim = decide(claim_for(member, agent, ("outpatient", date(2026, 3, 1), "200", "")), assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def pay():
        try:
            barrier.wait()
            services.claim_pay(claim_id=claim.pk, actor=assessor)
            outcomes.append("paid")
        except ClaimAlreadyPaid:
            outcomes.append("already paid")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already paid"] * 7 + ["paid"]
    assert Payment.objects.filter(claim_id=claim.pk).count() == 1


def test_paid_claims_use_up_their_pre_authorisation(agent, assessor):
    member = covered_member()
    hospital = ProviderFactory()
    authorisation = pre_authorised(member, agent, hospital, "4000")
    claim = decide(claim_for(member, agent, ("inpatient", date(2026, 6, 1), "4000", ""), provider=hospital), assessor)
    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
    services.claim_pay(claim_id=claim.pk, actor=assessor)
    authorisation.refresh_from_db()
    assert authorisation.status == PreAuthorisationStatus.USED


def test_a_check_that_failed_cannot_be_pre_authorised(agent):
    from claims.exceptions import NotCovered

    member = covered_member()
    check = services.cover_check_run(
        customer=member.customer,
        category="therapies",
        treatment_date=date(2026, 2, 1),
        estimated_cost=D("300"),
        actor=agent,
        provider=ProviderFactory(),
    )
    with pytest.raises(NotCovered):
        services.pre_authorisation_create(cover_check=check, actor=agent)
