"""Reads for closing the loop: the follow-ups a person may see (a team leader their own and their
teams', a manager every one), the list with its filters, and one follow-up with its response."""

from django.db.models import BooleanField, Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from ..models import Answer, LoopFollowUp, LoopStatus
from .visibility import responses_visible_to, sees_all_responses


def loops_visible_to(user) -> QuerySet[LoopFollowUp]:
    """The follow-ups `user` may read: those of the responses they may see, and those they own."""
    if not user.has_perm("surveys.view_loopfollowup"):
        return LoopFollowUp.objects.none()
    if sees_all_responses(user):
        return LoopFollowUp.objects.all()
    return LoopFollowUp.objects.filter(Q(response__in=responses_visible_to(user).values("pk")) | Q(owner=user))


def first_comment():
    """The response's first comment (its first free-text answer with text), as a subquery."""
    comments = Answer.objects.filter(response=OuterRef("response")).exclude(text="").order_by("question__position")
    return Subquery(comments.values("text")[:1])


def loop_list(*, actor, status: str = "", team_id: int | None = None, overdue: bool = False) -> QuerySet[LoopFollowUp]:
    """The follow-ups `actor` may see, open ones first by due time, each with its response's first
    comment (`comment`) and whether it is overdue (`is_overdue`). `overdue`: only open ones past due."""
    now = timezone.now()
    loops = loops_visible_to(actor)
    if status:
        loops = loops.filter(status=status)
    if team_id:
        loops = loops.filter(team_id=team_id)
    if overdue:
        loops = loops.filter(status=LoopStatus.OPEN, due_at__lt=now)
    return (
        loops.select_related("team", "owner", "response__contact", "response__agent", "response__queue")
        .annotate(
            comment=first_comment(),
            is_overdue=Case(
                When(status=LoopStatus.OPEN, due_at__lt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            open_first=Case(When(status=LoopStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("open_first", "due_at", "pk")
    )


def loop_get_for(actor, pk: int) -> LoopFollowUp:
    """The follow-up with its response (scores, contact, segment) if `actor` may see it; 404 otherwise."""
    try:
        return (
            loops_visible_to(actor)
            .select_related(
                "team",
                "owner",
                "closed_by",
                "response__survey",
                "response__contact",
                "response__customer",
                "response__agent",
                "response__queue",
                "response__site",
            )
            .get(pk=pk)
        )
    except LoopFollowUp.DoesNotExist:
        raise Http404 from None


def comments_of(response_id: int) -> list[Answer]:
    """A response's comments (free-text answers with text), in question order, with their questions."""
    return list(
        Answer.objects.filter(response_id=response_id)
        .exclude(text="")
        .select_related("question")
        .order_by("question__position")
    )


def is_overdue(loop: LoopFollowUp) -> bool:
    return loop.status == LoopStatus.OPEN and loop.due_at < timezone.now()
