"""Demo appraisals and upward feedback for `manage.py seed_demo` (after staff.demo.employees, whose
records give each person their job's person specification): the 2026 cycle, appraisals in every state
with objectives and action plans, and upward feedback in which some teams have fewer than 5 answers
(so the board's summary shows the threshold at work). Made through the services, so every rule and
audit row is as in real use; deterministic for a given random generator, and running it again adds
nothing."""

import random
from datetime import date

from ..models import (
    Achievement,
    Appraisal,
    AppraisalCycle,
    AppraisalStatus,
    FeedbackSubject,
    Team,
    UpwardFeedback,
    User,
)
from ..selectors.appraisal import required_competencies
from ..services import appraisal as services
from ..services import feedback as feedback_services
from . import showcase_teams

CYCLE_NAME = "2026 appraisals"
# Upward feedback is summarised only once its cycle has closed: the demo's answers are last year's.
FEEDBACK_CYCLE_NAME = "2025 appraisals"
STATES = [AppraisalStatus.DRAFT, AppraisalStatus.SELF_ASSESSED, AppraisalStatus.REVIEWED, AppraisalStatus.SIGNED]
OBJECTIVES = [
    ("Resolve more calls first time", "Shadow the claims team for a week; use the cover-rules guide", "FCR of 80%"),
    (
        "Reassure anxious callers",
        "Complete the empathy course; review two calls a month with my leader",
        "Quality empathy item at 90%",
    ),
    ("Accurate wrap-up", "Check the reason codes before closing each contact", "Wrap-up accuracy of 95%"),
    ("Know the new hospital list", "Attend the product briefing; pass the quiz", "Quiz score of 85%"),
]
ACTIONS = ["Book the complaint-handling course", "Monthly call review with the team leader", "Sit with a nurse adviser"]
WENT_WELL = ["Huddles every morning", "Fair rotas", "Quick help on hard calls", "", "Clear targets"]
TO_IMPROVE = ["More coaching time", "", "Fewer system outages", "Earlier notice of overtime", ""]


def _cycle() -> AppraisalCycle:
    cycle, _ = AppraisalCycle.objects.get_or_create(
        name=CYCLE_NAME, defaults={"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}
    )
    return cycle


def _appraise(*, rng: random.Random, cycle: AppraisalCycle, leader: User, person: User, state: str) -> None:
    appraisal = services.appraisal_create(actor=leader, cycle=cycle, appraisee=person)
    pk = appraisal.pk
    for title, activities, measure in rng.sample(OBJECTIVES, 2):
        achievement = rng.choice(Achievement.values) if state != AppraisalStatus.DRAFT else ""
        services.objective_add(
            appraisal_id=pk, actor=leader, title=title, activities=activities, measure=measure, achievement=achievement
        )
    for n, description in enumerate(rng.sample(ACTIONS, 2)):
        services.action_add(
            appraisal_id=pk, actor=leader, description=description, owner=person if n == 0 else leader,
            due_on=date(2026, 3 + n * 3, 1),
        )  # fmt: skip
    if state == AppraisalStatus.DRAFT:
        return
    services.self_assessment_submit(
        appraisal_id=pk, actor=person, text="I met most of my targets and want to grow in complaint handling."
    )
    if state == AppraisalStatus.SELF_ASSESSED:
        return
    for competency in required_competencies(person.pk):
        services.rating_set(appraisal_id=pk, actor=leader, competency=competency, rating=rng.randint(2, 5))
    services.review_update(
        appraisal_id=pk,
        actor=leader,
        strengths="Calm and clear with anxious members; knows the cover rules well.",
        weaknesses="Wrap-up codes are sometimes rushed; could take more ownership of callbacks.",
        overall_rating=rng.randint(3, 5),
    )
    services.appraisal_training_need_raise(appraisal_id=pk, actor=leader, description="Complaint handling refresher")
    if state == AppraisalStatus.SIGNED:
        services.appraisal_sign(appraisal_id=pk, actor=person)
        services.appraisal_sign(appraisal_id=pk, actor=leader)
        first = Appraisal.objects.get(pk=pk).actions.order_by("pk").first()
        services.action_done(action_id=first.pk, actor=person)


def _seed_appraisals(*, rng: random.Random, cycle: AppraisalCycle, teams: list[Team]) -> None:
    """In each team, its first members (by name) in every state in turn."""
    for team in teams:
        leader = team.leader
        if leader is None:
            continue
        members = list(User.objects.filter(team=team, is_active=True).exclude(pk=leader.pk).order_by("full_name", "pk"))
        done = set(Appraisal.objects.filter(cycle=cycle).values_list("appraisee_id", flat=True))
        for n, person in enumerate(members[: len(STATES) + 2]):
            if person.pk not in done:
                _appraise(rng=rng, cycle=cycle, leader=leader, person=person, state=STATES[n % len(STATES)])


def _seed_feedback(*, rng: random.Random, cycle: AppraisalCycle, teams: list[Team]) -> None:
    """Every third team answers little (2-4 answers: under the threshold); the others mostly answer."""
    for index, team in enumerate(teams):
        members = list(User.objects.filter(team=team, is_active=True).exclude(pk=team.leader_id).order_by("pk"))
        answering = members[: rng.randint(2, 4)] if index % 3 == 2 else [m for m in members if rng.random() < 0.8]
        for person in answering:
            for subject in FeedbackSubject.values:
                # Drawn before the checks, so a second run draws the same and adds nothing.
                answer = {
                    "rating": rng.choice([2, 3, 3, 4, 4, 4, 5, 5]),
                    "went_well": rng.choice(WENT_WELL),
                    "to_improve": rng.choice(TO_IMPROVE),
                    "anonymous": rng.random() < 0.9,
                }
                key = feedback_services.respondent_key(cycle_id=cycle.pk, subject=subject, person_id=person.pk)
                if UpwardFeedback.objects.filter(cycle=cycle, subject=subject, respondent_key=key).exists():
                    continue
                if subject == FeedbackSubject.MANAGER and team.leader_id is None:
                    continue
                feedback_services.upward_feedback_give(actor=person, cycle=cycle, subject=subject, **answer)


def seed_appraisal(*, rng: random.Random, people) -> None:
    """`people` is what staff.demo.seed_people returned (its teams are used)."""
    cycle = _cycle()
    teams = list(
        Team.objects.filter(pk__in=[t.pk for t in showcase_teams(people)]).select_related("leader").order_by("pk")
    )
    # One generator each, so that what a second run skips in one does not shift the other's draws.
    appraisal_rng, feedback_rng = random.Random(rng.random()), random.Random(rng.random())  # noqa: S311 (demo data)
    _seed_appraisals(rng=appraisal_rng, cycle=cycle, teams=teams)
    last_year, _ = AppraisalCycle.objects.get_or_create(
        name=FEEDBACK_CYCLE_NAME, defaults={"starts_on": date(2025, 1, 1), "ends_on": date(2025, 12, 31)}
    )
    if last_year.is_open:
        _seed_feedback(rng=feedback_rng, cycle=last_year, teams=teams)
        last_year.is_open = False
        last_year.save(update_fields=["is_open"])
