"""Reads for quality monitoring and recognition: evaluations scoped to who may see them, the sample of
contacts to evaluate, a team's quality overview and trend, calibration sessions, and the figures
that the recognition rules (staff.rules.recognition) judge.

Evaluations made in calibration sessions are never an agent's results: every figure here leaves
them out (`agent_evaluations`)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import MD5, Cast, Concat, TruncWeek
from django.http import Http404

from calls.models import Contact, ContactState
from calls.rules.complaints import percentage

from ..models import CalibrationSession, Evaluation, Recognition, RecognitionKind, Scorecard, Team, User
from ..rules import recognition as rules
from .employees import people_visible_to, teams_visible_to

# A contact an agent saw through: answered (or worked, for letters and emails) and ended.
HANDLED = Q(agent__isnull=False, is_abandoned=False, state__in=[ContactState.WRAP_UP, ContactState.CLOSED])


def agent_evaluations() -> QuerySet[Evaluation]:
    """Evaluations that count as the agent's results (calibration scorings do not)."""
    return Evaluation.objects.filter(calibration__isnull=True)


def _in_period(queryset: QuerySet, start: date | None, end: date | None, field: str = "evaluated_at") -> QuerySet:
    if start:
        queryset = queryset.filter(**{f"{field}__date__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__date__lte": end})
    return queryset


def evaluation_list(
    *,
    actor: User,
    agent: int | None = None,
    start: date | None = None,
    end: date | None = None,
    passed: bool | None = None,
) -> QuerySet[Evaluation]:
    """The evaluations of the people `actor` may see, newest first."""
    evaluations = agent_evaluations().filter(agent__in=people_visible_to(actor).values("pk"))
    if agent:
        evaluations = evaluations.filter(agent_id=agent)
    if passed is not None:
        evaluations = evaluations.filter(passed=passed)
    evaluations = _in_period(evaluations, start, end)
    return evaluations.select_related("agent", "evaluator", "scorecard", "contact").order_by("-evaluated_at", "-pk")


def evaluations_of(user: User) -> QuerySet[Evaluation]:
    """A person's own evaluations (their page), newest first."""
    return (
        agent_evaluations()
        .filter(agent=user)
        .select_related("evaluator", "scorecard", "contact")
        .order_by("-evaluated_at", "-pk")
    )


def evaluation_get_for(actor: User, pk: int) -> Evaluation:
    """The evaluation with its answers, if `actor` is its agent, its evaluator, or may see the agent
    (a calibration scoring: its evaluator, and evaluators who may see its session); 404 otherwise."""
    visible = Q(evaluator=actor) | Q(calibration__isnull=True, agent__in=people_visible_to(actor).values("pk"))
    if actor.has_perm("staff.evaluate_quality"):
        visible |= Q(calibration__in=calibrations_visible_to(actor).values("pk"))
    try:
        return (
            Evaluation.objects.filter(visible)
            .select_related("agent", "evaluator", "scorecard", "contact__queue", "calibration")
            .prefetch_related("answers__item")
            .get(pk=pk)
        )
    except Evaluation.DoesNotExist:
        raise Http404 from None


def scorecards_active() -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(is_active=True).prefetch_related("items")


def scorecard_with_items(pk: int) -> Scorecard:
    try:
        return Scorecard.objects.prefetch_related("items").get(pk=pk, is_active=True)
    except Scorecard.DoesNotExist:
        raise Http404 from None


def contact_to_evaluate(actor: User, contact_id: int) -> Contact:
    """A handled contact of someone `actor` may see (not their own); 404 otherwise."""
    try:
        return (
            Contact.objects.filter(HANDLED, agent__in=people_visible_to(actor).exclude(pk=actor.pk).values("pk"))
            .select_related("agent", "queue", "customer")
            .get(pk=contact_id)
        )
    except Contact.DoesNotExist:
        raise Http404 from None


def evaluation_sample(*, actor: User, start: date, end: date, size: int = 10, seed: int = 0) -> list[Contact]:
    """`size` handled contacts in the period, of the people `actor` may see (not their own), that nobody
    has evaluated yet: drawn at random, the same draw for the same seed."""
    candidates = _in_period(
        Contact.objects.filter(HANDLED, agent__in=people_visible_to(actor).exclude(pk=actor.pk).values("pk")),
        start,
        end,
        field="offered_at",
    ).exclude(Exists(agent_evaluations().filter(contact=OuterRef("pk"))))
    # Ordered by a hash of the id and the seed: a fair shuffle, the same for the same seed, drawn by
    # the database in one query however many contacts there are.
    draw = MD5(Concat(Cast("pk", CharField()), Value(f":{seed}")))
    contacts = candidates.annotate(draw=draw).order_by("draw", "pk").select_related("agent", "queue")[:size]
    return sorted(contacts, key=lambda c: (c.offered_at, c.pk))


