"""Demo data for the surveys app: the three standard surveys, sampling rules, themes, post-contact
responses to the demo's calls (with their loops closed or open), a SERVQUAL panel and the
management study, two focus groups, and coded comments. Deterministic for a given random seed."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from calls.models import Contact, ContactState, Queue
from customers.models import Customer, CustomerStatus
from staff.models import User
from staff.roles import Role

from .models import (
    Answer,
    CommentCode,
    FindingTheme,
    FocusGroup,
    Invitation,
    InvitationChannel,
    LoopFollowUp,
    LoopOutcome,
    LoopStatus,
    Participant,
    SamplingDecision,
    SamplingRule,
    SessionKind,
    SkipReason,
    SurveyKind,
    Theme,
)
from .rules import servqual
from .rules.tokens import token_new
from .services.definitions import survey_create
from .services.responses import response_submit

THEMES = [
    # code, name, Arabic, complaint category, keywords (English and Arabic)
    ("waiting", "Waiting and getting through", "الانتظار والوصول", "service",
     "wait\nhold\nqueue\nengaged\nages\nانتظار\nطويل"),
    ("claims", "Claims and payments", "المطالبات والمدفوعات", "claims_handling",
     "claim\npaid\npayment\nreimburse\nمطالبة\nدفع"),
    ("cover", "Cover decisions", "قرارات التغطية", "cover_decision",
     "cover\ncovered\nexcluded\npre-authorisation\nتغطية\nموافقة"),
    ("manner", "Staff manner and knowledge", "أسلوب الموظفين ومعرفتهم", "service",
     "helpful\npolite\nrude\nknowledgeable\nfriendly\nkind\nلطيف\nمهذب\nالموظف"),
    ("clarity", "Clear information", "وضوح المعلومات", "communication",
     "explain\nclear\nconfusing\nletter\nواضح\nشرح"),
    ("billing", "Premiums and billing", "الأقساط والفواتير", "billing",
     "premium\ndirect debit\nbill\nprice\nقسط\nفاتوره"),
    ("nurse", "Nurse advice", "الاستشارة التمريضية", "clinical_advice",
     "nurse\nadvice\ndoctor\nممرضه\nنصيحه"),
    ("promises", "Promises kept", "الوفاء بالوعود", "service",
     "callback\ncall back\npromised\nnever rang\nوعد\nاتصال"),
]  # fmt: skip

# Comments members leave, by mood, with the themes a coder would give them.
COMMENTS = {
    "en": {
        "good": [
            ("The agent was so helpful and kind while my husband was in hospital.", ["manner"]),
            ("Cover confirmed in minutes, and she explained the excess clearly.", ["cover", "clarity"]),
            ("My claim was paid the same week. Thank you.", ["claims"]),
            ("The nurse gave me calm, clear advice at 3am.", ["nurse", "clarity"]),
            ("Friendly and knowledgeable; nothing was too much trouble.", ["manner"]),
        ],
        "mixed": [
            ("Good answer in the end, but I was on hold for a long time.", ["waiting"]),
            ("Helpful, though the letter I got afterwards was confusing.", ["manner", "clarity"]),
            ("Fine, but I had to explain everything twice after being transferred.", ["clarity"]),
        ],
        "bad": [
            ("Waited 25 minutes and was cut off. Nobody called back as promised.", ["waiting", "promises"]),
            ("My claim still has not been paid and nobody can tell me why.", ["claims"]),
            ("Told I was covered, then the hospital said the treatment is excluded.", ["cover"]),
            ("The premium went up again and the person on the phone was rude.", ["billing", "manner"]),
        ],
    },
    "ar": {
        "good": [
            ("كان الموظف لطيفا جدا وساعدني بسرعة.", ["manner"]),
            ("تم تأكيد التغطية خلال دقائق وكان الشرح واضحا.", ["cover", "clarity"]),
            ("نصيحة الممرضة كانت مطمئنة وواضحة.", ["nurse", "clarity"]),
        ],
        "mixed": [
            ("الرد كان جيدا لكن الانتظار كان طويلا.", ["waiting"]),
            ("الموظف مهذب لكن الرسالة بعد المكالمة لم تكن واضحة.", ["manner", "clarity"]),
        ],
        "bad": [
            ("انتظرت طويلا ولم يعاودوا الاتصال كما وعدوا.", ["waiting", "promises"]),
            ("المطالبة لم تدفع حتى الآن ولا أحد يشرح السبب.", ["claims"]),
        ],
    },
}

# The perception SERVQUAL members give this insurer, per dimension (their expectations run 6-7):
# reliability is the widest gap, as in Parasuraman et al.'s own studies.
PERCEPTION_MEANS = {"tangibles": 5.9, "reliability": 4.9, "responsiveness": 5.2, "assurance": 5.9, "empathy": 5.3}
EXPECTATION_MEANS = {"tangibles": 5.6, "reliability": 6.7, "responsiveness": 6.4, "assurance": 6.5, "empathy": 6.2}
# What managers believe members expect: they overrate the phone line and underrate empathy.
MANAGEMENT_MEANS = {"tangibles": 6.3, "reliability": 6.5, "responsiveness": 6.2, "assurance": 6.1, "empathy": 5.2}
POINTS_WEIGHTS = {"tangibles": 10, "reliability": 32, "responsiveness": 22, "assurance": 20, "empathy": 16}


@dataclass
class SurveysSeeded:
    responses: int
    servqual: int
    focus_groups: int


def _scale(rng: random.Random, mean: float, low: int = 1, high: int = 7) -> int:
    return max(low, min(high, round(rng.gauss(mean, 0.8))))


def _points(rng: random.Random) -> dict[str, int]:
    raw = {d: max(0.0, rng.gauss(w, 5)) for d, w in POINTS_WEIGHTS.items()}
    total = sum(raw.values())
    points = {d: int(v * 100 / total) for d, v in raw.items()}
    points["reliability"] += 100 - sum(points.values())
    return points


def _backdate(invitation_id: int, at) -> None:
    Invitation.objects.filter(pk=invitation_id).update(
        created_at=at, sent_at=at, expires_at=at + timedelta(days=7), answered_at=None
    )


def _invite(survey, customer, contact, at) -> Invitation:
    _token, digest, salt = token_new()
    return Invitation.objects.create(
        survey=survey,
        customer=customer,
        contact=contact,
        channel=InvitationChannel.EMAIL if customer.email else InvitationChannel.SMS,
        language=customer.preferred_language,
        token_salt=salt,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=7),
        sent_at=at,
    )


def _post_contact(rng: random.Random, survey, themes: dict[str, Theme], coder: User) -> int:
    """A third of the demo's handled calls invited, about half of those answering; a few agents
    noticeably better or worse than the rest, so the breakdown has something to show."""
    contacts = list(
        Contact.objects.filter(state=ContactState.CLOSED, wrapped_up_at__isnull=False, customer__isnull=False)
        .exclude(queue__code="complaints")
        .select_related("customer", "agent")
        .order_by("pk")
    )
    agent_effect: dict[int, float] = {}
    answered = 0
    for contact in contacts:
        customer = contact.customer
        if not customer.consent_research:
            SamplingDecision.objects.create(contact=contact, skip_reason=SkipReason.OPTED_OUT)
            continue
        if rng.random() > 0.5:
            SamplingDecision.objects.create(contact=contact, skip_reason=SkipReason.NOT_SAMPLED)
            continue
        sent = contact.wrapped_up_at + timedelta(minutes=rng.randint(5, 60))
        invitation = _invite(survey, customer, contact, sent)
        SamplingDecision.objects.create(contact=contact, invitation=invitation)
        if rng.random() < 0.4:
            _backdate(invitation.pk, sent)
            continue
        effect = agent_effect.setdefault(contact.agent_id or 0, rng.gauss(0, 0.6))
        mood_score = rng.gauss(0.9 + effect, 1.0)
        mood = "good" if mood_score > 0.6 else "mixed" if mood_score > -0.4 else "bad"
        csat = {"good": rng.choice([4, 5, 5]), "mixed": rng.choice([3, 3, 4]), "bad": rng.choice([1, 2, 2])}[mood]
        nps = {"good": rng.choice([8, 9, 10, 10]), "mixed": rng.choice([6, 7, 8]), "bad": rng.choice([0, 2, 4, 6])}[
            mood
        ]
        ces = {"good": rng.choice([6, 7]), "mixed": rng.choice([4, 5]), "bad": rng.choice([1, 2, 3])}[mood]
        language = customer.preferred_language
        comment, codes = ("", [])
        if rng.random() < 0.7:
            comment, codes = rng.choice(COMMENTS[language][mood])
        submitted = sent + timedelta(hours=rng.randint(1, 30))
        response, _ = response_submit(
            survey=survey,
            values={"csat": csat, "ces": ces, "nps": nps, "comment": comment},
            source="link",
            invitation=invitation,
            language=language,
            submitted_at=min(submitted, timezone.now()),
        )
        _backdate(invitation.pk, sent)
        Invitation.objects.filter(pk=invitation.pk).update(answered_at=response.submitted_at)
        answered += 1
        if comment and rng.random() < 0.6:
            answer = Answer.objects.get(response=response, question__code="comment")
            CommentCode.objects.bulk_create(
                CommentCode(answer=answer, theme=themes[code], coded_by=coder) for code in codes
            )
    # Loops: most of those more than a day old have been closed by their team leader.
    now = timezone.now()
    for loop in LoopFollowUp.objects.filter(created_at__lte=now).select_related("response", "owner"):
        if loop.response.submitted_at < now - timedelta(days=1) and rng.random() < 0.8 and loop.owner_id:
            loop.status = LoopStatus.CLOSED
            loop.outcome = rng.choice([LoopOutcome.RESOLVED, LoopOutcome.EXPLAINED, LoopOutcome.COACHING])
            loop.outcome_note = "Called the member back; apologised and put it right."
            loop.closed_at = min(loop.response.submitted_at + timedelta(hours=rng.randint(2, 40)), now)
            loop.closed_by = loop.owner
            loop.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by"])
    return answered


def _servqual(rng: random.Random, survey, count: int) -> int:
    members = list(
        Customer.objects.filter(consent_research=True, status=CustomerStatus.ACTIVE)
        .exclude(Q(email="") & Q(consent_sms=False))
        .order_by("pk")[: count * 2]
    )
    rng.shuffle(members)
    for customer in members[:count]:
        invitation = _invite(survey, customer, None, timezone.now())
        values: dict[str, int] = {}
        for item, dimension in servqual.DIMENSION_OF.items():
            values[f"e{item}"] = _scale(rng, EXPECTATION_MEANS[dimension])
            values[f"p{item}"] = _scale(rng, PERCEPTION_MEANS[dimension])
        values |= {f"points-{d}": p for d, p in _points(rng).items()}
        response_submit(
            survey=survey,
            values=values,
            source="link",
            invitation=invitation,
            language=customer.preferred_language,
            submitted_at=timezone.now() - timedelta(days=rng.randint(1, 40)),
        )
    return min(count, len(members))


def _management(rng: random.Random, survey) -> None:
    for manager in User.objects.filter(groups__name=Role.MANAGER, is_active=True).order_by("pk"):
        values = {f"e{item}": _scale(rng, MANAGEMENT_MEANS[d]) for item, d in servqual.DIMENSION_OF.items()}
        values |= {f"points-{d}": p for d, p in _points(rng).items()}
        response_submit(survey=survey, values=values, source="in_app", respondent=manager)


def _focus_groups(rng: random.Random, themes: dict[str, Theme], facilitator: User, sites) -> int:
    consenting = list(Customer.objects.filter(consent_research=True, status=CustomerStatus.ACTIVE).order_by("pk")[:60])
    sessions = [
        (SessionKind.FOCUS_GROUP, "Getting through when you are unwell", sites[0], 12,
         "1. Your last call to us. 2. Waiting, and what would make it easier. 3. Being called back.",
         [("waiting", "Most had waited over ten minutes when they were unwell; several gave up."),
          ("promises", "Callbacks promised 'today' that came the next day were the biggest frustration."),
          ("manner", "Praise for agents who stayed calm and kind with anxious callers.")]),
        (SessionKind.PANEL, "Members' panel: letters and claim updates", sites[-1], 30,
         "1. The letters we send after a claim. 2. What you want to know and when.",
         [("clarity", "Letters use insurer words ('excess', 'benefit limit') without explaining them."),
          ("claims", "Members want a text message when a claim is paid, not a letter a week later.")]),
    ]  # fmt: skip
    for kind, title, site, days_ago, guide, findings in sessions:
        group = FocusGroup.objects.create(
            kind=kind,
            title=title,
            held_on=timezone.localdate() - timedelta(days=days_ago),
            site=site,
            facilitator=facilitator,
            topic_guide=guide,
            notes="Eight members took part; notes typed up by the facilitator the same day.",
            created_by=facilitator,
        )
        Participant.objects.bulk_create(
            Participant(focus_group=group, customer=customer, attended=rng.random() < 0.9)
            for customer in rng.sample(consenting, min(8, len(consenting)))
        )
        FindingTheme.objects.bulk_create(
            FindingTheme(focus_group=group, theme=themes[code], evidence=evidence, coded_by=facilitator)
            for code, evidence in findings
        )
    return len(sessions)


def seed_surveys(*, rng: random.Random, sites) -> SurveysSeeded:
    manager = User.objects.filter(groups__name=Role.MANAGER).order_by("pk").first()
    leader = User.objects.filter(groups__name=Role.TEAM_LEADER).order_by("pk").first()
    after_call = survey_create(
        actor=manager,
        code="after-your-call",
        name="After your call",
        name_ar="بعد مكالمتك",
        kind=SurveyKind.POST_CONTACT,
        introduction="Thank you for calling us. Three quick questions about your call, and a comment if you like.",
        introduction_ar="شكرا لاتصالك بنا. ثلاثة أسئلة سريعة عن مكالمتك، وتعليق إن أردت.",
    )
    study = survey_create(
        actor=manager, code="servqual-2026", name="SERVQUAL 2026", name_ar="سيرفكوال 2026", kind=SurveyKind.SERVQUAL
    )
    management = survey_create(
        actor=manager,
        code="management-2026",
        name="What our members expect: managers' view 2026",
        name_ar="ما يتوقعه أعضاؤنا: رأي المديرين 2026",
        kind=SurveyKind.MANAGEMENT,
    )
    SamplingRule.objects.create(queue=None, survey=after_call, percentage=Decimal(35))
    nurse = Queue.objects.filter(code="nurse").first()
    if nurse is not None:
        SamplingRule.objects.create(queue=nurse, survey=after_call, percentage=Decimal(20))
    themes = {
        code: Theme.objects.create(
            code=code, name=name, name_ar=name_ar, complaint_category=category, keywords=keywords, position=i
        )
        for i, (code, name, name_ar, category, keywords) in enumerate(THEMES)
    }
    responses = _post_contact(rng, after_call, themes, coder=leader or manager)
    panel = _servqual(rng, study, count=60)
    _management(rng, management)
    groups = _focus_groups(rng, themes, manager, sites)
    return SurveysSeeded(responses=responses, servqual=panel, focus_groups=groups)
