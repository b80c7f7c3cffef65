"""Demo plans, providers and corporate accounts for `seed_demo`, and the claims of the demo members."""

import random
from datetime import date, timedelta
from decimal import Decimal

from contactcentre.exceptions import DomainError

from . import services
from .models import Benefit, BenefitCategory, Plan, PromiseMetric, Provider, ServicePromise, Tier

D = Decimal
UNLIMITED = None

# code: (name, Arabic name, tier, premium, excess, {category: (annual, per event, waiting days, pre-auth)},
#        {promise metric: (target, wording, Arabic wording)})
PLANS = {
    "essential": (
        "Essential",
        "الأساسية",
        Tier.ESSENTIAL,
        D("720.00"),
        D("250.00"),
        {
            BenefitCategory.INPATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.DAY_PATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.CANCER_CARE: (UNLIMITED, None, 0, True),
            BenefitCategory.OUTPATIENT: (D("500.00"), D("150.00"), 0, False),
            BenefitCategory.DIAGNOSTICS: (D("500.00"), None, 0, False),
        },
        {
            PromiseMetric.CLAIM_PAID_WORKING_DAYS: (
                10,
                "Claims paid within 10 working days",
                "دفع المطالبات خلال 10 أيام عمل",
            ),
            PromiseMetric.CALL_ANSWERED_SECONDS: (
                60,
                "Calls answered within 60 seconds",
                "الرد على المكالمات خلال 60 ثانية",
            ),
        },
    ),
    "standard": (
        "Standard",
        "القياسية",
        Tier.STANDARD,
        D("1260.00"),
        D("100.00"),
        {
            BenefitCategory.INPATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.DAY_PATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.CANCER_CARE: (UNLIMITED, None, 0, True),
            BenefitCategory.OUTPATIENT: (D("1000.00"), D("250.00"), 0, False),
            BenefitCategory.DIAGNOSTICS: (D("1500.00"), None, 0, False),
            BenefitCategory.THERAPIES: (D("500.00"), None, 90, False),
            BenefitCategory.MENTAL_HEALTH: (D("1000.00"), None, 180, True),
        },
        {
            PromiseMetric.CLAIM_PAID_WORKING_DAYS: (
                5,
                "Claims paid within 5 working days",
                "دفع المطالبات خلال 5 أيام عمل",
            ),
            PromiseMetric.CALL_ANSWERED_SECONDS: (
                30,
                "Calls answered within 30 seconds",
                "الرد على المكالمات خلال 30 ثانية",
            ),
        },
    ),
    "premier": (
        "Premier",
        "المميزة",
        Tier.PREMIER,
        D("2100.00"),
        D("0.00"),
        {
            BenefitCategory.INPATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.DAY_PATIENT: (UNLIMITED, None, 0, True),
            BenefitCategory.CANCER_CARE: (UNLIMITED, None, 0, True),
            BenefitCategory.OUTPATIENT: (UNLIMITED, None, 0, False),
            BenefitCategory.DIAGNOSTICS: (UNLIMITED, None, 0, False),
            BenefitCategory.THERAPIES: (D("1500.00"), None, 30, False),
            BenefitCategory.MENTAL_HEALTH: (D("2500.00"), None, 90, True),
        },
        {
            PromiseMetric.CLAIM_PAID_WORKING_DAYS: (
                3,
                "Claims paid within 3 working days",
                "دفع المطالبات خلال 3 أيام عمل",
            ),
            PromiseMetric.CALL_ANSWERED_SECONDS: (
                20,
                "Calls answered within 20 seconds",
                "الرد على المكالمات خلال 20 ثانية",
            ),
            PromiseMetric.PREAUTH_SAME_CALL: (
                90,
                "9 in 10 pre-authorisations given on the first call",
                "منح 9 من كل 10 موافقات مسبقة في المكالمة الأولى",
            ),
        },
    ),
}

# (number, name, kind, town, postcode, recognised, direct settlement)
PROVIDERS = [
    ("H0001", "Thames Valley Hospital", "hospital", "Staines-upon-Thames", "TW18 4XB", True, True),
    ("H0002", "Manchester Central Hospital", "hospital", "Manchester", "M13 9WL", True, True),
    ("H0003", "Windsor Park Hospital", "hospital", "Windsor", "SL4 3SJ", True, True),
    ("H0004", "Salford Quays Hospital", "hospital", "Salford", "M50 3AZ", True, True),
    ("C0001", "Egham Diagnostics Centre", "clinic", "Egham", "TW20 9EE", True, True),
    ("C0002", "Didsbury Physiotherapy Clinic", "clinic", "Manchester", "M20 6RT", True, False),
    ("C0003", "Ashford Mind and Wellbeing", "clinic", "Ashford", "TW15 2PR", True, False),
    ("C0004", "Harley Wellness Spa", "clinic", "London", "W1G 9QD", False, False),
    ("P0001", "Mr David Okoro, orthopaedic surgeon", "consultant", "Staines-upon-Thames", "TW18 4XB", True, False),
    ("P0002", "Dr Leila Saeed, consultant psychiatrist", "consultant", "Manchester", "M20 6RT", True, False),
    ("P0003", "Dr Helen Marsh, oncologist", "consultant", "Manchester", "M13 9WL", True, False),
]


