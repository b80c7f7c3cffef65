"""Reads of follow-ups: "my follow-ups", a member's (for the 360), the team leader's escalations."""

from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff.models import User

from ..models import FollowUp, FollowUpStatus

# Closed follow-ups stay on "my follow-ups" this long, so a mistaken click can be seen and redone.
RECENTLY_CLOSED = timedelta(days=2)


def _listed(queryset: QuerySet, now: datetime) -> QuerySet:
    """Open first, by due time; each flagged `is_overdue`; with what the lists show."""
    return (
        queryset.select_related("customer", "owner", "team", "escalated_to")
        .annotate(
            open_first=Case(
                When(status=FollowUpStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            is_overdue=ExpressionWrapper(Q(status=FollowUpStatus.OPEN, due_at__lt=now), output_field=BooleanField()),
        )
        .order_by("open_first", "due_at", "id")
    )


def _open_or_recent(now: datetime) -> Q:
    return Q(status=FollowUpStatus.OPEN) | Q(completed_at__gte=now - RECENTLY_CLOSED)


def follow_ups_for_user(user, *, now: datetime | None = None, limit: int = 200) -> list[FollowUp]:
    """Mine, and my team's that nobody owns yet: open ones by due time, then those closed lately."""
    now = now or timezone.now()
    mine = Q(owner=user)
    if user.team_id:
        mine |= Q(owner__isnull=True, team_id=user.team_id)
    return list(_listed(FollowUp.objects.filter(mine & _open_or_recent(now)), now)[:limit])


def follow_ups_for_customer(customer_id: int, limit: int = 5, *, now: datetime | None = None) -> list[FollowUp]:
    """A member's follow-ups for the 360: the open ones first, then the latest closed."""
    now = now or timezone.now()
    # One query whatever the history (the 360's query count is pinned): open ones by due time, then
    # closed ones, latest first.
    theirs = _listed(FollowUp.objects.filter(customer_id=customer_id), now)
    open_due = Case(When(status=FollowUpStatus.OPEN, then=F("due_at")))
    return list(theirs.order_by("open_first", open_due.asc(), F("completed_at").desc(), "-id")[:limit])


def follow_ups_escalated_to(leader, *, now: datetime | None = None, limit: int = 200) -> list[FollowUp]:
    """What was escalated to this team leader and is still open, or closed lately."""
    now = now or timezone.now()
    queryset = FollowUp.objects.filter(Q(escalated_to=leader) & _open_or_recent(now))
    return list(_listed(queryset, now).order_by("open_first", "escalated_at", "due_at", "id")[:limit])


def follow_up_get(follow_up_id: int) -> FollowUp:
    """Any desk worker may act on any follow-up (a member who calls back reaches whoever answers),
    so visibility is the permission the view checks; this is the 404."""
    return get_object_or_404(FollowUp.objects.select_related("owner", "team"), pk=follow_up_id)


def team_members_for_reassignment(leader) -> QuerySet:
    """The active people of the teams this person leads."""
    return User.objects.filter(team__leader=leader, is_active=True).order_by("full_name")
