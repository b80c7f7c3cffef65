"""Writes for follow-ups: create, complete, cancel, reassign, and the sweep that escalates overdue
ones to the team leader. Each is atomic, locks the row it changes and writes an audit row."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.rules import normalise_phone
from staff.models import User

from ..models import FollowUp, FollowUpKind, FollowUpStatus
from ..rules import followups as rules

logger = logging.getLogger(__name__)


def follow_up_create(
    *,
    actor,
    due_at: datetime,
    kind: str,
    owner: User | None = None,
    team=None,
    customer=None,
    contact=None,
    note: str = "",
    phone_number: str = "",
) -> FollowUp:
    """Promise a callback or note a task, for a person (`owner`) or a team's shared list (`team`)."""
    errors: dict[str, list[str]] = {}
    if not rules.due_time_acceptable(due_at, timezone.now()):
        errors["due_at"] = [gettext("Choose a time in the future.")]
    if owner is None and team is None:
        errors["owner"] = [gettext("Give the follow-up to a person or a team.")]
    elif owner is not None and not owner.is_active:
        errors["owner"] = [gettext("This person's account is closed.")]
    if phone_number:
        normalised = normalise_phone(phone_number)
        if normalised is None:
            errors["phone_number"] = [gettext("Enter a phone number, such as 07700 900123.")]
        phone_number = normalised or phone_number
    if contact is not None and customer is None:
        customer = contact.customer
    elif contact is not None and contact.customer_id not in (None, customer.pk):
        errors["contact"] = [gettext("This contact is with another member.")]
    if errors:
        raise DomainError(gettext("The follow-up could not be saved."), fields=errors)
    follow_up = FollowUp(
        kind=kind,
        owner=owner,
        team=team,
        customer=customer,
        contact=contact,
        due_at=due_at,
        note=note.strip(),
        phone_number=phone_number,
        created_by=actor,
    )
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=follow_up,
            summary=f"{follow_up.kind} due {follow_up.due_at.isoformat()}",
            detail={"owner": owner.pk if owner else None, "team": team.pk if team else None},
        )
    return follow_up


def _locked(follow_up_id: int) -> FollowUp:
    return FollowUp.objects.select_for_update().get(pk=follow_up_id)


def _already_closed(follow_up: FollowUp) -> InvalidTransition:
    return InvalidTransition(
        gettext("This follow-up is already %(status)s.") % {"status": follow_up.get_status_display().lower()},
        fields={"status": [follow_up.status]},
    )


