"""Reads for people and places."""

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from ..models import Team, User
from ..roles import WORKSPACES, Role


def workspace_url_for(user: User) -> str | None:
    """The workspace a user lands on after login; None for a user with no workspace (API clients)."""
    for permission, url_name in WORKSPACES:
        if user.has_perm(permission):
            return reverse(url_name)
    return None


def user_roles(user: User) -> list[str]:
    return [g.name for g in user.groups.all() if g.name in Role.values]


def people_list(*, search: str = "", site_id: int | None = None, role: str = "") -> QuerySet[User]:
    people = (
        User.objects.select_related("site", "team", "employee")
        .prefetch_related("groups")
        .exclude(groups__name=Role.API_CLIENT)
    )
    if search:
        people = people.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search) | Q(full_name_ar__icontains=search)
        )
    if site_id:
        people = people.filter(site_id=site_id)
    if role:
        people = people.filter(groups__name=role)
    return people.order_by("full_name", "id")


def teams_led_by(user: User) -> QuerySet[Team]:
    members = User.objects.filter(is_active=True).prefetch_related("groups").order_by("full_name")
    return (
        Team.objects.filter(leader=user)
        .select_related("site")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )
