"""The quality part of the demo: the health-insurance call scorecard, team leaders' evaluations of the
demo's handled contacts (if calls.demo has seeded any: run this after seed_contacts), a calibration
session on a contact of the demo team leader's team, and a few recognitions. Everything goes through
the services, so the scores, audit rows and rule checks are the real ones. Deterministic for a given
random generator."""

import random
from collections import defaultdict
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from calls.models import Contact

from ..models import Evaluation, RecognitionKind, Scorecard, ScorecardItem, User
from ..roles import Role
from ..selectors import quality as selectors
from ..services import quality as services
from . import DEMO_DOMAIN, PeopleSeeded, showcase_teams

# code, label, Arabic label, weight, top score, critical, guidance
SCORECARD_ITEMS = [
    (
        "greeting-idv",
        "Greeting and ID&V",
        "الترحيب والتحقق من الهوية",
        2,
        4,
        True,
        "Warm greeting with name; identification and verification (name, date of birth, postcode) before any "
        "policy detail is discussed. 0 = policy details given to an unverified caller.",
    ),
    (
        "cover-accuracy",
        "Accuracy of cover information",
        "دقة معلومات التغطية",
        3,
        4,
        True,
        "Cover, excess and limits explained as the policy says; a cover check run where needed. "
        "0 = wrong cover information given (the member may act on it).",
    ),
    (
        "empathy",
        "Empathy with an anxious caller",
        "التعاطف مع المتصل القلق",
        2,
        4,
        False,
        "Acknowledges the caller's worry, plain words, checks understanding. Not applicable when the caller "
        "was calm throughout.",
    ),
    (
        "resolution",
        "Resolution",
        "الحل",
        3,
        4,
        False,
        "The query resolved on the call, or a clear next step with a time promised and a callback booked.",
    ),
    (
        "compliance",
        "Compliance",
        "الامتثال",
        2,
        1,
        True,
        "Call recording notice, data protection, complaints recognised and logged (FCA DISP). 1 = met, 0 = not.",
    ),
    (
        "wrap-up",
        "Wrap-up accuracy",
        "دقة إنهاء المكالمة",
        1,
        4,
        False,
        "Reason codes, outcome and notes match what happened on the call.",
    ),
]
EVALUATIONS_PER_AGENT = 4
COMMENTS = [
    "Clear explanation of the excess; remember to confirm the postcode before reading the policy.",
    "Lovely reassurance for a worried member. Book the callback in the system while still on the call.",
    "Good call control. Wrap-up notes were thin: note what was promised.",
    "Excellent: cover confirmed with a cover check and the member knew exactly what happens next.",
]


def _scorecard() -> Scorecard:
    card = Scorecard.objects.create(name="Health insurance calls", name_ar="مكالمات التأمين الصحي", pass_mark=80)
    ScorecardItem.objects.bulk_create(
        [
            ScorecardItem(
                scorecard=card,
                code=code,
                label=label,
                label_ar=label_ar,
                weight=weight,
                max_points=top,
                critical=critical,
                guidance=guidance,
                position=position,
            )
            for position, (code, label, label_ar, weight, top, critical, guidance) in enumerate(SCORECARD_ITEMS)
        ]
    )
    return card


def _answers(rng: random.Random, card: Scorecard, skill: float, contact: Contact) -> dict:
    answers = {}
    for item in card.items.all():
        if item.code == "empathy" and contact.caller_state == "calm" and rng.random() < 0.7:
            answers[item.pk] = None
        elif item.critical and rng.random() < 0.02:
            answers[item.pk] = 0  # the rare failed critical item
        else:
            share = min(1.0, max(0.0, rng.gauss(skill, 0.15)))
            answers[item.pk] = max(1 if item.critical else 0, round(share * item.max_points))
    return answers


