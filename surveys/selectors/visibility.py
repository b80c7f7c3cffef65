"""Who may see which responses, in one place: a manager (or a reporting tool) every response; a team
leader those of the teams they may see (staff.selectors.employees.teams_visible_to)."""

from django.db.models import QuerySet

from staff.selectors.employees import teams_visible_to

from ..models import Response

EVERYTHING = "staff.view_management"


def sees_all_responses(user) -> bool:
    return user.has_perm(EVERYTHING) or user.has_perm("surveys.add_response")  # managers; API clients


def responses_visible_to(user) -> QuerySet[Response]:
    """The responses `user` may read: every one, or their teams'. Nobody without view_results."""
    if not user.has_perm("surveys.view_results"):
        return Response.objects.none()
    if sees_all_responses(user):
        return Response.objects.all()
    return Response.objects.filter(team__in=teams_visible_to(user))
