"""Who may see whom: the one place that scopes people's records (employment, training, appraisals,
evaluations) to the person asking. HR sees everyone; a manager, everyone at their site; a team
leader, the people in the teams they lead; everyone, themselves."""

from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Employee, User


def people_visible_to(actor: User) -> QuerySet[User]:
    """The people (not API clients) whose records `actor` may see."""
    people = User.objects.exclude(groups__name="api_client")
    if actor.has_perm("staff.manage_people"):
        return people
    visible = Q(pk=actor.pk)
    if actor.has_perm("staff.view_management") and actor.site_id:
        visible |= Q(site_id=actor.site_id)
    if actor.has_perm("staff.lead_team"):
        visible |= Q(team__leader=actor)
    return people.filter(visible)


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
