"""Who may see whom: the one place that scopes people's records (employment, training, appraisals,
evaluations) to the person asking. HR sees everyone; a manager, the people at their site but its
other managers, HR and administrators; a team leader, the people in the teams
they lead; everyone, themselves. Also the reads built on that
scoping: the employees list and a person's page, job descriptions, the retention report's data, and
the API's employees and agents' states."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from ..models import (
    Employee,
    JobRole,
    LeavingReason,
    PersonSpecItem,
    Qualification,
    QualificationKind,
    Team,
    User,
)
from ..roles import Role
from ..rules import employees as rules

_NOT_MANAGED = [Role.MANAGER, Role.HR, Role.ADMINISTRATOR]


def people_visible_to(actor: User) -> QuerySet[User]:
    """The people (not API clients) whose records `actor` may see."""
    people = User.objects.exclude(groups__name="api_client")
    if actor.has_perm("staff.manage_people"):
        return people
    visible = Q(pk=actor.pk)
    if actor.has_perm("staff.view_management") and actor.site_id:
        # Everyone at the site but its other managers, HR and administrators: a manager's peers are
        # not theirs to read.
        visible |= Q(site_id=actor.site_id) & ~Q(groups__name__in=_NOT_MANAGED)
    if actor.has_perm("staff.lead_team"):
        visible |= Q(team__leader=actor)
    return people.filter(visible)


def teams_visible_to(actor: User) -> QuerySet[Team]:
    """The teams `actor` may see (a matrix, a recognition): HR all, a manager their site's, a team
    leader the ones they lead, as people_visible_to scopes people."""
    if actor.has_perm("staff.manage_people"):
        return Team.objects.all()
    visible = Q(leader=actor)
    if actor.has_perm("staff.view_management") and actor.site_id:
        visible |= Q(site_id=actor.site_id)
    return Team.objects.filter(visible)


def person_visible(actor: User, user_id: int) -> bool:
    return people_visible_to(actor).filter(pk=user_id).exists()


def employees_visible_to(actor: User) -> QuerySet[Employee]:
    return Employee.objects.filter(user__in=people_visible_to(actor).values("pk"))


def employee_get_for(actor: User, employee_id: int) -> Employee:
    """The employee `actor` may see, with their user, job, site and team; 404 otherwise (also when
    it exists: a refusal would tell that it does)."""
    try:
        return employees_visible_to(actor).select_related("user__site", "user__team", "job_role").get(pk=employee_id)
    except Employee.DoesNotExist:
        raise Http404 from None


# --- Employment records: lists, pages, retention and the API's reads --------------------------------


def _with_person(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    return employees.select_related("user__site", "user__team", "job_role")


def employee_list(
    *,
    actor: User,
    search: str = "",
    site_id: int | None = None,
    team_id: int | None = None,
    job_role_id: int | None = None,
    status: str = "",
) -> QuerySet[Employee]:
    """The employees `actor` may see, by name; `search` is part of a name or email, or an employee number."""
    employees = _with_person(employees_visible_to(actor))
    search = search.strip()
    if search:
        employees = employees.filter(
            Q(user__full_name__icontains=search)
            | Q(user__full_name_ar__icontains=search)
            | Q(user__email__icontains=search)
            | Q(employee_number__iexact=search)
        )
    if site_id:
        employees = employees.filter(user__site_id=site_id)
    if team_id:
        employees = employees.filter(user__team_id=team_id)
    if job_role_id:
        employees = employees.filter(job_role_id=job_role_id)
    if status:
        employees = employees.filter(status=status)
    return employees.order_by("user__full_name", "id")


def employee_detail_for(actor: User, employee_id: int) -> Employee:
    """employee_get_for, with what the employee page shows: qualifications and the job's person
    specification (404 for those who may not see the person)."""
    employee = employee_get_for(actor, employee_id)
    return _with_page_relations(employee)


def _with_page_relations(employee: Employee) -> Employee:
    prefetch_related_objects(
        [employee],
        Prefetch("qualifications", queryset=Qualification.objects.order_by("kind", "name")),
        Prefetch("job_role__spec", queryset=PersonSpecItem.objects.select_related("competency")),
    )
    return employee


def employee_of(user: User) -> Employee | None:
    """The person's own employment record, with what their page shows; None when they have none."""
    employee = _with_person(Employee.objects.filter(user=user)).first()
    return _with_page_relations(employee) if employee else None


def employee_skills(employee: Employee) -> list:
    """The queues' skills the person is routed for (calls.AgentStatus.skills), by name."""
    from calls.models import Skill

    return list(Skill.objects.filter(agents__user_id=employee.user_id).order_by("name"))


