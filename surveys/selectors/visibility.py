"""Who may see which responses, in one place: whoever holds surveys.view_all_results (managers, and
API clients for reporting tools) every response; a team leader those of the teams they may see
(staff.selectors.employees.teams_visible_to). Posting responses (add_response) reads nothing."""

from django.db.models import QuerySet

from staff.selectors.employees import teams_visible_to

from ..models import Response

EVERYTHING = "surveys.view_all_results"  # managers; reporting tools (staff/roles.py)


def sees_all_responses(user) -> bool:
    return user.has_perm(EVERYTHING)


def responses_visible_to(user) -> QuerySet[Response]:
    """The responses `user` may read: every one, or their teams'. Nobody without view_results."""
    if not user.has_perm("surveys.view_results"):
        return Response.objects.none()
    if sees_all_responses(user):
        return Response.objects.all()
    return Response.objects.filter(team__in=teams_visible_to(user))