def _close(*, follow_up_id: int, actor, target: str, reason: str = "") -> FollowUp:
    with transaction.atomic():
        follow_up = _locked(follow_up_id)
        if not rules.follow_up_transition_allowed(follow_up.status, target):
            raise _already_closed(follow_up)
        follow_up.status = target
        follow_up.completed_at = timezone.now()
        follow_up.completed_by = actor
        follow_up.save(update_fields=["status", "completed_at", "completed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=follow_up,
            summary=f"{FollowUpStatus.OPEN} -> {target}",
            detail={"from": FollowUpStatus.OPEN, "to": target, "reason": reason[:500]},
        )
    return follow_up


def follow_up_complete(*, follow_up_id: int, actor) -> FollowUp:
    """The callback was made or the task done."""
    return _close(follow_up_id=follow_up_id, actor=actor, target=FollowUpStatus.DONE)


def follow_up_cancel(*, follow_up_id: int, actor, reason: str = "") -> FollowUp:
    """No longer needed (the member called in first, or it was made by mistake)."""
    return _close(follow_up_id=follow_up_id, actor=actor, target=FollowUpStatus.CANCELLED, reason=reason)


def follow_up_reassign(*, follow_up_id: int, actor, owner: User | None = None, team=None) -> FollowUp:
    """Give an open follow-up to another person or team. An escalation already made stays on record."""
    if owner is None and team is None:
        message = gettext("Give the follow-up to a person or a team.")
        raise DomainError(message, fields={"owner": [message]})
    if owner is not None and not owner.is_active:
        message = gettext("This person's account is closed.")
        raise DomainError(message, fields={"owner": [message]})
    with transaction.atomic():
        follow_up = _locked(follow_up_id)
        if follow_up.status != FollowUpStatus.OPEN:
            raise _already_closed(follow_up)
        before = {"owner": follow_up.owner_id, "team": follow_up.team_id}
        follow_up.owner = owner
        follow_up.team = team
        follow_up.save(update_fields=["owner", "team"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=follow_up,
            summary="reassigned",
            detail={"from": before, "to": {"owner": follow_up.owner_id, "team": follow_up.team_id}},
        )
    return follow_up


@dataclass(frozen=True)
class EscalationResult:
    escalated: int  # follow-ups escalated by this run
    leaders_emailed: int  # one email per team leader, listing theirs
    without_leader: int  # overdue, but neither the owner's team nor the follow-up's has an active leader


def _team_lead(team) -> rules.TeamLead | None:
    """A leader whose account is closed counts as none: nobody would read the email."""
    if team is None:
        return None
    active = team.leader is not None and team.leader.is_active
    return rules.TeamLead(team.pk, team.leader_id if active else None)


def follow_up_escalate_overdue(*, now: datetime | None = None) -> EscalationResult:
    """Escalate every open follow-up more than FOLLOW_UP_ESCALATION_GRACE_MINUTES past due, once:
    each gets `escalated_at` and `escalated_to` (its team leader) and an audit row, and each leader
    one email after commit. Running it again (or two at once) escalates nothing twice: rows another
    run holds are skipped, and escalated rows no longer match."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.FOLLOW_UP_ESCALATION_GRACE_MINUTES)
    by_leader: dict[int, list[FollowUp]] = defaultdict(list)
    without_leader = 0
    with transaction.atomic():
        overdue = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=FollowUpStatus.OPEN, escalated_at__isnull=True, due_at__lt=now - grace)
            .select_related("owner__team__leader", "team__leader")
            .order_by("pk")
        )
        for follow_up in overdue:
            owner_team = follow_up.owner.team if follow_up.owner else None
            leader_id = rules.escalation_target(_team_lead(owner_team), _team_lead(follow_up.team))
            if leader_id is None:
                without_leader += 1
                continue
            follow_up.escalated_at = now
            follow_up.escalated_to_id = leader_id
            follow_up.save(update_fields=["escalated_at", "escalated_to"])
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=follow_up,
                summary="escalated to the team leader",
                detail={"escalated_to": leader_id, "due_at": follow_up.due_at.isoformat()},
            )
            by_leader[leader_id].append(follow_up)
        leaders = User.objects.in_bulk(list(by_leader))
        for leader_id, follow_ups in by_leader.items():
            leader = leaders[leader_id]
            transaction.on_commit(lambda leader=leader, items=follow_ups: _email_leader(leader, items), robust=True)
    if without_leader:
        logger.warning("%d overdue follow-ups have no team leader to escalate to", without_leader)
    return EscalationResult(
        escalated=sum(len(items) for items in by_leader.values()),
        leaders_emailed=len(by_leader),
        without_leader=without_leader,
    )


def _email_leader(leader: User, follow_ups: list[FollowUp]) -> None:
    """No member's name or details in the email (it leaves our systems): the list is in Tawasul."""
    if not leader.email:
        return
    with translation.override(leader.preferred_language or settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d overdue follow-up escalated to you",
            "%(count)d overdue follow-ups escalated to you",
            len(follow_ups),
        ) % {"count": len(follow_ups)}
        lines = [
            gettext("%(kind)s #%(id)s, due %(due)s, for %(owner)s")
            % {
                "kind": FollowUpKind(follow_up.kind).label,
                "id": follow_up.pk,
                "due": formats.date_format(timezone.localtime(follow_up.due_at), "d/m/Y H:i"),
                "owner": follow_up.owner.full_name if follow_up.owner else follow_up.team.name,
            }
            for follow_up in follow_ups
        ]
        body = "\n".join(
            [
                gettext("These follow-ups are overdue and not done:"),
                "",
                *lines,
                "",
                gettext("Reassign or close them in Tawasul: %(path)s")
                % {"path": reverse("calls:follow-up-escalations")},
            ]
        )
    send_mail(subject, body, None, [leader.email])
