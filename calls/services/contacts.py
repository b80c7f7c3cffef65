"""Writes at the agent desk: identifying the caller on a contact, the wrap-up, contacts logged by
hand (calls without telephony, letters, emails), and the agent's own state changes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.models import Customer
from performance.services.rollups import contacts_mark, state_changes_mark

from ..models import (
    AgentState,
    AgentStateChange,
    AgentStatus,
    Contact,
    ContactChannel,
    ContactState,
    Direction,
    Queue,
    ReasonCode,
    StateSource,
)

# The states an agent may choose; the others (on a call, wrap-up) come from the telephony.
CHOSEN_STATES = {AgentState.AVAILABLE, AgentState.BREAK, AgentState.TRAINING, AgentState.OFFLINE}


class NotYourContact(DomainError):
    """This contact belongs to another agent."""

    status_code = 403
    code = "not_your_contact"


@dataclass(frozen=True)
class WrapUp:
    reasons: list[ReasonCode]
    outcome: str
    notes: str = ""
    caller_state: str = ""
    resolved_first_contact: bool | None = None


def _check_reasons(reasons: list[ReasonCode]) -> None:
    if not reasons:
        raise DomainError(_("Choose at least one reason."), fields={"reasons": [_("Choose at least one reason.")]})
    retired = [reason.name for reason in reasons if not reason.is_active]
    if retired:
        message = _("These reasons are no longer in use: %(names)s.") % {"names": ", ".join(retired)}
        raise DomainError(message, fields={"reasons": [message]})


def _locked_contact_for(contact_id: int, actor) -> Contact:
    contact = Contact.objects.select_for_update(no_key=True).get(pk=contact_id)
    if contact.agent_id not in (None, actor.pk) and not actor.has_perm("staff.lead_team"):
        raise NotYourContact(_("This contact belongs to another agent."))
    return contact


def agent_state_set(*, user, state: str, source: str = StateSource.AGENT, at: datetime | None = None) -> AgentStatus:
    """The agent's state from now on, on their timeline (for occupancy and adherence)."""
    if source == StateSource.AGENT and state not in CHOSEN_STATES:
        raise DomainError(_("That state is set by the telephony, not by hand."), fields={"state": [state]})
    at = at or timezone.now()
    with transaction.atomic():
        status, _created = AgentStatus.objects.select_for_update().get_or_create(user=user)
        AgentStateChange.objects.create(user=user, state=state, started_at=at, source=source)
        state_changes_mark([at])
        if status.since is None or status.since <= at:
            status.state, status.since = state, at
            status.save(update_fields=["state", "since"])
    return status


@transaction.atomic
def contact_identify(*, contact_id: int, actor, customer: Customer | None) -> Contact:
    """The agent says who the caller is (one of several matches, a member found by search), or
    that they could not be identified (`customer=None`)."""
    contact = _locked_contact_for(contact_id, actor)
    previous = Contact(offered_at=contact.offered_at, ended_at=contact.ended_at, customer_id=contact.customer_id)
    contact.customer = customer
    if customer is None:
        contact.idv_outcome = "not_done"
    contact.save(update_fields=["customer", "idv_outcome", "updated_at"])
    contacts_mark([contact, previous])  # the member it was, too: their earlier calls' FCR
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contact,
        summary=_("Caller identified") if customer else _("Unidentified caller"),
        detail={"customer": customer.pk if customer else None},
    )
    return contact


def _link_work_done(contact: Contact, actor) -> None:
    """The cover check and claim the agent made for this member during the contact (the newest of
    each), and the policy they concern, become the contact's links."""
    if contact.customer_id is None or contact.offered_at is None:
        return
    from claims.models import Claim, CoverCheck

    during = {"customer_id": contact.customer_id, "checked_by": actor, "checked_at__gte": contact.offered_at}
    check = contact.cover_check or CoverCheck.objects.filter(**during).order_by("-checked_at", "-id").first()
    claim = contact.claim or (
        Claim.objects.filter(customer_id=contact.customer_id, created_by=actor, created_at__gte=contact.offered_at)
        .order_by("-created_at", "-id")
        .first()
    )
    contact.cover_check, contact.claim = check, claim
    concerned = claim or check
    contact.policy_id = contact.policy_id or (concerned.policy_id if concerned else None)


@transaction.atomic
def contact_wrap_up(*, contact_id: int, actor, wrap_up: WrapUp) -> Contact:
    """The agent's record of the contact. Closes a call the telephony has ended, and puts the
    agent back to available."""
    _check_reasons(wrap_up.reasons)
    contact = _locked_contact_for(contact_id, actor)
    now = timezone.now()
    contact.outcome = wrap_up.outcome
    contact.notes = wrap_up.notes
    contact.caller_state = wrap_up.caller_state
    contact.resolved_first_contact = wrap_up.resolved_first_contact
    contact.wrapped_up_at = now
    if contact.agent_id is None:
        contact.agent = actor
        contact.site_id = contact.site_id or actor.site_id
    if contact.state == ContactState.WRAP_UP:
        contact.state = ContactState.CLOSED
    _link_work_done(contact, actor)
    contact.full_clean(exclude=["customer", "queue", "agent", "site", "claim", "policy", "cover_check", "complaint"])
    contact.save(
        update_fields=[
            "outcome",
            "notes",
            "caller_state",
            "resolved_first_contact",
            "wrapped_up_at",
            "agent",
            "site",
            "state",
            "cover_check",
            "claim",
            "policy",
            "updated_at",
        ]
    )
    contact.reasons.set(wrap_up.reasons)
    contacts_mark([contact])
    if actor.pk == contact.agent_id and not contact.is_live:
        agent_state_set(user=actor, state=AgentState.AVAILABLE, at=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contact,
        summary=_("Wrap-up"),
        detail={"outcome": wrap_up.outcome, "reasons": [reason.code for reason in wrap_up.reasons]},
    )
    return contact


@transaction.atomic
def contact_log(
    *,
    actor,
    channel: str,
    direction: str = Direction.INBOUND,
    occurred_at: datetime,
    wrap_up: WrapUp,
    customer: Customer | None = None,
    queue: Queue | None = None,
    caller_number: str = "",
    subject: str = "",
    minutes: int = 0,
) -> Contact:
    """A contact logged by hand: a call without telephony, a letter or an email."""
    _check_reasons(wrap_up.reasons)
    if occurred_at > timezone.now():
        raise DomainError(_("A contact cannot be in the future."), fields={"occurred_at": [_("Is in the future.")]})
    is_call = channel == ContactChannel.PHONE
    contact = Contact(
        channel=channel,
        direction=direction,
        customer=customer,
        queue=queue,
        agent=actor,
        site_id=actor.site_id,
        caller_number=caller_number,
        subject=subject,
        state=ContactState.CLOSED,
        offered_at=occurred_at,
        answered_at=occurred_at if is_call else None,
        ended_at=occurred_at + timedelta(minutes=minutes) if is_call else None,
        talk_seconds=minutes * 60 if is_call else 0,
        outcome=wrap_up.outcome,
        notes=wrap_up.notes,
        caller_state=wrap_up.caller_state,
        resolved_first_contact=wrap_up.resolved_first_contact,
        wrapped_up_at=timezone.now(),
    )
    contact.full_clean()
    contact.save()
    contact.reasons.set(wrap_up.reasons)
    contacts_mark([contact])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=contact, summary=contact.get_channel_display())
    return contact
