"""Reads for recruitment: the vacancies list, a vacancy's pipeline board, a candidate's page (history,
scores against the person specification, notes), the careers site's open vacancies, and the plain
histories the HR metrics are worked out from (staff.rules.recruitment)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from ..models import (
    Application,
    AssessmentScore,
    PersonSpecItem,
    Site,
    Stage,
    StageChange,
    Vacancy,
    VacancyStatus,
)
from ..models.jobs import Assessment
from ..rules import recruitment as rules

# The exercises a candidate is scored in, in the order they meet them (the application form is
# sifted, not scored).
SCORED_EXERCISES = (
    Assessment.TELEPHONE_SCREENING,
    Assessment.COMPETENCY_INTERVIEW,
    Assessment.EMAIL_EXERCISE,
    Assessment.CENTRE_VISIT,
)


def vacancy_list(
    *, search: str = "", status: str = "", site_id: int | None = None, job_role_id: int | None = None
) -> QuerySet[Vacancy]:
    """Latest first, each with `applications` and `in_progress` (open applications) counted."""
    vacancies = Vacancy.objects.select_related("job_role", "site").annotate(
        applications_count=Count("applications"),
        in_progress=Count("applications", filter=Q(applications__stage__in=rules.OPEN_STAGES)),
        hired=Count("applications", filter=Q(applications__stage=Stage.HIRED)),
    )
    if status:
        vacancies = vacancies.filter(status=status)
    if site_id:
        vacancies = vacancies.filter(site_id=site_id)
    if job_role_id:
        vacancies = vacancies.filter(job_role_id=job_role_id)
    search = search.strip()
    if search:
        vacancies = vacancies.filter(Q(reference__iexact=search) | Q(job_role__title__icontains=search))
    return vacancies.order_by("-opened_on", "-pk")


def vacancy_get(pk: int) -> Vacancy:
    return get_object_or_404(Vacancy.objects.select_related("job_role", "site"), pk=pk)


@dataclass
class Column:
    stage: str
    label: str
    applications: list[Application] = field(default_factory=list)


def candidate_name(application: Application) -> str:
    """The name to show: an anonymised application's stored placeholder is English, so it is shown
    translated instead."""
    return gettext("Anonymised candidate") if application.anonymised_at else application.full_name


def vacancy_board(vacancy: Vacancy) -> list[Column]:
    """A column per stage, the pipeline's first; candidates longest in their stage first. Each
    application carries `name` (candidate_name), `next_stages` (rules.next_stages), `moves` (the ones
    a button makes: (stage, label); a rejection or withdrawal needs a reason and a hire a form, both on
    the candidate page) and `can_close`."""
    columns = {stage: Column(stage, Stage(stage).label) for stage in rules.STAGE_ORDER}
    applications = Application.objects.filter(vacancy=vacancy).only(
        "pk", "full_name", "stage", "stage_entered_at", "source", "applied_at", "anonymised_at", "vacancy_id"
    )
    for application in applications.order_by("stage_entered_at", "pk"):
        application.name = candidate_name(application)
        application.next_stages = rules.next_stages(application.stage)
        application.moves = [(s, Stage(s).label) for s in application.next_stages if s in rules.BUTTON_STAGES]
        application.can_close = application.stage in rules.OPEN_STAGES
        columns[application.stage].applications.append(application)
    return list(columns.values())


def application_get(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("vacancy__job_role", "vacancy__site"), pk=pk)


@dataclass
class ScoreRow:
    item: PersonSpecItem
    scores: list[AssessmentScore]


@dataclass
class ExerciseScores:
    exercise: str
    label: str
    rows: list[ScoreRow]


def application_detail(pk: int) -> Application:
    """The candidate with their stage history (and who moved them), scores and notes."""
    return get_object_or_404(
        Application.objects.select_related("vacancy__job_role", "vacancy__site", "employee").prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("scores", queryset=AssessmentScore.objects.select_related("assessor", "competency")),
            "notes__author",
        ),
        pk=pk,
    )


def application_scorecard(application: Application) -> list[ExerciseScores]:
    """The person specification of the vacancy's job, grouped by the exercise assessing each
    competency, with the scores recorded against each line (uses the prefetched scores)."""
    items = PersonSpecItem.objects.filter(
        job_role_id=application.vacancy.job_role_id, assessed_by__in=SCORED_EXERCISES
    ).select_related("competency")
    by_key: dict[tuple[int, str], list[AssessmentScore]] = {}
    for score in application.scores.all():
        by_key.setdefault((score.competency_id, score.exercise), []).append(score)
    groups = {exercise: ExerciseScores(exercise, Assessment(exercise).label, []) for exercise in SCORED_EXERCISES}
    for item in items:
        groups[item.assessed_by].rows.append(ScoreRow(item, by_key.get((item.competency_id, item.assessed_by), [])))
    return [group for group in groups.values() if group.rows]


def careers_vacancies(today: date | None = None) -> QuerySet[Vacancy]:
    """What the careers site lists: open vacancies still taking applications, the latest first."""
    today = today or timezone.localdate()
    return (
        Vacancy.objects.filter(status=VacancyStatus.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("job_role", "site")
        .order_by("-opened_on", "-pk")
    )


def vacancy_by_reference(reference: str) -> Vacancy | None:
    return Vacancy.objects.select_related("job_role", "site").filter(reference__iexact=reference.strip()).first()


def metric_histories(
    *,
    vacancy_id: int | None = None,
    site_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[rules.History]:
    """The applications (made in the period, at the site, to the vacancy) as plain histories: two
    queries whatever their number."""
    applications = Application.objects.all()
    if vacancy_id:
        applications = applications.filter(vacancy_id=vacancy_id)
    if site_id:
        applications = applications.filter(vacancy__site_id=site_id)
    zone = timezone.get_current_timezone()
    if start:
        applications = applications.filter(applied_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        applications = applications.filter(applied_at__lte=datetime.combine(end, time.max, tzinfo=zone))
    rows = list(applications.values_list("pk", "applied_at", "stage", "source", "vacancy__opened_on"))
    moves: dict[int, list[rules.Move]] = {}
    changes = StageChange.objects.filter(application__in=applications).order_by("at", "pk")
    for application_id, to_stage, at in changes.values_list("application_id", "to_stage", "at"):
        moves.setdefault(application_id, []).append(rules.Move(to_stage, at))
    return [
        rules.History(
            applied_at=applied_at,
            stage=stage,
            source=source,
            vacancy_opened_on=opened_on,
            moves=tuple(moves.get(pk, ())),
        )
        for pk, applied_at, stage, source, opened_on in rows
    ]


def metric_sites() -> QuerySet[Site]:
    return Site.objects.filter(vacancies__isnull=False).distinct().order_by("name")
