"""Follow-up rules with no database: the state table, when one is overdue or due for escalation, and
who it escalates to."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models.followups import FollowUpStatus

# The only moves a follow-up makes: an open one is done or cancelled; closed ones stay closed.
FOLLOW_UP_TRANSITIONS: dict[str, frozenset[str]] = {
    FollowUpStatus.OPEN: frozenset({FollowUpStatus.DONE, FollowUpStatus.CANCELLED}),
    FollowUpStatus.DONE: frozenset(),
    FollowUpStatus.CANCELLED: frozenset(),
}

# A due time this far in the past is still accepted when a follow-up is created: the form was
# filled in at "in five minutes" and submitted a little later, or the clocks differ slightly.
DUE_GRACE = timedelta(minutes=5)


def follow_up_transition_allowed(current: str, target: str) -> bool:
    return target in FOLLOW_UP_TRANSITIONS.get(current, frozenset())


def due_time_acceptable(due_at: datetime, now: datetime, grace: timedelta = DUE_GRACE) -> bool:
    return due_at >= now - grace


def is_overdue(status: str, due_at: datetime, now: datetime) -> bool:
    return status == FollowUpStatus.OPEN and due_at < now


def escalation_due(status: str, due_at: datetime, escalated: bool, now: datetime, grace: timedelta) -> bool:
    """Open, more than `grace` past due, and not escalated before (each follow-up escalates once)."""
    return status == FollowUpStatus.OPEN and not escalated and due_at < now - grace


@dataclass(frozen=True)
class TeamLead:
    """A team and the id of its leader (None: the team has no leader)."""

    team_id: int
    leader_id: int | None


def escalation_target(owner_team: TeamLead | None, follow_up_team: TeamLead | None) -> int | None:
    """The leader of the owner's team, else the leader of the team the follow-up is given to."""
    for team in (owner_team, follow_up_team):
        if team is not None and team.leader_id is not None:
            return team.leader_id
    return None
