"""Reads for the agent desk and the customer 360: the agent's current contact and who the caller
may be, recent contacts, and the reason codes to choose from."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import AgentStatus, Contact, ContactState, ReasonCode
from .telephony import caller_lookup

# A contact stays on the agent's desk from the ring until the agent has wrapped it up.
DESK_STATES = [
    ContactState.OFFERED,
    ContactState.RINGING,
    ContactState.ON_CALL,
    ContactState.ON_HOLD,
    ContactState.WRAP_UP,
    ContactState.CLOSED,
]


# Older contacts never wrapped up (imported history, a shift that ended mid-call) stay off the desk.
DESK_WINDOW = timedelta(hours=12)


def desk_contact_for(agent) -> Contact | None:
    """The newest contact the telephony gave this agent lately that they have not wrapped up yet."""
    since = timezone.now() - DESK_WINDOW
    return (
        Contact.objects.filter(agent=agent, state__in=DESK_STATES, wrapped_up_at__isnull=True, offered_at__gte=since)
        .select_related("queue", "customer")
        .order_by("-offered_at", "-id")
        .first()
    )


def desk_version(contact: Contact | None, status: AgentStatus | None) -> str:
    """Changes whenever what the desk shows changes (the poll compares it with the browser's)."""
    agent_state = f"{status.state}" if status else "none"
    if contact is None:
        return f"none:{agent_state}"
    return f"{contact.pk}:{contact.state}:{contact.customer_id}:{contact.idv_outcome}:{agent_state}"


def agent_status_of(agent) -> AgentStatus | None:
    return AgentStatus.objects.filter(user=agent).first()


def caller_matches(contact: Contact) -> list[dict]:
    """Who the caller may be: the member on the contact, else the look-up by their number."""
    if contact.customer_id:
        return [{"customer": contact.customer, "score": 1.0, "matched_on": "contact"}]
    if not contact.caller_number:
        return []
    return caller_lookup(contact.caller_number) or []


def recent_contacts_for_customer(customer_id: int, *, limit: int = 10) -> list[Contact]:
    """The member's latest contacts, newest first, with what the 360 shows of each (three queries)."""
    return list(
        Contact.objects.filter(customer_id=customer_id)
        .select_related("queue", "agent")
        .prefetch_related(Prefetch("reasons", queryset=ReasonCode.objects.order_by("position", "name")))
        .order_by("-offered_at", "-id")[:limit]
    )


def contacts_of_agent(agent, *, limit: int = 10) -> list[Contact]:
    return list(
        Contact.objects.filter(agent=agent)
        .select_related("queue", "customer")
        .prefetch_related("reasons")
        .order_by("-offered_at", "-id")[:limit]
    )


def reason_choices() -> QuerySet[ReasonCode]:
    """Active reasons under their categories, for the wrap-up (categories first, then their reasons)."""
    return (
        ReasonCode.objects.filter(is_active=True, parent__isnull=False, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )


def contact_get(pk: int) -> Contact:
    return get_object_or_404(
        Contact.objects.select_related("queue", "agent", "customer", "site", "complaint").prefetch_related(
            "reasons", "events"
        ),
        pk=pk,
    )
