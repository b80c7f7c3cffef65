"""The calls part of the demo: queues, skills, the reason taxonomy, agents' extensions, and a few
weeks of contacts, sent through the same telephony ingestion as live events."""

import random
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from customers.models import CustomerPhone
from staff.models import User
from staff.roles import Role

from .models import AgentState, AgentStatus, Contact, Queue, ReasonCode, Skill
from .rules.telephony import Event
from .services.telephony import events_ingest
from .services.telephony_fold import contacts_fold_pending

SKILLS = [
    ("membership", "Membership and renewals", "العضوية والتجديد"),
    ("cover", "Cover and pre-authorisation", "التغطية والموافقة المسبقة"),
    ("claims", "Claims", "المطالبات"),
    ("complaints", "Complaints handling", "معالجة الشكاوى"),
    ("corporate", "Corporate accounts", "حسابات الشركات"),
    ("clinical", "Clinical (registered nurse)", "سريري (ممرض مسجل)"),
]
# code, name, Arabic, threshold s, target %, short abandon s, 24/7, skill
QUEUES = [
    ("membership", "Membership and renewals", "العضوية والتجديد", 20, 80, 5, False, "membership"),
    ("cover", "Cover and pre-authorisation", "التغطية والموافقة المسبقة", 20, 80, 5, False, "cover"),
    ("claims", "Claims", "المطالبات", 20, 80, 5, False, "claims"),
    ("complaints", "Complaints", "الشكاوى", 30, 80, 5, False, "complaints"),
    ("corporate", "Corporate accounts", "حسابات الشركات", 15, 90, 5, False, "corporate"),
    ("nurse", "Nurse advice line (24/7)", "خط الاستشارة التمريضية (على مدار الساعة)", 20, 90, 5, True, "clinical"),
]
REASONS = [
    (
        ("membership", "Membership", "العضوية"),
        [
            ("renewal", "Renewal", "التجديد"),
            ("change-of-details", "Change of details", "تغيير البيانات"),
            ("cancellation", "Cancellation", "الإلغاء"),
            ("add-dependant", "Add a dependant", "إضافة مُعال"),
            # Telling the insurer of a death: never followed by a survey (SURVEY_EXCLUDED_REASONS).
            ("bereavement", "Bereavement", "وفاة"),
        ],
    ),
    (
        ("cover", "Cover", "التغطية"),
        [
            ("cover-check", "Is my treatment covered?", "هل علاجي مغطى؟"),
            ("pre-authorisation", "Pre-authorisation", "الموافقة المسبقة"),
            ("excess-query", "Excess and limits", "التحمّل والحدود"),
        ],
    ),
    (
        ("claims", "Claims", "المطالبات"),
        [
            ("new-claim", "New claim", "مطالبة جديدة"),
            ("claim-status", "Claim status", "حالة المطالبة"),
            ("payment-query", "Payment query", "استفسار عن الدفع"),
        ],
    ),
    (
        ("billing", "Premiums and billing", "الأقساط والفواتير"),
        [
            ("premium-payment", "Premium payment", "دفع القسط"),
            ("direct-debit", "Direct debit", "الخصم المباشر"),
        ],
    ),
    (
        ("feedback", "Feedback", "الملاحظات"),
        [
            ("complaint", "Complaint", "شكوى"),
            ("compliment", "Compliment", "إشادة"),
        ],
    ),
    (
        ("clinical", "Clinical", "سريري"),
        [
            ("nurse-advice", "Nurse advice", "استشارة تمريضية"),
            ("find-a-specialist", "Find a specialist", "البحث عن أخصائي"),
        ],
    ),
]
FIRST_EXTENSION = 4001


def seed_queues_and_reasons() -> dict[str, Queue]:
    skills = {code: Skill.objects.create(code=code, name=name, name_ar=name_ar) for code, name, name_ar in SKILLS}
    queues = {}
    for code, name, name_ar, threshold, target, short, all_hours, skill in QUEUES:
        queue = Queue.objects.create(
            code=code,
            name=name,
            name_ar=name_ar,
            answer_threshold_seconds=threshold,
            service_level_target=target,
            short_abandon_seconds=short,
            open_all_hours=all_hours,
            opens_at=None if all_hours else time(8, 0),
            closes_at=None if all_hours else time(20, 0),
            open_weekdays=list(range(7)) if all_hours else [0, 1, 2, 3, 4, 5],
            is_nurse_line=code == "nurse",
        )
        queue.skills.add(skills[skill])
        queues[code] = queue
    for position, ((code, name, name_ar), children) in enumerate(REASONS):
        category = ReasonCode.objects.create(code=code, name=name, name_ar=name_ar, position=position)
        for child_position, (child, child_name, child_ar) in enumerate(children):
            ReasonCode.objects.create(
                code=child, name=child_name, name_ar=child_ar, parent=category, position=child_position
            )
    return queues