@dataclass(frozen=True)
class AgentQuality:
    agent: User
    evaluations: int
    average: Decimal | None
    passed: int
    critical_fails: int

    @property
    def pass_rate(self) -> Decimal | None:
        return percentage(self.passed, self.evaluations)


def team_overview(*, actor: User, start: date | None, end: date | None) -> list[AgentQuality]:
    """Per person `actor` may see (not themselves) with evaluations in the period: how many, the average
    score, how many passed and how many failed a critical item; lowest average first (who needs coaching)."""
    rows = (
        _in_period(agent_evaluations().filter(agent__in=people_visible_to(actor).values("pk")), start, end)
        .exclude(agent=actor)
        .values("agent")
        .annotate(
            evaluations=Count("pk"),
            average=Avg("score"),
            passed=Count("pk", filter=Q(passed=True)),
            critical_fails=Count("pk", filter=Q(critical_failed=True)),
        )
    )
    rows = list(rows)
    people = User.objects.in_bulk([row["agent"] for row in rows])
    overview = [
        AgentQuality(
            agent=people[row["agent"]],
            evaluations=row["evaluations"],
            average=rules.average([row["average"]]) if row["average"] is not None else None,
            passed=row["passed"],
            critical_fails=row["critical_fails"],
        )
        for row in rows
    ]
    return sorted(overview, key=lambda a: (a.average, a.agent.full_name))


def quality_trend(*, actor: User, start: date | None, end: date | None) -> list[tuple[date, Decimal, int]]:
    """(week starting, average score, evaluations) per week, for the people `actor` may see."""
    rows = (
        _in_period(agent_evaluations().filter(agent__in=people_visible_to(actor).values("pk")), start, end)
        .exclude(agent=actor)
        .annotate(week=TruncWeek("evaluated_at"))
        .values("week")
        .annotate(average=Avg("score"), evaluations=Count("pk"))
        .order_by("week")
    )
    return [(row["week"].date(), rules.average([row["average"]]), row["evaluations"]) for row in rows]


def calibrations_visible_to(actor: User) -> QuerySet[CalibrationSession]:
    """The calibration sessions `actor` may see: on a contact of someone they may see (people_visible_to),
    facilitated by them, or already scored by them. Nobody else reads the agent's call and its scorings."""
    return CalibrationSession.objects.filter(
        Q(contact__agent__in=people_visible_to(actor).values("pk"))
        | Q(facilitator=actor)
        | Q(Exists(Evaluation.objects.filter(calibration=OuterRef("pk"), evaluator=actor)))
    )


def calibration_list(*, actor: User) -> QuerySet[CalibrationSession]:
    """The calibration sessions `actor` may see, newest first, with how many have scored."""
    return (
        calibrations_visible_to(actor)
        .select_related("contact__agent", "scorecard", "facilitator")
        .annotate(scorings=Count("evaluations"))
        .order_by("-held_on", "-pk")
    )


def calibration_get(*, actor: User, pk: int) -> CalibrationSession:
    """The session with its scorings, if `actor` may see it (calibrations_visible_to); 404 otherwise."""
    try:
        return (
            calibrations_visible_to(actor)
            .select_related("contact__agent", "contact__queue", "scorecard", "facilitator")
            .prefetch_related("scorecard__items", "evaluations__answers", "evaluations__evaluator")
            .get(pk=pk)
        )
    except CalibrationSession.DoesNotExist:
        raise Http404 from None


# Recognition ---------------------------------------------------------------------------------------


def _quality_by_person(people: QuerySet, start: date, end: date) -> dict[int, rules.Verdict]:
    scores: dict[int, list[Decimal]] = defaultdict(list)
    fails: dict[int, int] = defaultdict(int)
    rows = _in_period(agent_evaluations().filter(agent__in=people), start, end).values_list(
        "agent_id", "score", "critical_failed"
    )
    for agent_id, score, failed in rows:
        scores[agent_id].append(score)
        fails[agent_id] += failed
    return {agent_id: rules.quality_star(scores=s, critical_fails=fails[agent_id]) for agent_id, s in scores.items()}


def _fcr_by_person(people: QuerySet, start: date, end: date) -> dict[int, rules.Verdict]:
    """System FCR (domain.md, "KPIs"): handled contacts of identified members in the period, and those
    with no further contact from the same member within 7 days (short abandons are not contacts)."""
    repeat = Contact.objects.filter(
        customer=OuterRef("customer"),
        offered_at__gt=OuterRef("offered_at"),
        offered_at__lte=OuterRef("offered_at") + rules.FCR_WINDOW,
        is_short_abandon=False,
    )
    rows = (
        _in_period(
            Contact.objects.filter(HANDLED, customer__isnull=False, agent__in=people), start, end, field="offered_at"
        )
        .annotate(repeated=Exists(repeat))
        .values("agent")
        .annotate(handled=Count("pk"), resolved=Count("pk", filter=Q(repeated=False)))
    )
    return {row["agent"]: rules.first_time_fixer(handled=row["handled"], resolved=row["resolved"]) for row in rows}


