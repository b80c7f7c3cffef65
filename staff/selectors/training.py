"""Reads for training: the course catalogue, sessions and who is in them, each person's standing on
their courses (the training matrix of a team, one person's training), induction plans and training
needs, scoped to who may see whom by staff.selectors.employees."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ..models import (
    Course,
    Employee,
    EmploymentStatus,
    Enrolment,
    EnrolmentStatus,
    InductionItem,
    JobRole,
    NeedStatus,
    Team,
    TrainingNeed,
    TrainingSession,
    User,
)
from ..rules import training as rules
from ..services.training import may_record
from .employees import employees_visible_to, teams_visible_to


def course_list(*, kind: str = "", search: str = "", include_inactive: bool = False) -> QuerySet[Course]:
    courses = Course.objects.select_related("grants_skill").annotate(
        upcoming_sessions=Count("sessions", filter=Q(sessions__starts_at__gte=timezone.now()), distinct=True)
    )
    if not include_inactive:
        courses = courses.filter(is_active=True)
    if kind:
        courses = courses.filter(kind=kind)
    if search:
        courses = courses.filter(Q(title__icontains=search) | Q(code__icontains=search) | Q(title_ar__icontains=search))
    return courses.order_by("kind", "title")


def course_get(pk: int) -> Course:
    try:
        return Course.objects.select_related("grants_skill").get(pk=pk)
    except Course.DoesNotExist:
        raise Http404 from None


def _taken() -> Count:
    return Count("enrolments", filter=Q(enrolments__status__in=rules.PLACE_TAKING))


def course_sessions(course: Course) -> QuerySet[TrainingSession]:
    return course.sessions.select_related("site", "trainer").annotate(taken=_taken()).order_by("-starts_at")


def open_sessions(course: Course) -> QuerySet[TrainingSession]:
    """Sessions still to run, for the enrolment forms."""
    return (
        course.sessions.filter(starts_at__gte=timezone.now())
        .select_related("site")
        .annotate(taken=_taken())
        .order_by("starts_at")
    )


def course_enrolments(course: Course, actor: User) -> QuerySet[Enrolment]:
    """Who holds a place on the course (open ones first), among the people `actor` may see."""
    return (
        Enrolment.objects.filter(course=course, employee__in=employees_visible_to(actor))
        .select_related("employee__user__team", "session")
        .order_by("status", "due_by", "employee__user__full_name")
    )


def session_get(pk: int) -> TrainingSession:
    try:
        return TrainingSession.objects.select_related("course", "site", "trainer").annotate(taken=_taken()).get(pk=pk)
    except TrainingSession.DoesNotExist:
        raise Http404 from None


def session_roster(session: TrainingSession, *, actor: User) -> QuerySet[Enrolment]:
    """Who holds a place in the session: everyone for those who record its outcomes (HR, its
    trainer); for anyone else only the people they may see."""
    roster = session.enrolments.select_related("employee__user__team").order_by("employee__user__full_name")
    if not may_record(actor, session):
        roster = roster.filter(employee__in=employees_visible_to(actor))
    return roster


def sessions_run_by(user: User, *, since: date | None = None) -> QuerySet[TrainingSession]:
    """The sessions `user` trains, from a fortnight ago on (results are recorded after the day)."""
    since = since or timezone.localdate() - timedelta(days=14)
    return (
        TrainingSession.objects.filter(trainer=user, starts_at__date__gte=since)
        .select_related("course", "site")
        .annotate(taken=_taken())
        .order_by("starts_at")
    )


def enrolment_get(pk: int) -> Enrolment:
    try:
        return Enrolment.objects.select_related("session", "course", "employee__user").get(pk=pk)
    except Enrolment.DoesNotExist:
        raise Http404 from None


def trainers() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(groups__name="api_client").order_by("full_name")


# --- Standings ----------------------------------------------------------------------------------


@dataclass
class PersonTraining:
    employee: Employee
    standings: dict[int, rules.CourseStanding] = field(default_factory=dict)  # course id -> standing

    def cells(self, courses: list[Course]) -> list[rules.CourseStanding]:
        return [self.standings.get(c.pk, rules.CourseStanding(rules.Standing.NOT_REQUIRED)) for c in courses]


@dataclass
class Matrix:
    courses: list[Course]
    people: list[PersonTraining]
    today: date

    def rows(self):
        return [(person, person.cells(self.courses)) for person in self.people]


def standings_for(employees: list[Employee], *, today: date) -> tuple[list[Course], list[PersonTraining]]:
    """Each person's standing on the courses their job's induction plan requires and on any course
    they have a record of. Two queries, whatever the number of people."""
    job_ids = {e.job_role_id for e in employees}
    required: dict[int, list[InductionItem]] = defaultdict(list)
    for item in InductionItem.objects.filter(job_role_id__in=job_ids).select_related("course"):
        required[item.job_role_id].append(item)
    records: dict[tuple[int, int], list[rules.EnrolmentRecord]] = defaultdict(list)
    held: dict[int, set[int]] = defaultdict(set)  # the courses each person has a record of
    courses = {item.course_id: item.course for items in required.values() for item in items}
    for enrolment in (
        Enrolment.objects.filter(employee__in=[e.pk for e in employees])
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("course")
    ):
        courses.setdefault(enrolment.course_id, enrolment.course)
        held[enrolment.employee_id].add(enrolment.course_id)
        records[enrolment.employee_id, enrolment.course_id].append(
            rules.EnrolmentRecord(enrolment.status, enrolment.due_by, enrolment.completed_on, enrolment.expires_on)
        )
    people = []
    for employee in employees:
        person = PersonTraining(employee)
        plan = {item.course_id: item for item in required[employee.job_role_id]}
        for course_id in plan.keys() | held[employee.pk]:
            item = plan.get(course_id)
            person.standings[course_id] = rules.course_standing(
                records[employee.pk, course_id],
                required=item is not None,
                required_by=employee.start_date + timedelta(days=item.due_within_days) if item else None,
                today=today,
            )
        people.append(person)
    ordered = sorted(courses.values(), key=lambda c: (c.kind, c.title))
    return ordered, people


def matrix_teams(actor: User) -> QuerySet[Team]:
    """The teams whose matrix `actor` may see: HR all; a manager their site's; a leader theirs."""
    return teams_visible_to(actor).select_related("site").order_by("site__name", "name")