def seed_quality(*, rng: random.Random, people: PeopleSeeded) -> None:
    card = _scorecard()
    now = timezone.now()
    handled = (
        Contact.objects.filter(
            selectors.HANDLED, agent__team__leader__isnull=False, agent__team__in=[t.pk for t in showcase_teams(people)]
        )
        .exclude(agent__team__leader=F("agent"))  # leaders take calls too; nobody evaluates their own
        .select_related("agent__team__leader")
        .order_by("pk")
    )
    by_agent: dict[User, list[Contact]] = defaultdict(list)
    for contact in handled:
        by_agent[contact.agent].append(contact)
    dated = []
    for agent in sorted(by_agent, key=lambda u: u.pk):
        skill = rng.uniform(0.65, 1.0)
        contacts = by_agent[agent]
        for contact in rng.sample(contacts, min(EVALUATIONS_PER_AGENT, len(contacts))):
            evaluation = services.evaluation_record(
                actor=contact.agent.team.leader,
                contact=contact,
                scorecard=card,
                answers=_answers(rng, card, skill, contact),
                comments=rng.choice(COMMENTS),
            )
            # Evaluated a day or two after the call (the trend by week needs the real spread of dates).
            evaluation.evaluated_at = min(now, contact.offered_at + timedelta(days=rng.randint(1, 3)))
            if rng.random() < 0.6:
                evaluation.acknowledged_at = min(now, evaluation.evaluated_at + timedelta(hours=rng.randint(2, 48)))
                evaluation.agent_comment = rng.choice(["", "Thanks, noted.", "Will do on my next calls."])
            dated.append(evaluation)
    Evaluation.objects.bulk_update(dated, ["evaluated_at", "acknowledged_at", "agent_comment"])
    _calibration(rng, card)
    _recognitions()


def _calibration(rng: random.Random, card: Scorecard) -> None:
    """The demo team leader calibrates with the site manager and another team leader at Staines."""
    leader = User.objects.get(email=f"teamleader@{DEMO_DOMAIN}")
    manager = User.objects.get(email=f"manager@{DEMO_DOMAIN}")
    contact = (
        Contact.objects.filter(selectors.HANDLED, agent__team__leader=leader)
        .exclude(agent=leader)
        .order_by("pk")
        .first()
    )
    if contact is None:
        return
    session = services.calibration_create(actor=leader, contact=contact, scorecard=card, held_on=timezone.localdate())
    # The agent's team leader and the site's manager (calibration is among those who may see the
    # agent) agree on most items and read "resolution" differently: the page shows it as wide.
    for evaluator, resolution in ((leader, 4), (manager, 2)):
        answers = {}
        for item in card.items.all():
            answers[item.pk] = resolution if item.code == "resolution" else item.max_points - (rng.random() < 0.3)
            if item.critical:
                answers[item.pk] = max(1, answers[item.pk])
        services.calibration_score(actor=evaluator, session=session, answers=answers, comments="")


def _recognitions() -> None:
    """What the rules say for the last four weeks, awarded by each team's leader (team of the month by
    the Staines manager), and a spot award for the demo agent."""
    today = timezone.localdate()
    start = today - timedelta(days=27)
    leaders = User.objects.filter(groups__name=Role.TEAM_LEADER, teams_led__isnull=False).distinct().order_by("pk")
    manager = User.objects.get(email=f"manager@{DEMO_DOMAIN}")
    for awarder in [*leaders, manager]:
        for nomination in selectors.nominations(actor=awarder, start=start, end=today):
            if nomination.awarded:
                continue
            services.recognition_award(
                actor=awarder,
                kind=nomination.kind,
                recipient=nomination.person,
                team=nomination.team,
                period_start=start,
                period_end=today,
                reason="Met the published rule for the period.",
            )
    leader = User.objects.get(email=f"teamleader@{DEMO_DOMAIN}")
    agent = User.objects.get(email=f"agent@{DEMO_DOMAIN}")
    if not agent.recognitions.filter(kind=RecognitionKind.SPOT, period_start=start).exists():
        services.recognition_award(
            actor=leader,
            kind=RecognitionKind.SPOT,
            recipient=agent,
            period_start=start,
            period_end=today,
            reason="Stayed on with a frightened member until the hospital confirmed her pre-authorisation.",
        )