def _csat_by_person(people: QuerySet, start: date, end: date) -> dict[int, rules.Verdict]:
    """Customers' favourite: post-contact survey responses about each person's contacts, answered
    in the period, and how many were satisfied (4 or 5 out of 5)."""
    from surveys.models import Response, SurveyKind

    rows = (
        _in_period(
            Response.objects.filter(survey__kind=SurveyKind.POST_CONTACT, agent__in=people, csat__isnull=False),
            start,
            end,
            field="submitted_at",
        )
        .values("agent")
        .annotate(responses=Count("pk"), satisfied=Count("pk", filter=Q(csat__gte=4)))
    )
    return {
        row["agent"]: rules.customers_favourite(responses=row["responses"], satisfied=row["satisfied"]) for row in rows
    }


def _team_verdicts(start: date, end: date) -> dict[int, rules.Verdict]:
    """Every team's average against every other's (the best in the organisation earns it)."""
    rows = (
        _in_period(agent_evaluations().filter(agent__team__isnull=False), start, end)
        .values("agent__team")
        .annotate(evaluations=Count("pk"), average=Avg("score"))
    )
    return rules.team_of_the_month(
        [rules.TeamFigures(row["agent__team"], row["evaluations"], rules.average([row["average"]])) for row in rows]
    )


def person_verdict(*, kind: str, person: User, start: date, end: date) -> rules.Verdict:
    """What the rule of `kind` says of `person` for the period (quality star, first-time fixer,
    customers' favourite)."""
    people = User.objects.filter(pk=person.pk)
    if kind == RecognitionKind.QUALITY:
        verdicts = _quality_by_person(people, start, end)
        return verdicts.get(person.pk) or rules.quality_star(scores=[], critical_fails=0)
    if kind == RecognitionKind.RESOLUTION:
        verdicts = _fcr_by_person(people, start, end)
        return verdicts.get(person.pk) or rules.first_time_fixer(handled=0, resolved=0)
    if kind == RecognitionKind.SATISFACTION:
        verdicts = _csat_by_person(people, start, end)
        return verdicts.get(person.pk) or rules.customers_favourite(responses=0, satisfied=0)
    raise ValueError(f"No figures decide {kind!r} for a person")


def team_verdict(*, team: Team, start: date, end: date) -> rules.Verdict:
    return (
        _team_verdicts(start, end).get(team.pk)
        or rules.team_of_the_month([rules.TeamFigures(team.pk, 0, None)])[team.pk]
    )


@dataclass(frozen=True)
class Nomination:
    kind: str
    verdict: rules.Verdict
    person: User | None = None
    team: Team | None = None
    awarded: bool = False

    @property
    def label(self) -> str:
        return RecognitionKind(self.kind).label

    @property
    def figures(self) -> list:
        return rules.figures(self.verdict.basis)


def nominations(*, actor: User, start: date, end: date) -> list[Nomination]:
    """Who the rules say earned each measured kind in the period, among the people and teams `actor`
    may recognise (not themselves), marked when already awarded."""
    people = people_visible_to(actor).exclude(pk=actor.pk)
    person_ids = people.values("pk")
    earned: list[tuple[str, int, rules.Verdict]] = []
    for kind, verdicts in (
        (RecognitionKind.QUALITY, _quality_by_person(person_ids, start, end)),
        (RecognitionKind.RESOLUTION, _fcr_by_person(person_ids, start, end)),
        (RecognitionKind.SATISFACTION, _csat_by_person(person_ids, start, end)),
    ):
        earned += [(kind, pk, v) for pk, v in verdicts.items() if v.earned]
    persons = User.objects.in_bulk({pk for _, pk, _ in earned})
    awarded = set(Recognition.objects.filter(period_start=start).values_list("kind", "recipient_id", "team_id"))
    result = [
        Nomination(kind, verdict, person=persons[pk], awarded=(kind, pk, None) in awarded)
        for kind, pk, verdict in earned
    ]
    teams = teams_visible_to(actor).in_bulk()
    for team_id, verdict in _team_verdicts(start, end).items():
        if verdict.earned and team_id in teams:
            kind = RecognitionKind.TEAM
            result.append(Nomination(kind, verdict, team=teams[team_id], awarded=(kind, None, team_id) in awarded))
    return sorted(result, key=lambda n: (n.kind, str(n.person.full_name if n.person else n.team.name)))


def recognition_wall(*, limit: int = 30) -> list[Recognition]:
    """The most recent recognitions, for everyone to see."""
    return list(Recognition.objects.select_related("recipient", "team__site").order_by("-awarded_at", "-pk")[:limit])
