"""Demo members for `seed_demo`: households with policies on the three plans, corporate schemes,
phone numbers, some vulnerable members, exclusions and moratorium histories. Deterministic for a
given random generator."""

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from claims.models import Exclusion, MedicalHistoryEntry, Plan, Policy, PolicyMember, PolicyStatus
from staff.demo import ARABIC_NAMES, ARABIC_SURNAMES, FIRST, LAST

from .models import (
    Channel,
    CorporateAccount,
    Customer,
    CustomerPhone,
    Household,
    HouseholdMember,
    PhoneKind,
    Relationship,
    ServiceTier,
    VulnerabilityCategory,
)
from .rules import membership_number_for
from .services import name_keys

MEMBERS = {"small": 300, "medium": 5_000, "large": 40_000}
CLAIMS = {"small": 60, "medium": 600, "large": 2_000}

TOWNS = [
    ("Staines-upon-Thames", "TW18"),
    ("Ashford", "TW15"),
    ("Egham", "TW20"),
    ("Windsor", "SL4"),
    ("Manchester", "M1"),
    ("Manchester", "M20"),
    ("Salford", "M50"),
    ("Stockport", "SK4"),
    ("London", "W1G"),
]
STREETS = ["Station Road", "High Street", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane", "Kings Road"]
COMPANIES = [
    ("CA0001", "Thames Logistics plc", "premier", ServiceTier.PREMIUM),
    ("CA0002", "Northern Rail Engineering Ltd", "standard", ServiceTier.ENHANCED),
    ("CA0003", "Pennine Software Ltd", "standard", ServiceTier.STANDARD),
]
VULNERABILITY_NOTES = {
    VulnerabilityCategory.BEREAVEMENT: "Partner died recently; speak gently and avoid repeating questions.",
    VulnerabilityCategory.SERIOUS_ILLNESS: "Undergoing cancer treatment; offer a callback if tired.",
    VulnerabilityCategory.COMMUNICATION: "Hard of hearing; speak clearly, confirm details in writing.",
    VulnerabilityCategory.MENTAL_HEALTH: "Anxiety; explain each step and what happens next.",
}
HISTORY = [("Lower back pain", "M54.5"), ("Knee pain", "M25.56"), ("Migraine", "G43.9"), ("Anxiety", "F41.1")]


def _person(rng: random.Random, surname: tuple[str, str] | None = None) -> dict:
    if surname is not None and surname[1]:
        first, first_ar = rng.choice(ARABIC_NAMES)
        return {"first_name": first, "first_name_ar": first_ar, "last_name": surname[0], "last_name_ar": surname[1]}
    if surname is not None:
        return {"first_name": rng.choice(FIRST), "last_name": surname[0]}
    if rng.random() < 0.15:
        (first, first_ar), (last, last_ar) = rng.choice(ARABIC_NAMES), rng.choice(ARABIC_SURNAMES)
        return {
            "first_name": first,
            "first_name_ar": first_ar,
            "last_name": last,
            "last_name_ar": last_ar,
            "preferred_language": rng.choice(["ar", "en"]),
        }
    return {"first_name": rng.choice(FIRST), "last_name": rng.choice(LAST)}


def seed_members(*, rng: random.Random, scale: str, plans: dict[str, Plan], today: date) -> list[dict]:
    """Households until the scale's member count; returns, per member, what the claims seeder needs."""
    accounts = [
        CorporateAccount.objects.create(account_number=number, name=name, plan=plans[plan], service_tier=tier)
        for number, name, plan, tier in COMPANIES
    ]
    target = MEMBERS[scale]
    customers: list[Customer] = []
    phones: list[CustomerPhone] = []
    households: list[tuple[int, list[tuple[int, str]]]] = []  # (holder index, [(member index, relationship)])
    policies: list[tuple[Policy, list[int], date]] = []
    serial = 1
    policy_number = 1
    while len(customers) < target:
        town, district = rng.choice(TOWNS)
        postcode = (
            f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
        holder = _person(rng)
        surname = (holder["last_name"], holder.get("last_name_ar", ""))
        holder_dob = date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
        people = [(holder, Relationship.HOLDER, holder_dob)]
        if rng.random() < 0.5:
            people.append(
                (_person(rng, surname), Relationship.PARTNER, holder_dob + timedelta(days=rng.randint(-1500, 1500)))
            )
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            people.append(
                (
                    _person(rng, surname),
                    Relationship.CHILD,
                    date(
                        min(today.year - 1, holder_dob.year + rng.randint(24, 40)),
                        rng.randint(1, 12),
                        rng.randint(1, 28),
                    ),
                )
            )
        account = rng.choice(accounts) if rng.random() < 0.2 else None
        first_index = len(customers)
        for person, _relationship, dob in people:
            vulnerable = rng.random() < 0.03
            category = rng.choice(list(VULNERABILITY_NOTES)) if vulnerable else ""
            fields = {"preferred_language": holder.get("preferred_language", "en"), **person}
            customer = Customer(
                membership_number=membership_number_for(10_000_000 + serial),
                date_of_birth=dob,
                email=f"{fields['first_name']}.{fields['last_name']}.{serial}@example.com".lower(),
                address_line_1=address,
                town=town,
                postcode=postcode,
                preferred_channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.EMAIL, Channel.LETTER]),
                consent_research=rng.random() < 0.6,
                consent_marketing=rng.random() < 0.3,
                consent_sms=rng.random() < 0.5,
                is_vulnerable=vulnerable,
                vulnerability_category=category,
                vulnerability_note=VULNERABILITY_NOTES.get(category, ""),
                corporate_account=account,
                **fields,
            )
            name_keys(customer)
            customers.append(customer)
            serial += 1
        indices = list(range(first_index, len(customers)))
        households.append((first_index, [(i, rel) for i, (_, rel, _) in zip(indices, people, strict=True)]))
        start = today - relativedelta(months=rng.randint(1, 84))
        start = start.replace(day=1)
        renewal = start + relativedelta(years=((today - start).days // 365) + 1)
        plan = account.plan if account else plans[rng.choice(["essential", "standard", "standard", "premier"])]
        policy = Policy(
            number=f"P{policy_number:08d}",
            plan=plan,
            corporate_account=account,
            underwriting=rng.choice(["moratorium", "full_medical"]),
            status=PolicyStatus.ACTIVE if rng.random() < 0.95 else PolicyStatus.CANCELLED,
            start_date=start,
            renewal_date=renewal,
        )
        policy_number += 1
        policies.append((policy, indices, start))
    Customer.objects.bulk_create(customers, batch_size=2000)
    for index, customer in enumerate(customers):
        mobile = f"+447700{900000 + (index * 7919) % 1000:06d}" if index % 3 else f"+44207946{(index * 31) % 10000:04d}"
        phones.append(
            CustomerPhone(
                customer=customer,
                kind=PhoneKind.MOBILE if index % 3 else PhoneKind.HOME,
                number=mobile,
                is_primary=True,
            )
        )
    CustomerPhone.objects.bulk_create(phones, batch_size=5000, ignore_conflicts=True)
    for holder_index, members in households:
        household = Household.objects.create(holder=customers[holder_index])
        HouseholdMember.objects.bulk_create(
            [HouseholdMember(household=household, customer=customers[i], relationship=rel) for i, rel in members]
        )
    # Individual policies are held by the household's holder.
    for (policy, _indices, _start), (holder_index, _members) in zip(policies, households, strict=True):
        if policy.corporate_account is None:
            policy.holder = customers[holder_index]
    Policy.objects.bulk_create([p for p, _, _ in policies], batch_size=2000)
    memberships = []
    for policy, indices, start in policies:
        for i in indices:
            joined = start - relativedelta(years=rng.choice([0, 0, 0, 1, 3]))
            memberships.append(PolicyMember(policy=policy, customer=customers[i], joined_on=joined, covered_from=start))
    PolicyMember.objects.bulk_create(memberships, batch_size=5000)
    exclusions, history = [], []
    for membership in memberships:
        if membership.policy.underwriting == "full_medical" and rng.random() < 0.1:
            description, code = rng.choice(HISTORY)
            exclusions.append(Exclusion(policy_member=membership, description=description, icd10=code[:3]))
        elif membership.policy.underwriting == "moratorium" and rng.random() < 0.15:
            description, code = rng.choice(HISTORY)
            history.append(
                MedicalHistoryEntry(
                    customer=membership.customer,
                    description=description,
                    icd10=code,
                    occurred_on=membership.joined_on - timedelta(days=rng.randint(30, 1500)),
                )
            )
    Exclusion.objects.bulk_create(exclusions, batch_size=5000)
    MedicalHistoryEntry.objects.bulk_create(history, batch_size=5000)
    benefits_by_plan = {
        code: list(plan.benefits.values_list("category", "pre_authorisation_required")) for code, plan in plans.items()
    }
    return [
        {
            "customer": m.customer,
            "categories": [c for c, _ in benefits_by_plan[m.policy.plan.code]],
            "pre_auth_categories": {c for c, pre in benefits_by_plan[m.policy.plan.code] if pre},
        }
        for m in memberships
        if m.policy.status == PolicyStatus.ACTIVE
    ]