def matrix_team_get(actor: User, team_id) -> Team:
    try:
        return matrix_teams(actor).get(pk=int(team_id))
    except (Team.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def team_matrix(*, actor: User, team: Team, today: date | None = None) -> Matrix:
    today = today or timezone.localdate()
    employees = list(
        employees_visible_to(actor)
        .filter(user__team=team)
        .exclude(status=EmploymentStatus.LEFT)
        .select_related("user", "job_role")
        .order_by("user__full_name", "pk")
    )
    courses, people = standings_for(employees, today=today)
    return Matrix(courses, people, today)


@dataclass
class CourseRecord:
    course: Course
    standing: rules.CourseStanding
    enrolments: list[Enrolment]


def person_training(employee: Employee, *, today: date | None = None) -> list[CourseRecord]:
    """One person's courses: their standing on each and every enrolment, newest first."""
    today = today or timezone.localdate()
    courses, (person,) = standings_for([employee], today=today)
    by_course: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in employee.enrolments.select_related("session__site").order_by("-enrolled_at"):
        by_course[enrolment.course_id].append(enrolment)
    return [CourseRecord(c, person.standings[c.pk], by_course[c.pk]) for c in courses]


def person_needs(employee: Employee) -> QuerySet[TrainingNeed]:
    return employee.training_needs.select_related("course", "raised_by").order_by("-raised_at")


def job_roles_with_plans() -> QuerySet[JobRole]:
    return (
        JobRole.objects.filter(is_active=True)
        .prefetch_related(Prefetch("induction", queryset=InductionItem.objects.select_related("course")))
        .order_by("title")
    )


def job_role_get(pk: int) -> JobRole:
    try:
        return job_roles_with_plans().get(pk=pk)
    except JobRole.DoesNotExist:
        raise Http404 from None


def need_list(*, actor: User, status: str = "", search: str = "") -> QuerySet[TrainingNeed]:
    needs = TrainingNeed.objects.filter(employee__in=employees_visible_to(actor)).select_related(
        "employee__user__team", "course", "raised_by"
    )
    if status:
        needs = needs.filter(status=status)
    if search:
        needs = needs.filter(
            Q(employee__user__full_name__icontains=search)
            | Q(employee__employee_number__iexact=search)
            | Q(description__icontains=search)
        )
    return needs.order_by("-raised_at", "-pk")


def need_get_for(actor: User, pk: int) -> TrainingNeed:
    try:
        return need_list(actor=actor).get(pk=pk)
    except TrainingNeed.DoesNotExist:
        raise Http404 from None


OPEN_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.PLANNED)
