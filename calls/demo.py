"""The calls part of the demo: queues, skills, the reason taxonomy, agents' extensions, a few weeks
of contacts sent through the same telephony ingestion as live events, and months of history
written in bulk (`seed_history`) for the performance pages."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from customers.models import CustomerPhone
from staff.models import User
from staff.roles import Role

from .bulk import shift_states, works_on
from .models import (
    AgentState,
    AgentStateChange,
    AgentStatus,
    Contact,
    ContactChannel,
    ContactState,
    Direction,
    Queue,
    ReasonCode,
    Skill,
    StateSource,
)
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


def _nurses_site_id() -> int | None:
    """The site the nurses work at (the demo's nurse team is at Staines); None unless it is one."""
    sites = set(User.objects.filter(groups__name=Role.NURSE).values_list("site_id", flat=True))
    return sites.pop() if len(sites) == 1 else None


def seed_queues_and_reasons() -> dict[str, Queue]:
    """The queues (the nurse line served from its nurses' site, the others shared by both sites),
    their skills and the reason taxonomy."""
    skills = {code: Skill.objects.create(code=code, name=name, name_ar=name_ar) for code, name, name_ar in SKILLS}
    nurses_site_id = _nurses_site_id()
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
            site_id=nurses_site_id if code == "nurse" else None,
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


# Months of history for the performance pages: calls per weekday (Monday heaviest, weekends light),
# per hour (peaks 9-11 and 13-15; the nurse line all day and night) and a mild upward trend.
WEEKDAY_FACTOR = [1.3, 1.1, 1.0, 1.0, 0.9, 0.35, 0.0]  # Monday to Sunday; the office queues close on Sundays
OFFICE_HOURS = {8: 4, 9: 9, 10: 10, 11: 8, 12: 5, 13: 8, 14: 9, 15: 7, 16: 5, 17: 4, 18: 3, 19: 2}
NURSE_HOURS = dict(enumerate([2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 6, 6, 6, 6, 6, 7, 8, 8, 7, 5, 4, 3]))
OFFICE_QUEUES = {"membership": 22, "cover": 27, "claims": 33, "complaints": 6, "corporate": 12}
NURSE_SHARE = 0.12  # nurse calls a day, against the office queues' weekday mean: every day alike
TREND = 0.15  # calls grow by this share over the history


def seed_history(
    *,
    rng: random.Random,
    agents: list[tuple[User, str]],
    first: date,
    last: date,
    per_day: int,
    already: dict[date, int] | None = None,
    timelines_from: date | None = None,
) -> tuple[int, int]:
    """Finished calls from `first` to `last` (local days) with `per_day` office calls on an average
    weekday, written in bulk (no telephony events: the demo's live-path calls are `seed_contacts`), and
    the agents' state timelines for the same days (five 8-hour shifts a week, calls.bulk.shift_states).
    Each answered call goes to an agent on shift at that hour. `already` holds calls per day seeded
    by other means, taken off that day's draw so that the days' totals stay on the pattern. The
    timelines (several rows per agent and shift) start at `timelines_from` (default `first`).
    Returns (contacts, state changes)."""
    queues = {q.code: q for q in Queue.objects.filter(code__in=[*OFFICE_QUEUES, "nurse"])}
    if len(queues) < len(OFFICE_QUEUES) + 1 or not agents:
        return 0, 0
    customers = list(CustomerPhone.objects.filter(is_primary=True).order_by("pk").values_list("customer_id", "number"))
    regulars = customers[: max(1, len(customers) // 10)]  # a tenth of the members call again and again
    already = already or {}
    nurse_ids = {user.pk for user, _extension in agents if user.has_perm("staff.use_nurse_line")}
    zone = timezone.get_current_timezone()
    days = (last - first).days + 1
    contacts: list[Contact] = []
    states: list[AgentStateChange] = []
    for n in range(days):
        day = first + timedelta(days=n)
        midnight = timezone.make_aware(datetime.combine(day, time.min), zone)
        # Who works today, and when: office agents early (8-16) or late (12-20), nurses round the clock.
        on_shift: dict[tuple[bool, int], list[tuple[User, str]]] = defaultdict(list)
        for index, (user, extension) in enumerate(agents):
            if not works_on(index, day.weekday()):
                continue
            nurse = user.pk in nurse_ids
            starts = shift_start_hour(index, nurse=nurse)
            start = midnight + timedelta(hours=starts, minutes=rng.randrange(0, 15))
            for hour in range(starts, min(24, starts + 8)):
                on_shift[(nurse, hour)].append((user, extension))
            if day < (timelines_from or first):
                continue
            states += [
                AgentStateChange(
                    user=user, state=state, started_at=start + timedelta(seconds=offset), source=StateSource.SYSTEM
                )
                for state, offset in shift_states(rng, block_hours=4)
            ]
        growth = 1 + TREND * n / max(1, days - 1)
        office_calls = per_day * WEEKDAY_FACTOR[day.weekday()] * growth * rng.gauss(1, 0.06)
        nurse_calls = per_day * NURSE_SHARE * growth * rng.gauss(1, 0.1)
        office_calls = max(0, round(office_calls) - already.get(day, 0))
        draws = [(q, OFFICE_HOURS) for q in rng.choices(list(OFFICE_QUEUES), OFFICE_QUEUES.values(), k=office_calls)]
        draws += [("nurse", NURSE_HOURS)] * max(0, round(nurse_calls))
        for code, hours in draws:
            hour = rng.choices(list(hours), hours.values())[0]
            offered = midnight + timedelta(hours=hour, seconds=rng.randrange(3_600))
            nurse = code == "nurse" and bool(nurse_ids)
            caller = rng.choice(regulars if rng.random() < 0.3 else customers)
            call = _history_call(rng, len(contacts), queues[code], offered, hours[hour], caller)
            contacts.append(_answer(rng, call, on_shift[(nurse, hour)]))
    Contact.objects.bulk_create(contacts, batch_size=2_000)
    AgentStateChange.objects.bulk_create(states, batch_size=2_000)
    return len(contacts), len(states)


def shift_start_hour(index: int, *, nurse: bool) -> int:
    """When the agent at `index` of the demo's agents starts an 8-hour shift: office agents early (8)
    or late (12), nurses at midnight, 8 or 16 (the history, its timelines and the roster agree)."""
    return (0, 8, 16)[index % 3] if nurse else (8 if index % 2 else 12)


def agent_queue(index: int, *, nurse: bool) -> str:
    """The queue the agent at `index` is rostered on (queue codes of QUEUES)."""
    return "nurse" if nurse else list(OFFICE_QUEUES)[index % len(OFFICE_QUEUES)]


HISTORY_OUTCOMES = {"cover": "cover_confirmed", "claims": "claim_progressed", "nurse": "nurse_advice"}


def _history_call(
    rng: random.Random, serial: int, queue: Queue, offered: datetime, busy: int, caller: tuple[int, str]
) -> Contact:
    """One call offered, as the telephony fold would have left it if it was abandoned: busier
    hours (`busy`, the hour's weight out of 10) wait longer and abandon more."""
    customer_id, phone = caller
    if rng.random() < 0.1:  # a caller the system did not recognise
        customer_id, phone = None, f"+4477009{rng.randrange(10**5):05d}"
    wait = max(1, round(rng.lognormvariate(1.0 + busy / 7, 0.8)))
    call = Contact(
        channel=ContactChannel.PHONE,
        direction=Direction.INBOUND,
        provider="demo-history",
        external_id=f"h-{serial:07d}",
        caller_number=str(phone),
        dialled_number="+443456003040",
        customer_id=customer_id,
        queue=queue,
        offered_at=offered,
        wait_seconds=wait,
        legs=[{"queue": queue.code, "agent": "", "from": offered.isoformat()}],
        state=ContactState.ABANDONED,
        end_cause="caller",
        is_abandoned=True,
        is_short_abandon=wait <= queue.short_abandon_seconds,
        ended_at=offered + timedelta(seconds=wait),
    )
    call.busy = busy
    return call


def _answer(rng: random.Random, call: Contact, agents: list[tuple[User, str]]) -> Contact:
    """The call answered by one of the agents on shift, held now and then, transferred rarely, and
    wrapped up; or left abandoned (nobody on shift, or a caller who gave up: likelier the longer the
    wait and the busier the hour)."""
    if not agents or rng.random() < 0.02 + call.busy / 150 + call.wait_seconds / 600:
        return call
    user, extension = rng.choice(agents)
    call.agent, call.agent_extension, call.site_id = user, extension, user.site_id
    call.is_abandoned = call.is_short_abandon = False
    call.ring_seconds = min(call.wait_seconds, rng.randint(2, 12))
    call.answered_at = call.offered_at + timedelta(seconds=call.wait_seconds)
    call.ringing_at = call.answered_at - timedelta(seconds=call.ring_seconds)
    call.talk_seconds = max(20, round(rng.lognormvariate(5.5, 0.5)))  # about 4 minutes
    call.hold_seconds = rng.randint(20, 180) if rng.random() < 0.2 else 0
    call.transfer_count = int(rng.random() < 0.05)
    call.ended_at = call.answered_at + timedelta(seconds=call.talk_seconds + call.hold_seconds)
    call.wrap_up_seconds = rng.randint(20, 120)
    call.wrap_up_ended_at = call.wrapped_up_at = call.ended_at + timedelta(seconds=call.wrap_up_seconds)
    call.state = ContactState.CLOSED
    call.outcome = HISTORY_OUTCOMES.get(call.queue.code, "information_given")
    call.idv_outcome = "passed" if call.customer_id else "not_done"
    call.caller_state = rng.choices(["calm", "anxious", "distressed", "angry"], weights=[60, 25, 10, 5])[0]
    call.resolved_first_contact = rng.random() < 0.78
    return call
