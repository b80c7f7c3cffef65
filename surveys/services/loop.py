"""Closing the loop: opening a follow-up for a detractor's or dissatisfied member's response, due
within one business day (its owner is told by email once the response is stored), and closing it
with what was done."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from contactcentre.exceptions import DomainError, InvalidTransition
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from contactcentre.workdays import add_working_days

from ..models import LoopFollowUp, LoopOutcome, LoopStatus, LoopTrigger, Response
from ..rules.scores import loop_trigger
from ..selectors.visibility import responses_visible_to

MAX_NOTE = 4000


def loop_due(opened_at: datetime) -> datetime:
    """Within one business day: by the end of the next working day after the day it was opened."""
    local = timezone.localtime(opened_at)
    due_day = add_working_days(local.date(), 1)
    return timezone.make_aware(datetime.combine(due_day, time(17, 30)))


def loop_open(*, response: Response) -> LoopFollowUp | None:
    """The follow-up a response calls for (none for a satisfied member), owned by the agent's team
    leader. Called inside the transaction that stores the response; the owner's email goes after it
    commits, so a response rolled back tells nobody."""
    trigger = loop_trigger(csat=response.csat, nps=response.nps)
    if trigger is None or response.contact_id is None:
        return None
    team = response.team
    loop = LoopFollowUp.objects.create(
        response=response,
        trigger=trigger,
        team=team,
        owner_id=team.leader_id if team is not None else None,
        due_at=loop_due(response.submitted_at),
    )
    if loop.owner_id is not None:
        transaction.on_commit(lambda: loop_owner_notify(loop_id=loop.pk), robust=True)
    return loop


def loop_owner_notify(*, loop_id: int) -> None:
    """Email the owner of a new follow-up, in their language: why, the contact, the scores, when it
    is due and the link. The member's name and words stay in Tawasul (an email leaves our systems):
    the comment is read on the follow-up's page."""
    loop = (
        LoopFollowUp.objects.select_related("owner", "response__contact", "response__agent").filter(pk=loop_id).first()
    )
    if loop is None or loop.owner is None or not loop.owner.email:
        return
    response, owner = loop.response, loop.owner
    with translation.override(owner.preferred_language or settings.LANGUAGE_CODE):
        subject = _("A member to call back: %(why)s") % {"why": LoopTrigger(loop.trigger).label}
        not_answered = _("not answered")
        lines = [
            _("A member's survey answers call for a follow-up from you."),
            "",
            _("Why: %(why)s") % {"why": LoopTrigger(loop.trigger).label},
            _("Contact: #%(id)s, %(when)s, handled by %(agent)s")
            % {
                "id": response.contact_id,
                "when": _contact_time(response),
                "agent": response.agent.full_name if response.agent else _("no agent"),
            },
            _("Scores: CSAT %(csat)s (1-5), likely to recommend %(nps)s (0-10), ease %(ces)s (1-7)")
            % {
                "csat": not_answered if response.csat is None else response.csat,
                "nps": not_answered if response.nps is None else response.nps,
                "ces": not_answered if response.ces is None else response.ces,
            },
            _("Due: %(due)s") % {"due": formats.date_format(timezone.localtime(loop.due_at), "d/m/Y H:i")},
            "",
            _("Read the member's comment and record what you did: %(url)s")
            % {"url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("surveys:loop", args=[loop.pk])},
        ]
    send_mail(subject, "\n".join(lines), None, [owner.email])


def _contact_time(response: Response) -> str:
    contact = response.contact
    moment = (contact.offered_at or contact.ended_at) if contact is not None else None
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else "-"


def may_close(actor, loop: LoopFollowUp) -> bool:
    """The owner, or anyone who may change follow-ups and may see the response."""
    if loop.owner_id is not None and loop.owner_id == actor.pk:
        return True
    return actor.has_perm("surveys.change_loopfollowup") and (
        responses_visible_to(actor).filter(pk=loop.response_id).exists()
    )


@transaction.atomic
def loop_close(*, actor, loop_id: int, outcome: str, note: str) -> LoopFollowUp:
    """Record what was done and close the follow-up. The row is locked, so two people closing it at
    the same moment give one outcome and one refusal (InvalidTransition)."""
    loop = LoopFollowUp.objects.select_for_update().get(pk=loop_id)
    if not may_close(actor, loop):
        raise PermissionDenied(_("Only the follow-up's owner or a leader of its team may close it."))
    if loop.status != LoopStatus.OPEN:
        raise InvalidTransition(_("This follow-up is already closed."))
    errors = {}
    if outcome not in LoopOutcome.values:
        errors["outcome"] = [_("Choose what happened.")]
    note = (note or "").replace("\x00", "").strip()
    if not note:
        errors["note"] = [_("Say what was done.")]
    elif len(note) > MAX_NOTE:
        errors["note"] = [_("Please keep this to %(n)s characters.") % {"n": MAX_NOTE}]
    if errors:
        raise DomainError(_("The follow-up was not closed."), fields=errors)
    loop.status = LoopStatus.CLOSED
    loop.outcome = outcome
    loop.outcome_note = note
    loop.closed_at = timezone.now()
    loop.closed_by = actor
    loop.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=loop,
        summary=f"Closing-the-loop follow-up closed: {outcome}",
        detail={"outcome": outcome, "on_time": loop.closed_at <= loop.due_at, "response": loop.response_id},
    )
    return loop