def seed_agents() -> list[tuple[User, str]]:
    """An extension for everyone who takes calls (the demo agent first: extension 4001)."""
    people = (
        User.objects.filter(
            Q(groups__name__in=[Role.AGENT, Role.NURSE, Role.TEAM_LEADER]),
        )
        .distinct()
        .order_by("date_joined", "pk")
    )
    people = sorted(people, key=lambda u: (not u.email.startswith(("agent@", "nurse@")), u.pk))
    statuses = [
        AgentStatus(user=person, extension=str(FIRST_EXTENSION + index), state=AgentState.OFFLINE)
        for index, person in enumerate(people)
    ]
    AgentStatus.objects.bulk_create(statuses)
    nurse_skill, skills = Skill.objects.get(code="clinical"), list(Skill.objects.exclude(code="clinical"))
    for status in statuses:
        status.skills.set([nurse_skill] if status.user.has_perm("staff.use_nurse_line") else skills)
    return [(status.user, status.extension) for status in statuses]


def seed_contacts(*, rng: random.Random, agents: list[tuple[User, str]], count: int) -> int:
    """`count` calls from members' phones over the last 28 days, each as the telephony would have sent it."""
    phones = [
        str(n) for n in CustomerPhone.objects.filter(is_primary=True).order_by("pk").values_list("number", flat=True)
    ]
    if not phones or not agents:
        return 0
    now = timezone.now()
    call_agents = [(u, ext) for u, ext in agents if not u.has_perm("staff.use_nurse_line")]
    nurses = [(u, ext) for u, ext in agents if u.has_perm("staff.use_nurse_line")] or call_agents
    reasons = {r.code: r for r in ReasonCode.objects.filter(parent__isnull=False)}
    events: list[Event] = []
    calls: list[tuple[str, str]] = []
    for n in range(count):
        phone = rng.choice(phones)
        queue = rng.choices([q[0] for q in QUEUES], weights=[20, 25, 30, 5, 8, 12])[0]
        _agent, extension = rng.choice(nurses if queue == "nurse" else call_agents)
        day = now - timedelta(days=rng.randint(1, 28))
        start = timezone.make_aware(
            datetime.combine(timezone.localtime(day).date(), time(rng.randint(8, 19), rng.randint(0, 59)))
        )
        call = _call_events(rng, f"demo-{n:05d}", start, queue=queue, extension=extension, phone=phone)
        events.extend(call)
        if call[-1].type == "wrap_up_ended":
            calls.append((call[0].call_id, queue))
    for start in range(0, len(events), 500):
        results = events_ingest(list(enumerate(events[start : start + 500])))
        refused = [result.errors for result in results if result.status != "accepted"]
        if refused:
            raise RuntimeError(f"The demo's calls were refused: {refused[:3]}")
    contacts_fold_pending()  # here and now, not on a worker: the wrap-ups below need the folded calls
    _wrap_up(rng, calls, reasons)
    return count


def _call_events(rng: random.Random, call_id: str, start: datetime, *, queue: str, extension: str, phone: str):
    """One call's events: answered (sometimes with a hold) and wrapped up, or abandoned in the queue."""
    events: list[Event] = []
    at = start

    def add(kind: str, seconds: int, **fields) -> None:
        nonlocal at
        at += timedelta(seconds=seconds)
        events.append(Event(kind, "demo", f"{call_id}-{kind}-{len(events)}", call_id, at, **fields))

    add("offered", 0, queue=queue, caller_number=phone, dialled_number="+443456003040")
    if rng.random() < 0.07:
        add("abandoned", rng.randint(2, 90), cause="caller")
        return events
    add("ringing", rng.choice([3, 8, 15, 25, 40]), agent=extension)
    add("answered", rng.randint(2, 8), agent=extension)
    if rng.random() < 0.2:
        add("held", rng.randint(30, 200))
        add("resumed", rng.randint(20, 120))
    add("ended", rng.randint(60, 600), cause="caller")
    add("wrap_up_ended", rng.randint(20, 120))
    return events


def _wrap_up(rng: random.Random, calls: list[tuple[str, str]], reasons: dict[str, ReasonCode]) -> None:
    by_queue = {
        "membership": ["renewal", "change-of-details", "add-dependant"],
        "cover": ["cover-check", "pre-authorisation", "excess-query"],
        "claims": ["new-claim", "claim-status", "payment-query"],
        "complaints": ["complaint"],
        "corporate": ["renewal", "premium-payment", "direct-debit"],
        "nurse": ["nurse-advice", "find-a-specialist"],
    }
    outcome = {"cover": "cover_confirmed", "claims": "claim_progressed", "nurse": "nurse_advice"}
    contacts = {
        c.external_id: c for c in Contact.objects.filter(provider="demo", external_id__in=[c for c, _ in calls])
    }
    through = Contact.reasons.through
    links = []
    for call_id, queue in calls:
        contact = contacts[call_id]
        contact.outcome = outcome.get(queue, "information_given")
        contact.caller_state = rng.choices(["calm", "anxious", "distressed", "angry"], weights=[60, 25, 10, 5])[0]
        contact.resolved_first_contact = rng.random() < 0.78
        contact.wrapped_up_at = contact.wrap_up_ended_at
        links.append(through(contact_id=contact.pk, reasoncode_id=reasons[rng.choice(by_queue[queue])].pk))
    Contact.objects.bulk_update(
        contacts.values(), ["outcome", "caller_state", "resolved_first_contact", "wrapped_up_at"]
    )
    through.objects.bulk_create(links)