def employee_qualifications(employee: Employee, *, today: date) -> list[tuple[Qualification, str | None]]:
    """The person's qualifications (prefetched), each nursing registration with its state
    (rules.registration_state: valid, expiring within 60 days, expired), other kinds with None."""
    return [
        (
            q,
            rules.registration_state(q.expires_on, today=today)
            if q.kind == QualificationKind.NURSE_REGISTRATION
            else None,
        )
        for q in employee.qualifications.all()
    ]


def lacks_nurse_registration(employee: Employee) -> bool:
    """The job needs a nursing registration and none is recorded (from the prefetched qualifications)."""
    return employee.job_role.needs_nurse_registration and not any(
        q.kind == QualificationKind.NURSE_REGISTRATION for q in employee.qualifications.all()
    )


def job_role_list() -> QuerySet[JobRole]:
    return JobRole.objects.filter(is_active=True).order_by("title")


def job_role_detail(job_role_id: int) -> JobRole:
    return get_object_or_404(
        JobRole.objects.prefetch_related(
            Prefetch("spec", queryset=PersonSpecItem.objects.select_related("competency"))
        ),
        pk=job_role_id,
    )


def retention_spans(actor: User, period: rules.Period) -> list[rules.Span]:
    """Everyone `actor` may see who was employed in the period or started or left in it, as plain
    spans grouped by their site and team names in the reader's language (their current site and team:
    a leaver keeps their last)."""
    arabic = get_language() == "ar"
    rows = (
        employees_visible_to(actor)
        .filter(start_date__lte=period.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
        .values_list(
            "start_date",
            "left_on",
            "leaving_reason",
            "user__site__name",
            "user__site__name_ar",
            "user__team__name",
            "user__team__name_ar",
        )
    )
    return [
        rules.Span(
            start_date=start,
            left_on=left,
            reason=reason,
            site=(arabic and site_ar) or site or "",
            team=(arabic and team_ar) or team or "",
        )
        for start, left, reason, site, site_ar, team, team_ar in rows
    ]


def is_api_client(actor: User) -> bool:
    return actor.groups.filter(name=Role.API_CLIENT).exists()


def employees_for_api(actor: User) -> QuerySet[Employee]:
    """The employees an API caller may read, with their skill codes and extension: API clients (the
    telephony and workforce tools) every one; people, those employees_visible_to lets them see."""
    from calls.models import Skill

    employees = Employee.objects.all() if is_api_client(actor) else employees_visible_to(actor)
    # Prefetched rather than aggregated in SQL, so that the demo's SQLite serves it too.
    return (
        _with_person(employees)
        .select_related("user__agent_status")
        .prefetch_related(Prefetch("user__agent_status__skills", queryset=Skill.objects.order_by("code")))
        .order_by("user__full_name", "id")
    )


def agent_states_for(actor: User):
    """The agents' states an API caller may read: all for those who hold calls.view_agentstatus (API
    clients, administrators); for team leaders and managers, the people employees_visible_to scopes."""
    from calls.models import AgentStatus

    states = AgentStatus.objects.select_related("user").prefetch_related("skills").order_by("user_id")
    if actor.has_perm("calls.view_agentstatus"):
        return states
    return states.filter(user__in=people_visible_to(actor).values("pk"))


def leavers_in(actor: User, period: rules.Period) -> QuerySet[Employee]:
    """The people `actor` may see who left in the period, latest first."""
    return (
        _with_person(employees_visible_to(actor))
        .filter(left_on__range=(period.start, period.end))
        .order_by("-left_on", "user__full_name", "id")
    )


@dataclass(frozen=True)
class RetentionReport:
    period: rules.Period
    overall: rules.Attrition
    by_site: list[rules.Attrition]  # key: site name
    by_team: list[rules.Attrition]  # key: (site name, team name)
    by_reason: list[tuple[str, str, int]]  # (reason, its label, leavers)


def retention_report(actor: User, period: rules.Period) -> RetentionReport:
    """Retention over the period for the people `actor` may see (one query), grouped by site and team."""
    spans = retention_spans(actor, period)
    labels = dict(LeavingReason.choices)
    return RetentionReport(
        period=period,
        overall=rules.attrition(spans, period),
        by_site=sorted(rules.attrition_by(spans, period, lambda s: s.site), key=lambda a: a.key),
        by_team=sorted(rules.attrition_by(spans, period, lambda s: (s.site, s.team)), key=lambda a: a.key),
        by_reason=[
            (reason, str(labels.get(reason, reason)), count)
            for reason, count in rules.leavers_by_reason(spans, period).items()
        ],
    )
