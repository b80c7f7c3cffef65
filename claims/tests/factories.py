"""Members with cover, for the tests: a plan with benefits, a policy, a covered member."""

from datetime import date
from decimal import Decimal

import factory

from claims.models import Benefit, BenefitCategory, Plan, Policy, PolicyMember, Provider
from customers.models import Customer, CustomerPhone
from customers.rules import arabic_name_words, membership_number_for, soundex
from customers.services import search_name_for


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"plan-{n}")
    name = factory.Sequence(lambda n: f"Plan {n}")
    tier = "standard"
    annual_premium = Decimal("1200.00")
    excess = Decimal("100.00")


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    plan = factory.SubFactory(PlanFactory)
    category = BenefitCategory.OUTPATIENT
    annual_limit = Decimal("1000.00")


def standard_plan(**kwargs) -> Plan:
    """Out-patient £1,000 a year (£250 a treatment), therapies £500 after 90 days, in-patient
    unlimited with pre-authorisation; excess £100 a policy year."""
    plan = PlanFactory(**kwargs)
    BenefitFactory(
        plan=plan,
        category=BenefitCategory.OUTPATIENT,
        annual_limit=Decimal("1000.00"),
        per_event_limit=Decimal("250.00"),
    )
    BenefitFactory(
        plan=plan, category=BenefitCategory.THERAPIES, annual_limit=Decimal("500.00"), waiting_period_days=90
    )
    BenefitFactory(plan=plan, category=BenefitCategory.INPATIENT, annual_limit=None, pre_authorisation_required=True)
    return plan


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    membership_number = factory.Sequence(lambda n: membership_number_for(20_000_000 + n))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    first_name_ar = ""
    last_name_ar = ""
    search_name = factory.LazyAttribute(lambda o: search_name_for(o.first_name, o.last_name))
    first_name_key = factory.LazyAttribute(lambda o: soundex(o.first_name))
    last_name_key = factory.LazyAttribute(lambda o: soundex(o.last_name))
    first_name_ar_key = factory.LazyAttribute(lambda o: " ".join(arabic_name_words(o.first_name_ar)))
    last_name_ar_key = factory.LazyAttribute(lambda o: " ".join(arabic_name_words(o.last_name_ar)))
    date_of_birth = date(1970, 5, 17)
    postcode = "TW18 3HA"
    address_line_1 = "1 Station Road"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerPhone

    customer = factory.SubFactory(CustomerFactory)
    number = "+447700900123"
    is_primary = True


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    provider_number = factory.Sequence(lambda n: f"PR{n:05d}")
    name = factory.Sequence(lambda n: f"Hospital {n}")
    kind = "hospital"
    recognised = True
    direct_settlement = True


def covered_member(
    *,
    plan: Plan | None = None,
    start: date = date(2026, 1, 1),
    joined: date | None = None,
    underwriting: str = "full_medical",
    **customer,
) -> PolicyMember:
    plan = plan or standard_plan()
    person = CustomerFactory(**customer)
    policy = Policy.objects.create(
        number=f"P{person.pk:08d}",
        plan=plan,
        holder=person,
        underwriting=underwriting,
        start_date=start,
        renewal_date=date(start.year + 1, start.month, start.day),
    )
    return PolicyMember.objects.create(policy=policy, customer=person, joined_on=joined or start, covered_from=start)