def seed_plans_and_providers() -> tuple[dict[str, Plan], list[Provider]]:
    plans = {}
    for code, (name, name_ar, tier, premium, excess, benefits, promises) in PLANS.items():
        plan, created = Plan.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_ar": name_ar, "tier": tier, "annual_premium": premium, "excess": excess},
        )
        if created:
            Benefit.objects.bulk_create(
                [
                    Benefit(
                        plan=plan,
                        category=category,
                        annual_limit=annual,
                        per_event_limit=event,
                        waiting_period_days=wait,
                        pre_authorisation_required=pre_auth,
                    )
                    for category, (annual, event, wait, pre_auth) in benefits.items()
                ]
            )
            ServicePromise.objects.bulk_create(
                [
                    ServicePromise(plan=plan, metric=metric, target=target, wording=wording, wording_ar=wording_ar)
                    for metric, (target, wording, wording_ar) in promises.items()
                ]
            )
        plans[code] = plan
    providers = []
    for number, name, kind, town, postcode, recognised, direct in PROVIDERS:
        provider, _ = Provider.objects.get_or_create(
            provider_number=number,
            defaults={
                "name": name,
                "kind": kind,
                "town": town,
                "postcode": postcode,
                "recognised": recognised,
                "direct_settlement": direct,
            },
        )
        providers.append(provider)
    return plans, providers


# A short, plausible menu of treatments per benefit: (procedure, ICD-10, typical cost)
TREATMENTS = {
    BenefitCategory.OUTPATIENT: [
        ("Consultation, orthopaedics", "M25.5", D("220.00")),
        ("Consultation, dermatology", "L40.0", D("180.00")),
    ],
    BenefitCategory.DIAGNOSTICS: [("MRI scan, knee", "M23.2", D("650.00")), ("Blood tests", "R53", D("120.00"))],
    BenefitCategory.THERAPIES: [("Physiotherapy, six sessions", "M54.5", D("360.00"))],
    BenefitCategory.DAY_PATIENT: [
        ("Knee arthroscopy", "M23.2", D("2900.00")),
        ("Cataract surgery", "H25.9", D("2400.00")),
    ],
    BenefitCategory.INPATIENT: [("Hip replacement", "M16.1", D("12500.00")), ("Hernia repair", "K40.9", D("3800.00"))],
    BenefitCategory.MENTAL_HEALTH: [("Cognitive behavioural therapy, eight sessions", "F41.1", D("720.00"))],
}

# Where each demo claim ends up, and the moves that take it there.
PATHS = {
    "received": [],
    "assessing": ["start"],
    "information_requested": ["start", "request-information"],
    "decided": ["start", "assess"],
    "partly": ["start", "assess"],
    "payment_scheduled": ["start", "assess", "schedule"],
    "paid": ["start", "assess", "schedule", "pay"],
    "rejected": ["start", "reject"],
    "withdrawn": ["withdraw"],
}


def seed_claims(
    *, rng: random.Random, members: list, providers: list[Provider], actor, assessor, today: date, count: int
) -> int:
    """Claims in every state, through the real services, so each has a plausible history."""
    recognised = [p for p in providers if p.recognised]
    made = 0
    paths = list(PATHS)
    for i in range(count):
        member = members[rng.randrange(len(members))]
        plan_categories = set(member["categories"])
        path = paths[i % len(paths)]
        category = rng.choice([c for c in TREATMENTS if c in plan_categories])
        if path == "partly":  # a bill over the plan's per-treatment limit for consultations
            category = BenefitCategory.OUTPATIENT
        procedure, icd10, cost = rng.choice(TREATMENTS[category])
        if path == "partly":
            cost *= 3
        treated = today - timedelta(days=rng.randint(5, 80))
        provider = rng.choice(recognised)
        amount = (cost * D(rng.randint(85, 115)) / 100).quantize(D("0.01"))
        try:
            if category in member["pre_auth_categories"]:
                check = services.cover_check_run(
                    customer=member["customer"],
                    category=category,
                    treatment_date=treated,
                    estimated_cost=amount,
                    actor=actor,
                    provider=provider,
                    procedure=procedure,
                    icd10=icd10,
                )
                if check.decision != "not_covered" and check.insurer_pays > 0:
                    services.pre_authorisation_create(cover_check=check, actor=actor)
            claim = services.claim_create(
                customer=member["customer"],
                provider=provider,
                actor=actor,
                received_on=treated + timedelta(days=rng.randint(1, 4)),
                lines=[services.LineInput(category, procedure, treated, amount, icd10)],
            )
            for step in PATHS[path]:
                if step == "start":
                    services.claim_transition(claim_id=claim.pk, target="assessing", actor=assessor)
                elif step == "request-information":
                    services.claim_transition(
                        claim_id=claim.pk,
                        target="information_requested",
                        actor=assessor,
                        reason="Itemised invoice from the provider",
                    )
                elif step == "assess":
                    services.claim_assess(claim_id=claim.pk, actor=assessor)
                elif step == "schedule":
                    services.claim_schedule_payment(claim_id=claim.pk, actor=assessor)
                elif step == "pay":
                    paid_on = min(today, claim.received_on + timedelta(days=rng.randint(1, 9)))
                    services.claim_pay(claim_id=claim.pk, actor=assessor, paid_on=paid_on)
                elif step == "reject":
                    services.claim_transition(
                        claim_id=claim.pk, target="rejected", actor=assessor, reason="Treatment not medically necessary"
                    )
                elif step == "withdraw":
                    services.claim_transition(
                        claim_id=claim.pk, target="withdrawn", actor=actor, reason="Member paid the provider themselves"
                    )
        except DomainError:
            continue  # a path a rule refuses (say, paying a rejected claim) is simply not demonstrated
        made += 1
    return made
